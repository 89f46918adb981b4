// testApi first: it stubs fetch/Request before the API client captures them
import { callsTo, mockApi } from '../../components/knowledge/testApi';
import { notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { signedIn, signOutLocally } from '../../auth/session';
import { renderPage } from '../../test/render';
import EndUsers from './EndUsers';

const USERS = '/company/agents/a1/users';

const user = (id: string, extra: object = {}) => ({ id, agentId: 'a1', externalId: `ext-${id}`, name: `Name ${id}`,
  email: `${id}@example.com`, blocked: false, conversationCount: 2, firstSeenAt: '2026-03-01T09:00:00Z',
  lastSeenAt: '2026-03-12T14:05:00Z', ...extra });

function show() {
  return renderPage(<EndUsers />, { path: '/app/agents/a1/users', route: '/app/agents/:agentId/users' });
}

beforeEach(() => {
  signedIn('company', { accessToken: 'tok-1', refreshToken: 'ref-1', expiresIn: 900 });
  vi.spyOn(notifications, 'show').mockReturnValue('id');
});

afterEach(() => {
  vi.restoreAllMocks();
  signOutLocally('company');
});

test('lists end-users with their details, searches (debounced) and loads more', async () => {
  mockApi({
    [`GET ${USERS}`]: ({ query }) => {
      if (query.get('q')) return { items: [user('u9', { name: 'Ada' })] };
      return query.get('cursor') === 'next' ? { items: [user('u3')] }
        : { items: [user('u1'), user('u2', { blocked: true, name: undefined })], nextCursor: 'next' };
    },
  });
  show();
  const row = await screen.findByTestId('enduser-u1');
  expect(within(row).getByText('ext-u1')).toBeTruthy();
  expect(within(row).getByText('Name u1')).toBeTruthy();
  expect(within(row).getByText('u1@example.com')).toBeTruthy();
  expect(within(row).getByText('2')).toBeTruthy();
  expect(within(row).queryByText('Blocked')).toBeNull();
  expect(within(screen.getByTestId('enduser-u2')).getByText('Blocked')).toBeTruthy();
  expect(within(screen.getByTestId('enduser-u2')).getByRole('button', { name: 'Unblock u2@example.com' })).toBeTruthy();

  await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
  expect(await screen.findByTestId('enduser-u3')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

  await userEvent.type(screen.getByLabelText('Search end-users'), 'ada');
  expect(await screen.findByTestId('enduser-u9')).toBeTruthy();
  const searches = callsTo('GET', USERS).filter((call) => call.query.get('q'));
  expect(searches.map((call) => call.query.get('q'))).toEqual(['ada']); // one request, not one per keystroke
});

test('blocks an end-user after confirmation', async () => {
  let blocked = false;
  mockApi({
    [`GET ${USERS}`]: () => ({ items: [user('u1', { blocked })] }),
    [`POST ${USERS}/u1/block`]: () => {
      blocked = true;
      return user('u1', { blocked: true });
    },
  });
  const { router } = show();
  await userEvent.click(await screen.findByRole('button', { name: 'Block Name u1' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByText(/stops answering them/)).toBeTruthy();
  expect(callsTo('POST', `${USERS}/u1/block`)).toHaveLength(0);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Block' }));
  await waitFor(() => expect(callsTo('POST', `${USERS}/u1/block`)).toHaveLength(1));
  expect(callsTo('POST', `${USERS}/u1/block`)[0].headers.get('Authorization')).toBe('Bearer tok-1');
  expect(await within(screen.getByTestId('enduser-u1')).findByText('Blocked')).toBeTruthy();
  // the confirmation's clicks do not open the row
  expect(router.state.location.pathname).toBe('/app/agents/a1/users');
});

test('opens the transcripts of a clicked row', async () => {
  mockApi({ [`GET ${USERS}`]: () => ({ items: [user('u1')] }) });
  const { router } = show();
  await userEvent.click(within(await screen.findByTestId('enduser-u1')).getByText('Name u1'));
  expect(router.state.location.pathname).toBe('/app/agents/a1/users/u1');
});

test('says when there are no end-users', async () => {
  mockApi({ [`GET ${USERS}`]: () => ({ items: [] }) });
  show();
  expect(await screen.findByText(/No end-users yet/)).toBeTruthy();
});
