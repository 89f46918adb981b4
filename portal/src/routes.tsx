// Every route of both areas. Pages are lazy chunks, so the first load carries only the shell and the login.
import { IconBuilding, IconChartBar, IconListDetails, IconRobot, IconUsersGroup } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { Shell } from './layout/Shell';

function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<Center py="xl"><Loader aria-label="Loading" /></Center>}>
      <Page />
    </Suspense>
  );
}

const adminNav = [
  { to: '/admin', label: 'Dashboard', icon: <IconChartBar size={18} /> },
  { to: '/admin/companies', label: 'Companies', icon: <IconBuilding size={18} /> },
  { to: '/admin/agents', label: 'Agents', icon: <IconRobot size={18} /> },
  { to: '/admin/audit', label: 'Audit log', icon: <IconListDetails size={18} /> },
];

const companyNav = [
  { to: '/app/agents', label: 'Agents', icon: <IconRobot size={18} /> },
  { to: '/app/analytics', label: 'Analytics', icon: <IconChartBar size={18} /> },
  { to: '/app/team', label: 'Team', icon: <IconUsersGroup size={18} /> },
];

export const router = createBrowserRouter([
  { path: '/', element: <Navigate to="/app" replace /> },
  { path: '/admin/login', element: <LoginPage area="admin" /> },
  {
    path: '/admin',
    element: <RequireSession area="admin" />,
    children: [{
      element: <Shell area="admin" title="Platform admin" nav={adminNav} />,
      children: [
        { index: true, element: page(() => import('./pages/admin/AdminDashboard')) },
        { path: 'companies', element: page(() => import('./pages/admin/Companies')) },
        { path: 'agents', element: page(() => import('./pages/admin/Agents')) },
        { path: 'agents/:agentId', element: page(() => import('./pages/admin/AgentDetail')) },
        { path: 'audit', element: page(() => import('./pages/admin/AuditLog')) },
      ],
    }],
  },
  { path: '/app/login', element: <LoginPage area="company" /> },
  { path: '/app/signup', element: page(() => import('./pages/company/SignupPage')) },
  {
    path: '/app',
    element: <RequireSession area="company" />,
    children: [{
      element: <Shell area="company" title="Company portal" nav={companyNav} />,
      children: [
        { index: true, element: <Navigate to="/app/agents" replace /> },
        { path: 'agents', element: page(() => import('./pages/company/Agents')) },
        { path: 'agents/new', element: page(() => import('./pages/company/AgentEditor')) },
        {
          path: 'agents/:agentId',
          element: page(() => import('./pages/company/AgentLayout')),
          children: [
            { index: true, element: page(() => import('./pages/company/AgentEditor')) },
            { path: 'knowledge', element: page(() => import('./pages/company/Knowledge')) },
            { path: 'embed', element: page(() => import('./pages/company/Embed')) },
            { path: 'users', element: page(() => import('./pages/company/EndUsers')) },
            { path: 'users/:endUserId', element: page(() => import('./pages/company/Transcripts')) },
            { path: 'gaps', element: page(() => import('./pages/company/Gaps')) },
          ],
        },
        { path: 'analytics', element: page(() => import('./pages/company/Analytics')) },
        { path: 'team', element: page(() => import('./pages/company/Team')) },
      ],
    }],
  },
  { path: '*', element: <Navigate to="/app" replace /> },
]);
