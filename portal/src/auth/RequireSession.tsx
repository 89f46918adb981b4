import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { type Area, useSignedIn } from './session';

/** Routes behind sign-in: without a session the browser goes to the area's login, and comes back after it. */
export function RequireSession({ area }: { area: Area }) {
  const signedIn = useSignedIn(area);
  const location = useLocation();
  const queryClient = useQueryClient();
  // when the session ends (sign-out, refused refresh), forget what it fetched: the next user of this tab must not
  // see the last one's data, nor get the last one's role from a cached /auth/me
  useEffect(() => {
    if (!signedIn) queryClient.clear();
  }, [signedIn, queryClient]);
  if (!signedIn) {
    const login = (area === 'admin' ? '/admin' : '/app') + '/login';
    return <Navigate to={`${login}?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <Outlet />;
}
