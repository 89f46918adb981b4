// The platform report's per-company rows; headers sort (click again to reverse).
import { Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { useState } from 'react';
import type { components } from '../../api/schema';
import { formatInt, formatMs, formatUsd } from '../../components/analytics';

export type CompanyFigures = components['schemas']['CompanyFigures'];
export type SortKey = 'name' | 'activeAgents' | 'conversations' | 'messages' | 'latencyP95Ms' | 'costUsd';
export interface Sort { key: SortKey; desc: boolean }

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Company', numeric: false },
  { key: 'activeAgents', label: 'Active agents', numeric: true },
  { key: 'conversations', label: 'Conversations', numeric: true },
  { key: 'messages', label: 'Messages', numeric: true },
  { key: 'latencyP95Ms', label: 'Latency p95', numeric: true },
  { key: 'costUsd', label: 'Cost', numeric: true },
];

/** Sorted copy; missing figures (no answers, no latency) always go last. */
export function sortCompanies(rows: CompanyFigures[], sort: Sort): CompanyFigures[] {
  const value = (row: CompanyFigures) => (sort.key === 'name' ? (row.name || '').toLowerCase()
    : row[sort.key] == null ? null : Number(row[sort.key]));
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return sort.desc ? -order : order;
  });
}

export function CompanyFiguresTable({ rows }: { rows: CompanyFigures[] }) {
  const [sort, setSort] = useState<Sort>({ key: 'conversations', desc: true });
  const sorted = sortCompanies(rows, sort);
  const toggle = (key: SortKey) => setSort((s) => (s.key === key ? { key, desc: !s.desc }
    : { key, desc: key !== 'name' }));
  if (!rows.length) return <Text c="dimmed" ta="center" py="lg">No company had activity in this range.</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              const Icon = !active ? IconSelector : sort.desc ? IconArrowDown : IconArrowUp;
              return (
                <Table.Th key={c.key} ta={c.numeric ? 'right' : undefined}
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <UnstyledButton onClick={() => toggle(c.key)} fw={600} fz="sm"
                    style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
                    {c.label}<Icon size={14} aria-hidden />
                  </UnstyledButton>
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((row) => (
            <Table.Tr key={row.companyId}>
              <Table.Td>{row.name}</Table.Td>
              <Table.Td ta="right">{formatInt(row.activeAgents)}</Table.Td>
              <Table.Td ta="right">{formatInt(row.conversations)}</Table.Td>
              <Table.Td ta="right">{formatInt(row.messages)}</Table.Td>
              <Table.Td ta="right">{formatMs(row.latencyP95Ms)}</Table.Td>
              <Table.Td ta="right">{formatUsd(row.costUsd == null ? null : Number(row.costUsd))}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
