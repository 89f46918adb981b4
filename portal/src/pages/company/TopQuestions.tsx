// The questions asked most in the range, with how many were answered from knowledge.
import { Table, Text } from '@mantine/core';
import type { components } from '../../api/schema';
import { formatInt, formatPercent } from '../../components/analytics/format';

type TopQuestion = components['schemas']['TopQuestion'];

export function TopQuestions({ rows }: { rows: TopQuestion[] }) {
  if (!rows.length) return <Text c="dimmed" ta="center" py="lg">No questions asked in this range.</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Question</Table.Th>
            <Table.Th ta="right">Asked</Table.Th>
            <Table.Th ta="right">Answered</Table.Th>
            <Table.Th ta="right">Answer rate</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.question}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{row.question}</Table.Td>
              <Table.Td ta="right">{formatInt(row.count)}</Table.Td>
              <Table.Td ta="right">{formatInt(row.answered)}</Table.Td>
              <Table.Td ta="right">{formatPercent(row.count ? (row.answered ?? 0) / row.count : null)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
