import { callsTo, route } from '../../test/apiRoutes';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';
import { renderPage } from '../../test/render';
import Agents from './Agents';

const companies = { items: [{ id: 'c1', name: 'Acme' }, { id: 'c2', name: 'Globex' }], nextCursor: null };
const agent = { id: 'a1', companyId: 'c1', name: 'Support bot', status: 'published',
  llm: { provider: 'openai', model: 'gpt-4o-mini' }, updatedAt: '2026-03-01T12:00:00Z' };

test('lists agents with their company, filters by company and status, and opens one', async () => {
  route('GET', '/admin/companies', companies);
  route('GET', '/admin/agents', ({ query }) => ({ body: {
    items: query.get('status') === 'draft' ? [] : [agent], nextCursor: null } }));
  const { router } = renderPage(<Agents />, { path: '/admin/agents', route: '/admin/agents' });
  expect(await screen.findByRole('link', { name: 'Support bot' })).toBeTruthy();
  expect(await screen.findByRole('cell', { name: 'Acme' })).toBeTruthy();
  expect(screen.getByText('openai / gpt-4o-mini')).toBeTruthy();

  await userEvent.click(screen.getByRole('textbox', { name: 'Status' }));
  await userEvent.click(await screen.findByRole('option', { name: 'Draft', hidden: true }));
  expect(await screen.findByText('No agent matches these filters.')).toBeTruthy();
  expect(callsTo('GET', '/admin/agents').at(-1)!.query.get('status')).toBe('draft');
  expect(router.state.location.search).toBe('?status=draft');

  await userEvent.click(screen.getByRole('textbox', { name: 'Company' }));
  await userEvent.click(await screen.findByRole('option', { name: 'Globex', hidden: true }));
  await waitFor(() => expect(callsTo('GET', '/admin/agents').at(-1)!.query.get('companyId')).toBe('c2'));
});

test('reads the filters from the address and opens an agent on row click', async () => {
  route('GET', '/admin/companies', companies);
  route('GET', '/admin/agents', { items: [agent], nextCursor: null });
  const { router } = renderPage(<Agents />, { path: '/admin/agents?companyId=c1&status=published',
    route: '/admin/agents' });
  const cell = await screen.findByText('openai / gpt-4o-mini');
  expect(Object.fromEntries(callsTo('GET', '/admin/agents')[0].query)).toEqual({ companyId: 'c1',
    status: 'published', limit: '50' });
  await userEvent.click(cell);
  expect(router.state.location.pathname).toBe('/admin/agents/a1');
});
