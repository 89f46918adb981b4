// An agent's settings in one form (persona, behaviour, model, retrieval, widget, origins, identity, limits,
// publishing) with a live preview of the real widget; creates a new agent at /app/agents/new (showing its first
// widget API key once) and edits one on the Settings tab.
import { Alert, Anchor, Autocomplete, Badge, Button, ColorInput, Divider, Grid, Group, Input, Modal, NumberInput,
  Paper, PasswordInput, SegmentedControl, Select, Slider, Stack, Switch, TagsInput, Text, Textarea, TextInput,
  Title } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { companyApi, ok } from '../../api/client';
import { ApiError, notifyError, notifySuccess } from '../../api/problem';
import type { components } from '../../api/schema';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { KeyRevealModal, useCompanyAdmin } from './common';

type Agent = components['schemas']['Agent'];
type AgentRequest = components['schemas']['AgentRequest'];

// the JSON carries lower-case wire values ("openai-compatible"), whatever case the generated types show
const TONES = ['neutral', 'friendly', 'professional', 'casual', 'formal', 'concise', 'empathetic']
  .map((t) => ({ value: t, label: t[0].toUpperCase() + t.slice(1) }));
const PROVIDERS = [
  { value: 'extractive', label: 'Built-in extractive (no model, no key)' },
  { value: 'openai', label: 'OpenAI' },
  { value: 'gemini', label: 'Google Gemini' },
  { value: 'ollama', label: 'Ollama (self-hosted)' },
  { value: 'openai-compatible', label: 'OpenAI-compatible endpoint' },
];
const DEFAULT_MODELS: Record<string, string> = { openai: 'gpt-4o-mini', gemini: 'gemini-2.0-flash', ollama: 'llama3' };
const LANGUAGES = ['auto', 'en', 'de', 'fr', 'es', 'zh', 'pt-BR'];
const LANGUAGE_TAG = /^(auto|[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3})$/;
const COLOUR = /^#[0-9a-fA-F]{6}$/;

export interface AgentValues {
  name: string;
  description: string;
  systemPrompt: string;
  greeting: string;
  tone: string;
  language: string;
  fallbackMessage: string;
  handoffMessage: string;
  allowedTopics: string[];
  status: string;
  llm: { provider: string; model: string; baseUrl: string; apiKey: string; temperature: number;
    maxTokens: number | string };
  retrieval: { topK: number | string; minScore: number | string };
  widget: { mode: string; title: string; primaryColor: string; position: string; launcherIcon: string;
    suggestedQuestions: string[]; allowedOrigins: string[]; handoffUrl: string };
  identityVerification: { enabled: boolean; secret: string };
  limits: { requestsPerMinute: number | string; perEndUserPerMinute: number | string };
}

const lower = (value: unknown, fallback: string) => (value ? String(value).toLowerCase().replace(/_/g, '-') : fallback);

/** The form's values for an agent as read, or the server's defaults for a new one. */
function valuesOf(agent?: Agent): AgentValues {
  return {
    name: agent?.name ?? '',
    description: agent?.description ?? '',
    systemPrompt: agent?.systemPrompt ?? '',
    greeting: agent?.greeting ?? 'Hi! How can I help you today?',
    tone: lower(agent?.tone, 'friendly'),
    language: agent?.language ?? 'en',
    fallbackMessage: agent?.fallbackMessage
      ?? "Sorry, I don't have an answer to that yet. Would you like to talk to a person?",
    handoffMessage: agent?.handoffMessage ?? "I'll pass this conversation to a person from our team; they will get "
      + 'back to you here as soon as possible.',
    allowedTopics: agent?.allowedTopics ?? [],
    status: lower(agent?.status, 'draft'),
    llm: {
      provider: lower(agent?.llm?.provider, 'extractive'),
      model: agent?.llm?.model ?? '',
      baseUrl: agent?.llm?.baseUrl ?? '',
      apiKey: '',
      temperature: agent?.llm?.temperature ?? 0.2,
      maxTokens: agent?.llm?.maxTokens ?? 512,
    },
    retrieval: { topK: agent?.retrieval?.topK ?? 5, minScore: agent?.retrieval?.minScore ?? 0.2 },
    widget: {
      mode: lower(agent?.widget?.mode, 'chat'),
      title: agent?.widget?.title ?? '',
      primaryColor: agent?.widget?.primaryColor ?? '#2563eb',
      position: lower(agent?.widget?.position, 'bottom-right'),
      launcherIcon: lower(agent?.widget?.launcherIcon, 'chat'),
      suggestedQuestions: agent?.widget?.suggestedQuestions ?? [],
      allowedOrigins: agent?.widget?.allowedOrigins ?? [],
      handoffUrl: agent?.widget?.handoffUrl ?? '',
    },
    identityVerification: { enabled: agent?.identityVerification?.enabled ?? false, secret: '' },
    limits: {
      requestsPerMinute: agent?.limits?.requestsPerMinute ?? 60,
      perEndUserPerMinute: agent?.limits?.perEndUserPerMinute ?? 10,
    },
  };
}

