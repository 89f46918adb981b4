// The company's team: members with their roles. Company admins invite, change roles and remove; members only read.
import { ActionIcon, Alert, Badge, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Table, Text,
  TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { companyApi, ok } from '../../api/client';
import { ApiError, notifyError, notifySuccess } from '../../api/problem';
import { PASSWORD_HINT, passwordError } from '../../auth/password';
import type { components } from '../../api/schema';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, isCompanyAdmin, useMe } from './common';
import { LoadMore } from '../../components/LoadMore';

type User = components['schemas']['User'];
type Role = 'COMPANY_ADMIN' | 'COMPANY_MEMBER';

// roles travel as their enum names ("COMPANY_ADMIN"), unlike the agents' lower-case wire enums
const ROLES: { value: Role; label: string }[] = [
  { value: 'COMPANY_MEMBER', label: 'Member' },
  { value: 'COMPANY_ADMIN', label: 'Admin' },
];
const roleLabel = (role?: string) => (role === 'COMPANY_ADMIN' ? 'Admin' : role === 'COMPANY_MEMBER' ? 'Member'
  : role || '—');

function InviteModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const form = useForm({
    initialValues: { email: '', password: '', role: 'COMPANY_MEMBER' as Role },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      password: passwordError,
      role: (v) => (v ? null : 'Choose a role'),
    },
  });
  const invite = useMutation({
    mutationFn: (values: typeof form.values) => ok(companyApi.POST('/company/users', { body: { ...values,
      email: values.email.trim() } })),
    onSuccess: (user) => {
      notifySuccess(`${user.email} was added to the team`);
      client.invalidateQueries({ queryKey: ['team'] });
      form.reset();
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        const fields = e.fieldErrors();
        if (Object.keys(fields).length) return form.setErrors(fields);
        if (e.problem.status === 409) return form.setFieldError('email', e.problem.detail || 'Already registered');
      }
      notifyError(e, 'Could not add the member');
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Invite a team member">
      <form noValidate onSubmit={form.onSubmit((values) => invite.mutate(values))}>
        <Stack>
          <TextInput label="Email" type="email" required autoComplete="off" {...form.getInputProps('email')} />
          <PasswordInput label="Initial password" required autoComplete="new-password"
            description={`${PASSWORD_HINT}. Share it with them safely; they sign in at /app/login.`}
            {...form.getInputProps('password')} />
          <Select label="Role" data={ROLES} allowDeselect={false} required
            description="Admins manage agents, keys, knowledge and the team; members read."
            {...form.getInputProps('role')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={invite.isPending}>Add member</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export default function Team() {
  const client = useQueryClient();
  const me = useMe();
  const admin = isCompanyAdmin(me.data);
  const [inviting, invite] = useDisclosure(false);
  const [removing, setRemoving] = useState<User | null>(null);
  const query = useInfiniteQuery({
    queryKey: ['team'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => ok(companyApi.GET('/company/users', { params: { query: { limit: 100,
      cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor || undefined,
  });
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => ok(companyApi.PATCH('/company/users/{userId}', {
      params: { path: { userId: id } }, body: { role } })),
    onSuccess: (user) => {
      notifySuccess(`${user.email} is now ${roleLabel(user.role).toLowerCase()}`);
      client.invalidateQueries({ queryKey: ['team'] });
    },
    onError: (e) => notifyError(e, 'Could not change the role'),
  });
  const remove = useMutation({
    mutationFn: (user: User) => ok(companyApi.DELETE('/company/users/{userId}', { params: { path: {
      userId: user.id! } } })),
    onSuccess: (_, user) => {
      notifySuccess(`${user.email} was removed from the team`);
      setRemoving(null);
      client.invalidateQueries({ queryKey: ['team'] });
    },
    onError: (e) => notifyError(e, 'Could not remove the member'),
  });

  return (
    <>
      <PageHeader title="Team" description="Who can sign in to your company's portal."
        actions={admin && <Button leftSection={<IconUserPlus size={16} />} onClick={invite.open}>Invite member</Button>} />
      {me.data && !admin && (
        <Alert color="blue" mb="md">You are a member: you can see the team, but only company admins can invite,
          change roles or remove people.</Alert>
      )}
      <DataState query={query} isEmpty={(data) => data.pages.every((p) => !p.items?.length)}
        empty="No team members yet.">
        {(data) => (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Added</Table.Th>
                    <Table.Th>Last sign-in</Table.Th>
                    {admin && <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.pages.flatMap((p) => p.items || []).map((user) => {
                    const self = user.id === me.data?.userId;
                    return (
                      <Table.Tr key={user.id}>
                        <Table.Td>
                          <Group gap="xs">
                            <Text size="sm">{user.email}</Text>
                            {self && <Badge size="xs" variant="light">you</Badge>}
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          {admin && !self ? (
                            <Select size="xs" w={130} data={ROLES} value={user.role} allowDeselect={false}
                              aria-label={`Role of ${user.email}`} disabled={changeRole.isPending}
                              onChange={(role) => role && role !== user.role
                                && changeRole.mutate({ id: user.id!, role: role as Role })} />
                          ) : (
                            <Badge variant="light" color={user.role === 'COMPANY_ADMIN' ? 'teal' : 'gray'}>
                              {roleLabel(user.role)}</Badge>
                          )}
                        </Table.Td>
                        <Table.Td><Text size="sm">{formatDate(user.createdAt)}</Text></Table.Td>
                        <Table.Td><Text size="sm">{formatDate(user.lastLoginAt)}</Text></Table.Td>
                        {admin && (
                          <Table.Td ta="right">
                            {!self && (
                              <Tooltip label="Remove from team">
                                <ActionIcon variant="subtle" color="red" aria-label={`Remove ${user.email}`}
                                  onClick={() => setRemoving(user)}><IconTrash size={16} /></ActionIcon>
                              </Tooltip>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore query={query} />
          </Paper>
        )}
      </DataState>
      {admin && <InviteModal opened={inviting} onClose={invite.close} />}
      <Modal opened={!!removing} onClose={() => setRemoving(null)} title="Remove team member?">
        <Stack>
          <Text size="sm">{removing?.email} will no longer be able to sign in.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>Cancel</Button>
            <Button color="red" loading={remove.isPending} onClick={() => removing && remove.mutate(removing)}>
              Remove</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
