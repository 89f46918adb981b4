// A fake server for page tests: answers the API client's requests from per-test routes and records every call.
// It replaces window.fetch, which the API client looks up on every call.
import { afterEach } from 'vitest';
import { type Call, json, recordCall } from './http';

export { json };
export type { Call };

type Reply = Response | { status?: number; body?: unknown };
type Handler = (call: Call) => Reply | Promise<Reply>;

const routes: { method: string; path: string | RegExp; handler: Handler }[] = [];
export const calls: Call[] = [];

async function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const call = await recordCall(input, init);
  calls.push(call);
  const route = [...routes].reverse().find((r) => r.method === call.method
    && (typeof r.path === 'string' ? r.path === call.path : r.path.test(call.path)));
  if (!route) return json({ status: 404, title: 'No test route', detail: `${call.method} ${call.path}` }, 404);
  const reply = await route.handler(call);
  return reply instanceof Response ? reply : json(reply.body ?? null, reply.status ?? 200);
}
globalThis.fetch = fakeFetch as typeof fetch;

/** Answers method + path (exact, or a pattern) with a JSON body, a status, or whatever the handler returns. */
export function route(method: string, path: string | RegExp, reply: Handler): void;
export function route(method: string, path: string | RegExp, body: object): void;
export function route(method: string, path: string | RegExp, reply: Handler | object): void {
  routes.push({ method, path, handler: typeof reply === 'function' ? (reply as Handler) : () => ({ body: reply }) });
}

export function callsTo(method: string, path: string | RegExp): Call[] {
  return calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)));
}

afterEach(() => {
  routes.length = 0;
  calls.length = 0;
});
