// The company's agents: a table with status and model, a button to create one; a row opens the agent.
import { Badge, Button, Center, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus, IconRobot } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { companyApi, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, isCompanyAdmin, useMe } from './common';
import { LoadMore } from '../../components/LoadMore';

type Agent = components['schemas']['Agent'];

const PROVIDERS: Record<string, string> = {
  extractive: 'Built-in (extractive)', openai: 'OpenAI', gemini: 'Gemini', ollama: 'Ollama',
  'openai-compatible': 'OpenAI-compatible',
};

function StatusBadge({ status, disabled }: { status?: string; disabled?: boolean }) {
  if (disabled) {
    return <Badge color="red" variant="filled" title="Disabled by the platform administrator">Disabled</Badge>;
  }
  const published = String(status).toLowerCase() === 'published';
  return <Badge color={published ? 'teal' : 'gray'} variant="light">{published ? 'Published' : 'Draft'}</Badge>;
}

export default function Agents() {
  const navigate = useNavigate();
  const me = useMe();
  const admin = isCompanyAdmin(me.data);
  const query = useInfiniteQuery({
    queryKey: ['agents'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => ok(companyApi.GET('/company/agents', { params: { query: { limit: 50,
      cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor || undefined,
  });
  const newAgent = admin && (
    <Button component={Link} to="/app/agents/new" leftSection={<IconPlus size={16} />}>New agent</Button>
  );

  return (
    <>
      <PageHeader title="Agents" description="Each agent answers from its own knowledge through the widget and the API."
        actions={newAgent} />
      <DataState query={query} isEmpty={(data) => data.pages.every((p) => !p.items?.length)}
        empty={
          <Center>
            <Stack align="center" gap="xs">
              <IconRobot size={40} stroke={1.3} />
              <Title order={4}>No agents yet</Title>
              <Text c="dimmed" size="sm" ta="center" maw={420}>
                Create your first agent, give it some knowledge, and embed it on your site with one script tag.
              </Text>
              {admin ? newAgent : <Text size="sm" c="dimmed">Ask a company admin to create one.</Text>}
            </Stack>
          </Center>
        }>
        {(data) => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={600}>
              <Table highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Model</Table.Th>
                    <Table.Th>Updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.pages.flatMap((p) => p.items || []).map((agent: Agent) => {
                    const open = () => navigate(`/app/agents/${agent.id}`);
                    const provider = String(agent.llm?.provider || '').toLowerCase();
                    return (
                      <Table.Tr key={agent.id} onClick={open} style={{ cursor: 'pointer' }}>
                        <Table.Td>
                          <Link to={`/app/agents/${agent.id}`} onClick={(e) => e.stopPropagation()}
                            style={{ color: 'inherit', fontWeight: 600, textDecoration: 'none' }}>{agent.name}</Link>
                          {agent.description && <Text size="xs" c="dimmed" lineClamp={1}>{agent.description}</Text>}
                        </Table.Td>
                        <Table.Td><StatusBadge status={agent.status} disabled={!!agent.disabledAt} /></Table.Td>
                        <Table.Td>
                          <Text size="sm">{PROVIDERS[provider] || provider}</Text>
                          {agent.llm?.model && <Text size="xs" c="dimmed">{agent.llm.model}</Text>}
                        </Table.Td>
                        <Table.Td><Text size="sm">{formatDate(agent.updatedAt)}</Text></Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore query={query} />
          </Paper>
        )}
      </DataState>
    </>
  );
}
