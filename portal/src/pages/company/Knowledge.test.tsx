// testApi first: it stubs fetch/Request before the API client captures them
import { callsTo, COMPANY_MEMBER, FakeXhr, json, mockApi } from '../../components/knowledge/testApi';
import { notifications } from '@mantine/notifications';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, type MockInstance, test, vi } from 'vitest';
import { signedIn, signOutLocally } from '../../auth/session';
import { renderPage } from '../../test/render';
import Knowledge from './Knowledge';

const LIST = '/company/agents/a1/knowledge';

const source = (id: string, status: string, extra: object = {}) => ({ id, agentId: 'a1', type: 'text',
  title: `Source ${id}`, status, chunkCount: status === 'ready' ? 3 : 0, createdAt: '2026-03-12T14:05:00Z', ...extra });

function show() {
  return renderPage(<Knowledge />, { path: '/app/agents/a1/knowledge', route: '/app/agents/:agentId/knowledge' });
}

let toast: MockInstance<typeof notifications.show>;

beforeEach(() => {
  signedIn('company', { accessToken: 'tok-1', refreshToken: 'ref-1', expiresIn: 900 });
  toast = vi.spyOn(notifications, 'show').mockReturnValue('id');
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  signOutLocally('company');
});

test('shows sources with status badges, the failure reason, and polls only while ingestion runs', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  let polls = 0;
  mockApi({
    [`GET ${LIST}`]: () => {
      polls++;
      return { items: [
        source('s1', polls === 1 ? 'queued' : polls === 2 ? 'indexing' : 'ready'),
        source('s2', 'failed', { error: 'The PDF has no text layer', type: 'file', filename: 'scan.pdf' }),
        source('s3', 'ready', { type: 'url', url: 'https://example.com/help' }),
      ] };
    },
  });
  show();
  const row = await screen.findByTestId('source-s1');
  expect(within(row).getByText('queued')).toBeTruthy();
  expect(within(screen.getByTestId('source-s2')).getByText('failed')).toBeTruthy();
  expect(screen.getByText('Failed: The PDF has no text layer')).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Source s3' }).getAttribute('href')).toBe('https://example.com/help');
  expect(screen.getByText(/updating live/)).toBeTruthy();

  await act(() => vi.advanceTimersByTimeAsync(1000));
  await waitFor(() => expect(within(screen.getByTestId('source-s1')).getByText('indexing')).toBeTruthy());
  await act(() => vi.advanceTimersByTimeAsync(1000));
  await waitFor(() => expect(within(screen.getByTestId('source-s1')).getByText('ready')).toBeTruthy());
  expect(within(screen.getByTestId('source-s1')).getByText('3')).toBeTruthy();
  expect(polls).toBe(3);

  // everything is ready or failed: no more requests
  await act(() => vi.advanceTimersByTimeAsync(5000));
  expect(polls).toBe(3);
  expect(screen.queryByText(/updating live/)).toBeNull();
});

test('deletes a source after confirmation', async () => {
  let deleted = false;
  mockApi({
    [`GET ${LIST}`]: () => ({ items: deleted ? [] : [source('s1', 'ready')] }),
    [`DELETE ${LIST}/s1`]: () => {
      deleted = true;
      return json(null, 204);
    },
  });
  show();
  await userEvent.click(await screen.findByRole('button', { name: 'Delete Source s1' }));
  expect(callsTo('DELETE', `${LIST}/s1`)).toHaveLength(0);
  await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));
  expect(await screen.findByText(/No knowledge yet/)).toBeTruthy();
  expect(callsTo('DELETE', `${LIST}/s1`)).toHaveLength(1);
});

