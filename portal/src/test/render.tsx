// Renders a component the way the app does (Mantine theme, React Query, a router at the given path).
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';

export function renderPage(element: ReactNode, { path = '/', route = '/' }: { path?: string; route?: string } = {}) {
  const router = createMemoryRouter([{ path: route, element }, { path: '*', element: <div>elsewhere</div> }],
    { initialEntries: [path] });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return {
    router,
    ...render(
      <MantineProvider>
        <QueryClientProvider client={queries}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>,
    ),
  };
}
