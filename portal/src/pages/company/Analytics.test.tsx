import { callsTo, route } from '../../test/apiRoutes';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test, vi } from 'vitest';
import { renderPage } from '../../test/render';
import Analytics from './Analytics';

vi.mock('@mantine/charts', () => {
  const Chart = ({ data }: { data: unknown[] }) => <div data-testid="chart">{data.length} points</div>;
  return { LineChart: Chart, BarChart: Chart };
});

const report = (conversations: number) => ({
  interval: 'day', totals: { conversations, messages: 40, answerRate: 0.75 },
  series: [{ start: '2026-03-10T00:00:00Z', conversations }],
  topQuestions: [{ question: 'How do I reset my password?', count: 12, answered: 9 }],
});

test('shows figures and top questions, and filters by agent', async () => {
  route('GET', '/company/agents', { items: [{ id: 'a1', name: 'Support bot' }, { id: 'a2', name: 'Sales bot' }],
    nextCursor: null });
  route('GET', '/company/analytics', ({ query }) => ({ body: report(query.get('agentId') === 'a2' ? 7 : 30) }));
  renderPage(<Analytics />);
  const conversations = await screen.findByRole('group', { name: 'Conversations' });
  expect(within(conversations).getByText('30')).toBeTruthy();
  expect(callsTo('GET', '/company/analytics')[0].query.has('agentId')).toBe(false);
  const row = screen.getByRole('row', { name: /How do I reset my password/ });
  expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['How do I reset my password?', '12',
    '9', '75%']);

  await userEvent.click(screen.getByRole('textbox', { name: 'Agent' }));
  await userEvent.click(await screen.findByRole('option', { name: 'Sales bot', hidden: true }));
  await waitFor(() => expect(within(screen.getByRole('group', { name: 'Conversations' })).getByText('7'))
    .toBeTruthy());
  expect(callsTo('GET', '/company/analytics').at(-1)!.query.get('agentId')).toBe('a2');
});

test('asks for a custom range per hour when it covers one day', async () => {
  route('GET', '/company/agents', { items: [], nextCursor: null });
  route('GET', '/company/analytics', report(1));
  renderPage(<Analytics />);
  await screen.findByRole('group', { name: 'Conversations' });
  await userEvent.click(screen.getByRole('radio', { name: 'Custom' }));
  const from = screen.getByLabelText('From (UTC)');
  const to = screen.getByLabelText('To (UTC, inclusive)');
  await userEvent.clear(to);
  await userEvent.type(to, '2026-03-05');
  await userEvent.clear(from);
  await userEvent.type(from, '2026-03-05');
  await waitFor(() => expect(Object.fromEntries(callsTo('GET', '/company/analytics').at(-1)!.query))
    .toEqual({ from: '2026-03-05', to: '2026-03-05', interval: 'hour' }));
});

test('says so when nobody asked anything', async () => {
  route('GET', '/company/agents', { items: [], nextCursor: null });
  route('GET', '/company/analytics', { interval: 'day', totals: {}, series: [], topQuestions: [] });
  renderPage(<Analytics />);
  expect(await screen.findByText('No questions asked in this range.')).toBeTruthy();
});

test("lists the chosen agent's knowledge gaps, with \"Add answer\" for an admin", async () => {
  route('GET', '/auth/me', { userId: 'u1', role: 'COMPANY_ADMIN' });
  route('GET', '/company/agents', { items: [{ id: 'a1', name: 'Support bot' }], nextCursor: null });
  route('GET', '/company/analytics', report(3));
  route('GET', '/company/agents/a1/gaps', { items: [{ id: 'g1', question: 'Do you ship to Norway?', count: 4,
    examples: [], firstAskedAt: '2026-03-01T10:00:00Z', lastAskedAt: '2026-03-09T16:00:00Z' }] });
  renderPage(<Analytics />);
  const gaps = await screen.findByRole('region', { name: 'Knowledge gaps' });
  expect(within(gaps).getByText(/Choose an agent above/)).toBeTruthy();
  expect(callsTo('GET', '/company/agents/a1/gaps')).toHaveLength(0);

  await userEvent.click(screen.getByRole('textbox', { name: 'Agent' }));
  await userEvent.click(await screen.findByRole('option', { name: 'Support bot', hidden: true }));
  const gap = await within(gaps).findByRole('article', { name: 'Do you ship to Norway?' });
  expect(await within(gap).findByRole('button', { name: 'Add answer' })).toBeTruthy();
  await userEvent.click(within(gap).getByRole('button', { name: 'Add answer' }));
  expect(await screen.findByRole('dialog')).toBeTruthy();
});
