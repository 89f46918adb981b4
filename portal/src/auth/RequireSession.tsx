import { Navigate, Outlet, useLocation } from 'react-router';
import { type Area, useSignedIn } from './session';

/** Routes behind sign-in: without a session the browser goes to the area's login, and comes back after it. */
export function RequireSession({ area }: { area: Area }) {
  const signedIn = useSignedIn(area);
  const location = useLocation();
  if (!signedIn) {
    const login = (area === 'admin' ? '/admin' : '/app') + '/login';
    return <Navigate to={`${login}?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <Outlet />;
}
