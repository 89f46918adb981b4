// The audit log: who did what, when and from where, newest first, filtered by company, action, actor and days.
import { Badge, Code, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { adminApi, ok } from '../../api/client';
import { formatDate } from '../../components/analytics/format';
import { DataState } from '../../components/DataState';
import { allItems, LoadMore, nextCursor } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { useCompanyNames } from './useCompanyNames';

/** A yyyy-mm-dd day from a date input as the instant it starts (UTC), or the next day's start for an end. */
export function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(start.getTime())) return undefined;
  if (end) start.setUTCDate(start.getUTCDate() + 1);
  return start.toISOString();
}

function describeDetails(details: unknown): string {
  if (!details || typeof details !== 'object' || !Object.keys(details).length) return '';
  return Object.entries(details as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`).join('; ');
}

export default function AuditLog() {
  const [params, setParams] = useSearchParams();
  const companyId = params.get('companyId') || null;
  const action = params.get('action') || '';
  const actorEmail = params.get('actorEmail') || '';
  const fromDay = params.get('from') || '';
  const toDay = params.get('to') || '';
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  const [debouncedActor] = useDebouncedValue(actorEmail.trim(), 300);
  const companies = useCompanyNames();
  const setFilter = (name: string, value: string | null) => setParams((p) => {
    if (value) p.set(name, value);
    else p.delete(name);
    return p;
  }, { replace: true });
  const from = dayBoundary(fromDay, false);
  const to = dayBoundary(toDay, true);
  const list = useInfiniteQuery({
    queryKey: ['admin', 'audit', companyId, debouncedAction, debouncedActor, from, to],
    queryFn: ({ pageParam }) => ok(adminApi.GET('/admin/audit', { params: { query: {
      companyId: companyId || undefined, action: debouncedAction || undefined,
      actorEmail: debouncedActor || undefined, from, to, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(companyId || action || actorEmail || fromDay || toDay);
  return (
    <>
      <PageHeader title="Audit log"
        description="Actions of platform admins and company users: who, what, when and from where." />
      <Group mb="md" align="flex-end" wrap="wrap">
        <Select label="Company" placeholder="All companies" data={companies.options} value={companyId}
          onChange={(v) => setFilter('companyId', v)} clearable searchable nothingFoundMessage="No company"
          w={240} />
        <TextInput label="Action" placeholder="e.g. agent.deleted" value={action} w={200}
          onChange={(e) => setFilter('action', e.currentTarget.value)} />
        <TextInput label="Actor e-mail" placeholder="someone@example.com" value={actorEmail} w={220}
          onChange={(e) => setFilter('actorEmail', e.currentTarget.value)} />
        <TextInput label="From (UTC day)" type="date" value={fromDay} w={170}
          onChange={(e) => setFilter('from', e.currentTarget.value)} />
        <TextInput label="To (UTC day)" type="date" value={toDay} w={170}
          onChange={(e) => setFilter('to', e.currentTarget.value)} />
      </Group>
      <DataState query={{ ...list, data: allItems(list.data?.pages) }} isEmpty={(items) => !items.length}
        empty={filtered ? 'No entry matches these filters.' : 'Nothing recorded yet.'}>
        {(items) => (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label="Audit log entries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Who</Table.Th>
                    <Table.Th>Company</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Target</Table.Th>
                    <Table.Th>From</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((entry) => (
                    <Table.Tr key={entry.id}>
                      <Table.Td>{formatDate(entry.occurredAt)}</Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          <Text size="sm">{entry.actorEmail || 'anonymous'}</Text>
                          {entry.actorRole && <Badge size="xs" variant="light">{entry.actorRole}</Badge>}
                        </Stack>
                      </Table.Td>
                      <Table.Td>{companies.nameOf(entry.companyId) || (
                        // not among the names loaded (deleted since, or past the first page): its id
                        <Text size="sm" c="dimmed" title={entry.companyId}>
                          {entry.companyId ? `${entry.companyId.slice(0, 8)}…` : '—'}</Text>)}
                      </Table.Td>
                      <Table.Td>
                        <Code>{entry.action}</Code>
                        {describeDetails(entry.details) && (
                          <Text size="xs" c="dimmed">{describeDetails(entry.details)}</Text>)}
                      </Table.Td>
                      <Table.Td>{entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{entry.ip || '—'}</Text>
                        {entry.userAgent && <Text size="xs" c="dimmed" lineClamp={1} title={entry.userAgent}>
                          {entry.userAgent}</Text>}
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
    </>
  );
}
