// Forms adding a URL, a text or an FAQ pair. The server answers 202 at once (ingestion runs in the background) and
// says "duplicate" when the same content was added before.
import { Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { companyApi, ok } from '../../api/client';
import { ApiError, notifyError, notifySuccess } from '../../api/problem';
import type { components } from '../../api/schema';
import { knowledgeKey } from './SourcesTable';
import type { Accepted } from './types';

type Body =
  | { type: 'url'; url: string; title?: string }
  | { type: 'text'; content: string; title?: string }
  | { type: 'faq'; question: string; answer: string };

const blank = (value: string) => value.trim() === '';
const tooLong = (value: string, max: number) => value.length > max ? `At most ${max} characters` : null;

function useAddKnowledge(agentId: string, what: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) => ok(companyApi.POST('/company/agents/{agentId}/knowledge', {
      params: { path: { agentId } },
      // the wire form of the type is lower case (see types.ts)
      body: body as unknown as components['schemas']['AddKnowledgeRequest'],
    })) as Promise<Accepted>,
    onSuccess: (accepted) => {
      if (accepted.duplicate) {
        notifications.show({ color: 'yellow', title: 'Already there',
          message: `This ${what} was already in the knowledge; nothing new was added.` });
      } else {
        notifySuccess(`${what[0].toUpperCase()}${what.slice(1)} added; it is being ingested.`);
      }
      return queryClient.invalidateQueries({ queryKey: knowledgeKey(agentId) });
    },
  });
}

/** Submits, resets on success, maps the server's field errors onto the form, toasts other failures. */
function submitter<V extends Record<string, unknown>>(form: ReturnType<typeof useForm<V>>,
  mutation: ReturnType<typeof useAddKnowledge>, toBody: (values: V) => Body) {
  return form.onSubmit(async (values) => {
    try {
      await mutation.mutateAsync(toBody(values));
      form.reset();
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldErrors() : {};
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      else notifyError(error, 'Could not add the knowledge');
    }
  });
}

function optional(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}

export function AddUrlForm({ agentId }: { agentId: string }) {
  const form = useForm({
    initialValues: { url: '', title: '' },
    validate: {
      url: (value) => {
        if (blank(value)) return 'Enter the page address';
        try {
          const url = new URL(value.trim());
          if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Use an http or https address';
        } catch {
          return 'Enter a full address, like https://example.com/help';
        }
        return tooLong(value, 2000);
      },
      title: (value) => tooLong(value, 500),
    },
  });
  const mutation = useAddKnowledge(agentId, 'page');
  return (
    <form noValidate onSubmit={submitter(form, mutation, (v) => ({ type: 'url', url: v.url.trim(),
      title: optional(v.title) }))}>
      <Stack gap="sm">
        <TextInput label="Page URL" placeholder="https://example.com/help/shipping" required type="url"
          {...form.getInputProps('url')} />
        <TextInput label="Title" description="Optional; the address is used when left empty"
          {...form.getInputProps('title')} />
        <Group justify="flex-end"><Button type="submit" loading={mutation.isPending}>Add URL</Button></Group>
      </Stack>
    </form>
  );
}

export function AddTextForm({ agentId }: { agentId: string }) {
  const form = useForm({
    initialValues: { title: '', content: '' },
    validate: {
      title: (value) => (blank(value) ? 'Enter a title' : tooLong(value, 500)),
      content: (value) => (blank(value) ? 'Enter the text' : null),
    },
  });
  const mutation = useAddKnowledge(agentId, 'text');
  return (
    <form noValidate onSubmit={submitter(form, mutation, (v) => ({ type: 'text', title: v.title.trim(),
      content: v.content }))}>
      <Stack gap="sm">
        <TextInput label="Title" placeholder="Return policy" required {...form.getInputProps('title')} />
        <Textarea label="Content" description="Plain text or Markdown" required autosize minRows={5} maxRows={16}
          {...form.getInputProps('content')} />
        <Group justify="flex-end"><Button type="submit" loading={mutation.isPending}>Add text</Button></Group>
      </Stack>
    </form>
  );
}

export function AddFaqForm({ agentId }: { agentId: string }) {
  const form = useForm({
    initialValues: { question: '', answer: '' },
    validate: {
      question: (value) => (blank(value) ? 'Enter the question' : tooLong(value, 2000)),
      answer: (value) => (blank(value) ? 'Enter the answer' : tooLong(value, 20000)),
    },
  });
  const mutation = useAddKnowledge(agentId, 'FAQ entry');
  return (
    <form noValidate onSubmit={submitter(form, mutation, (v) => ({ type: 'faq', question: v.question.trim(),
      answer: v.answer.trim() }))}>
      <Stack gap="sm">
        <TextInput label="Question" placeholder="How long does shipping take?" required
          {...form.getInputProps('question')} />
        <Textarea label="Answer" required autosize minRows={3} maxRows={12} {...form.getInputProps('answer')} />
        <Group justify="flex-end"><Button type="submit" loading={mutation.isPending}>Add FAQ</Button></Group>
      </Stack>
    </form>
  );
}
