// One agent's pages: its settings, knowledge, embedding, end-users and knowledge gaps, as tabs over routes.
import { Tabs } from '@mantine/core';
import { Outlet, useLocation, useNavigate, useParams } from 'react-router';

const TABS = [
  { value: 'settings', label: 'Settings' },
  { value: 'knowledge', label: 'Knowledge' },
  { value: 'embed', label: 'Keys & embed' },
  { value: 'users', label: 'End-users' },
  { value: 'gaps', label: 'Knowledge gaps' },
];

export default function AgentLayout() {
  const { agentId } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const base = `/app/agents/${agentId}`;
  // Mantine needs a non-empty value per tab: "settings" stands for the agent's own path
  const current = location.pathname.slice(base.length + 1).split('/')[0] || 'settings';
  return (
    <>
      <Tabs value={current} onChange={(value) => navigate(value && value !== 'settings' ? `${base}/${value}` : base)}
        mb="md">
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto' }}>
          {TABS.map((tab) => <Tabs.Tab key={tab.value} value={tab.value}>{tab.label}</Tabs.Tab>)}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
