// The company's analytics: figures over a range for all agents or one, charts per interval, top questions, and the
// chosen agent's knowledge gaps (answerable here, as on the agent's own tab).
import { Group, Paper, Select, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { companyApi, ok } from '../../api/client';
import {
  AnalyticsCharts, chartRows, defaultRange, metricCards, RangeSelector, rangeQuery, StatCards,
} from '../../components/analytics';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { GapsList } from './Gaps';
import { TopQuestions } from './TopQuestions';

function useAgentOptions() {
  const agents = useQuery({
    queryKey: ['company', 'agents', 'options'],
    queryFn: () => ok(companyApi.GET('/company/agents', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });
  return (agents.data?.items || []).map((a) => ({ value: a.id!, label: a.name || 'Untitled agent' }));
}

export default function Analytics() {
  const [range, setRange] = useState(defaultRange);
  const [agentId, setAgentId] = useState<string | null>(null);
  const agentOptions = useAgentOptions();
  const params = rangeQuery(range);
  const report = useQuery({
    queryKey: ['company', 'analytics', params, agentId],
    queryFn: () => ok(companyApi.GET('/company/analytics', {
      params: { query: { ...params!, agentId: agentId || undefined } } })),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Analytics" description="How your agents are doing (UTC days)." />
      <Group mb="lg" align="flex-end" wrap="wrap" gap="md">
        <Select label="Agent" placeholder="All agents" data={agentOptions} value={agentId} onChange={setAgentId}
          clearable searchable nothingFoundMessage="No agent" w={240} />
        <RangeSelector value={range} onChange={setRange} />
      </Group>
      <DataState query={report}>
        {(data) => (
          <>
            <StatCards cards={metricCards(data.totals)} />
            <AnalyticsCharts rows={chartRows(data.series, data.interval)} />
            <Paper withBorder p="md" radius="md">
              <Title order={4} size="h5" mb="sm">Top questions</Title>
              <TopQuestions rows={data.topQuestions || []} />
            </Paper>
          </>
        )}
      </DataState>
      <Paper withBorder p="md" radius="md" mt="lg" component="section" aria-label="Knowledge gaps">
        <Title order={4} size="h5" mb="sm">Knowledge gaps</Title>
        {agentId ? <GapsList agentId={agentId} />
          : <Text c="dimmed" size="sm">Choose an agent above to see the questions it could not answer.</Text>}
      </Paper>
    </>
  );
}
