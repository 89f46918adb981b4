// Block or unblock an end-user (after confirmation). Blocked end-users get 403 from the agent API at once; their
// transcripts stay readable.
import { Badge, Button } from '@mantine/core';
import { IconLock, IconLockOpen } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { companyApi, ok } from '../../api/client';
import { notifyError, notifySuccess } from '../../api/problem';
import { ConfirmAction } from './ConfirmAction';
import type { EndUser } from './types';

export function endUserLabel(user: EndUser): string {
  return user.name || user.email || user.externalId || 'this end-user';
}

export function BlockedBadge({ blocked }: { blocked?: boolean }) {
  return blocked ? <Badge color="red" variant="light">Blocked</Badge> : null;
}

export function BlockButton({ agentId, user, size = 'xs' }: { agentId: string; user: EndUser; size?: string }) {
  const queryClient = useQueryClient();
  const block = !user.blocked;
  const mutation = useMutation({
    mutationFn: () => {
      const options = { params: { path: { agentId, endUserId: user.id! } } };
      return ok(block ? companyApi.POST('/company/agents/{agentId}/users/{endUserId}/block', options)
        : companyApi.POST('/company/agents/{agentId}/users/{endUserId}/unblock', options));
    },
    onSuccess: (updated) => {
      notifySuccess(`${endUserLabel(user)} ${block ? 'blocked' : 'unblocked'}`);
      queryClient.setQueryData(['enduser', agentId, user.id], updated);
      return queryClient.invalidateQueries({ queryKey: ['endusers', agentId] });
    },
    onError: (error) => notifyError(error, `Could not ${block ? 'block' : 'unblock'} the end-user`),
  });
  return (
    <ConfirmAction
      title={block ? 'Block end-user' : 'Unblock end-user'}
      confirmLabel={block ? 'Block' : 'Unblock'}
      color={block ? 'red' : 'teal'}
      loading={mutation.isPending}
      message={block
        ? <>Block <b>{endUserLabel(user)}</b>? The agent stops answering them at once. Their transcripts stay.</>
        : <>Unblock <b>{endUserLabel(user)}</b>? They can talk to the agent again.</>}
      onConfirm={() => mutation.mutateAsync()}>
      {(open) => (
        <Button size={size} variant="light" color={block ? 'red' : 'teal'} onClick={open}
          leftSection={block ? <IconLock size={14} /> : <IconLockOpen size={14} />}
          aria-label={`${block ? 'Block' : 'Unblock'} ${endUserLabel(user)}`}>
          {block ? 'Block' : 'Unblock'}
        </Button>
      )}
    </ConfirmAction>
  );
}
