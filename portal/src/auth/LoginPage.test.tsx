import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test, vi } from 'vitest';
import { renderPage } from '../test/render';
import { LoginPage } from './LoginPage';
import { session } from './session';

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

test('validates before calling the server', async () => {
  const fetch = vi.spyOn(window, 'fetch');
  renderPage(<LoginPage area="company" />);
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByText('Enter a valid email address')).toBeTruthy();
  expect(screen.getByText('Enter your password')).toBeTruthy();
  expect(fetch).not.toHaveBeenCalled();
});

test("shows the server's problem detail and keeps no session on a failed sign-in", async () => {
  vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify({ status: 401, title: 'Unauthorized',
    detail: 'Wrong email or password' }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } }));
  renderPage(<LoginPage area="company" />);
  await userEvent.type(screen.getByLabelText(/Email/), 'ada@example.com');
  await userEvent.type(screen.getByLabelText(/Password/), 'nope');
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password');
  expect(session('company')).toBeNull();
});

test('signs in, keeps the refresh token for the tab and goes to the page asked for', async () => {
  vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify({ accessToken: 'a1', refreshToken: 'r1',
    tokenType: 'Bearer', expiresIn: 900 }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
  const { router } = renderPage(<LoginPage area="admin" />, { path: '/admin/login?next=/admin/companies',
    route: '/admin/login' });
  await userEvent.type(screen.getByLabelText(/Email/), 'admin@example.com');
  await userEvent.type(screen.getByLabelText(/Password/), 'secret-password');
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await waitFor(() => expect(router.state.location.pathname).toBe('/admin/companies'));
  expect(session('admin')?.accessToken).toBe('a1');
  expect(sessionStorage.getItem('engage.refresh.admin')).toBe('r1');
});
