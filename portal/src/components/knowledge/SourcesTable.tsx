// The agent's knowledge sources, refreshed every second while any of them is still being ingested.
import { ActionIcon, Anchor, Card, Group, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment } from 'react';
import { companyApi, ok } from '../../api/client';
import { notifyError, notifySuccess } from '../../api/problem';
import { DataState } from '../DataState';
import { ConfirmAction } from './ConfirmAction';
import { formatBytes, formatDate, formatNumber } from './format';
import { StatusBadge } from './StatusBadge';
import { type KnowledgePage, type KnowledgeSource, terminal } from './types';
import { LoadMore } from '../LoadMore';

const TYPE_LABELS: Record<string, string> = { text: 'Text', faq: 'FAQ', url: 'URL', file: 'File' };

export function knowledgeKey(agentId: string) {
  return ['knowledge', agentId];
}

function anyInProgress(pages: KnowledgePage[] | undefined): boolean {
  return !!pages?.some((page) => page.items?.some((source) => !terminal(source.status)));
}

function SourceTitle({ source }: { source: KnowledgeSource }) {
  const title = source.title || source.filename || source.url || 'Untitled';
  return (
    <>
      {source.url
        ? <Anchor href={source.url} target="_blank" rel="noreferrer" size="sm" fw={500}>{title}</Anchor>
        : <Text size="sm" fw={500}>{title}</Text>}
      {source.filename && source.filename !== title && <Text size="xs" c="dimmed">{source.filename}</Text>}
      {source.type === 'file' && source.byteSize != null && (
        <Text size="xs" c="dimmed">{formatBytes(source.byteSize)}</Text>
      )}
    </>
  );
}

/** `canDelete`: whether the delete buttons show (company admins only). */
export function SourcesTable({ agentId, canDelete }: { agentId: string; canDelete: boolean }) {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: knowledgeKey(agentId),
    queryFn: ({ pageParam }) => ok(companyApi.GET('/company/agents/{agentId}/knowledge', {
      params: { path: { agentId }, query: { cursor: pageParam } },
    })) as Promise<KnowledgePage>,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: (q) => (anyInProgress(q.state.data?.pages) ? 1000 : false),
  });
  const remove = useMutation({
    mutationFn: (sourceId: string) => ok(companyApi.DELETE('/company/agents/{agentId}/knowledge/{sourceId}', {
      params: { path: { agentId, sourceId } },
    })),
    onSuccess: () => {
      notifySuccess('Source deleted');
      return queryClient.invalidateQueries({ queryKey: knowledgeKey(agentId) });
    },
    onError: (error) => notifyError(error, 'Could not delete the source'),
  });
  const sources = query.data?.pages.flatMap((page) => page.items || []) || [];

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Sources</Title>
        {query.data && (
          <Text size="sm" c="dimmed">
            {sources.length}{query.hasNextPage ? '+' : ''} source{sources.length === 1 ? '' : 's'}
            {anyInProgress(query.data.pages) ? ' · updating live' : ''}
          </Text>
        )}
      </Group>
      <DataState query={query} isEmpty={() => sources.length === 0}
        empty={canDelete ? 'No knowledge yet. Upload files or add a URL, text or FAQ below.' : 'No knowledge yet.'}>
        {() => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Title</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Chunks</Table.Th>
                    <Table.Th>Added</Table.Th>
                    <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sources.map((source) => (
                    <Fragment key={source.id}>
                      <Table.Tr data-testid={`source-${source.id}`}>
                        <Table.Td maw={360}><SourceTitle source={source} /></Table.Td>
                        <Table.Td>{TYPE_LABELS[source.type || ''] || source.type}</Table.Td>
                        <Table.Td><StatusBadge status={source.status} error={source.error} /></Table.Td>
                        <Table.Td ta="right">{terminal(source.status) ? formatNumber(source.chunkCount) : '…'}</Table.Td>
                        <Table.Td><Text size="sm" title={source.createdAt}>{formatDate(source.createdAt)}</Text></Table.Td>
                        <Table.Td>
                          {canDelete && (
                            <ConfirmAction title="Delete source" confirmLabel="Delete"
                              loading={remove.isPending}
                              message={<>Delete <b>{source.title || source.filename || 'this source'}</b> and its
                                passages? The agent stops using it at once; this cannot be undone.</>}
                              onConfirm={() => remove.mutateAsync(source.id!)}>
                              {(open) => (
                                <ActionIcon variant="subtle" color="red" onClick={open}
                                  aria-label={`Delete ${source.title || source.filename || 'source'}`}>
                                  <IconTrash size={18} />
                                </ActionIcon>
                              )}
                            </ConfirmAction>
                          )}
                        </Table.Td>
                      </Table.Tr>
                      {source.status === 'failed' && source.error && (
                        <Table.Tr>
                          <Table.Td colSpan={6} pt={0}>
                            <Text size="xs" c="red">Failed: {source.error}</Text>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore query={query} />
          </>
        )}
      </DataState>
    </Card>
  );
}
