// One agent's pages: its settings, knowledge, embedding, end-users and knowledge gaps, as tabs over routes.
import { Tabs } from '@mantine/core';
import { Outlet, useLocation, useNavigate, useParams } from 'react-router';

const TABS = [
  { value: '', label: 'Settings' },
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
  const current = location.pathname.slice(base.length + 1).split('/')[0];
  return (
    <>
      <Tabs value={current} onChange={(value) => navigate(value ? `${base}/${value}` : base)} mb="md">
        <Tabs.List>
          {TABS.map((tab) => <Tabs.Tab key={tab.value} value={tab.value}>{tab.label}</Tabs.Tab>)}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
