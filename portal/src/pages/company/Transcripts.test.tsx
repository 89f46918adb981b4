// testApi first: it stubs fetch/Request before the API client captures them
import { callsTo, mockApi } from '../../components/knowledge/testApi';
import { notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { signedIn, signOutLocally } from '../../auth/session';
import { renderPage } from '../../test/render';
import Transcripts from './Transcripts';

const BASE = '/company/agents/a1';

const endUser = (blocked = false) => ({ id: 'u1', agentId: 'a1', externalId: 'visitor-42', name: 'Ada Lovelace',
  email: 'ada@example.com', blocked, conversationCount: 2, firstSeenAt: '2026-03-01T09:00:00Z',
  lastSeenAt: '2026-03-12T14:05:00Z' });

const older = { id: 'c1', agentId: 'a1', endUserId: 'u1', startedAt: '2026-03-01T09:00:00Z',
  lastMessageAt: '2026-03-01T09:02:00Z', messageCount: 2, handoff: false };
const newer = { id: 'c2', agentId: 'a1', endUserId: 'u1', startedAt: '2026-03-12T14:00:00Z',
  lastMessageAt: '2026-03-12T14:05:00Z', messageCount: 4, handoff: true };

const conversation = (summary: typeof older, messages: object[]) => ({ ...summary, messages });

function show() {
  return renderPage(<Transcripts />, { path: '/app/agents/a1/users/u1',
    route: '/app/agents/:agentId/users/:endUserId' });
}

let blocked = false;

beforeEach(() => {
  blocked = false;
  signedIn('company', { accessToken: 'tok-1', refreshToken: 'ref-1', expiresIn: 900 });
  vi.spyOn(notifications, 'show').mockReturnValue('id');
  mockApi({
    [`GET ${BASE}/users/u1`]: () => endUser(blocked),
    [`POST ${BASE}/users/u1/unblock`]: () => {
      blocked = false;
      return endUser(false);
    },
    [`GET ${BASE}/users/u1/conversations`]: () => ({ items: [older, newer] }),
    [`GET ${BASE}/conversations/c1`]: () => conversation(older, [
      { id: 'm1', role: 'user', content: 'Hello?', createdAt: '2026-03-01T09:00:00Z' },
      { id: 'm2', role: 'assistant', content: 'Hi, how can I help?', grounded: false, fallback: true,
        createdAt: '2026-03-01T09:00:01Z' },
    ]),
    [`GET ${BASE}/conversations/c2`]: () => conversation(newer, [
      { id: 'm3', role: 'user', content: 'How long does shipping take?', createdAt: '2026-03-12T14:00:00Z' },
      { id: 'm4', role: 'assistant', content: 'Three to five working days.', grounded: true, handoff: false,
        fallback: false, provider: 'openai', model: 'gpt-4o-mini', tokensIn: 812, tokensOut: 34, latencyMs: 1234,
        feedback: 'up', createdAt: '2026-03-12T14:00:02Z', citations: [
          { sourceId: 's1', title: 'Shipping guide', url: 'https://example.com/shipping', snippet: 'Shipping takes…' },
          { sourceId: 's2', title: 'Internal FAQ', snippet: 'Orders ship within 3–5 days' },
        ] },
      { id: 'm5', role: 'user', content: 'Can I talk to a person?', createdAt: '2026-03-12T14:04:00Z' },
      { id: 'm6', role: 'assistant', content: 'Connecting you with our team.', grounded: false, handoff: true,
        feedback: 'down', createdAt: '2026-03-12T14:05:00Z' },
    ]),
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  signOutLocally('company');
});

test("shows the end-user and opens their newest conversation as a chat with citations and feedback", async () => {
  show();
  expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeTruthy();
  expect(screen.getByText('visitor-42')).toBeTruthy();
  expect(screen.getByText('ada@example.com')).toBeTruthy();

  const transcript = await screen.findByRole('list', { name: 'Transcript' });
  expect(callsTo('GET', `${BASE}/conversations/c1`)).toHaveLength(0);
  const messages = within(transcript).getAllByRole('listitem');
  expect(messages.map((m) => m.getAttribute('aria-label'))).toEqual(['Visitor message', 'Agent message',
    'Visitor message', 'Agent message']);

  const answer = messages[1];
  expect(within(answer).getByText('Three to five working days.')).toBeTruthy();
  expect(within(answer).getByRole('link', { name: 'Shipping guide' }).getAttribute('href'))
    .toBe('https://example.com/shipping');
  expect(within(answer).queryByRole('link', { name: 'Internal FAQ' })).toBeNull();
  expect(within(answer).getByText('Internal FAQ')).toBeTruthy();
  expect(within(answer).getByText('Grounded')).toBeTruthy();
  expect(within(answer).getByRole('img', { name: 'Visitor feedback: helpful' })).toBeTruthy();
  expect(within(answer).getByText(/openai · gpt-4o-mini · 1\D?234 ms · 812 in \/ 34 out tokens/)).toBeTruthy();

  const handoff = messages[3];
  expect(within(handoff).getByText('Handoff')).toBeTruthy();
  expect(within(handoff).getByText('Not grounded')).toBeTruthy();
  expect(within(handoff).getByRole('img', { name: 'Visitor feedback: not helpful' })).toBeTruthy();

  // the snippet of a citation without a link shows on hover
  await userEvent.hover(within(answer).getByText('Internal FAQ'));
  expect(await screen.findByText('Orders ship within 3–5 days')).toBeTruthy();
});

test('switches to another conversation', async () => {
  const { router } = show();
  const nav = await screen.findByRole('navigation', { name: 'Conversations' });
  const items = within(nav).getAllByRole('button');
  expect(items).toHaveLength(2);
  expect(items[0].getAttribute('aria-current')).toBe('true'); // newest first and selected
  expect(within(items[0]).getByText('Handoff')).toBeTruthy();
  await userEvent.click(items[1]);
  expect(await screen.findByText('Hi, how can I help?')).toBeTruthy();
  expect(screen.getByText('Fallback')).toBeTruthy();
  expect(router.state.location.search).toBe('?conversation=c1');
});

test('unblocks a blocked end-user from the header', async () => {
  blocked = true;
  show();
  expect(await screen.findByText('Blocked')).toBeTruthy();
  await userEvent.click(screen.getByRole('button', { name: 'Unblock Ada Lovelace' }));
  await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Unblock' }));
  await waitFor(() => expect(callsTo('POST', `${BASE}/users/u1/unblock`)).toHaveLength(1));
  await waitFor(() => expect(screen.queryByText('Blocked')).toBeNull());
  expect(screen.getByRole('button', { name: 'Block Ada Lovelace' })).toBeTruthy();
});
