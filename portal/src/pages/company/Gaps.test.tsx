import { callsTo, json, route } from '../../test/apiRoutes';
import { Notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test } from 'vitest';
import { renderPage } from '../../test/render';
import Gaps from './Gaps';

const gap = { id: 'g1', question: 'Do you ship to Norway?', count: 4,
  examples: ['Do you ship to Norway?', 'shipping to oslo?', 'Norway delivery'],
  firstAskedAt: '2026-03-01T10:00:00Z', lastAskedAt: '2026-03-09T16:00:00Z' };

const me = (role: string) => ({ userId: 'u1', email: 'x@acme.test', role, companyId: 'c1' });

// a company admin unless a test answers /auth/me itself (later routes win)
beforeEach(() => route('GET', '/auth/me', me('COMPANY_ADMIN')));

function renderGaps() {
  return renderPage(<><Notifications /><Gaps /></>,
    { path: '/app/agents/a1/gaps', route: '/app/agents/:agentId/gaps' });
}

test('lists the clusters with their examples', async () => {
  route('GET', '/company/agents/a1/gaps', { items: [gap], nextCursor: null });
  renderGaps();
  const card = await screen.findByRole('article', { name: 'Do you ship to Norway?' });
  expect(within(card).getByText('4×')).toBeTruthy();
  expect(within(card).getByText('shipping to oslo?')).toBeTruthy();
  expect(within(card).getByText(/First asked .* last asked/)).toBeTruthy();
});

test('shows the empty state', async () => {
  route('GET', '/company/agents/a1/gaps', { items: [], nextCursor: null });
  renderGaps();
  expect(await screen.findByText('No knowledge gaps — every question found an answer')).toBeTruthy();
});

test('answers a gap: validates, posts the FAQ and confirms', async () => {
  let answered = false;
  route('GET', '/company/agents/a1/gaps', () => ({ body: { items: answered ? [] : [gap], nextCursor: null } }));
  route('POST', '/company/agents/a1/gaps/g1/answer', () => {
    answered = true;
    return json({ sourceId: 's1', status: 'queued', resolvedQuestions: 4 }, 201);
  });
  renderGaps();
  await userEvent.click(await screen.findByRole('button', { name: 'Add answer' }));
  const dialog = await screen.findByRole('dialog');
  expect((within(dialog).getByLabelText(/Question/) as HTMLTextAreaElement).value).toBe('Do you ship to Norway?');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Add to knowledge' }));
  expect(await within(dialog).findByText('Write the answer')).toBeTruthy();
  expect(callsTo('POST', /answer$/)).toHaveLength(0);

  await userEvent.type(within(dialog).getByLabelText(/Answer/), 'Yes, in 3 to 5 working days.');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Add to knowledge' }));
  expect(await screen.findByText('Added to the knowledge base')).toBeTruthy();
  expect(callsTo('POST', '/company/agents/a1/gaps/g1/answer')[0].body).toEqual({ question: 'Do you ship to Norway?',
    answer: 'Yes, in 3 to 5 working days.' });
  expect(await screen.findByText('No knowledge gaps — every question found an answer')).toBeTruthy();
});

test('dismisses a gap', async () => {
  route('GET', '/company/agents/a1/gaps', { items: [gap], nextCursor: null });
  route('DELETE', '/company/agents/a1/gaps/g1', () => json(null, 204));
  renderGaps();
  await userEvent.click(await screen.findByRole('button', { name: 'Dismiss: Do you ship to Norway?' }));
  await waitFor(() => expect(callsTo('DELETE', '/company/agents/a1/gaps/g1')).toHaveLength(1));
  expect(await screen.findByText('Gap dismissed')).toBeTruthy();
});

test("shows the server's problem when answering is refused", async () => {
  route('GET', '/company/agents/a1/gaps', { items: [gap], nextCursor: null });
  route('POST', '/company/agents/a1/gaps/g1/answer', () => json({ status: 403, title: 'Forbidden',
    detail: 'Only company admins can do this' }, 403));
  renderGaps();
  await userEvent.click(await screen.findByRole('button', { name: 'Add answer' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/Answer/), 'Yes.');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Add to knowledge' }));
  expect(await screen.findByText('Only company admins can do this')).toBeTruthy();
});

test('a member reads the gaps but gets neither "Add answer" nor "Dismiss"', async () => {
  route('GET', '/auth/me', me('COMPANY_MEMBER'));
  route('GET', '/company/agents/a1/gaps', { items: [gap], nextCursor: null });
  renderGaps();
  expect(await screen.findByText(/Company admins can answer them/)).toBeTruthy();
  expect(screen.getByRole('article', { name: 'Do you ship to Norway?' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Add answer' })).toBeNull();
  expect(screen.queryByRole('button', { name: /Dismiss/ })).toBeNull();
});
