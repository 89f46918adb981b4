// The platform admin's switch for an agent: disabled, it answers nowhere (every widget and API call gets 403)
// until enabled again; the company's own settings stay as they are.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminApi, ok } from '../../api/client';
import { notifyError, notifySuccess } from '../../api/problem';

export function DisableAgentButton({ agentId, name, disabled }: { agentId: string; name: string;
  disabled: boolean }) {
  const [opened, { open, close }] = useDisclosure();
  const queries = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => ok(adminApi.POST(disabled ? '/admin/agents/{agentId}/enable' : '/admin/agents/{agentId}/disable',
      { params: { path: { agentId } } })),
    onSuccess: async () => {
      close();
      notifySuccess(disabled ? `${name} answers again` : `${name} is disabled`);
      await queries.invalidateQueries({ queryKey: ['admin', 'agents'] });
    },
    onError: (e) => notifyError(e),
  });
  if (disabled) {
    return <Button variant="light" onClick={() => toggle.mutate()} loading={toggle.isPending}>Enable agent</Button>;
  }
  return (
    <>
      <Button color="red" variant="light" onClick={open}>Disable agent</Button>
      <Modal opened={opened} onClose={close} title={`Disable ${name}?`}>
        <Stack>
          <Text size="sm">
            The agent stops answering everywhere at once: its widget and every API call with its keys get
            "disabled by the platform administrator" until you enable it again. Its settings, knowledge and
            conversations are kept.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button color="red" onClick={() => toggle.mutate()} loading={toggle.isPending}>Disable agent</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
