import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test, vi } from 'vitest';
import { renderPage } from '../../test/render';
import AgentEditor from './AgentEditor';
import { type Call, json, problem, serve } from './testing';

// before the API client is created (it keeps the fetch it finds)
const fetchMock = await vi.hoisted(async () => (await import('./testing')).installFetch());

const agent = {
  id: 'a1', companyId: 'c1', name: 'Support', description: 'Front desk', systemPrompt: 'Be brief.',
  greeting: 'Hello!', tone: 'friendly', language: 'en', fallbackMessage: 'Sorry.', allowedTopics: ['shipping'],
  handoffMessage: 'A person will help.', status: 'draft',
  llm: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: null, apiKeySet: true, temperature: 0.2, maxTokens: 512 },
  retrieval: { topK: 5, minScore: 0.2 },
  widget: { mode: 'chat', title: 'Support', primaryColor: '#2563eb', position: 'bottom-right', suggestedQuestions: [],
    allowedOrigins: ['https://www.acme.test'], launcherIcon: 'chat', handoffUrl: null },
  identityVerification: { enabled: false, secretSet: false },
  limits: { requestsPerMinute: 60, perEndUserPerMinute: 10 },
  createdAt: '2025-01-01T10:00:00Z', updatedAt: '2025-01-02T10:00:00Z',
};
const edit = { path: '/app/agents/a1', route: '/app/agents/:agentId' };

/** Like the server: fields present replace, the key is write-only (reads say whether one is set). */
function merged(call: Call) {
  const { llm: { apiKey, ...llm }, ...rest } = call.body as { llm: { apiKey?: string } };
  return { ...agent, ...rest, llm: { ...agent.llm, ...llm,
    apiKeySet: apiKey === undefined ? agent.llm.apiKeySet : apiKey !== '' } };
}

function api(put: (call: Call) => unknown = merged) {
  return serve(fetchMock, {
    'GET /auth/me': () => ({ userId: 'u1', role: 'COMPANY_ADMIN' }),
    'GET /company/agents/a1': () => agent,
    'PUT /company/agents/a1': put,
  });
}

const lastPut = (calls: Call[]) => calls.filter((c) => c.method === 'PUT').at(-1)?.body as Record<string, any>;

test('shows the form with the saved settings, a live preview, and the key as set', async () => {
  api();
  renderPage(<AgentEditor />, edit);
  expect(await screen.findByDisplayValue('Be brief.')).toBeTruthy();
  expect((screen.getByLabelText(/^Name/) as HTMLInputElement).value).toBe('Support');
  expect(screen.getByText('A key is set — leave empty to keep it.')).toBeTruthy();
  const frame = screen.getByTitle('Widget preview') as HTMLIFrameElement;
  expect(frame.getAttribute('srcdoc')).toContain('<script src="/widget.js" data-engage-key="preview" '
    + 'data-engage-preview async></script>');
});

test('validates the colour and the language before saving', async () => {
  const calls = api();
  renderPage(<AgentEditor />, edit);
  const colour = await screen.findByLabelText(/Primary colour/);
  await userEvent.clear(colour);
  await userEvent.type(colour, 'blue');
  const language = screen.getByRole('textbox', { name: /^Language/ });
  await userEvent.clear(language);
  await userEvent.type(language, 'english!');
  fireEvent.submit(screen.getByRole('button', { name: 'Save changes' }).closest('form')!);
  expect(await screen.findByText('Enter a colour like #2563eb')).toBeTruthy();
  expect(screen.getByText("Use 'auto' or a language tag such as en or pt-BR")).toBeTruthy();
  expect(calls.some((c) => c.method === 'PUT')).toBe(false);
});