const usesModel = (provider: string) => provider !== 'extractive';
const usesBaseUrl = (provider: string) => provider === 'ollama' || provider === 'openai-compatible';
const usesKey = (provider: string) => provider === 'openai' || provider === 'gemini' || provider === 'openai-compatible';

/**
 * The create/update body: the form's fields only. Write-only secrets go along only when typed, or as "" when their
 * removal was asked for; absent, the server keeps them.
 */
export function toRequest(v: AgentValues, secrets: { removeKey?: boolean; removeSecret?: boolean } = {}):
  AgentRequest {
  const provider = v.llm.provider;
  const llm: Record<string, unknown> = { provider };
  if (usesModel(provider)) {
    llm.model = v.llm.model.trim();
    llm.temperature = v.llm.temperature;
    llm.maxTokens = Number(v.llm.maxTokens);
  }
  if (usesBaseUrl(provider)) llm.baseUrl = v.llm.baseUrl.trim();
  if (secrets.removeKey) llm.apiKey = '';
  else if (usesKey(provider) && v.llm.apiKey) llm.apiKey = v.llm.apiKey;
  const identity: Record<string, unknown> = { enabled: v.identityVerification.enabled };
  if (secrets.removeSecret) identity.secret = '';
  else if (v.identityVerification.secret) identity.secret = v.identityVerification.secret;
  const body = {
    name: v.name.trim(),
    description: v.description,
    systemPrompt: v.systemPrompt,
    greeting: v.greeting,
    tone: v.tone,
    language: v.language.trim(),
    fallbackMessage: v.fallbackMessage,
    handoffMessage: v.handoffMessage,
    allowedTopics: v.allowedTopics,
    status: v.status,
    llm,
    retrieval: { topK: Number(v.retrieval.topK), minScore: Number(v.retrieval.minScore) },
    widget: {
      mode: v.widget.mode,
      title: v.widget.title.trim(),
      primaryColor: v.widget.primaryColor.trim(),
      position: v.widget.position,
      launcherIcon: v.widget.launcherIcon,
      suggestedQuestions: v.widget.suggestedQuestions,
      allowedOrigins: v.widget.allowedOrigins,
      handoffUrl: v.widget.handoffUrl.trim(),
    },
    identityVerification: identity,
    limits: { requestsPerMinute: Number(v.limits.requestsPerMinute),
      perEndUserPerMinute: Number(v.limits.perEndUserPerMinute) },
  };
  return body as unknown as AgentRequest;
}

/** The widget's config shape (GET /agent/config) from the form's current, unsaved values. */
function previewConfig(v: AgentValues, agentId: string | undefined) {
  return {
    agentId: agentId || 'preview',
    name: v.name || 'Your agent',
    greeting: v.greeting || null,
    language: LANGUAGE_TAG.test(v.language) ? v.language : 'en',
    mode: v.widget.mode,
    title: v.widget.title || v.name || 'Your agent',
    primaryColor: COLOUR.test(v.widget.primaryColor) ? v.widget.primaryColor : '#2563eb',
    position: v.widget.position,
    launcherIcon: v.widget.launcherIcon,
    handoffUrl: v.widget.handoffUrl.trim() || null,
    suggestedQuestions: v.widget.suggestedQuestions,
    identityVerification: false,
  };
}

