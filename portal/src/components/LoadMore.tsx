// "Load more" under a cursor-paged list (useInfiniteQuery over {items, nextCursor}).
import { Button, Center } from '@mantine/core';

export interface Paged<T> { items?: T[]; nextCursor?: string | null }

export function allItems<T>(pages: Paged<T>[] | undefined): T[] {
  return (pages || []).flatMap((page) => page.items || []);
}

export function nextCursor<T>(page: Paged<T>): string | undefined {
  return page.nextCursor || undefined;
}

export function LoadMore({ query }: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  if (!query.hasNextPage) return null;
  return (
    <Center mt="md">
      <Button variant="default" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
        Load more
      </Button>
    </Center>
  );
}
