import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { expect, test, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { DataState } from './DataState';

type Query = Parameters<typeof DataState<string[]>>[0]['query'];

function show(query: Partial<Query>, empty?: ReactNode) {
  const full: Query = { data: undefined, error: null, isPending: false, refetch: vi.fn(), ...query };
  render(
    <MantineProvider>
      <DataState query={full} isEmpty={(items) => items.length === 0} empty={empty}>
        {(items) => <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>}
      </DataState>
    </MantineProvider>,
  );
  return full;
}

test('shows a labelled loader while loading', () => {
  show({ isPending: true });
  expect(screen.getByLabelText('Loading')).toBeTruthy();
  expect(screen.queryByRole('list')).toBeNull();
});

test("shows the problem's title and detail, and retries", async () => {
  const query = show({ error: new ApiError({ status: 503, title: 'Service Unavailable', detail: 'Try again soon' }) });
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('Service Unavailable');
  expect(alert.textContent).toContain('Try again soon');
  await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
  expect(query.refetch).toHaveBeenCalledTimes(1);
});

test('shows the empty message as text, a block as given, and the data otherwise', () => {
  show({ data: [] }, 'No agents yet.');
  expect(screen.getByText('No agents yet.').tagName).toBe('P');
  document.body.innerHTML = '';
  show({ data: [] }, <section aria-label="first steps"><h4>Nothing yet</h4></section>);
  expect(screen.getByRole('region', { name: 'first steps' }).parentElement?.tagName).not.toBe('P');
  document.body.innerHTML = '';
  show({ data: ['one', 'two'] });
  expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['one', 'two']);
});