const PREVIEW_DOC = `<!doctype html><html><head><meta charset="utf-8"><title>Widget preview</title><style>
body{margin:0;font:14px/1.5 system-ui,sans-serif;color:#495057;background:#f8f9fa}
main{padding:20px}.bar{height:10px;border-radius:5px;background:#dee2e6;margin:10px 0}
</style></head><body><main><div class="bar" style="width:40%"></div><div class="bar" style="width:85%"></div>
<div class="bar" style="width:70%"></div><div data-engage-inline></div></main>
<script src="/widget.js" data-engage-key="preview" data-engage-preview async></script></body></html>`;

type EngageFn = (command: string, argument?: unknown) => unknown;

/** The real widget (widget.js in preview mode) in an iframe, fed the form's values as they change. */
function WidgetPreview({ config }: { config: ReturnType<typeof previewConfig> }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [loaded, setLoaded] = useState(false);
  const [debounced] = useDebouncedValue(JSON.stringify(config), 200);
  useEffect(() => {
    if (!loaded) return;
    const engage = (frame.current?.contentWindow as (Window & { Engage?: EngageFn }) | null)?.Engage;
    if (typeof engage !== 'function') return;
    engage('preview', JSON.parse(debounced));
    engage('open');
  }, [loaded, debounced]);
  return (
    <Paper withBorder radius="md" p="xs">
      <Group justify="space-between" px="xs" pb="xs">
        <Text fw={600} size="sm">Live preview</Text>
        <Text size="xs" c="dimmed">Unsaved settings; questions are disabled here</Text>
      </Group>
      <iframe ref={frame} title="Widget preview" srcDoc={PREVIEW_DOC} onLoad={() => setLoaded(true)}
        style={{ display: 'block', width: '100%', height: 620, border: 0, borderRadius: 8, background: '#f8f9fa' }} />
    </Paper>
  );
}

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={4}>{title}</Title>
      {description && <Text size="sm" c="dimmed">{description}</Text>}
      <Stack mt="md" gap="sm">{children}</Stack>
    </Paper>
  );
}

/** Every leaf path of the form's values (arrays are leaves), to tell which server field errors belong to a field. */
function leafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) => (v && typeof v === 'object' && !Array.isArray(v)
    ? leafPaths(v, prefix + key + '.') : [prefix + key]));
}

/** Puts the server's field errors (e.g. "widget.allowedOrigins[1]") on the form's fields; false when none fit. */
function applyFieldErrors(form: UseFormReturnType<AgentValues>, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const known = new Set(leafPaths(form.getValues()));
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    const path = field.replace(/\[.*$/, '');
    if (known.has(path)) errors[path] = errors[path] ? errors[path] + '; ' + message : message;
  }
  if (!Object.keys(errors).length) return false;
  form.setErrors(errors);
  notifyError(error, 'Check the highlighted fields');
  return true;
}

