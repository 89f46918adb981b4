// Conversations & messages, latency and cost over the report's intervals. Line and bar charts only: Mantine's
// AreaChart draws nothing but dots with React 19 while Recharts 2 resolves react-is 18 (needs a react-is override).
import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatInt, formatMs, formatUsd } from './format';
import type { ChartRow } from './series';

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" role="figure" aria-label={title}>
      <Title order={4} size="h5" mb="sm">{title}</Title>
      {children}
    </Paper>
  );
}

export function AnalyticsCharts({ rows }: { rows: ChartRow[] }) {
  if (!rows.length) return <Text c="dimmed" ta="center" py="lg">No activity in this range.</Text>;
  // dots only where lines are short: few intervals, or few intervals with answers (latency)
  const dots = rows.length <= 14;
  const latencyDots = rows.filter((r) => r.p95 != null).length <= 14;
  return (
    <Stack gap="md" mb="lg">
      <ChartCard title="Conversations & messages">
        <LineChart h={240} data={rows} dataKey="label" withLegend withDots={dots}
          valueFormatter={(v) => formatInt(v)}
          series={[{ name: 'conversations', label: 'Conversations', color: 'teal.6' },
            { name: 'messages', label: 'Messages', color: 'indigo.5' }]} />
      </ChartCard>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <ChartCard title="Latency">
          <LineChart h={240} data={rows} dataKey="label" withLegend withDots={latencyDots} connectNulls
            valueFormatter={(v) => formatMs(v)}
            series={[{ name: 'p50', label: 'p50', color: 'cyan.6' }, { name: 'p95', label: 'p95', color: 'orange.6' }]} />
        </ChartCard>
        <ChartCard title="Cost (USD)">
          <BarChart h={240} data={rows} dataKey="label" valueFormatter={(v) => formatUsd(v)}
            series={[{ name: 'cost', label: 'Cost', color: 'grape.5' }]} />
        </ChartCard>
      </SimpleGrid>
    </Stack>
  );
}
