import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';
import { renderPage } from '../../test/render';
import AgentLayout from './AgentLayout';

test("the agent's tabs follow the route, the settings tab included", async () => {
  const { router } = renderPage(<AgentLayout />, { path: '/app/agents/a1/knowledge', route: '/app/agents/:agentId/*' });
  expect(screen.getByRole('tab', { name: 'Knowledge' }).getAttribute('aria-selected')).toBe('true');
  await userEvent.click(screen.getByRole('tab', { name: 'Settings' }));
  await waitFor(() => expect(router.state.location.pathname).toBe('/app/agents/a1'));
  expect(screen.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
  await userEvent.click(screen.getByRole('tab', { name: 'Keys & embed' }));
  await waitFor(() => expect(router.state.location.pathname).toBe('/app/agents/a1/embed'));
});
