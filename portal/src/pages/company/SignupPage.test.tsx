import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test, vi } from 'vitest';
import { session, signOutLocally } from '../../auth/session';
import { renderPage } from '../../test/render';
import SignupPage from './SignupPage';

afterEach(() => {
  vi.restoreAllMocks();
  signOutLocally('company');
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status,
  headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } });

async function fill(password = 'secret-password', confirm = password) {
  await userEvent.type(screen.getByLabelText(/Company name/), 'Acme');
  await userEvent.type(screen.getByLabelText(/Work email/), 'ada@acme.test');
  await userEvent.type(screen.getByLabelText(/^Password/), password);
  await userEvent.type(screen.getByLabelText(/Confirm password/), confirm);
  await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

test('validates the password length and confirmation before calling the server', async () => {
  const fetch = vi.spyOn(window, 'fetch');
  renderPage(<SignupPage />, { path: '/app/signup', route: '/app/signup' });
  await fill('short', 'other');
  expect(await screen.findByText('Use at least 12 characters')).toBeTruthy();
  expect(screen.getByText('The passwords do not match')).toBeTruthy();
  expect(fetch).not.toHaveBeenCalled();
});

test('signs the new admin in and goes to the agents', async () => {
  const fetch = vi.spyOn(window, 'fetch').mockResolvedValue(json({ accessToken: 'a1', refreshToken: 'r1',
    tokenType: 'Bearer', expiresIn: 900 }, 201));
  const { router } = renderPage(<SignupPage />, { path: '/app/signup', route: '/app/signup' });
  await fill();
  await waitFor(() => expect(router.state.location.pathname).toBe('/app/agents'));
  const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
  expect(url).toBe('/company/signup');
  expect(JSON.parse(String(init.body))).toEqual({ companyName: 'Acme', email: 'ada@acme.test',
    password: 'secret-password' });
  expect(session('company')?.accessToken).toBe('a1');
});

test("puts the server's field errors and conflicts on the fields", async () => {
  vi.spyOn(window, 'fetch')
    .mockResolvedValueOnce(json({ status: 422, title: 'Validation failed', detail: 'email: must be a well-formed',
      errors: [{ field: 'email', message: 'must be a well-formed email address' }] }, 422))
    .mockResolvedValueOnce(json({ status: 409, title: 'Email already registered',
      detail: 'A user with email ada@acme.test exists' }, 409));
  renderPage(<SignupPage />, { path: '/app/signup', route: '/app/signup' });
  await fill();
  expect(await screen.findByText('must be a well-formed email address')).toBeTruthy();
  await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
  expect(await screen.findByText('A user with email ada@acme.test exists')).toBeTruthy();
  expect(screen.getByLabelText(/Work email/).getAttribute('aria-invalid')).toBe('true');
  expect(session('company')).toBeNull();
});
