// Every company's agents, filtered by company and status; a row opens the agent.
import { Anchor, Group, Select, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { adminApi, ok } from '../../api/client';
import { formatDate } from '../../components/analytics/format';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { AgentStatusBadge } from './AgentStatusBadge';
import { allItems, LoadMore, nextCursor } from '../../components/LoadMore';
import { useCompanyNames } from './useCompanyNames';

const STATUSES = [{ value: 'published', label: 'Published' }, { value: 'draft', label: 'Draft' }];

export default function Agents() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId') || null;
  const status = params.get('status') || null;
  const companies = useCompanyNames();
  const setFilter = (name: string, value: string | null) => setParams((p) => {
    if (value) p.set(name, value);
    else p.delete(name);
    return p;
  }, { replace: true });
  const list = useInfiniteQuery({
    queryKey: ['admin', 'agents', companyId, status],
    queryFn: ({ pageParam }) => ok(adminApi.GET('/admin/agents', { params: { query: {
      companyId: companyId || undefined,
      // the wire form is lower-case; the spec's enum shows the Java names
      status: (status || undefined) as 'DRAFT' | 'PUBLISHED' | undefined,
      limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
  const open = (id?: string) => id && navigate(`/admin/agents/${id}`);
  return (
    <>
      <PageHeader title="Agents" description="AI agents of every company." />
      <Group mb="md" align="flex-end" wrap="wrap">
        <Select label="Company" placeholder="All companies" data={companies.options} value={companyId}
          onChange={(v) => setFilter('companyId', v)} clearable searchable nothingFoundMessage="No company"
          w={260} />
        <Select label="Status" placeholder="Any status" data={STATUSES} value={status}
          onChange={(v) => setFilter('status', v)} clearable w={180} />
      </Group>
      <DataState query={{ ...list, data: allItems(list.data?.pages) }} isEmpty={(items) => !items.length}
        empty={companyId || status ? 'No agent matches these filters.' : 'No agents yet.'}>
        {(items) => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Agent</Table.Th>
                    <Table.Th>Company</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Provider / model</Table.Th>
                    <Table.Th>Updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((agent) => (
                    <Table.Tr key={agent.id} style={{ cursor: 'pointer' }} onClick={() => open(agent.id)}>
                      <Table.Td>
                        <Anchor size="sm" component={Link} to={`/admin/agents/${agent.id}`} fw={500}
                          onClick={(e) => e.stopPropagation()}>{agent.name || 'Untitled agent'}</Anchor>
                      </Table.Td>
                      <Table.Td>{companies.nameOf(agent.companyId) || <Text c="dimmed" size="sm">—</Text>}</Table.Td>
                      <Table.Td><AgentStatusBadge status={agent.status} disabled={!!agent.disabledAt} /></Table.Td>
                      <Table.Td>{[agent.llm?.provider, agent.llm?.model].filter(Boolean).join(' / ') || '—'}</Table.Td>
                      <Table.Td>{formatDate(agent.updatedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore query={list} />
          </>
        )}
      </DataState>
    </>
  );
}
