import { callsTo, route } from '../../test/apiRoutes';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test, vi } from 'vitest';
import { daysBefore, utcDay } from '../../components/analytics';
import { renderPage } from '../../test/render';
import AdminDashboard from './AdminDashboard';

// charts are covered by their data shaping (analytics.test.ts); jsdom has no layout for Recharts
vi.mock('@mantine/charts', () => {
  const Chart = ({ data }: { data: unknown[] }) => <div data-testid="chart">{data.length} points</div>;
  return { LineChart: Chart, BarChart: Chart };
});

const totals = { conversations: 1234, messages: 5678, endUsers: 90, answered: 4000, answerRate: 0.7045,
  resolutionRate: 0.9, latencyP50Ms: 420, latencyP95Ms: 2100, costUsd: 12.5, feedbackUp: 8, feedbackDown: 2,
  feedbackScore: 0.8 };
const report = {
  from: '2026-02-09T00:00:00Z', to: '2026-03-11T00:00:00Z', interval: 'day', activeCompanies: 2, activeAgents: 3,
  totals,
  series: [{ start: '2026-03-09T00:00:00Z', conversations: 4, messages: 9 }, { start: '2026-03-10T00:00:00Z' }],
  companies: [
    { companyId: 'c1', name: 'Acme', activeAgents: 2, conversations: 1000, messages: 5000, latencyP95Ms: 2500,
      costUsd: 10 },
    { companyId: 'c2', name: 'Globex', activeAgents: 1, conversations: 234, messages: 678, latencyP95Ms: 900,
      costUsd: 2.5 },
  ],
};

const card = (label: string) => screen.getByRole('group', { name: label });

test('shows the platform figures, charts and companies for the last 30 days', async () => {
  route('GET', '/admin/analytics', report);
  renderPage(<AdminDashboard />);
  expect(await screen.findByText('1,234')).toBeTruthy();
  const today = utcDay(new Date());
  const query = callsTo('GET', '/admin/analytics')[0].query;
  expect(Object.fromEntries(query)).toEqual({ from: daysBefore(today, 29), to: today, interval: 'day' });
  expect(within(card('Active companies')).getByText('2')).toBeTruthy();
  expect(within(card('Messages')).getByText('5,678')).toBeTruthy();
  expect(within(card('Answer rate')).getByText('70.5%')).toBeTruthy();
  expect(within(card('Latency p50 / p95')).getByText('420 ms / 2.1 s')).toBeTruthy();
  expect(within(card('Cost')).getByText('$12.50')).toBeTruthy();
  expect(within(card('Feedback score')).getByText('80%')).toBeTruthy();
  expect(screen.getAllByTestId('chart')[0].textContent).toBe('2 points');
  const rows = screen.getAllByRole('row').slice(1);
  expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual(['Acme', 'Globex']);
});

test('sorts companies by a clicked header and asks for another range', async () => {
  route('GET', '/admin/analytics', report);
  renderPage(<AdminDashboard />);
  await screen.findByText('Acme');
  await userEvent.click(screen.getByRole('button', { name: 'Company' }));
  const names = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0].textContent);
  expect(names()).toEqual(['Acme', 'Globex']);
  await userEvent.click(screen.getByRole('button', { name: 'Company' }));
  expect(names()).toEqual(['Globex', 'Acme']);
  await userEvent.click(screen.getByRole('button', { name: 'Latency p95' }));
  expect(names()).toEqual(['Acme', 'Globex']);

  await userEvent.click(screen.getByRole('radio', { name: '7 days' }));
  const today = utcDay(new Date());
  await vi.waitFor(() => expect(callsTo('GET', '/admin/analytics')).toHaveLength(2));
  expect(callsTo('GET', '/admin/analytics')[1].query.get('from')).toBe(daysBefore(today, 6));

  await userEvent.click(screen.getByRole('radio', { name: 'Custom' }));
  const from = screen.getByLabelText('From (UTC)');
  await userEvent.clear(from);
  await userEvent.type(from, '2099-01-01');
  expect(await screen.findByText('The start date must not be after the end date')).toBeTruthy();
  expect(callsTo('GET', '/admin/analytics')).toHaveLength(2);
});

test('says so when no company is active', async () => {
  route('GET', '/admin/analytics', { ...report, companies: [], series: [] });
  renderPage(<AdminDashboard />);
  expect(await screen.findByText('No company had activity in this range.')).toBeTruthy();
  expect(screen.getByText('No activity in this range.')).toBeTruthy();
});
