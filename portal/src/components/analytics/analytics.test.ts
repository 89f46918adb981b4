import { expect, test } from 'vitest';
import { sortCompanies } from '../../pages/admin/CompanyFiguresTable';
import { formatMs, formatPercent, formatUsd } from './format';
import { rangeError, rangeQuery } from './range';
import { chartRows, metricCards } from './series';

const now = new Date('2026-03-10T15:30:00Z');

test('presets end today (UTC) and count today in', () => {
  expect(rangeQuery({ preset: '7', from: '', to: '' }, now)).toEqual({ from: '2026-03-04', to: '2026-03-10',
    interval: 'day' });
  expect(rangeQuery({ preset: '90', from: '', to: '' }, now)).toEqual({ from: '2025-12-11', to: '2026-03-10',
    interval: 'day' });
});

test('custom ranges are inclusive, hourly up to two days, and refused when incomplete or reversed', () => {
  expect(rangeQuery({ preset: 'custom', from: '2026-03-01', to: '2026-03-02' }, now))
    .toEqual({ from: '2026-03-01', to: '2026-03-02', interval: 'hour' });
  expect(rangeQuery({ preset: 'custom', from: '2026-03-01', to: '2026-03-03' }, now)?.interval).toBe('day');
  expect(rangeQuery({ preset: 'custom', from: '', to: '2026-03-02' }, now)).toBeNull();
  expect(rangeError({ preset: 'custom', from: '2026-03-05', to: '2026-03-02' }))
    .toBe('The start date must not be after the end date');
  expect(rangeError({ preset: 'custom', from: '2024-01-01', to: '2026-03-02' })).toMatch(/366 days/);
});

test('chart rows label intervals in UTC and keep missing latency as gaps', () => {
  const rows = chartRows([
    { start: '2026-03-09T00:00:00Z', conversations: 3, messages: 7, latencyP50Ms: 120, latencyP95Ms: 900,
      costUsd: 0.0125 },
    { start: '2026-03-10T00:00:00Z' },
  ], 'day');
  expect(rows).toEqual([
    { label: 'Mar 9', conversations: 3, messages: 7, p50: 120, p95: 900, cost: 0.0125 },
    { label: 'Mar 10', conversations: 0, messages: 0, p50: null, p95: null, cost: 0 },
  ]);
  expect(chartRows([{ start: '2026-03-09T14:00:00Z' }], 'hour')[0].label).toBe('Mar 9, 14:00');
});

test('figures are formatted, and missing rates show a dash', () => {
  expect(formatPercent(0.8765)).toBe('87.7%');
  expect(formatPercent(null)).toBe('—');
  expect(formatMs(850)).toBe('850 ms');
  expect(formatMs(1530)).toBe('1.53 s');
  expect(formatUsd(0.0123)).toBe('$0.0123');
  expect(formatUsd(1234.5)).toBe('$1,234.50');
  const cards = metricCards({ conversations: 1200, messages: 3400, answerRate: 0.5, latencyP50Ms: 200,
    latencyP95Ms: 1800, costUsd: 2.5, feedbackUp: 3, feedbackDown: 1, feedbackScore: 0.75 });
  expect(Object.fromEntries(cards.map((c) => [c.label, c.value]))).toMatchObject({
    Conversations: '1,200', Messages: '3,400', 'Answer rate': '50%', 'Resolution rate': '—',
    'Latency p50 / p95': '200 ms / 1.8 s', Cost: '$2.50', 'Feedback score': '75%',
  });
});

test('companies sort by any column, missing figures last', () => {
  const rows = [
    { companyId: 'a', name: 'beta', conversations: 5, latencyP95Ms: 300 },
    { companyId: 'b', name: 'Alpha', conversations: 9 },
    { companyId: 'c', name: 'gamma', conversations: 1, latencyP95Ms: 100 },
  ];
  expect(sortCompanies(rows, { key: 'name', desc: false }).map((r) => r.companyId)).toEqual(['b', 'a', 'c']);
  expect(sortCompanies(rows, { key: 'conversations', desc: true }).map((r) => r.companyId)).toEqual(['b', 'a', 'c']);
  expect(sortCompanies(rows, { key: 'latencyP95Ms', desc: true }).map((r) => r.companyId)).toEqual(['a', 'c', 'b']);
  expect(sortCompanies(rows, { key: 'latencyP95Ms', desc: false }).map((r) => r.companyId)).toEqual(['c', 'a', 'b']);
});
