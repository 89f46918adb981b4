// The report range the analytics pages ask for: a preset of the last N days (today included) or a custom pair of
// UTC dates, both inclusive; a range of one or two days is shown per hour, longer ones per day.
export type RangePreset = '7' | '30' | '90' | 'custom';

export interface RangeValue {
  preset: RangePreset;
  /** custom range only, YYYY-MM-DD */
  from: string;
  to: string;
}

export interface RangeQuery {
  from: string;
  to: string;
  interval: 'day' | 'hour';
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function daysBefore(day: string, days: number): string {
  return utcDay(new Date(Date.parse(day + 'T00:00:00Z') - days * DAY_MS));
}

export function defaultRange(now = new Date()): RangeValue {
  const to = utcDay(now);
  return { preset: '30', from: daysBefore(to, 29), to };
}

/** Why a custom range cannot be asked for, or null when it can. */
export function rangeError(value: RangeValue): string | null {
  if (value.preset !== 'custom') return null;
  if (!DATE.test(value.from) || !DATE.test(value.to)) return 'Pick a start and an end date';
  if (value.from > value.to) return 'The start date must not be after the end date';
  if (Date.parse(value.to) - Date.parse(value.from) >= 366 * DAY_MS) return 'A report covers at most 366 days';
  return null;
}

/** The from/to/interval query of a range, or null while a custom range is incomplete or invalid. */
export function rangeQuery(value: RangeValue, now = new Date()): RangeQuery | null {
  if (rangeError(value)) return null;
  let from = value.from;
  let to = value.to;
  if (value.preset !== 'custom') {
    to = utcDay(now);
    from = daysBefore(to, Number(value.preset) - 1);
  }
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  return { from, to, interval: days <= 2 ? 'hour' : 'day' };
}
