// Shapes report series into chart rows (one per interval, labelled in UTC) and totals into stat cards.
import type { components } from '../../api/schema';
import { formatInt, formatMs, formatPercent, formatUsd } from './format';

export type Metrics = components['schemas']['Metrics'];
export type Point = components['schemas']['Point'];

export interface ChartRow {
  label: string;
  conversations: number;
  messages: number;
  /** null when no answer fell in the interval, so lines skip it instead of dropping to zero */
  p50: number | null;
  p95: number | null;
  cost: number;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const hourLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit',
  minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

export function chartRows(series: Point[] | undefined, interval: string | undefined): ChartRow[] {
  const label = interval === 'hour' ? hourLabel : dayLabel;
  return (series || []).map((point) => ({
    label: point.start ? label.format(new Date(point.start)) : '',
    conversations: point.conversations ?? 0,
    messages: point.messages ?? 0,
    p50: point.latencyP50Ms ?? null,
    p95: point.latencyP95Ms ?? null,
    cost: Number(point.costUsd ?? 0),
  }));
}

export interface StatCard {
  label: string;
  value: string;
  hint?: string;
}

/** The cards every dashboard shows, from a report's totals. */
export function metricCards(totals: Metrics | undefined): StatCard[] {
  const m = totals || {};
  const votes = (m.feedbackUp ?? 0) + (m.feedbackDown ?? 0);
  return [
    { label: 'Conversations', value: formatInt(m.conversations) },
    { label: 'Messages', value: formatInt(m.messages), hint: 'Questions asked by end-users' },
    { label: 'End-users', value: formatInt(m.endUsers) },
    { label: 'Answer rate', value: formatPercent(m.answerRate), hint: `${formatInt(m.answered)} answered from knowledge` },
    { label: 'Resolution rate', value: formatPercent(m.resolutionRate),
      hint: 'No handoff and no answer voted down' },
    { label: 'Latency p50 / p95', value: `${formatMs(m.latencyP50Ms)} / ${formatMs(m.latencyP95Ms)}` },
    { label: 'Cost', value: formatUsd(m.costUsd == null ? null : Number(m.costUsd)),
      hint: `${formatInt((m.tokensIn ?? 0) + (m.tokensOut ?? 0))} tokens` },
    { label: 'Feedback score', value: formatPercent(m.feedbackScore),
      hint: votes ? `${formatInt(m.feedbackUp)} up, ${formatInt(m.feedbackDown)} down` : 'No votes yet' },
  ];
}
