// A control that asks before doing something that cannot be undone (delete a source, block an end-user).
import { Button, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';

export function ConfirmAction({ title, message, confirmLabel, color = 'red', onConfirm, loading, children }: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  color?: string;
  onConfirm: () => Promise<unknown> | void;
  loading?: boolean;
  /** Renders the trigger, given the function that opens the dialog. */
  children: (open: () => void) => ReactNode;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  const confirm = async () => {
    try {
      await onConfirm();
      close();
    } catch {
      // the caller reports the error; keep the dialog so the action can be retried
    }
  };
  // React events bubble through portals along the component tree: keep clicks (on the trigger and in the dialog)
  // from reaching a clickable row around this control
  return (
    <span onClick={(event) => event.stopPropagation()} style={{ display: 'contents' }}>
      {children(open)}
      <Modal opened={opened} onClose={close} title={title} centered>
        <Text size="sm" mb="lg">{message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>Cancel</Button>
          <Button color={color} onClick={confirm} loading={loading}>{confirmLabel}</Button>
        </Group>
      </Modal>
    </span>
  );
}
