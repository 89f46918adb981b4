import { callsTo, json, route } from '../../test/apiRoutes';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';
import { renderPage } from '../../test/render';
import Companies from './Companies';

const acme = { id: 'c1', name: 'Acme', status: 'active', createdAt: '2026-02-01T10:00:00Z' };
const globex = { id: 'c2', name: 'Globex', status: 'active', createdAt: '2026-02-02T10:00:00Z' };

test('lists companies, pages with Load more and searches by name', async () => {
  route('GET', '/admin/companies', ({ query }) => {
    if (query.get('q') === 'glo') return { body: { items: [globex], nextCursor: null } };
    if (query.get('cursor') === 'next') return { body: { items: [globex], nextCursor: null } };
    return { body: { items: [acme], nextCursor: 'next' } };
  });
  renderPage(<Companies />);
  expect(await screen.findByRole('link', { name: 'Acme' })).toBeTruthy();
  expect(callsTo('GET', '/admin/companies')[0].query.get('limit')).toBe('50');
  await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
  expect(await screen.findByRole('link', { name: 'Globex' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Acme' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

  await userEvent.type(screen.getByLabelText('Search companies'), 'glo');
  await waitFor(() => expect(screen.queryByRole('link', { name: 'Acme' })).toBeNull());
  expect(screen.getByRole('link', { name: 'Globex' })).toBeTruthy();
  // debounced: one request for the whole word
  expect(callsTo('GET', '/admin/companies').filter((c) => c.query.has('q')).map((c) => c.query.get('q')))
    .toEqual(['glo']);
});

test('shows the empty state', async () => {
  route('GET', '/admin/companies', { items: [], nextCursor: null });
  renderPage(<Companies />);
  expect(await screen.findByText('No companies yet. Create the first one.')).toBeTruthy();
});

test('validates the new company before sending it', async () => {
  route('GET', '/admin/companies', { items: [], nextCursor: null });
  renderPage(<Companies />);
  await userEvent.click(await screen.findByRole('button', { name: 'New company' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/Admin email/), 'not-an-email');
  await userEvent.type(within(dialog).getByLabelText(/Admin password/), 'short');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create company' }));
  expect(await within(dialog).findByText('Enter the company name')).toBeTruthy();
  expect(within(dialog).getByText('Enter a valid email address')).toBeTruthy();
  expect(within(dialog).getByText('Use at least 12 characters', { selector: '.mantine-InputWrapper-error' }))
    .toBeTruthy();
  expect(callsTo('POST', '/admin/companies')).toHaveLength(0);
});

test('creates a company and shows the server field errors', async () => {
  route('GET', '/admin/companies', { items: [], nextCursor: null });
  let attempt = 0;
  route('POST', '/admin/companies', () => (++attempt === 1
    ? json({ status: 422, title: 'Validation failed', errors: [{ field: 'adminEmail', message: 'already in use' }] },
      422)
    : json({ id: 'c9', name: 'Initech', status: 'active' }, 201)));
  renderPage(<Companies />);
  await userEvent.click(await screen.findByRole('button', { name: 'New company' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/Company name/), '  Initech ');
  await userEvent.type(within(dialog).getByLabelText(/Admin email/), 'boss@initech.test');
  await userEvent.type(within(dialog).getByLabelText(/Admin password/), 'long-enough-1');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create company' }));
  expect(await within(dialog).findByText('already in use')).toBeTruthy();
  expect(callsTo('POST', '/admin/companies')[0].body).toEqual({ name: 'Initech', adminEmail: 'boss@initech.test',
    adminPassword: 'long-enough-1' });

  await userEvent.click(within(dialog).getByRole('button', { name: 'Create company' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(callsTo('POST', '/admin/companies')).toHaveLength(2);
  // the list is asked for again
  await waitFor(() => expect(callsTo('GET', '/admin/companies').length).toBeGreaterThan(1));
});

test('shows an email already registered on the email field', async () => {
  route('GET', '/admin/companies', { items: [], nextCursor: null });
  route('POST', '/admin/companies', () => json({ status: 409, title: 'Email already registered',
    detail: 'A user with email boss@initech.test exists' }, 409));
  renderPage(<Companies />);
  await userEvent.click(await screen.findByRole('button', { name: 'New company' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/Company name/), 'Initech');
  await userEvent.type(within(dialog).getByLabelText(/Admin email/), 'boss@initech.test');
  await userEvent.type(within(dialog).getByLabelText(/Admin password/), 'long-enough-1');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create company' }));
  expect(await within(dialog).findByText('A user with email boss@initech.test exists')).toBeTruthy();
  expect(within(dialog).getByLabelText(/Admin email/).getAttribute('aria-invalid')).toBe('true');
});

test('deletes a company only after its name is typed', async () => {
  route('GET', '/admin/companies', { items: [acme], nextCursor: null });
  route('DELETE', '/admin/companies/c1', () => json(null, 204));
  renderPage(<Companies />);
  await userEvent.click(await screen.findByRole('button', { name: 'Delete Acme' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByText(/agents, knowledge, end-users, memory and API keys/)).toBeTruthy();
  const confirm = within(dialog).getByRole('button', { name: 'Delete company' });
  expect(confirm.hasAttribute('disabled')).toBe(true);
  await userEvent.type(within(dialog).getByLabelText('Company name to confirm'), 'acme');
  expect(confirm.hasAttribute('disabled')).toBe(true);
  await userEvent.click(confirm);
  expect(callsTo('DELETE', /.*/)).toHaveLength(0);
  await userEvent.clear(within(dialog).getByLabelText('Company name to confirm'));
  await userEvent.type(within(dialog).getByLabelText('Company name to confirm'), 'Acme');
  expect(confirm.hasAttribute('disabled')).toBe(false);
  await userEvent.click(confirm);
  await waitFor(() => expect(callsTo('DELETE', '/admin/companies/c1')).toHaveLength(1));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
});
