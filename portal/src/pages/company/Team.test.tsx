import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test, vi } from 'vitest';
import { renderPage } from '../../test/render';
import Team from './Team';
import { type Call, serve } from './testing';

// before the API client is created (it keeps the fetch it finds)
const fetchMock = await vi.hoisted(async () => (await import('./testing')).installFetch());

const users = [
  { id: 'u1', email: 'boss@acme.test', role: 'COMPANY_ADMIN', createdAt: '2025-01-02T10:00:00Z' },
  { id: 'u2', email: 'ann@acme.test', role: 'COMPANY_MEMBER', createdAt: '2025-02-03T10:00:00Z' },
];

function api(role: string) {
  return serve(fetchMock, {
    'GET /auth/me': () => ({ userId: role === 'COMPANY_ADMIN' ? 'u1' : 'u2', email: 'x', role, companyId: 'c1' }),
    'GET /company/users': () => ({ items: users }),
    'POST /company/users': (call: Call) => ({ id: 'u3', ...(call.body as object), createdAt: '2025-03-01T00:00:00Z' }),
    'PATCH /company/users/u2': (call: Call) => ({ ...users[1], ...(call.body as object) }),
    'DELETE /company/users/u2': () => undefined,
  });
}

test('a member sees the team read-only', async () => {
  const calls = api('COMPANY_MEMBER');
  renderPage(<Team />);
  expect(await screen.findByText('ann@acme.test')).toBeTruthy();
  expect(await screen.findByText(/only company admins can invite/)).toBeTruthy();
  expect(screen.queryByRole('button', { name: /Invite member/ })).toBeNull();
  expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
  expect(screen.queryByRole('textbox', { name: /Role of/ })).toBeNull();
  expect(screen.getAllByText('Admin').length).toBe(1);
  expect(calls.every((c) => c.method === 'GET')).toBe(true);
});

test('an admin invites with validation, changes a role and removes a member', async () => {
  const calls = api('COMPANY_ADMIN');
  renderPage(<Team />);
  await userEvent.click(await screen.findByRole('button', { name: /Invite member/ }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/Email/), 'new@acme.test');
  await userEvent.type(within(dialog).getByLabelText(/Initial password/), 'short');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Add member' }));
  expect(await within(dialog).findByText('Use at least 12 characters')).toBeTruthy();
  await userEvent.type(within(dialog).getByLabelText(/Initial password/), '-enough');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Add member' }));
  await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'new@acme.test',
    password: 'short-enough', role: 'COMPANY_MEMBER' }));

  // no role select or remove button for oneself
  expect(screen.queryByRole('textbox', { name: 'Role of boss@acme.test' })).toBeNull();
  await userEvent.click(screen.getByRole('textbox', { name: 'Role of ann@acme.test' }));
  await userEvent.click(await screen.findByRole('option', { name: 'Admin', hidden: true }));
  await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ role: 'COMPANY_ADMIN' }));

  await userEvent.click(screen.getByRole('button', { name: 'Remove ann@acme.test' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Remove' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/company/users/u2')).toBe(true));
});
