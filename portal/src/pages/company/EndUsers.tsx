// An agent's end-users (the visitors who talked to it): search, block/unblock, open one's transcripts.
import { Anchor, Card, Group, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { companyApi, ok } from '../../api/client';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { BlockButton, BlockedBadge } from '../../components/knowledge/BlockButton';
import { formatDate, formatNumber } from '../../components/knowledge/format';
import { LoadMore } from '../../components/LoadMore';

export default function EndUsers() {
  const agentId = useParams().agentId!;
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const query = useInfiniteQuery({
    queryKey: ['endusers', agentId, q],
    queryFn: ({ pageParam }) => ok(companyApi.GET('/company/agents/{agentId}/users', {
      params: { path: { agentId }, query: { q: q || undefined, limit: 50, cursor: pageParam } },
    })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: keepPreviousData,
  });
  const users = query.data?.pages.flatMap((page) => page.items || []) || [];
  const open = (endUserId: string) => navigate(`/app/agents/${agentId}/users/${endUserId}`);

  return (
    <>
      <PageHeader title="End-users" description="The visitors who talked to this agent, and their conversations." />
      <Card withBorder padding="lg">
        <TextInput label="Search end-users" placeholder="External id, name or email" mb="md" maw={420}
          leftSection={<IconSearch size={16} />} value={search}
          onChange={(event) => setSearch(event.currentTarget.value)} />
        <DataState query={query} isEmpty={() => users.length === 0}
          empty={q ? `No end-user matches “${q}”.` : 'No end-users yet. They appear after their first question.'}>
          {() => (
            <>
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="sm" highlightOnHover style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>External id</Table.Th>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Email</Table.Th>
                      <Table.Th ta="right">Conversations</Table.Th>
                      <Table.Th>First seen</Table.Th>
                      <Table.Th>Last seen</Table.Th>
                      <Table.Th><VisuallyHidden>Status and actions</VisuallyHidden></Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {users.map((user) => (
                      <Table.Tr key={user.id} onClick={() => open(user.id!)} style={{ cursor: 'pointer' }}
                        data-testid={`enduser-${user.id}`}>
                        <Table.Td>
                          <Anchor component={Link} to={`/app/agents/${agentId}/users/${user.id}`} size="sm"
                            onClick={(event) => event.stopPropagation()} style={{ wordBreak: 'break-all' }}>
                            {user.externalId || user.id}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{user.name || <Text span c="dimmed">—</Text>}</Table.Td>
                        <Table.Td>{user.email || <Text span c="dimmed">—</Text>}</Table.Td>
                        <Table.Td ta="right">{formatNumber(user.conversationCount)}</Table.Td>
                        <Table.Td><Text size="sm" title={user.firstSeenAt}>{formatDate(user.firstSeenAt)}</Text></Table.Td>
                        <Table.Td><Text size="sm" title={user.lastSeenAt}>{formatDate(user.lastSeenAt)}</Text></Table.Td>
                        <Table.Td>
                          <Group gap="xs" justify="flex-end" wrap="nowrap">
                            <BlockedBadge blocked={user.blocked} />
                            <BlockButton agentId={agentId} user={user} />
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LoadMore query={query} />
            </>
          )}
        </DataState>
      </Card>
    </>
  );
}

