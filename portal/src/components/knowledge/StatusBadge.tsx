import { Badge, Loader, Tooltip } from '@mantine/core';
import type { SourceStatus } from './types';

const COLORS: Record<SourceStatus, string> = {
  queued: 'gray', parsing: 'blue', indexing: 'indigo', ready: 'teal', failed: 'red',
};

/** A source's ingestion status; a spinner while it is in progress, the reason in a tooltip when it failed. */
export function StatusBadge({ status, error }: { status?: SourceStatus; error?: string }) {
  const value = status || 'queued';
  const busy = value === 'queued' || value === 'parsing' || value === 'indexing';
  const badge = (
    <Badge color={COLORS[value] || 'gray'} variant="light" tabIndex={value === 'failed' ? 0 : undefined}
      leftSection={busy ? <Loader size={10} color={COLORS[value]} aria-hidden /> : undefined}>
      {value}
    </Badge>
  );
  if (value !== 'failed') return badge;
  return (
    <Tooltip label={error || 'Ingestion failed'} multiline maw={360} withArrow>
      {badge}
    </Tooltip>
  );
}
