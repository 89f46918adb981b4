// Answer a knowledge gap: the question (editable) and its answer become an FAQ entry of the agent's knowledge.
import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { companyApi, ok } from '../../api/client';
import { ApiError, notifyError, notifySuccess } from '../../api/problem';
import type { components } from '../../api/schema';

export type Gap = components['schemas']['Gap'];

export function GapAnswerModal({ agentId, gap, onClose }: { agentId: string; gap: Gap | null;
  onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { question: '', answer: '' },
    validate: {
      question: (v) => (!v.trim() ? 'Enter the question' : v.length > 2000 ? 'At most 2,000 characters' : null),
      answer: (v) => (!v.trim() ? 'Write the answer' : v.length > 20000 ? 'At most 20,000 characters' : null),
    },
  });
  useEffect(() => {
    if (gap) form.setValues({ question: gap.question || '', answer: '' });
    // reset only when another gap is opened (form is a new object every render)
  }, [gap]);
  const answer = useMutation({
    mutationFn: (body: { question: string; answer: string }) => ok(companyApi.POST(
      '/company/agents/{agentId}/gaps/{gapId}/answer', { params: { path: { agentId, gapId: gap!.id! } }, body })),
    onSuccess: () => {
      notifySuccess('Added to the knowledge base');
      queryClient.invalidateQueries({ queryKey: ['company', 'gaps', agentId] });
      onClose();
    },
    onError: (e) => {
      const fields = e instanceof ApiError ? e.fieldErrors() : {};
      if (Object.keys(fields).length) form.setErrors(fields);
      else notifyError(e, 'Could not add the answer');
    },
  });
  return (
    <Modal opened={gap !== null} onClose={onClose} title="Add answer" size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => answer.mutate({ question: v.question.trim(),
        answer: v.answer.trim() }))}>
        <Stack>
          <Textarea label="Question" required autosize minRows={1} maxRows={4}
            description="Saved as an FAQ entry; edit it into the wording you want to match"
            {...form.getInputProps('question')} />
          <Textarea label="Answer" required autosize minRows={5} maxRows={14} data-autofocus
            {...form.getInputProps('answer')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={answer.isPending}>Add to knowledge</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
