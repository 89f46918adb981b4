// Test helpers for the knowledge, end-user and transcript pages: a fake server behind window.fetch and a fake
// XMLHttpRequest (installed when this module is imported; the API client looks window.fetch up on every call).
import { vi } from 'vitest';
import { type Call as RecordedCall, json, recordCall } from '../../test/http';

export { json };
/** Here `body` is the raw text (the knowledge tests parse JSON bodies themselves). */
export type Call = Omit<RecordedCall, 'body'> & { body: string };

/** Answers one request: a Response as is, anything else as a 200 JSON body. */
export type Handler = (call: Call) => unknown;

let routes: Record<string, Handler> = {};
export const calls: Call[] = [];

export const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const recorded = await recordCall(input, init);
  const call: Call = { ...recorded, body: recorded.text };
  calls.push(call);
  const handler = routes[`${call.method} ${call.path}`];
  if (!handler) {
    return json({ status: 404, title: 'Not Found', detail: `no mock for ${call.method} ${call.path}` }, 404);
  }
  const result = await handler(call);
  return result instanceof Response ? result : json(result);
});
globalThis.fetch = fetchMock as typeof fetch;
window.fetch = fetchMock as typeof fetch;

export const COMPANY_ADMIN = { userId: 'u1', email: 'boss@acme.test', role: 'COMPANY_ADMIN', companyId: 'c1' };
export const COMPANY_MEMBER = { userId: 'u2', email: 'ann@acme.test', role: 'COMPANY_MEMBER', companyId: 'c1' };

/** Replaces the fake server's routes, keyed "METHOD /path" (query strings are not part of the key). The signed-in
 * user is a company admin unless the routes answer GET /auth/me themselves. */
export function mockApi(next: Record<string, Handler>): void {
  routes = { 'GET /auth/me': () => COMPANY_ADMIN, ...next };
  calls.length = 0;
  fetchMock.mockClear();
}

export function callsTo(method: string, path: string): Call[] {
  return calls.filter((call) => call.method === method && call.path === path);
}

/** A stand-in for XMLHttpRequest that records what is sent and is driven by the test. */
export class FakeXhr {
  static instances: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  responseText = '';
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.instances.push(this);
  }

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }

  send(body: unknown) {
    this.body = body;
  }

  /** Fires upload progress. */
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }

  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }

  static install() {
    FakeXhr.instances = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  }
}
