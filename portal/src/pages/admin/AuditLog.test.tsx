import { callsTo, route } from '../../test/apiRoutes';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';
import { renderPage } from '../../test/render';
import AuditLog, { dayBoundary } from './AuditLog';

const companies = { items: [{ id: 'c1', name: 'Acme' }], nextCursor: null };
const deleted = { id: 'e1', occurredAt: '2026-11-20T10:00:00Z', actorUserId: 'u1', actorEmail: 'owner@acme.test',
  actorRole: 'company_admin', companyId: 'c1', action: 'agent.deleted', targetType: 'agent', targetId: 'a1',
  ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Firefox', details: { fields: ['name', 'llm'] } };
const failed = { id: 'e2', occurredAt: '2026-11-19T10:00:00Z', actorEmail: 'mallory@evil.test',
  companyId: '0b5e7a1c-0000-4000-8000-000000000000', action: 'auth.login_failed', ip: '198.51.100.2', details: {} };

test('lists who did what, when and from where, and filters by action, actor, company and days', async () => {
  route('GET', '/admin/companies', companies);
  route('GET', '/admin/audit', ({ query }) => ({ body: {
    items: query.get('action') === 'nothing.matches' ? [] : [deleted, failed], nextCursor: null } }));
  const { router } = renderPage(<AuditLog />, { path: '/admin/audit', route: '/admin/audit' });
  expect(await screen.findByText('agent.deleted')).toBeTruthy();
  expect(screen.getByText('owner@acme.test')).toBeTruthy();
  expect(screen.getByText('company_admin')).toBeTruthy();
  expect(await screen.findByRole('cell', { name: 'Acme' })).toBeTruthy();
  expect(screen.getByText('agent a1')).toBeTruthy();
  expect(screen.getByText('203.0.113.7')).toBeTruthy();
  expect(screen.getByText('fields: name, llm')).toBeTruthy();
  // a company not among the names (deleted since): its id, shortened
  expect(screen.getByText('0b5e7a1c…')).toBeTruthy();

  await userEvent.click(screen.getByRole('textbox', { name: 'Action' }));
  await userEvent.paste('nothing.matches');
  expect(await screen.findByText('No entry matches these filters.')).toBeTruthy();
  expect(callsTo('GET', '/admin/audit').at(-1)!.query.get('action')).toBe('nothing.matches');
  expect(router.state.location.search).toBe('?action=nothing.matches');

  await userEvent.click(screen.getByRole('textbox', { name: 'Actor e-mail' }));
  await userEvent.paste('owner@acme.test');
  await waitFor(() => expect(callsTo('GET', '/admin/audit').at(-1)!.query.get('actorEmail')).toBe('owner@acme.test'));
});

test('reads the filters from the address and sends days as UTC boundaries', async () => {
  route('GET', '/admin/companies', companies);
  route('GET', '/admin/audit', { items: [deleted], nextCursor: 'next-page' });
  renderPage(<AuditLog />, { path: '/admin/audit?companyId=c1&from=2026-11-01&to=2026-11-30', route: '/admin/audit' });
  expect(await screen.findByText('agent.deleted')).toBeTruthy();
  expect(Object.fromEntries(callsTo('GET', '/admin/audit')[0].query)).toEqual({ companyId: 'c1',
    from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', limit: '50' });
  await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
  await waitFor(() => expect(callsTo('GET', '/admin/audit').at(-1)!.query.get('cursor')).toBe('next-page'));
});

test('day boundaries ignore what is not a day', () => {
  expect(dayBoundary('2026-02-28', true)).toBe('2026-03-01T00:00:00.000Z');
  expect(dayBoundary('', false)).toBeUndefined();
  expect(dayBoundary('2026-13-45', false)).toBeUndefined();
});
