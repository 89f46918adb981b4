// Test helpers for the company pages: a fake Engage API behind window.fetch, answering per "METHOD /path".
// Tests install it with `installFetch()` (the API client looks window.fetch up on every call).
import { type Mock, vi } from 'vitest';
import { type Call, json, problem, recordCall } from '../../test/http';

export { json, problem };
export type { Call };
export type Handler = (call: Call) => unknown;

/** Replaces window.fetch with a mock (from vi.hoisted in the tests, which also works). */
export function installFetch(): Mock {
  const mock = vi.fn();
  window.fetch = mock as unknown as typeof fetch;
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
}

/** Answers requests from the routes ("GET /company/agents"); returns the calls made, in order. */
export function serve(fetchMock: Mock, routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = await recordCall(input, init);
    calls.push(call);
    const handler = routes[`${call.method} ${call.path}`];
    if (!handler) return problem(404, `no mock for ${call.method} ${call.path}`);
    const result = handler(call);
    if (result instanceof Response) return result;
    return result === undefined ? new Response(null, { status: 204 }) : json(result);
  });
  return calls;
}
