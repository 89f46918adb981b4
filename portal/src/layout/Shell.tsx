// The frame of both areas: header with the area's name and sign-out, a navigation bar (a drawer below tablet
// width), and the routed page.
import { AppShell, Burger, Group, NavLink, ScrollArea, Text, Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { adminApi, companyApi, ok } from '../api/client';
import { type Area, signOut } from '../auth/session';

export interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

export function Shell({ area, title, nav }: { area: Area; title: string; nav: NavItem[] }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const home = area === 'admin' ? '/admin' : '/app';
  const me = useQuery({
    queryKey: ['me', area],
    queryFn: () => ok((area === 'admin' ? adminApi : companyApi).GET('/auth/me')),
    staleTime: 60_000,
  });
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} component={Link} to={home} c="teal.8" td="none">Engage</Text>
            <Text c="dimmed" size="sm">{title}</Text>
          </Group>
          <Group gap="sm">
            {me.data && (
              <Text size="sm" c="dimmed" visibleFrom="sm" data-testid="signed-in-as">
                {me.data.email}{me.data.companyName ? ` · ${me.data.companyName}` : ''}
              </Text>
            )}
            <Button variant="subtle" size="xs" onClick={async () => {
              await signOut(area);
              navigate(home + '/login');
            }}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {nav.map((item) => (
            <NavLink key={item.to} component={Link} to={item.to} label={item.label} leftSection={item.icon}
              onClick={close}
              active={item.to === home ? location.pathname === home : location.pathname.startsWith(item.to)} />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
