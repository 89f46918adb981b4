import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test } from 'vitest';
import { callsTo, json, route } from '../test/apiRoutes';
import { problem } from '../test/http';
import { renderPage } from '../test/render';
import { LoginPage } from './LoginPage';
import { session, signOutLocally } from './session';

const tokens = { accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 };
const keycloak = { id: 'keycloak', name: 'Staff SSO', loginUrl: '/oauth2/authorization/keycloak' };

afterEach(() => {
  signOutLocally('admin');
  signOutLocally('company');
  sessionStorage.clear();
});

test('validates before calling the server', async () => {
  renderPage(<LoginPage area="company" />);
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByText('Enter a valid email address')).toBeTruthy();
  expect(screen.getByText('Enter your password')).toBeTruthy();
  expect(callsTo('POST', /.*/)).toHaveLength(0);
});

test("shows the server's problem detail and keeps no session on a failed sign-in", async () => {
  route('POST', '/company/login', () => problem(401, 'Wrong email or password'));
  renderPage(<LoginPage area="company" />);
  await userEvent.type(screen.getByLabelText(/Email/), 'ada@example.com');
  await userEvent.type(screen.getByLabelText(/Password/), 'nope');
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password');
  expect(session('company')).toBeNull();
});

test('signs in, keeps the refresh token for the tab and goes to the page asked for', async () => {
  route('POST', '/admin/login', tokens);
  const { router } = renderPage(<LoginPage area="admin" />, { path: '/admin/login?next=/admin/companies',
    route: '/admin/login' });
  await userEvent.type(screen.getByLabelText(/Email/), 'admin@example.com');
  await userEvent.type(screen.getByLabelText(/Password/), 'secret-password');
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await waitFor(() => expect(router.state.location.pathname).toBe('/admin/companies'));
  expect(session('admin')?.accessToken).toBe('a1');
  expect(sessionStorage.getItem('engage.refresh.admin')).toBe('r1');
});

test('offers a sign-in link per identity provider, to the portal it is on', async () => {
  route('GET', '/auth/oidc/providers', { items: [keycloak, { id: 'google', name: 'Google',
    loginUrl: '/oauth2/authorization/google' }], nextCursor: null });
  renderPage(<LoginPage area="admin" />, { path: '/admin/login', route: '/admin/login' });
  const link = await screen.findByRole('link', { name: 'Sign in with Staff SSO' });
  expect(link.getAttribute('href')).toBe('/oauth2/authorization/keycloak?portal=admin');
  expect(screen.getByRole('link', { name: 'Sign in with Google' }).getAttribute('href'))
    .toBe('/oauth2/authorization/google?portal=admin');
  expect(screen.getByText('or')).toBeTruthy();
});

test('the company portal sends its users back to itself', async () => {
  route('GET', '/auth/oidc/providers', { items: [keycloak], nextCursor: null });
  renderPage(<LoginPage area="company" />, { path: '/app/login', route: '/app/login' });
  expect((await screen.findByRole('link', { name: 'Sign in with Staff SSO' })).getAttribute('href'))
    .toBe('/oauth2/authorization/keycloak?portal=app');
});

test('shows only the password form when no provider is configured', async () => {
  route('GET', '/auth/oidc/providers', { items: [], nextCursor: null });
  renderPage(<LoginPage area="company" />, { path: '/app/login', route: '/app/login' });
  await waitFor(() => expect(callsTo('GET', '/auth/oidc/providers')).toHaveLength(1));
  expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull();
  expect(screen.queryByText('or')).toBeNull();
});

test('exchanges the one-time code once, drops it from the address and goes where the user was headed', async () => {
  route('POST', '/auth/oidc/exchange', tokens);
  sessionStorage.setItem('engage.oidc.next.company', '/app/agents');
  const { router } = renderPage(<LoginPage area="company" />, { path: '/app/login?code=eoc_first',
    route: '/app/login' });
  await waitFor(() => expect(router.state.location.pathname).toBe('/app/agents'));
  expect(router.state.location.search).toBe('');
  expect(callsTo('POST', '/auth/oidc/exchange').map((c) => c.body)).toEqual([{ code: 'eoc_first' }]);
  expect(session('company')?.accessToken).toBe('a1');
  expect(sessionStorage.getItem('engage.refresh.company')).toBe('r1');
  expect(sessionStorage.getItem('engage.oidc.next.company')).toBeNull();
});

test('a refused code shows why and leaves the password form, without a session', async () => {
  route('POST', '/auth/oidc/exchange', () => json({ status: 401, title: 'Unauthorized',
    detail: 'The sign-in code is invalid, expired, already used or from another browser; sign in again' }, 401));
  const { router } = renderPage(<LoginPage area="admin" />, { path: '/admin/login?code=eoc_used',
    route: '/admin/login' });
  expect((await screen.findByRole('alert')).textContent).toContain('already used');
  expect(router.state.location.pathname).toBe('/admin/login');
  expect(router.state.location.search).toBe('');
  expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  expect(session('admin')).toBeNull();
});

test("explains the provider sign-in's error code, and only known codes", async () => {
  renderPage(<LoginPage area="admin" />, { path: '/admin/login?error=no_account', route: '/admin/login' });
  expect((await screen.findByRole('alert')).textContent)
    .toBe('There is no platform admin account for the email address your identity provider confirmed.');
});

test('an unknown error code gets the general message, never the text from the address', async () => {
  renderPage(<LoginPage area="company" />, { path: '/app/login?error=%3Cb%3Ehacked%3C%2Fb%3E', route: '/app/login' });
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toBe('Signing in with your identity provider failed. Please try again.');
  expect(alert.innerHTML).not.toContain('hacked');
});
