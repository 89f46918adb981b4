// Try retrieval as the agent runs it: hybrid (BM25 + vectors, fused) or one side alone, over ready sources.
import { Anchor, Badge, Button, Card, Group, Highlight, NumberInput, SegmentedControl, Stack, Text, TextInput,
  Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { companyApi, ok } from '../../api/client';
import { DataState } from '../DataState';
import { formatScore } from './format';
import type { SearchHit, SearchMode } from './types';

const MODES: { value: SearchMode; label: string }[] = [
  { value: 'hybrid', label: 'Hybrid' },
  { value: 'keyword', label: 'Keyword' },
  { value: 'vector', label: 'Vector' },
];

/** The query's words worth highlighting (two letters or more), without duplicates. */
export function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 2))];
}

function Score({ label, value, digits, hint }: { label: string; value?: number; digits: number; hint: string }) {
  return (
    <Tooltip label={hint} multiline maw={280} withArrow>
      <Badge variant="light" color="gray" tt="none" tabIndex={0}>
        {label} {formatScore(value, digits)}
      </Badge>
    </Tooltip>
  );
}

function Hit({ hit, rank, words }: { hit: SearchHit; rank: number; words: string[] }) {
  const title = hit.title || 'Untitled';
  return (
    <Card withBorder padding="md" component="li" aria-label={`Result ${rank}: ${title}`}>
      <Group justify="space-between" align="flex-start" gap="xs" mb={4}>
        <div style={{ minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" c="dimmed">#{rank}</Text>
            {hit.url
              ? <Anchor href={hit.url} target="_blank" rel="noreferrer" fw={600} size="sm">{title}</Anchor>
              : <Text fw={600} size="sm">{title}</Text>}
          </Group>
          {hit.headingPath && hit.headingPath.length > 0 && (
            <Text size="xs" c="dimmed">{hit.headingPath.join(' › ')}</Text>
          )}
        </div>
        <Group gap={6}>
          <Score label="Score" value={hit.score} digits={4}
            hint="Fused rank score: higher is better, comparable within this result list" />
          <Score label="Similarity" value={hit.similarity} digits={3}
            hint="Cosine similarity to the query (0–1), what grounding thresholds use" />
          <Score label="BM25" value={hit.bm25} digits={2} hint="Keyword score; 0 when no keyword matched" />
        </Group>
      </Group>
      <Highlight highlight={words} size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={8}>
        {hit.text || ''}
      </Highlight>
    </Card>
  );
}

export function SearchPlayground({ agentId }: { agentId: string }) {
  const [text, setText] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [k, setK] = useState<number | string>(5);
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [size] = useDebouncedValue(typeof k === 'number' ? k : Number(k), 300);
  const validK = Number.isInteger(size) && size >= 1 && size <= 20;

  const query = useQuery({
    queryKey: ['knowledge-search', agentId, submitted, size, mode],
    queryFn: () => ok(companyApi.GET('/rag/agents/{agentId}/search', {
      params: { path: { agentId }, query: { q: submitted, k: size, mode: mode as never } },
    })),
    enabled: submitted !== '' && validK,
    staleTime: 0,
  });

  const search = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (q === '') return;
    if (q === submitted) void query.refetch();
    setSubmitted(q);
  };
  const words = queryWords(submitted);

  return (
    <Card withBorder padding="lg">
      <Title order={4} mb={4}>Search playground</Title>
      <Text size="sm" c="dimmed" mb="md">
        See which passages the agent would retrieve for a question, and how they score.
      </Text>
      <form onSubmit={search} role="search">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label="Query" placeholder="How long does shipping take?" value={text} maxLength={2000}
            onChange={(event) => setText(event.currentTarget.value)} style={{ flex: '1 1 260px' }} />
          <NumberInput label="Results (k)" min={1} max={20} clampBehavior="strict" allowDecimal={false} w={110}
            value={k} onChange={setK} error={validK ? undefined : '1–20'} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="search-mode-label">Mode</Text>
            <SegmentedControl aria-labelledby="search-mode-label" data={MODES} value={mode}
              onChange={(value) => setMode(value as SearchMode)} />
          </Stack>
          <Button type="submit" leftSection={<IconSearch size={16} />} disabled={text.trim() === ''}>Search</Button>
        </Group>
      </form>
      {submitted !== '' && (
        <Stack mt="md" gap="sm">
          <DataState query={query} isEmpty={(data) => !data.results || data.results.length === 0}
            empty="No passage matched. Only ready sources are searched.">
            {(data) => (
              <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Search results">
                {data.results!.map((hit, index) => (
                  <Hit key={hit.chunkId || index} hit={hit} rank={index + 1} words={words} />
                ))}
              </Stack>
            )}
          </DataState>
        </Stack>
      )}
    </Card>
  );
}
