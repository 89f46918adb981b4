import { afterEach, expect, test, vi } from 'vitest';
import { session, signedIn, signOut } from '../auth/session';
import { companyApi, ok } from './client';
import { ApiError } from './problem';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

test('a 401 refreshes the tokens once and replays the request with the new access token', async () => {
  signedIn('company', { accessToken: 'old', refreshToken: 'r1', expiresIn: 900 });
  const calls: { url: string; auth: string | null; body: string | null }[] = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (input, init) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    calls.push({ url: new URL(request.url, 'http://x').pathname, auth: request.headers.get('Authorization'),
      body: request.method === 'POST' ? await request.clone().text() : null });
    if (request.url.endsWith('/auth/refresh')) {
      return json({ accessToken: 'new', refreshToken: 'r2', tokenType: 'Bearer', expiresIn: 900 });
    }
    return request.headers.get('Authorization') === 'Bearer new' ? json({ id: 'a1', name: 'Support' }, 201)
      : json({ status: 401, title: 'Unauthorized' }, 401);
  });
  const created = await ok(companyApi.POST('/company/agents', { body: { name: 'Support' } }));
  expect(created).toEqual({ id: 'a1', name: 'Support' });
  expect(calls.map((c) => `${c.url} ${c.auth}`)).toEqual(
    ['/company/agents Bearer old', '/auth/refresh null', '/company/agents Bearer new']);
  expect(calls[2].body).toBe('{"name":"Support"}'); // the body is sent again
  expect(sessionStorage.getItem('engage.refresh.company')).toBe('r2');
});

test('when the refresh token is refused too, the session ends and the problem surfaces', async () => {
  signedIn('company', { accessToken: 'old', refreshToken: 'r1', expiresIn: 900 });
  vi.spyOn(window, 'fetch').mockImplementation(async () => json({ status: 401, title: 'Unauthorized',
    detail: 'Sign in again' }, 401));
  await expect(ok(companyApi.GET('/company/agents'))).rejects.toBeInstanceOf(ApiError);
  expect(session('company')).toBeNull();
  expect(sessionStorage.getItem('engage.refresh.company')).toBeNull();
});

test('an expired access token is refreshed before the call; sign-out revokes the refresh token', async () => {
  signedIn('company', { accessToken: 'stale', refreshToken: 'r1', expiresIn: 10 }); // within the 30 s margin
  const urls: string[] = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (input, init) => {
    const url = typeof input === 'string' ? input : (input as Request).url;
    urls.push(new URL(url, 'http://x').pathname + (init?.body ? ' ' + init.body : ''));
    return url.endsWith('/auth/refresh') ? json({ accessToken: 'fresh', refreshToken: 'r2', expiresIn: 900 })
      : json({ items: [], nextCursor: null });
  });
  await ok(companyApi.GET('/company/agents'));
  await signOut('company');
  expect(urls).toEqual(['/auth/refresh {"refreshToken":"r1"}', '/company/agents', '/auth/logout {"refreshToken":"r2"}']);
  expect(session('company')).toBeNull();
});
