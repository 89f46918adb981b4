// Platform analytics: figures over a range, charts per interval, and every company's share.
import { Paper, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { adminApi, ok } from '../../api/client';
import {
  AnalyticsCharts, chartRows, defaultRange, formatInt, metricCards, RangeSelector, rangeQuery, StatCards,
} from '../../components/analytics';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { CompanyFiguresTable } from './CompanyFiguresTable';

export default function AdminDashboard() {
  const [range, setRange] = useState(defaultRange);
  const params = rangeQuery(range);
  const report = useQuery({
    queryKey: ['admin', 'analytics', params],
    queryFn: () => ok(adminApi.GET('/admin/analytics', { params: { query: params! } })),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Dashboard" description="Usage across every company (UTC days)."
        actions={<RangeSelector value={range} onChange={setRange} />} />
      <DataState query={report}>
        {(data) => (
          <>
            <StatCards cols={{ base: 1, xs: 2, md: 3, xl: 5 }} cards={[
              { label: 'Active companies', value: formatInt(data.activeCompanies), hint: 'With conversations in the range' },
              { label: 'Active agents', value: formatInt(data.activeAgents), hint: 'With conversations in the range' },
              ...metricCards(data.totals),
            ]} />
            <AnalyticsCharts rows={chartRows(data.series, data.interval)} />
            <Paper withBorder p="md" radius="md">
              <Title order={4} size="h5" mb="sm">Companies</Title>
              <CompanyFiguresTable rows={data.companies || []} />
            </Paper>
          </>
        )}
      </DataState>
    </>
  );
}
