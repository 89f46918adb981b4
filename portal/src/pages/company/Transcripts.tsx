// One end-user of an agent: who they are (and blocking them), their conversations, and the selected one as a chat.
import { Anchor, Badge, Button, Card, Center, Code, Grid, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { companyApi, ok } from '../../api/client';
import { DataState } from '../../components/DataState';
import { BlockButton, BlockedBadge, endUserLabel } from '../../components/knowledge/BlockButton';
import { ChatMessage } from '../../components/knowledge/ChatMessage';
import { formatDate, formatNumber } from '../../components/knowledge/format';
import type { ConversationSummary, EndUser } from '../../components/knowledge/types';

const recency = (c: ConversationSummary) => Date.parse(c.lastMessageAt || c.startedAt || '') || 0;

function EndUserHeader({ agentId, user }: { agentId: string; user: EndUser }) {
  return (
    <Card withBorder padding="lg" mb="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="sm">
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>{endUserLabel(user)}</Title>
            <BlockedBadge blocked={user.blocked} />
          </Group>
          {user.email && user.email !== endUserLabel(user) && <Text size="sm">{user.email}</Text>}
          <Text size="sm" c="dimmed">
            External id <Code>{user.externalId || '—'}</Code> · Engage id <Code>{user.id}</Code>
          </Text>
          <Text size="sm" c="dimmed">
            {formatNumber(user.conversationCount)} conversation{user.conversationCount === 1 ? '' : 's'} · first
            seen {formatDate(user.firstSeenAt)} · last seen {formatDate(user.lastSeenAt)}
          </Text>
        </Stack>
        <BlockButton agentId={agentId} user={user} size="sm" />
      </Group>
    </Card>
  );
}

function Transcript({ agentId, conversationId }: { agentId: string; conversationId: string }) {
  const query = useQuery({
    queryKey: ['conversation', agentId, conversationId],
    queryFn: () => ok(companyApi.GET('/company/agents/{agentId}/conversations/{conversationId}', {
      params: { path: { agentId, conversationId } },
    })),
  });
  return (
    <DataState query={query} isEmpty={(data) => !data.messages?.length} empty="This conversation has no messages.">
      {(conversation) => (
        <>
          <Group justify="space-between" mb="md" gap="xs">
            <Text size="sm" c="dimmed">
              Started {formatDate(conversation.startedAt)} · {formatNumber(conversation.messageCount)} messages
            </Text>
            {conversation.handoff && <Badge color="violet" variant="light">Handed off</Badge>}
          </Group>
          <Stack component="ol" gap="md" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Transcript">
            {conversation.messages!.map((message, index) => (
              <ChatMessage key={message.id || index} message={message} />
            ))}
          </Stack>
        </>
      )}
    </DataState>
  );
}

export default function Transcripts() {
  const { agentId, endUserId } = useParams() as { agentId: string; endUserId: string };
  const [params, setParams] = useSearchParams();
  const user = useQuery({
    queryKey: ['enduser', agentId, endUserId],
    queryFn: () => ok(companyApi.GET('/company/agents/{agentId}/users/{endUserId}', {
      params: { path: { agentId, endUserId } },
    })),
  });
  const conversations = useInfiniteQuery({
    queryKey: ['conversations', agentId, endUserId],
    queryFn: ({ pageParam }) => ok(companyApi.GET('/company/agents/{agentId}/users/{endUserId}/conversations', {
      params: { path: { agentId, endUserId }, query: { limit: 200, cursor: pageParam } },
    })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
  });
  const summaries = (conversations.data?.pages.flatMap((page) => page.items || []) || [])
    .sort((a, b) => recency(b) - recency(a));
  const selected = params.get('conversation') || summaries[0]?.id;

  return (
    <>
      <Anchor component={Link} to={`/app/agents/${agentId}/users`} size="sm" mb="sm" display="inline-flex"
        style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> All end-users
      </Anchor>
      <DataState query={user}>{(data) => <EndUserHeader agentId={agentId} user={data} />}</DataState>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder padding="sm">
            <Title order={4} px="xs" mb="xs">Conversations</Title>
            <DataState query={conversations} isEmpty={() => summaries.length === 0} empty="No conversations yet.">
              {() => (
                <nav aria-label="Conversations">
                  {summaries.map((c) => (
                    <NavLink key={c.id} active={c.id === selected} component="button" type="button"
                      onClick={() => setParams({ conversation: c.id! }, { replace: true })}
                      aria-current={c.id === selected ? 'true' : undefined}
                      label={formatDate(c.startedAt)}
                      description={`${formatNumber(c.messageCount)} messages · last ${formatDate(c.lastMessageAt)}`}
                      rightSection={c.handoff ? <Badge size="xs" color="violet" variant="light">Handoff</Badge>
                        : undefined} />
                  ))}
                  {conversations.hasNextPage && (
                    <Center mt="xs">
                      <Button size="xs" variant="light" onClick={() => conversations.fetchNextPage()}
                        loading={conversations.isFetchingNextPage}>Load more</Button>
                    </Center>
                  )}
                </nav>
              )}
            </DataState>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder padding="lg">
            {selected ? <Transcript agentId={agentId} conversationId={selected} />
              : conversations.isPending ? null
                : <Text c="dimmed" ta="center" py="xl">Select a conversation to read it.</Text>}
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
