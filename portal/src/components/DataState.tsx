import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/problem';

/**
 * Loading, error (with retry) and empty states around a query's data; renders children only with data to show.
 */
export function DataState<T>({ query, empty, isEmpty, children }: {
  query: { data?: T; error: unknown; isPending: boolean; refetch: () => unknown };
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return <Center py="xl"><Loader aria-label="Loading" /></Center>;
  }
  if (query.error) {
    const problem = query.error instanceof ApiError ? query.error.problem : null;
    return (
      <Alert color="red" title={problem?.title || 'Could not load'} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{problem?.detail || String(query.error)}</Text>
          <Button size="xs" variant="light" onClick={() => query.refetch()}>Retry</Button>
        </Stack>
      </Alert>
    );
  }
  const data = query.data as T;
  if (isEmpty && isEmpty(data)) {
    return <Center py="xl"><Text c="dimmed">{empty || 'Nothing here yet.'}</Text></Center>;
  }
  return <>{children(data)}</>;
}
