import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, expect, test } from 'vitest';
import { RequireSession } from './RequireSession';
import { signedIn, signOutLocally } from './session';

afterEach(() => signOutLocally('company'));

function renderGuarded(queries: QueryClient) {
  const router = createMemoryRouter([
    { path: '/app', element: <RequireSession area="company" />, children: [{ index: true, element: <p>agents</p> }] },
    { path: '/app/login', element: <p>login</p> },
  ], { initialEntries: ['/app'] });
  render(
    <MantineProvider>
      <QueryClientProvider client={queries}><RouterProvider router={router} /></QueryClientProvider>
    </MantineProvider>,
  );
  return router;
}

test('without a session the page sends to the login, with the way back', async () => {
  const router = renderGuarded(new QueryClient());
  expect(await screen.findByText('login')).toBeTruthy();
  expect(router.state.location.search).toBe('?next=%2Fapp');
});

test("signing out forgets the cached data, so the next user never sees the last one's role or agents", async () => {
  signedIn('company', { accessToken: 'a1', refreshToken: 'r1', expiresIn: 900 });
  const queries = new QueryClient();
  queries.setQueryData(['me', 'company'], { email: 'boss@acme.test', role: 'COMPANY_ADMIN' });
  queries.setQueryData(['agents'], { pages: [{ items: [{ id: 'a1' }] }] });
  renderGuarded(queries);
  expect(await screen.findByText('agents')).toBeTruthy();
  expect(queries.getQueryData(['me', 'company'])).toBeTruthy();

  act(() => signOutLocally('company'));
  expect(await screen.findByText('login')).toBeTruthy();
  expect(queries.getQueryData(['me', 'company'])).toBeUndefined();
  expect(queries.getQueryData(['agents'])).toBeUndefined();
});
