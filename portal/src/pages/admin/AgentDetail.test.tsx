import { callsTo, route } from '../../test/apiRoutes';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';
import { renderPage } from '../../test/render';
import AgentDetail from './AgentDetail';

const agent = { id: 'a1', companyId: 'c1', name: 'Support bot', description: 'Answers billing questions',
  status: 'draft', language: 'en', tone: 'friendly', llm: { provider: 'openai-compatible', model: 'llama3' },
  widget: { mode: 'chat', title: 'Help', primaryColor: '#0ca678', position: 'bottom-right',
    allowedOrigins: ['https://acme.test'], suggestedQuestions: ['a', 'b'] },
  createdAt: '2026-01-05T09:00:00Z', updatedAt: '2026-03-01T12:00:00Z' };
const ada = { id: 'u1', name: 'Ada', email: 'ada@acme.test', externalId: 'ext-1', conversationCount: 3,
  lastSeenAt: '2026-03-02T08:00:00Z' };
const bob = { id: 'u2', name: 'Bob', blocked: true, conversationCount: 1 };

function serve() {
  route('GET', '/admin/agents/a1', agent);
  route('GET', '/admin/companies/c1', { id: 'c1', name: 'Acme' });
  route('GET', '/admin/agents/a1/users', ({ query }) => ({ body: query.get('q') === 'bo'
    ? { items: [bob], nextCursor: null }
    : query.get('cursor') === 'p2' ? { items: [bob], nextCursor: null } : { items: [ada], nextCursor: 'p2' } }));
}

test("shows the agent's settings and its end-users", async () => {
  serve();
  renderPage(<AgentDetail />, { path: '/admin/agents/a1', route: '/admin/agents/:agentId' });
  expect(await screen.findByRole('heading', { name: 'Support bot' })).toBeTruthy();
  expect(await screen.findByRole('link', { name: 'Acme' })).toBeTruthy();
  expect(screen.getByText('openai-compatible / llama3')).toBeTruthy();
  expect(screen.getByText('draft')).toBeTruthy();
  expect(screen.getByText('https://acme.test')).toBeTruthy();
  expect(screen.getByText('#0ca678')).toBeTruthy();
  expect(await screen.findByText('ada@acme.test')).toBeTruthy();

  await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
  expect(await screen.findByText('Bob')).toBeTruthy();
  expect(screen.getByText('blocked')).toBeTruthy();
  expect(callsTo('GET', '/admin/agents/a1/users').at(-1)!.query.get('cursor')).toBe('p2');
});

test('searches end-users', async () => {
  serve();
  renderPage(<AgentDetail />, { path: '/admin/agents/a1', route: '/admin/agents/:agentId' });
  await screen.findByText('ada@acme.test');
  await userEvent.type(screen.getByLabelText('Search end-users'), 'bo');
  await waitFor(() => expect(screen.queryByText('ada@acme.test')).toBeNull());
  expect(screen.getByText('Bob')).toBeTruthy();
  expect(callsTo('GET', '/admin/agents/a1/users').at(-1)!.query.get('q')).toBe('bo');
});

test('reports an unknown agent', async () => {
  renderPage(<AgentDetail />, { path: '/admin/agents/zz', route: '/admin/agents/:agentId' });
  expect(await screen.findByRole('alert')).toBeTruthy();
});

test('the admin disables the agent after confirming, and can enable it again', async () => {
  serve();
  let disabledAt: string | null = null;
  route('GET', '/admin/agents/a1', () => ({ body: { ...agent, disabledAt } }));
  route('POST', '/admin/agents/a1/disable', () => {
    disabledAt = '2026-03-03T10:00:00Z';
    return { body: { ...agent, disabledAt } };
  });
  route('POST', '/admin/agents/a1/enable', () => {
    disabledAt = null;
    return { body: { ...agent, disabledAt } };
  });
  renderPage(<AgentDetail />, { path: '/admin/agents/a1', route: '/admin/agents/:agentId' });
  await userEvent.click(await screen.findByRole('button', { name: 'Disable agent' }));
  expect(callsTo('POST', '/admin/agents/a1/disable')).toHaveLength(0); // not before confirming
  const dialog = await screen.findByRole('dialog');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Disable agent' }));
  await waitFor(() => expect(callsTo('POST', '/admin/agents/a1/disable')).toHaveLength(1));
  expect(await screen.findByText('disabled')).toBeTruthy();
  await userEvent.click(await screen.findByRole('button', { name: 'Enable agent' }));
  await waitFor(() => expect(callsTo('POST', '/admin/agents/a1/enable')).toHaveLength(1));
  await waitFor(() => expect(screen.queryByText('disabled')).toBeNull());
});
