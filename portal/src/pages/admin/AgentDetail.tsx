// One agent as an admin sees it: owner, status, model, widget settings, and its end-users. Read-only: the admin API
// has no endpoint that changes an agent.
import { Anchor, Breadcrumbs, ColorSwatch, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { adminApi, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDateTime } from '../../components/analytics/format';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { AgentEndUsers } from './AgentEndUsers';
import { AgentStatusBadge } from './AgentStatusBadge';
import { DisableAgentButton } from './DisableAgentButton';

type Agent = components['schemas']['Agent'];

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>{children || '—'}</Text>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={3} size="h5" mb="sm">{title}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">{children}</SimpleGrid>
    </Paper>
  );
}

const lower = (value?: string) => value?.toLowerCase().replace(/_/g, '-');

/** Where a published agent's widget may be embedded; "*" is any origin, none is only this server's pages. */
function origins(list?: string[]) {
  if (!list?.length) return 'None (only this server’s pages)';
  return list.includes('*') ? 'Any origin (*)' : list.join(', ');
}

function CompanyName({ companyId }: { companyId?: string }) {
  const company = useQuery({
    queryKey: ['admin', 'company', companyId],
    queryFn: () => ok(adminApi.GET('/admin/companies/{companyId}', { params: { path: { companyId: companyId! } } })),
    enabled: !!companyId,
  });
  return (
    <Anchor component={Link} to={`/admin/agents?companyId=${companyId}`}>
      {company.data?.name || companyId}
    </Anchor>
  );
}

function AgentSummary({ agent }: { agent: Agent }) {
  const widget = agent.widget || {};
  return (
    <Stack>
      <Section title="Agent">
        <Field label="Company"><CompanyName companyId={agent.companyId} /></Field>
        <Field label="Status"><AgentStatusBadge status={agent.status} disabled={!!agent.disabledAt} /></Field>
        <Field label="Provider / model">
          {[lower(agent.llm?.provider), agent.llm?.model].filter(Boolean).join(' / ')}
        </Field>
        <Field label="Language">{agent.language}</Field>
        <Field label="Tone">{lower(agent.tone)}</Field>
        <Field label="Identity verification">{agent.identityVerification?.enabled ? 'Required' : 'Off'}</Field>
        <Field label="Created">{formatDateTime(agent.createdAt)}</Field>
        <Field label="Updated">{formatDateTime(agent.updatedAt)}</Field>
        <Field label="Rate limits">
          {agent.limits ? `${agent.limits.requestsPerMinute ?? '—'}/min, ${agent.limits.perEndUserPerMinute ?? '—'}`
            + '/min per end-user' : null}
        </Field>
      </Section>
      <Section title="Widget">
        <Field label="Mode">{lower(widget.mode)}</Field>
        <Field label="Title">{widget.title}</Field>
        <Field label="Colour">
          {widget.primaryColor && (
            <Group gap={6}><ColorSwatch color={widget.primaryColor} size={14} aria-hidden />{widget.primaryColor}</Group>
          )}
        </Field>
        <Field label="Position">{lower(widget.position)}</Field>
        <Field label="Launcher icon">{lower(widget.launcherIcon)}</Field>
        <Field label="Suggested questions">{widget.suggestedQuestions?.length || 0}</Field>
        <Field label="Allowed origins">{origins(widget.allowedOrigins)}</Field>
        <Field label="Handoff URL">{widget.handoffUrl}</Field>
      </Section>
    </Stack>
  );
}

export default function AgentDetail() {
  const { agentId = '' } = useParams();
  const agent = useQuery({
    queryKey: ['admin', 'agents', agentId],
    queryFn: () => ok(adminApi.GET('/admin/agents/{agentId}', { params: { path: { agentId } } })),
  });
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/admin/agents" size="sm">Agents</Anchor>
        <Text size="sm">{agent.data?.name || 'Agent'}</Text>
      </Breadcrumbs>
      <DataState query={agent}>
        {(data) => (
          <>
            <PageHeader title={data.name || 'Untitled agent'} description={data.description}
              actions={<DisableAgentButton agentId={agentId} name={data.name || 'The agent'}
                disabled={!!data.disabledAt} />} />
            <AgentSummary agent={data} />
            <AgentEndUsers agentId={agentId} />
          </>
        )}
      </DataState>
    </>
  );
}
