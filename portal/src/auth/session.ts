// The signed-in session of one area (platform admin or company user). The access token lives in memory only; the
// refresh token in sessionStorage, so it dies with the tab and a stolen copy is useless after one rotation (the
// server rotates refresh tokens and revokes the session when an old one is replayed). Logout revokes it server-side.
import { useSyncExternalStore } from 'react';

export type Area = 'admin' | 'company';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

interface Session {
  accessToken: string | null;
  /** When the access token stops being accepted (ms since the epoch), with a margin. */
  expiresAt: number;
  refreshToken: string;
}

const sessions: Record<Area, Session | null> = { admin: null, company: null };
const listeners = new Set<() => void>();
const storageKey = (area: Area) => `engage.refresh.${area}`;

function load(area: Area): Session | null {
  if (sessions[area]) return sessions[area];
  const refreshToken = sessionStorage.getItem(storageKey(area));
  sessions[area] = refreshToken ? { accessToken: null, expiresAt: 0, refreshToken } : null;
  return sessions[area];
}

function changed() {
  listeners.forEach((listener) => listener());
}

export function signedIn(area: Area, tokens: Tokens): void {
  sessions[area] = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + Math.max(0, tokens.expiresIn - 30) * 1000 };
  sessionStorage.setItem(storageKey(area), tokens.refreshToken);
  changed();
}

export function signOutLocally(area: Area): void {
  sessions[area] = null;
  sessionStorage.removeItem(storageKey(area));
  changed();
}

export function session(area: Area): Session | null {
  return load(area);
}

/** Whether the access token can still be used without a refresh. */
export function fresh(area: Area): boolean {
  const current = load(area);
  return !!current && !!current.accessToken && Date.now() < current.expiresAt;
}

export function useSignedIn(area: Area): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => load(area) !== null,
  );
}

let refreshing: Partial<Record<Area, Promise<boolean>>> = {};

/** Exchanges the refresh token for new tokens once, however many requests got a 401 at the same time. */
export function refresh(area: Area): Promise<boolean> {
  const current = load(area);
  if (!current) return Promise.resolve(false);
  if (!refreshing[area]) {
    refreshing[area] = fetch('/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    })
      .then(async (response) => {
        if (!response.ok) {
          signOutLocally(area);
          return false;
        }
        signedIn(area, (await response.json()) as Tokens);
        return true;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = { ...refreshing, [area]: undefined };
      });
  }
  return refreshing[area]!;
}

/** Revokes the refresh token on the server (best effort) and forgets the session. */
export async function signOut(area: Area): Promise<void> {
  const current = load(area);
  signOutLocally(area);
  if (current) {
    await fetch('/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => undefined);
  }
}

export function areaOfPath(pathname: string): Area {
  return pathname.startsWith('/admin') ? 'admin' : 'company';
}
