// Number and date formatting shared by the analytics pages and the admin lists (the browser's locale, UTC days).
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
const seconds = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const NONE = '—';

type Num = number | null | undefined;

export function formatInt(value: Num): string {
  return value == null ? NONE : integer.format(value);
}

/** A rate in [0, 1]; null (nothing to divide by) shows a dash. */
export function formatPercent(value: Num): string {
  return value == null ? NONE : percent.format(value);
}

export function formatMs(value: Num): string {
  if (value == null) return NONE;
  return value < 1000 ? `${integer.format(value)} ms` : `${seconds.format(value / 1000)} s`;
}

/** Dollars; sub-dollar amounts (typical per-day LLM costs) keep four decimals. */
export function formatUsd(value: Num): string {
  if (value == null) return NONE;
  return (Math.abs(value) < 1 && value !== 0 ? usdSmall : usd).format(value);
}

export function formatDate(value: string | null | undefined): string {
  return value ? date.format(new Date(value)) : NONE;
}

export function formatDateTime(value: string | null | undefined): string {
  return value ? dateTime.format(new Date(value)) : NONE;
}
