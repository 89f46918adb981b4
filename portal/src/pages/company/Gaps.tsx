// Questions the agent could not answer from its knowledge, grouped by meaning: company admins answer them (an FAQ
// entry) or dismiss them; members only read them.
import { Badge, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { companyApi, ok } from '../../api/client';
import { notifyError, notifySuccess } from '../../api/problem';
import { formatDateTime, formatInt } from '../../components/analytics/format';
import { DataState } from '../../components/DataState';
import { useCompanyAdmin } from './common';
import { type Gap, GapAnswerModal } from './GapAnswerModal';

const EXAMPLES = 3;

function GapCard({ gap, onAnswer, onDismiss, dismissing, canAnswer }: { gap: Gap; onAnswer: () => void;
  onDismiss: () => void; dismissing: boolean; canAnswer: boolean }) {
  const others = (gap.examples || []).filter((e) => e !== gap.question).slice(0, EXAMPLES);
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={gap.question}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge variant="light" color="orange" style={{ flexShrink: 0 }}
              title="Times asked">{formatInt(gap.count)}×</Badge>
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>{gap.question}</Text>
          </Group>
          {others.length > 0 && (
            <List size="sm" c="dimmed" spacing={2} aria-label="Also asked as">
              {others.map((example) => <List.Item key={example}>{example}</List.Item>)}
            </List>
          )}
          <Text size="xs" c="dimmed">
            First asked {formatDateTime(gap.firstAskedAt)} · last asked {formatDateTime(gap.lastAskedAt)}
          </Text>
        </Stack>
        {canAnswer && (
          <Group gap="xs">
            <Button size="xs" leftSection={<IconCheck size={14} />} onClick={onAnswer}>Add answer</Button>
            <Button size="xs" variant="default" leftSection={<IconX size={14} />} loading={dismissing}
              onClick={onDismiss} aria-label={`Dismiss: ${gap.question}`}>Dismiss</Button>
          </Group>
        )}
      </Group>
    </Paper>
  );
}

/** One agent's gaps with their actions; on the agent's "Knowledge gaps" tab and on the analytics page. */
export function GapsList({ agentId }: { agentId: string }) {
  const queryClient = useQueryClient();
  const admin = useCompanyAdmin();
  const [answering, setAnswering] = useState<Gap | null>(null);
  const gaps = useQuery({
    queryKey: ['company', 'gaps', agentId],
    // the endpoint returns one page of the most asked clusters (no cursor); 100 is its maximum
    queryFn: () => ok(companyApi.GET('/company/agents/{agentId}/gaps', {
      params: { path: { agentId }, query: { limit: 100 } } })),
  });
  const dismiss = useMutation({
    mutationFn: (gapId: string) => ok(companyApi.DELETE('/company/agents/{agentId}/gaps/{gapId}',
      { params: { path: { agentId, gapId } } })),
    onSuccess: () => {
      notifySuccess('Gap dismissed');
      queryClient.invalidateQueries({ queryKey: ['company', 'gaps', agentId] });
    },
    onError: (e) => notifyError(e, 'Could not dismiss the gap'),
  });
  return (
    <>
      <Text c="dimmed" size="sm" mb="md">
        Questions this agent could not answer from its knowledge, grouped by meaning (last 30 days).
        {admin ? ' Answer one to add it to the knowledge base.' : admin === false
          ? ' Company admins can answer them, which adds the answer to the knowledge base.' : ''}
      </Text>
      <DataState query={gaps} isEmpty={(page) => !page.items?.length}
        empty="No knowledge gaps — every question found an answer">
        {(page) => (
          <Stack gap="sm">
            {page.items!.map((gap) => (
              <GapCard key={gap.id} gap={gap} onAnswer={() => setAnswering(gap)}
                onDismiss={() => gap.id && dismiss.mutate(gap.id)}
                dismissing={dismiss.isPending && dismiss.variables === gap.id} canAnswer={!!admin} />
            ))}
          </Stack>
        )}
      </DataState>
      <GapAnswerModal agentId={agentId} gap={answering} onClose={() => setAnswering(null)} />
    </>
  );
}

export default function Gaps() {
  return <GapsList agentId={useParams().agentId ?? ''} />;
}