function DeleteAgent({ agent }: { agent: Agent }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: () => ok(companyApi.DELETE('/company/agents/{agentId}', { params: { path: { agentId: agent.id! } } })),
    onSuccess: () => {
      notifySuccess(`Agent "${agent.name}" was deleted`);
      client.removeQueries({ queryKey: ['agent', agent.id] });
      client.invalidateQueries({ queryKey: ['agents'] });
      navigate('/app/agents', { replace: true });
    },
    onError: (e) => notifyError(e, 'Could not delete the agent'),
  });
  return (
    <Paper withBorder p="md" radius="md" style={{ borderColor: 'var(--mantine-color-red-4)' }} component="section"
      aria-label="Danger zone">
      <Title order={4} c="red.7">Danger zone</Title>
      <Group justify="space-between" mt="xs" wrap="wrap">
        <Text size="sm" c="dimmed" maw={520}>Deleting the agent removes its keys, knowledge, end-users, conversations
          and memory. Widgets using it stop working. This cannot be undone.</Text>
        <Button color="red" variant="outline" onClick={() => setOpened(true)}>Delete agent</Button>
      </Group>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Delete this agent?">
        <Stack>
          <Text size="sm">Type <b>{agent.name}</b> to confirm.</Text>
          <TextInput label="Agent name" value={typed} onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off" data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>Cancel</Button>
            <Button color="red" disabled={typed !== agent.name} loading={remove.isPending}
              onClick={() => remove.mutate()}>Delete forever</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

function AgentForm({ agent, readOnly }: { agent?: Agent; readOnly: boolean }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const wide = useMediaQuery('(min-width: 75em)');
  const [removeKey, setRemoveKey] = useState(false);
  const [removeSecret, setRemoveSecret] = useState(false);
  const [created, setCreated] = useState<{ id: string; apiKey: string } | null>(null);
  const form = useForm<AgentValues>({
    initialValues: valuesOf(agent),
    validate: {
      name: (v) => (!v.trim() ? 'Give the agent a name' : v.length > 100 ? 'At most 100 characters' : null),
      description: (v) => (v.length > 1000 ? 'At most 1000 characters' : null),
      systemPrompt: (v) => (v.length > 8000 ? 'At most 8000 characters' : null),
      greeting: (v) => (v.length > 500 ? 'At most 500 characters' : null),
      language: (v) => (LANGUAGE_TAG.test(v.trim()) ? null : "Use 'auto' or a language tag such as en or pt-BR"),
      fallbackMessage: (v) => (v.length > 1000 ? 'At most 1000 characters' : null),
      handoffMessage: (v) => (v.length > 1000 ? 'At most 1000 characters' : null),
      allowedTopics: (v) => (v.length > 20 ? 'At most 20 topics' : v.some((t) => t.length > 100)
        ? 'Each topic at most 100 characters' : null),
      llm: {
        model: (v, values) => (values.llm.provider === 'openai-compatible' && !v.trim()
          ? 'Required for an OpenAI-compatible endpoint' : v.length > 200 ? 'At most 200 characters' : null),
        baseUrl: (v, values) => {
          if (!usesBaseUrl(values.llm.provider)) return null;
          if (!v.trim()) return values.llm.provider === 'openai-compatible' ? 'Required for this provider' : null;
          return /^https?:\/\/[^\s/]+/i.test(v.trim()) ? null : 'Enter an http:// or https:// URL';
        },
        apiKey: (v) => (v.length > 1000 ? 'At most 1000 characters' : null),
        maxTokens: (v, values) => (!usesModel(values.llm.provider) || (Number.isInteger(v) && +v >= 1 && +v <= 32000)
          ? null : 'Between 1 and 32000'),
      },
      retrieval: {
        topK: (v) => (Number.isInteger(v) && +v >= 1 && +v <= 50 ? null : 'Between 1 and 50'),
        minScore: (v) => (v !== '' && +v >= 0 && +v <= 1 ? null : 'Between 0 and 1'),
      },
      widget: {
        title: (v) => (v.length > 100 ? 'At most 100 characters' : null),
        primaryColor: (v) => (COLOUR.test(v.trim()) ? null : 'Enter a colour like #2563eb'),
        suggestedQuestions: (v) => (v.length > 10 ? 'At most 10 questions' : v.some((q) => q.length > 200)
          ? 'Each question at most 200 characters' : null),
        allowedOrigins: (v) => (v.length > 50 ? 'At most 50 origins'
          : v.find((o) => o !== '*' && !/^https?:\/\/[^\s/]+\/?$/i.test(o.trim()))
            ? 'Each origin is "*" or like https://www.example.com (no path)' : null),
        handoffUrl: (v) => (!v.trim() || /^(https?:\/\/\S+|mailto:\S+@\S+)$/i.test(v.trim()) ? null
          : 'Enter an https:// or mailto: link'),
      },
      identityVerification: {
        secret: (v, values) => {
          if (v && v.length < 16) return 'At least 16 characters';
          if (v.length > 500) return 'At most 500 characters';
          const secretSet = agent?.identityVerification?.secretSet && !removeSecret;
          return values.identityVerification.enabled && !v && !secretSet
            ? 'Required when identity verification is on' : null;
        },
      },
      limits: {
        requestsPerMinute: (v) => (Number.isInteger(v) && +v >= 1 && +v <= 100000 ? null : 'Between 1 and 100000'),
        perEndUserPerMinute: (v) => (Number.isInteger(v) && +v >= 1 && +v <= 10000 ? null : 'Between 1 and 10000'),
      },
    },
  });
  const v = form.getValues();
  const changeProvider = (value: string | null) => {
    if (!value || value === form.values.llm.provider) return;
    // a new provider starts from its own defaults (the server drops the old model, endpoint and key); going back to
    // the saved provider brings its saved settings back
    const saved = agent && value === lower(agent.llm?.provider, 'extractive') ? valuesOf(agent).llm : null;
    form.setFieldValue('llm', { ...form.values.llm, provider: value, model: saved?.model ?? '',
      baseUrl: saved?.baseUrl || (value === 'ollama' ? 'http://localhost:11434' : ''), apiKey: '' });
  };
  const provider = form.values.llm.provider;
  const sameProvider = !!agent && provider === lower(agent.llm?.provider, 'extractive');
  const keySet = sameProvider && !!agent?.llm?.apiKeySet;
  const secretSet = !!agent?.identityVerification?.secretSet;

  const save = useMutation({
    mutationFn: async (values: AgentValues) => {
      const body = toRequest(values, { removeKey, removeSecret });
      if (!agent) return ok(companyApi.POST('/company/agents', { body }));
      return ok(companyApi.PUT('/company/agents/{agentId}', { params: { path: { agentId: agent.id! } }, body }));
    },
    onSuccess: (saved) => {
      client.invalidateQueries({ queryKey: ['agents'] });
      client.setQueryData(['agent', saved.id], saved);
      setRemoveKey(false);
      setRemoveSecret(false);
      if (!agent) {
        const withKey = saved as components['schemas']['AgentWithKey'];
        if (withKey.apiKey) setCreated({ id: saved.id!, apiKey: withKey.apiKey });
        else navigate(`/app/agents/${saved.id}`, { replace: true });
        return;
      }
      const next = valuesOf(saved);
      form.setInitialValues(next);
      form.setValues(next);
      form.resetDirty(next);
      notifySuccess('Settings saved');
    },
    onError: (e) => {
      if (!applyFieldErrors(form, e)) notifyError(e, 'Could not save the agent');
    },
  });

  const preview = <WidgetPreview config={previewConfig(v, agent?.id)} />;

  const fields = (
    <Stack>
      <Section title="Persona" description="Who the agent is and how it talks.">
        <TextInput label="Name" required description="Shown in the widget's header unless a title is set."
          {...form.getInputProps('name')} />
        <Textarea label="Description" description="For your team only." autosize minRows={2}
          {...form.getInputProps('description')} />
        <Textarea label="System prompt" autosize minRows={4} maxRows={14}
          description="Instructions the model follows on every answer (not used by the built-in extractive responder)."
          {...form.getInputProps('systemPrompt')} />
        <Textarea label="Greeting" description="The first message visitors see." autosize minRows={2}
          {...form.getInputProps('greeting')} />
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select label="Tone" data={TONES} allowDeselect={false} {...form.getInputProps('tone')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Autocomplete label="Language" data={LANGUAGES}
              description="'auto' follows the visitor's browser; or a tag like en, de, fr, es, zh, pt-BR."
              {...form.getInputProps('language')} />
          </Grid.Col>
        </Grid>
      </Section>

      <Section title="Behaviour" description="What happens when the agent cannot help.">
        <Textarea label="Fallback message" autosize minRows={2}
          description="Said when the knowledge has no good answer." {...form.getInputProps('fallbackMessage')} />
        <Textarea label="Handoff message" autosize minRows={2}
          description="Said when the conversation is passed to a person." {...form.getInputProps('handoffMessage')} />
        <TagsInput label="Allowed topics" placeholder="Type a topic and press Enter" maxTags={20} clearable
          description="Leave empty to allow any topic covered by the knowledge; up to 20."
          {...form.getInputProps('allowedTopics')} />
      </Section>

      <Section title="Model" description="Which model composes the answers from the retrieved knowledge.">
        <Select label="Provider" data={PROVIDERS} allowDeselect={false}
          description="The Engage server calls the model; keys never reach the browser."
          {...form.getInputProps('llm.provider')} onChange={changeProvider} />
        {provider === 'extractive' && (
          <Text size="sm" c="dimmed">The built-in responder answers with the best matching passages of the knowledge.
            It needs no model and no key, and works offline.</Text>
        )}
        {usesModel(provider) && (
          <TextInput label="Model" required={provider === 'openai-compatible'}
            placeholder={DEFAULT_MODELS[provider] || 'e.g. mistral-small'}
            description={DEFAULT_MODELS[provider] ? `Leave empty for the default, ${DEFAULT_MODELS[provider]}.`
              : 'The model name your endpoint expects.'}
            {...form.getInputProps('llm.model')} />
        )}
        {usesBaseUrl(provider) && (
          <TextInput label="Base URL" required={provider === 'openai-compatible'}
            placeholder={provider === 'ollama' ? 'http://localhost:11434' : 'https://api.example.com/v1'}
            description="Where the Engage server reaches the model (from the server, not the browser)."
            {...form.getInputProps('llm.baseUrl')} />
        )}
        {usesKey(provider) && (
          <Stack gap={4}>
            <PasswordInput label="API key" autoComplete="new-password" disabled={removeKey}
              placeholder={keySet && !removeKey ? '••••••••  (unchanged)' : undefined}
              description={removeKey ? 'The key will be removed when you save.'
                : keySet ? 'A key is set — leave empty to keep it.'
                  : 'Stored encrypted; it is never shown again.'}
              {...form.getInputProps('llm.apiKey')} />
            {keySet && (
              <Group gap="xs">
                {removeKey
                  ? <Button size="compact-xs" variant="subtle" onClick={() => setRemoveKey(false)}>Keep the key</Button>
                  : <Button size="compact-xs" variant="subtle" color="red" onClick={() => {
                    setRemoveKey(true);
                    form.setFieldValue('llm.apiKey', '');
                  }}>Remove key</Button>}
              </Group>
            )}
          </Stack>
        )}
        {usesModel(provider) && (
          <Grid>
            <Grid.Col span={{ base: 12, sm: 7 }}>
              <Input.Wrapper label="Temperature" description="Lower is more factual, higher more varied (0–2).">
                <Slider mt="xs" mb="lg" min={0} max={2} step={0.1} thumbLabel="Temperature"
                  marks={[{ value: 0, label: '0' }, { value: 1, label: '1' }, { value: 2, label: '2' }]}
                  {...form.getInputProps('llm.temperature')} />
              </Input.Wrapper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 5 }}>
              <NumberInput label="Max tokens" description="Longest answer, 1–32000." min={1} max={32000}
                allowDecimal={false} {...form.getInputProps('llm.maxTokens')} />
            </Grid.Col>
          </Grid>
        )}
      </Section>

      <Section title="Retrieval" description="How much knowledge each answer draws on.">
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NumberInput label="Passages per answer (top K)" description="1–50" min={1} max={50}
              allowDecimal={false} {...form.getInputProps('retrieval.topK')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NumberInput label="Minimum score" description="0–1: passages scoring lower are ignored." min={0} max={1}
              step={0.05} decimalScale={2} {...form.getInputProps('retrieval.minScore')} />
          </Grid.Col>
        </Grid>
      </Section>

      <Section title="Widget appearance" description="How the widget looks on your site; the preview follows along.">
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select label="Format" allowDeselect={false} data={[{ value: 'chat', label: 'Chat box' },
              { value: 'qa', label: 'Q&A help panel' }, { value: 'inline', label: 'Inline in the page' }]}
            description="Inline needs an element with data-engage-inline or data-engage-target."
            {...form.getInputProps('widget.mode')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Title" description="The panel's header; empty uses the name."
              {...form.getInputProps('widget.title')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <ColorInput label="Primary colour" format="hex" description="Like #2563eb; text on it adapts."
              swatches={['#2563eb', '#0ca678', '#7048e8', '#e8590c', '#c2255c', '#212529']}
              {...form.getInputProps('widget.primaryColor')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select label="Position" allowDeselect={false} data={[{ value: 'bottom-right', label: 'Bottom right' },
              { value: 'bottom-left', label: 'Bottom left' }]} {...form.getInputProps('widget.position')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select label="Launcher icon" allowDeselect={false} data={[{ value: 'chat', label: 'Chat bubble' },
              { value: 'help', label: 'Question mark' }, { value: 'sparkles', label: 'Sparkles' }]}
            {...form.getInputProps('widget.launcherIcon')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Handoff link" placeholder="https://example.com/contact or mailto:help@example.com"
              description='Where "Talk to a human" leads; empty hides the button.'
              {...form.getInputProps('widget.handoffUrl')} />
          </Grid.Col>
        </Grid>
        <TagsInput label="Suggested questions" placeholder="Type a question and press Enter" maxTags={10}
          splitChars={[]} clearable description="Shown as one-click chips before the first question; up to 10."
          {...form.getInputProps('widget.suggestedQuestions')} />
        {!wide && preview}
      </Section>

      <Section title="Allowed origins" description="The sites where the published widget may run.">
        <TagsInput label="Origins" placeholder="https://www.example.com" splitChars={[',', ' ']} clearable
          description='Scheme, host and optional port, no path; "*" allows any site. Up to 50.'
          {...form.getInputProps('widget.allowedOrigins')} />
        <Text size="xs" c="dimmed">A draft agent answers only on this Engage server's own pages (the preview and the
          demo page) and to server-side API calls; other sites get an error until it is published.</Text>
      </Section>

      <Section title="Identity verification"
        description="Trust the userId your site passes to Engage('identify') only when it is signed.">
        <Switch label="Require a signed userHash" description="Your server computes HMAC-SHA256 of the userId with
          this secret; unsigned or wrongly signed identities are refused."
        {...form.getInputProps('identityVerification.enabled', { type: 'checkbox' })} />
        <PasswordInput label="Signing secret" autoComplete="new-password" disabled={removeSecret}
          description={removeSecret ? 'The secret will be removed when you save.'
            : secretSet ? 'A secret is set — leave empty to keep it.' : 'At least 16 characters; never shown again.'}
          {...form.getInputProps('identityVerification.secret')} />
        {secretSet && (
          <Group gap="xs">
            {removeSecret
              ? <Button size="compact-xs" variant="subtle" onClick={() => setRemoveSecret(false)}>Keep the secret</Button>
              : <Button size="compact-xs" variant="subtle" color="red" onClick={() => {
                setRemoveSecret(true);
                form.setFieldValue('identityVerification.secret', '');
              }}>Remove secret</Button>}
          </Group>
        )}
      </Section>

      <Section title="Limits" description="Protect your model budget from bursts and abuse.">
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NumberInput label="Questions per minute (agent)" description="All visitors together, 1–100000."
              min={1} max={100000} allowDecimal={false} {...form.getInputProps('limits.requestsPerMinute')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NumberInput label="Questions per minute (per visitor)" description="Each end-user, 1–10000."
              min={1} max={10000} allowDecimal={false} {...form.getInputProps('limits.perEndUserPerMinute')} />
          </Grid.Col>
        </Grid>
      </Section>

      <Section title="Publish">
        <SegmentedControl aria-label="Status" data={[{ value: 'draft', label: 'Draft' },
          { value: 'published', label: 'Published' }]} {...form.getInputProps('status')} />
        <Text size="sm" c="dimmed">
          {form.values.status === 'published'
            ? 'Published: the widget answers on the allowed origins above.'
            : 'Draft: the agent answers only on this server (preview, demo page, server-side API calls). Publish it '
              + 'when its knowledge is ready and the allowed origins are set.'}
        </Text>
        {form.values.status === 'published' && form.values.widget.allowedOrigins.length === 0 && (
          <Alert color="yellow">No allowed origins yet: the widget will refuse every site. Add your site's origin
            above.</Alert>
        )}
      </Section>
    </Stack>
  );

  return (
    <>
      <form noValidate onSubmit={form.onSubmit((values) => save.mutate(values),
        () => notifyError(new Error('Some fields need attention'), 'Check the highlighted fields'))}>
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <div style={{ display: 'flex', gap: 'var(--mantine-spacing-lg)', alignItems: 'flex-start' }}>
            <div style={{ flex: '1 1 0', minWidth: 0 }}>{fields}</div>
            {wide && <div style={{ width: 420, flex: 'none', position: 'sticky', top: 72 }}>{preview}</div>}
          </div>
          {!readOnly && (
            <Paper withBorder shadow="sm" p="sm" mt="md" radius="md"
              style={{ position: 'sticky', bottom: 8, zIndex: 5 }}>
              <Group justify="space-between" wrap="wrap">
                <Text size="sm" c="dimmed">
                  {agent ? (form.isDirty() || removeKey || removeSecret ? 'Unsaved changes' : 'All changes saved')
                    : 'The agent is created as set here; its widget API key is shown once.'}
                </Text>
                <Group gap="sm">
                  {agent ? (
                    <Button variant="default" disabled={!form.isDirty() && !removeKey && !removeSecret}
                      onClick={() => {
                        form.reset();
                        setRemoveKey(false);
                        setRemoveSecret(false);
                      }}>Discard</Button>
                  ) : <Button variant="default" component={Link} to="/app/agents">Cancel</Button>}
                  <Button type="submit" loading={save.isPending}>{agent ? 'Save changes' : 'Create agent'}</Button>
                </Group>
              </Group>
            </Paper>
          )}
        </fieldset>
      </form>
      {agent && !readOnly && <Divider my="lg" />}
      {agent && !readOnly && <DeleteAgent agent={agent} />}
      <KeyRevealModal apiKey={created?.apiKey || null} title="Agent created: its widget API key"
        onClose={() => created && navigate(`/app/agents/${created.id}`, { replace: true })} />
    </>
  );
}

export default function AgentEditor() {
  const { agentId } = useParams();
  const admin = useCompanyAdmin();
  const readOnly = admin !== true; // members read only; nothing editable before the role is known
  const memberNote = admin === false && <Alert color="blue" mb="md">You are a member: settings are read-only.
    Company admins can change them.</Alert>;
  const query = useQuery({
    queryKey: ['agent', agentId],
    queryFn: () => ok(companyApi.GET('/company/agents/{agentId}', { params: { path: { agentId: agentId! } } })),
    enabled: !!agentId,
  });

  if (!agentId) {
    return (
      <>
        <PageHeader title="New agent" description={<>Set it up now or later; everything can be changed afterwards.{' '}
          <Anchor component={Link} to="/app/agents" size="sm">Back to agents</Anchor></>} />
        {memberNote}
        <AgentForm readOnly={readOnly} />
      </>
    );
  }
  return (
    <DataState query={query}>
      {(agent) => (
        <>
          <PageHeader title={agent.name || 'Agent'} description={agent.description || undefined}
            actions={<Badge size="lg" variant="light" color={lower(agent.status, 'draft') === 'published' ? 'teal'
              : 'gray'}>{lower(agent.status, 'draft') === 'published' ? 'Published' : 'Draft'}</Badge>} />
          {memberNote}
          <AgentForm key={`${agent.id}`} agent={agent} readOnly={readOnly} />
        </>
      )}
    </DataState>
  );
}
