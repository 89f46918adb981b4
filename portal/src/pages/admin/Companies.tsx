// Every company: search by name, create one with its first admin, delete one (and all it owns).
import { ActionIcon, Anchor, Badge, Button, Table, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { adminApi, ok } from '../../api/client';
import { formatDate } from '../../components/analytics/format';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { type Company, CreateCompanyModal, DeleteCompanyModal } from './CompanyDialogs';
import { allItems, LoadMore, nextCursor } from '../../components/LoadMore';

export default function Companies() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [deleting, setDeleting] = useState<Company | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['admin', 'companies', q],
    queryFn: ({ pageParam }) => ok(adminApi.GET('/admin/companies', {
      params: { query: { q: q || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Companies" description="Tenants of this Engage installation."
        actions={<Button leftSection={<IconPlus size={16} />} onClick={openCreate}>New company</Button>} />
      <TextInput mb="md" maw={360} label="Search companies" placeholder="Name contains…"
        leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      <DataState query={{ ...list, data: allItems(list.data?.pages) }} isEmpty={(items) => !items.length}
        empty={q ? `No company matches “${q}”.` : 'No companies yet. Create the first one.'}>
        {(items) => (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th w={60}><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((company) => (
                    <Table.Tr key={company.id}>
                      <Table.Td>
                        <Anchor size="sm" component={Link} to={`/admin/agents?companyId=${company.id}`}
                          title="Show this company's agents">{company.name}</Anchor>
                      </Table.Td>
                      <Table.Td><Badge variant="light" color={company.status === 'active' ? 'teal' : 'gray'}>
                        {company.status || 'unknown'}</Badge></Table.Td>
                      <Table.Td>{formatDate(company.createdAt)}</Table.Td>
                      <Table.Td>
                        <Tooltip label="Delete company">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${company.name}`}
                            onClick={() => setDeleting(company)}><IconTrash size={16} /></ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore query={list} />
          </>
        )}
      </DataState>
      <CreateCompanyModal opened={creating} onClose={closeCreate} />
      <DeleteCompanyModal company={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
