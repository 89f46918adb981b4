import { Badge, Group } from '@mantine/core';

/** draft / published (the wire form is lower-case whatever the spec's enum says), and "disabled" by the admin. */
export function AgentStatusBadge({ status, disabled }: { status?: string; disabled?: boolean }) {
  const value = (status || 'unknown').toLowerCase();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="light" color={value === 'published' ? 'teal' : 'gray'}>{value}</Badge>
      {disabled && <Badge variant="filled" color="red">disabled</Badge>}
    </Group>
  );
}
