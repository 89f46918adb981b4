// An agent's end-users (read-only for admins): search by name, email or external id, paged.
import { Badge, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { adminApi, ok } from '../../api/client';
import { formatDateTime, formatInt } from '../../components/analytics/format';
import { DataState } from '../../components/DataState';
import { allItems, LoadMore, nextCursor } from '../../components/LoadMore';

export function AgentEndUsers({ agentId }: { agentId: string }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const list = useInfiniteQuery({
    queryKey: ['admin', 'agents', agentId, 'users', q],
    queryFn: ({ pageParam }) => ok(adminApi.GET('/admin/agents/{agentId}/users', { params: {
      path: { agentId }, query: { q: q || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Title order={3} size="h4" mt="xl" mb="sm">End-users</Title>
      <TextInput mb="md" maw={360} label="Search end-users" placeholder="Name, email or external id"
        leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      <DataState query={{ ...list, data: allItems(list.data?.pages) }} isEmpty={(items) => !items.length}
        empty={q ? `No end-user matches “${q}”.` : 'No end-users have talked to this agent yet.'}>
        {(items) => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>External id</Table.Th>
                    <Table.Th ta="right">Conversations</Table.Th>
                    <Table.Th>First seen</Table.Th>
                    <Table.Th>Last seen</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((user) => (
                    <Table.Tr key={user.id}>
                      <Table.Td>
                        {user.name || '—'}{' '}
                        {user.blocked && <Badge color="red" variant="light" size="sm">blocked</Badge>}
                      </Table.Td>
                      <Table.Td>{user.email || '—'}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{user.externalId || '—'}</Table.Td>
                      <Table.Td ta="right">{formatInt(user.conversationCount)}</Table.Td>
                      <Table.Td>{formatDateTime(user.firstSeenAt)}</Table.Td>
                      <Table.Td>{formatDateTime(user.lastSeenAt)}</Table.Td>
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
