// Display formats shared by the knowledge, end-user and transcript pages.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "12 Mar 2026, 14:05" in the reader's locale and time zone; an em dash when missing or unparsable. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A score with a fixed number of decimals; an em dash when absent. */
export function formatScore(value: number | null | undefined, digits: number): string {
  return value == null || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

export function formatNumber(value: number | null | undefined): string {
  return value == null ? '—' : new Intl.NumberFormat().format(value);
}
