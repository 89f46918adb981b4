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
    // a message is set as text; a whole block (heading, button) as given, since a <p> must not hold it
    const message = empty ?? 'Nothing here yet.';
    return (
      <Center py="xl">
        {typeof message === 'string' ? <Text c="dimmed">{message}</Text> : message}
      </Center>
    );
  }
  return <>{children(data)}</>;
}
