import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test, vi } from 'vitest';
import { renderPage } from '../../test/render';
import Agents from './Agents';
import { serve } from './testing';

// before the API client is created (it keeps the fetch it finds)
const fetchMock = await vi.hoisted(async () => (await import('./testing')).installFetch());

const agent = (id: string, name: string, extra: object = {}) => ({ id, companyId: 'c1', name, status: 'draft',
  llm: { provider: 'extractive' }, updatedAt: '2025-01-02T10:00:00Z', ...extra });

function api(role: string, pages: ReturnType<typeof agent>[][]) {
  return serve(fetchMock, {
    'GET /auth/me': () => ({ userId: 'u1', role }),
    'GET /company/agents': (call) => {
      const page = Number(call.query.get('cursor') || 0);
      return { items: pages[page], nextCursor: page + 1 < pages.length ? String(page + 1) : null };
    },
  });
}

const show = () => renderPage(<Agents />, { path: '/app/agents', route: '/app/agents/*' });

test('lists the agents with status and model, loads more, and opens one', async () => {
  api('COMPANY_ADMIN', [
    [agent('a1', 'Support', { status: 'published', description: 'Front desk',
      llm: { provider: 'openai', model: 'gpt-4o-mini' } }),
    agent('a2', 'Sales', { disabledAt: '2025-01-03T10:00:00Z' })],
    [agent('a3', 'Returns')],
  ]);
  const { router } = show();
  const support = (await screen.findByText('Support')).closest('tr')!;
  expect(within(support).getByText('Published')).toBeTruthy();
  expect(within(support).getByText('OpenAI')).toBeTruthy();
  expect(within(support).getByText('gpt-4o-mini')).toBeTruthy();
  expect(within(support).getByText('Front desk')).toBeTruthy();
  const sales = screen.getByText('Sales').closest('tr')!;
  expect(within(sales).getByText('Disabled')).toBeTruthy();
  expect(within(sales).getByText('Built-in (extractive)')).toBeTruthy();
  expect(screen.getByRole('link', { name: 'New agent' }).getAttribute('href')).toBe('/app/agents/new');

  await userEvent.click(screen.getByRole('button', { name: /load more/i }));
  expect(await screen.findByText('Returns')).toBeTruthy();

  await userEvent.click(within(sales).getByText('Built-in (extractive)'));
  await waitFor(() => expect(router.state.location.pathname).toBe('/app/agents/a2'));
});

test('an admin without agents is invited to create the first one', async () => {
  api('COMPANY_ADMIN', [[]]);
  show();
  expect(await screen.findByText('No agents yet')).toBeTruthy();
  await waitFor(() => expect(screen.getAllByRole('link', { name: 'New agent' }).length).toBe(2));
});

test('a member cannot create agents: no "New agent", and the empty state says whom to ask', async () => {
  api('COMPANY_MEMBER', [[]]);
  show();
  expect(await screen.findByText('Ask a company admin to create one.')).toBeTruthy();
  expect(screen.queryByRole('link', { name: 'New agent' })).toBeNull();
});

test('a member still sees and opens the agents', async () => {
  api('COMPANY_MEMBER', [[agent('a1', 'Support')]]);
  show();
  expect(await screen.findByRole('link', { name: 'Support' })).toBeTruthy();
  expect(screen.queryByRole('link', { name: 'New agent' })).toBeNull();
});
