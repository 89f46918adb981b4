// Create a company (with its first company admin) and delete one after typing its name.
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { adminApi, ok } from '../../api/client';
import { ApiError, notifyError, notifySuccess } from '../../api/problem';
import { PASSWORD_HINT, passwordError } from '../../auth/password';
import type { components } from '../../api/schema';

export type Company = components['schemas']['Company'];

export function CreateCompanyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: '', adminEmail: '', adminPassword: '' },
    validate: {
      name: (v) => (!v.trim() ? 'Enter the company name' : v.length > 200 ? 'At most 200 characters' : null),
      adminEmail: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter a valid email address'),
      adminPassword: passwordError,
    },
  });
  const create = useMutation({
    mutationFn: (body: typeof form.values) => ok(adminApi.POST('/admin/companies', { body })),
    onSuccess: (company) => {
      notifySuccess(`Company ${company.name} created`);
      queryClient.invalidateQueries({ queryKey: ['admin', 'companies'] });
      close();
    },
    onError: (e) => {
      const fields = e instanceof ApiError ? e.fieldErrors() : {};
      if (Object.keys(fields).length) form.setErrors(fields);
      else if (e instanceof ApiError && e.problem.status === 409 && /email/i.test(e.problem.title || '')) {
        // the admin email belongs to a user already (of any company)
        form.setFieldError('adminEmail', e.problem.detail || e.problem.title || 'Email already registered');
      } else notifyError(e, 'Could not create the company');
    },
  });
  const close = () => {
    form.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="New company">
      <form noValidate onSubmit={form.onSubmit((values) => create.mutate({ ...values, name: values.name.trim() }))}>
        <Stack>
          <TextInput label="Company name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Admin email" type="email" required autoComplete="off"
            description="The company's first admin signs in with this email" {...form.getInputProps('adminEmail')} />
          <PasswordInput label="Admin password" required autoComplete="new-password"
            description={PASSWORD_HINT} {...form.getInputProps('adminPassword')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending}>Create company</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function DeleteCompanyModal({ company, onClose }: { company: Company | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const name = company?.name || '';
  const remove = useMutation({
    mutationFn: (id: string) => ok(adminApi.DELETE('/admin/companies/{companyId}',
      { params: { path: { companyId: id } } })),
    onSuccess: () => {
      notifySuccess(`Company ${name} deleted`);
      queryClient.invalidateQueries({ queryKey: ['admin'] });
      close();
    },
    onError: (e) => notifyError(e, 'Could not delete the company'),
  });
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <Modal opened={company !== null} onClose={close} title="Delete company">
      <Stack>
        <Alert color="red" title="This cannot be undone">
          Deleting <b>{name}</b> also deletes all its agents, knowledge, end-users, memory and API keys, and its
          users lose access.
        </Alert>
        <TextInput label={<>Type <b>{name}</b> to confirm</>} aria-label="Company name to confirm"
          value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoComplete="off" data-autofocus />
        <Text size="xs" c="dimmed">The name must match exactly.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>Cancel</Button>
          <Button color="red" disabled={typed !== name || !company} loading={remove.isPending}
            onClick={() => company?.id && remove.mutate(company.id)}>Delete company</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
