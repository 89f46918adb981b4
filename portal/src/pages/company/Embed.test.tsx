import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test, vi } from 'vitest';
import { renderPage } from '../../test/render';
import Embed from './Embed';
import { serve } from './testing';

// before the API client is created (it keeps the fetch it finds)
const fetchMock = await vi.hoisted(async () => (await import('./testing')).installFetch());

const route = { path: '/app/agents/a1/embed', route: '/app/agents/:agentId/embed' };
const NEW_KEY = 'ek_newkey_0123456789abcdefghijkl';

function api(role = 'COMPANY_ADMIN') {
  let keys: { id: string; prefix: string; createdAt: string; lastUsedAt?: string; revokedAt?: string;
    active: boolean }[] = [
    { id: 'k1', prefix: 'ek_oldkey_1', createdAt: '2025-01-01T10:00:00Z', lastUsedAt: '2025-01-05T10:00:00Z',
      active: true },
    { id: 'k0', prefix: 'ek_older_00', createdAt: '2024-12-01T10:00:00Z', revokedAt: '2024-12-20T10:00:00Z',
      active: false },
  ];
  return serve(fetchMock, {
    'GET /auth/me': () => ({ userId: 'u1', role }),
    'GET /company/agents/a1/keys': () => keys,
    'POST /company/agents/a1/keys': () => {
      keys = [{ id: 'k2', prefix: NEW_KEY.slice(0, 11), createdAt: '2025-02-01T10:00:00Z', active: true },
        ...keys.map((k) => ({ ...k, active: false, revokedAt: '2025-02-01T10:00:00Z' }))];
      return new Response(JSON.stringify({ id: 'k2', key: NEW_KEY, prefix: NEW_KEY.slice(0, 11),
        createdAt: '2025-02-01T10:00:00Z' }), { status: 201, headers: { 'Content-Type': 'application/json' } });
    },
    'DELETE /company/agents/a1/keys/k1': () => {
      keys = keys.map((k) => (k.id === 'k1' ? { ...k, active: false, revokedAt: '2025-02-01T10:00:00Z' } : k));
      return undefined;
    },
  });
}

test('lists the keys and shows the snippet with a placeholder until a key is issued', async () => {
  api();
  renderPage(<Embed />, route);
  expect(await screen.findByText('ek_oldkey_1…')).toBeTruthy();
  expect(screen.getByText('Active')).toBeTruthy();
  expect(screen.getByText('Revoked')).toBeTruthy();
  expect(screen.getByText(/data-engage-key="YOUR_KEY"/)).toBeTruthy();
  expect(screen.getByText(/rotate the key to get a new one/)).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Copy embed snippet' })).toBeTruthy();
  expect(screen.queryByRole('link', { name: /demo page/ })).toBeNull();
});

test('rotating after confirmation shows the new key once, in the snippet and the demo link', async () => {
  const calls = api();
  renderPage(<Embed />, route);
  await userEvent.click(await screen.findByRole('button', { name: 'Rotate key' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByText(/revoked at once/)).toBeTruthy();
  expect(calls.some((c) => c.method === 'POST')).toBe(false);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }));
  expect(await screen.findByText(/shown only once/)).toBeTruthy();
  expect(screen.getByText(NEW_KEY)).toBeTruthy();
  expect(screen.getByText(new RegExp(`data-engage-key="${NEW_KEY}"`))).toBeTruthy();
  expect(screen.getByRole('link', { name: /Try it on the demo page/ }).getAttribute('href'))
    .toBe(`/demo?key=${NEW_KEY}`);
  expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  await waitFor(() => expect(screen.getAllByText('Revoked')).toHaveLength(2));
});

test('revokes one key after confirmation', async () => {
  const calls = api();
  renderPage(<Embed />, route);
  await userEvent.click(await screen.findByRole('button', { name: 'Revoke key ek_oldkey_1' }));
  await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revoke' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/company/agents/a1/keys/k1'))
    .toBe(true));
  await waitFor(() => expect(screen.getAllByText('Revoked')).toHaveLength(2));
});

test('members get the embed instructions without the keys', async () => {
  const calls = api('COMPANY_MEMBER');
  renderPage(<Embed />, route);
  expect(await screen.findByText(/Only company admins can see and manage/)).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Rotate key' })).toBeNull();
  expect(calls.some((c) => c.path.endsWith('/keys'))).toBe(false);
});