test('a member sees the sources and can search them, but cannot add or delete any', async () => {
  mockApi({
    'GET /auth/me': () => COMPANY_MEMBER,
    [`GET ${LIST}`]: () => ({ items: [source('s1', 'ready')] }),
  });
  show();
  expect(await screen.findByText(/You are a member: you can read and search the knowledge/)).toBeTruthy();
  expect(within(screen.getByTestId('source-s1')).getByText('ready')).toBeTruthy();
  expect(screen.getByLabelText('Query')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Delete Source s1' })).toBeNull();
  expect(screen.queryByText('Add knowledge')).toBeNull();
  expect(screen.queryByLabelText('Upload files')).toBeNull();
  expect(screen.queryByRole('tab', { name: 'FAQ' })).toBeNull();
});

test('an admin gets the add forms and the delete buttons, without the member note', async () => {
  mockApi({ [`GET ${LIST}`]: () => ({ items: [source('s1', 'ready')] }) });
  show();
  expect(await screen.findByRole('button', { name: 'Delete Source s1' })).toBeTruthy();
  expect(screen.getByText('Add knowledge')).toBeTruthy();
  expect(screen.getByLabelText('Upload files')).toBeTruthy();
  expect(screen.queryByText(/You are a member/)).toBeNull();
});

test('adds an FAQ entry after validating it, and says when it was already there', async () => {
  mockApi({
    [`GET ${LIST}`]: () => ({ items: [] }),
    [`POST ${LIST}`]: () => json({ sourceId: 's9', status: 'ready', duplicate: true }, 202),
  });
  show();
  await userEvent.click(await screen.findByRole('tab', { name: 'FAQ' }));
  await userEvent.click(screen.getByRole('button', { name: 'Add FAQ' }));
  expect(await screen.findByText('Enter the question')).toBeTruthy();
  expect(screen.getByText('Enter the answer')).toBeTruthy();
  expect(callsTo('POST', LIST)).toHaveLength(0);

  await userEvent.type(screen.getByLabelText(/Question/), 'How long does shipping take? ');
  await userEvent.type(screen.getByLabelText(/Answer/), 'Three to five working days.');
  await userEvent.click(screen.getByRole('button', { name: 'Add FAQ' }));
  await waitFor(() => expect(callsTo('POST', LIST)).toHaveLength(1));
  const post = callsTo('POST', LIST)[0];
  expect(JSON.parse(post.body)).toEqual({ type: 'faq', question: 'How long does shipping take?',
    answer: 'Three to five working days.' });
  expect(post.headers.get('Authorization')).toBe('Bearer tok-1');
  await waitFor(() => expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: 'Already there',
    message: expect.stringMatching(/already in the knowledge/) })));
  expect((screen.getByLabelText(/Question/) as HTMLInputElement).value).toBe('');
});

test("shows the server's field errors on the URL form", async () => {
  mockApi({
    [`GET ${LIST}`]: () => ({ items: [] }),
    [`POST ${LIST}`]: () => json({ status: 422, title: 'Unprocessable', errors: [{ field: 'url',
      message: 'must be an http or https URL' }] }, 422),
  });
  show();
  await userEvent.click(await screen.findByRole('tab', { name: 'URL' }));
  await userEvent.type(screen.getByLabelText(/Page URL/), 'ftp://example.com');
  await userEvent.click(screen.getByRole('button', { name: 'Add URL' }));
  expect(await screen.findByText('Use an http or https address')).toBeTruthy();
  expect(callsTo('POST', LIST)).toHaveLength(0);
  await userEvent.clear(screen.getByLabelText(/Page URL/));
  await userEvent.type(screen.getByLabelText(/Page URL/), 'https://example.com/help');
  await userEvent.click(screen.getByRole('button', { name: 'Add URL' }));
  expect(await screen.findByText('must be an http or https URL')).toBeTruthy();
  expect(JSON.parse(callsTo('POST', LIST)[0].body)).toEqual({ type: 'url', url: 'https://example.com/help' });
});

test('rejects unsupported and oversized files before uploading', async () => {
  FakeXhr.install();
  mockApi({ [`GET ${LIST}`]: () => ({ items: [] }) });
  show();
  const input = await screen.findByLabelText('Upload files');
  const exe = new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' });
  const huge = new File(['x'], 'manual.pdf', { type: 'application/pdf' });
  Object.defineProperty(huge, 'size', { value: 21 * 1024 * 1024 });
  const notes = new File(['hello'], 'notes.txt', { type: 'text/plain' });
  await userEvent.setup({ applyAccept: false }).upload(input, [exe, huge, notes]);
  expect(await screen.findByText('setup.exe: not a PDF, DOCX, HTML, Markdown or text file')).toBeTruthy();
  expect(screen.getByText('manual.pdf: larger than 20 MB (21.0 MB)')).toBeTruthy();
  // only the acceptable file goes to the server
  await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
  expect(((FakeXhr.instances[0].body as FormData).get('file') as File).name).toBe('notes.txt');
});