test('saves the form fields only, without the write-only key unless it is removed', async () => {
  const calls = api();
  renderPage(<AgentEditor />, edit);
  const greeting = await screen.findByLabelText(/^Greeting/);
  await userEvent.clear(greeting);
  await userEvent.type(greeting, 'Welcome!');
  await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
  await waitFor(() => expect(lastPut(calls)).toBeTruthy());
  const body = lastPut(calls);
  expect(body.greeting).toBe('Welcome!');
  expect(Object.keys(body).sort()).toEqual(['allowedTopics', 'description', 'fallbackMessage', 'greeting',
    'handoffMessage', 'identityVerification', 'language', 'limits', 'llm', 'name', 'retrieval', 'status',
    'systemPrompt', 'tone', 'widget']);
  expect(body.llm).toEqual({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.2, maxTokens: 512 });
  expect(body.identityVerification).toEqual({ enabled: false });
  expect(body.tone).toBe('friendly');
  expect(body.widget.primaryColor).toBe('#2563eb');
  expect(body.widget.position).toBe('bottom-right');
  expect(await screen.findByText('All changes saved')).toBeTruthy();

  // a new key is sent as typed
  await userEvent.type(screen.getByLabelText(/^API key/), 'sk-new-key');
  await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
  await waitFor(() => expect(lastPut(calls).llm.apiKey).toBe('sk-new-key'));

  // "Remove key" sends "" to clear it
  await userEvent.click(await screen.findByRole('button', { name: 'Remove key' }));
  expect(screen.getByText('The key will be removed when you save.')).toBeTruthy();
  const puts = calls.filter((c) => c.method === 'PUT').length;
  await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
  await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(puts + 1));
  expect(lastPut(calls).llm.apiKey).toBe('');
});

test("puts the server's field errors on the fields", async () => {
  api(() => problem(422, 'widget.allowedOrigins[0]: must be "*" or an origin', [
    { field: 'widget.allowedOrigins[0]', message: 'must be "*" or an origin like https://www.example.com' },
    { field: 'llm.model', message: 'size must be between 0 and 200' },
  ]));
  renderPage(<AgentEditor />, edit);
  await userEvent.click(await screen.findByRole('button', { name: 'Save changes' }));
  expect(await screen.findByText('must be "*" or an origin like https://www.example.com')).toBeTruthy();
  expect(screen.getByText('size must be between 0 and 200')).toBeTruthy();
  expect(screen.getByRole('textbox', { name: /^Model/ }).getAttribute('aria-invalid')).toBe('true');
});

test('creating shows the new key once with the snippet, then opens the agent', async () => {
  const calls = serve(fetchMock, {
    'GET /auth/me': () => ({ userId: 'u1', role: 'COMPANY_ADMIN' }),
    'POST /company/agents': (call) => json({ ...agent, ...(call.body as object), id: 'a2',
      apiKey: 'ek_created_0123456789abcdef', apiKeyId: 'k1' }, 201),
  });
  const { router } = renderPage(<AgentEditor />, { path: '/app/agents/new', route: '/app/agents/new' });
  await userEvent.click(await screen.findByRole('button', { name: 'Create agent' }));
  expect(await screen.findByText('Give the agent a name')).toBeTruthy();
  expect(calls.some((c) => c.method === 'POST')).toBe(false);

  await userEvent.type(screen.getByLabelText(/^Name/), 'Sales');
  await userEvent.click(screen.getByRole('button', { name: 'Create agent' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByText('ek_created_0123456789abcdef')).toBeTruthy();
  expect(within(dialog).getByText(/data-engage-key="ek_created_0123456789abcdef"/)).toBeTruthy();
  expect(within(dialog).getByRole('button', { name: 'Copy API key' })).toBeTruthy();
  const post = calls.find((c) => c.method === 'POST')!.body as Record<string, any>;
  expect(post.name).toBe('Sales');
  expect(post.status).toBe('draft');
  expect(post.llm).toEqual({ provider: 'extractive' });
  await userEvent.click(within(dialog).getByRole('button', { name: 'I have copied the key' }));
  await waitFor(() => expect(router.state.location.pathname).toBe('/app/agents/a2'));
});

test('a member sees the settings read-only: disabled fields, no save and no delete', async () => {
  const calls = serve(fetchMock, {
    'GET /auth/me': () => ({ userId: 'u2', role: 'COMPANY_MEMBER' }),
    'GET /company/agents/a1': () => agent,
  });
  renderPage(<AgentEditor />, edit);
  expect(await screen.findByText(/You are a member: settings are read-only/)).toBeTruthy();
  const name = screen.getByLabelText(/^Name/) as HTMLInputElement;
  expect(name.value).toBe('Support');
  expect(name.matches(':disabled')).toBe(true);
  expect((screen.getByDisplayValue('Be brief.') as HTMLTextAreaElement).matches(':disabled')).toBe(true);
  expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Delete agent' })).toBeNull();
  expect(calls.every((c) => c.method === 'GET')).toBe(true);
});
