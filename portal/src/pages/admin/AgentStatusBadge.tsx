import { Badge } from '@mantine/core';

/** draft / published (the wire form is lower-case whatever the spec's enum says). */
export function AgentStatusBadge({ status }: { status?: string }) {
  const value = (status || 'unknown').toLowerCase();
  return <Badge variant="light" color={value === 'published' ? 'teal' : 'gray'}>{value}</Badge>;
}