test('uploads each file with progress, the bearer token and problem toasts', async () => {
  FakeXhr.install();
  mockApi({ [`GET ${LIST}`]: () => ({ items: [] }) });
  show();
  const guide = new File(['# Shipping'], 'guide.md', { type: '' });
  const scan = new File(['%PDF'], 'scan.pdf', { type: 'application/pdf' });
  await userEvent.upload(await screen.findByLabelText('Upload files'), [guide, scan]);
  await waitFor(() => expect(FakeXhr.instances).toHaveLength(2));
  const [first, second] = FakeXhr.instances;
  expect(first.method).toBe('POST');
  expect(first.url).toBe(LIST);
  expect(first.headers.Authorization).toBe('Bearer tok-1');
  expect(((first.body as FormData).get('file') as File).name).toBe('guide.md');

  act(() => first.progress(50, 100));
  expect(await screen.findByText('50%')).toBeTruthy();
  expect(screen.getByRole('progressbar', { name: 'Upload of guide.md' }).getAttribute('aria-valuenow')).toBe('50');

  const listsBefore = callsTo('GET', LIST).length;
  act(() => {
    first.progress(100, 100);
    first.respond(202, { sourceId: 's1', status: 'queued', duplicate: false });
  });
  expect(await screen.findByText('Uploaded; queued for ingestion')).toBeTruthy();
  await waitFor(() => expect(callsTo('GET', LIST).length).toBeGreaterThan(listsBefore));

  act(() => second.respond(415, { status: 415, title: 'Unsupported file type',
    detail: 'Files of type application/zip cannot be ingested' }));
  expect(await screen.findByText('Files of type application/zip cannot be ingested')).toBeTruthy();
  expect(toast).toHaveBeenCalledWith(expect.objectContaining({ color: 'red', title: 'Unsupported file type' }));
});

test('refreshes a stale token before uploading', async () => {
  FakeXhr.install();
  signedIn('company', { accessToken: 'old', refreshToken: 'ref-1', expiresIn: 0 });
  mockApi({
    [`GET ${LIST}`]: () => ({ items: [] }),
    'POST /auth/refresh': () => ({ accessToken: 'tok-2', refreshToken: 'ref-2', expiresIn: 900 }),
  });
  show();
  const input = await screen.findByLabelText('Upload files');
  fireEvent.change(input, { target: { files: [new File(['hi'], 'notes.txt', { type: 'text/plain' })] } });
  await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
  expect(FakeXhr.instances[0].headers.Authorization).toBe('Bearer tok-2');
});

test('searches the knowledge and shows passages with their scores', async () => {
  mockApi({
    [`GET ${LIST}`]: () => ({ items: [source('s1', 'ready')] }),
    'GET /rag/agents/a1/search': () => ({ results: [
      { chunkId: 'c1', sourceId: 's1', title: 'Shipping guide', url: 'https://example.com/shipping',
        headingPath: ['Shipping', 'Delivery times'], text: 'Shipping takes three to five days.', score: 0.0327868,
        similarity: 0.81234, bm25: 4.2071 },
      { chunkId: 'c2', sourceId: 's2', title: 'Returns', headingPath: [], text: 'Returns are free.', score: 0.016,
        similarity: 0.4, bm25: 0 },
    ] }),
  });
  show();
  await userEvent.type(await screen.findByLabelText('Query'), 'shipping days');
  await userEvent.click(screen.getByRole('radio', { name: 'Keyword' }));
  await userEvent.click(screen.getByRole('button', { name: 'Search' }));

  const results = await screen.findByRole('list', { name: 'Search results' });
  const search = callsTo('GET', '/rag/agents/a1/search')[0];
  expect(Object.fromEntries(search.query)).toEqual({ q: 'shipping days', k: '5', mode: 'keyword' });
  const first = within(results).getByRole('listitem', { name: 'Result 1: Shipping guide' });
  expect(within(first).getByRole('link', { name: 'Shipping guide' }).getAttribute('href'))
    .toBe('https://example.com/shipping');
  expect(within(first).getByText('Shipping › Delivery times')).toBeTruthy();
  expect(within(first).getByText('Score 0.0328')).toBeTruthy();
  expect(within(first).getByText('Similarity 0.812')).toBeTruthy();
  expect(within(first).getByText('BM25 4.21')).toBeTruthy();
  expect([...first.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['Shipping', 'days']);
  expect(within(results).getByText('BM25 0.00')).toBeTruthy();
});
