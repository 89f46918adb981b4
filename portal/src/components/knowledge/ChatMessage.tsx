// One transcript message as a chat bubble: the visitor's on the right, the agent's on the left with its citations,
// grounded/handoff/fallback badges, the model's figures and the visitor's feedback.
import { Anchor, Badge, Box, Group, Paper, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconThumbDown, IconThumbUp } from '@tabler/icons-react';
import { formatDate, formatNumber } from './format';
import type { Citation, Message } from './types';

function CitationItem({ citation }: { citation: Citation }) {
  const title = citation.title || citation.url || 'Source';
  const item = citation.url
    ? <Anchor href={citation.url} target="_blank" rel="noreferrer" size="xs">{title}</Anchor>
    : <Text size="xs" span tabIndex={citation.snippet ? 0 : undefined}
      style={{ textDecoration: citation.snippet ? 'underline dotted' : undefined }}>{title}</Text>;
  if (!citation.snippet) return item;
  return <Tooltip label={citation.snippet} multiline maw={360} withArrow>{item}</Tooltip>;
}

function Feedback({ value }: { value?: string }) {
  if (value === 'up') {
    return (
      <Tooltip label="The visitor found this answer helpful" withArrow>
        <ThemeIcon size="sm" variant="light" color="teal" role="img" aria-label="Visitor feedback: helpful">
          <IconThumbUp size={14} />
        </ThemeIcon>
      </Tooltip>
    );
  }
  if (value === 'down') {
    return (
      <Tooltip label="The visitor found this answer unhelpful" withArrow>
        <ThemeIcon size="sm" variant="light" color="red" role="img" aria-label="Visitor feedback: not helpful">
          <IconThumbDown size={14} />
        </ThemeIcon>
      </Tooltip>
    );
  }
  return null;
}

function figures(message: Message): string {
  const parts: string[] = [];
  const model = message.provider && message.model && message.provider !== message.model
    ? `${message.provider} · ${message.model}` : message.model || message.provider;
  if (model) parts.push(model);
  if (message.latencyMs != null) parts.push(`${formatNumber(message.latencyMs)} ms`);
  if (message.tokensIn != null || message.tokensOut != null) {
    parts.push(`${formatNumber(message.tokensIn ?? 0)} in / ${formatNumber(message.tokensOut ?? 0)} out tokens`);
  }
  return parts.join(' · ');
}

export function ChatMessage({ message }: { message: Message }) {
  const mine = message.role === 'user';
  const citations = message.citations || [];
  const meta = mine ? '' : figures(message);
  return (
    <Box component="li" style={{ display: 'flex', justifyContent: mine ? 'flex-end' : 'flex-start' }}
      aria-label={mine ? 'Visitor message' : 'Agent message'}>
      <Stack gap={4} maw="85%" align={mine ? 'flex-end' : 'flex-start'}>
        <Paper px="md" py="sm" radius="lg" withBorder={!mine}
          bg={mine ? 'var(--mantine-primary-color-light)' : 'var(--mantine-color-body)'}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{message.content}</Text>
          {citations.length > 0 && (
            <Group gap={6} mt="xs" align="baseline">
              <Text size="xs" c="dimmed">Sources:</Text>
              {citations.map((citation, index) => (
                <CitationItem key={`${citation.sourceId}-${index}`} citation={citation} />
              ))}
            </Group>
          )}
        </Paper>
        <Group gap={6} wrap="wrap" justify={mine ? 'flex-end' : 'flex-start'}>
          {!mine && message.grounded === true && <Badge size="xs" color="teal" variant="light">Grounded</Badge>}
          {!mine && message.grounded === false && <Badge size="xs" color="orange" variant="light">Not grounded</Badge>}
          {message.handoff && <Badge size="xs" color="violet" variant="light">Handoff</Badge>}
          {message.fallback && <Badge size="xs" color="yellow" variant="light">Fallback</Badge>}
          {message.cancelled && <Badge size="xs" color="gray" variant="light">Cancelled</Badge>}
          <Feedback value={message.feedback} />
          <Text size="xs" c="dimmed" title={message.createdAt}>
            {[formatDate(message.createdAt), meta].filter(Boolean).join(' · ')}
          </Text>
        </Group>
      </Stack>
    </Box>
  );
}
