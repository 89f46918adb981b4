// The agent API as the panel uses it: JSON calls, the streamed answer (SSE over fetch, since EventSource can
// neither POST nor send the key header) and fire-and-forget widget events.
import { Host } from './shared';

export type FailureKind = 'offline' | 'failed' | 'slow' | 'denied' | 'invalid';

export class ApiError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number,
    readonly detail: string,
    readonly retryAfter: number,
  ) {
    super(detail);
  }
}

export interface Citation {
  sourceId: string;
  title: string;
  url: string | null;
  snippet: string;
}

export interface Answer {
  conversationId: string;
  messageId: string;
  answer: string;
  citations: Citation[];
  grounded: boolean;
  handoff: boolean;
}

async function failure(response: Response): Promise<ApiError> {
  const body = await response.json().catch(() => ({}) as Record<string, string>);
  const status = response.status;
  const kind: FailureKind = status === 429 ? 'slow' : status === 401 || status === 403 ? 'denied'
    : status >= 500 ? 'failed' : 'invalid';
  const retryAfter = parseInt(response.headers.get('Retry-After') || '', 10);
  return new ApiError(kind, status, body.detail || response.statusText, isNaN(retryAfter) ? 0 : retryAfter);
}

function headers(host: Host, extra?: Record<string, string>): Record<string, string> {
  return Object.assign({ 'X-Engage-Key': host.key, 'Content-Type': 'application/json' }, extra);
}

async function send(host: Host, path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(host.base + path, Object.assign({ credentials: 'omit' as RequestCredentials }, init));
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('offline', 0, String(e), 0);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function getJson<T>(host: Host, path: string, extra?: Record<string, string>, signal?: AbortSignal): Promise<T> {
  const response = await send(host, path, { headers: headers(host, extra), signal });
  return (await response.json()) as T;
}

export interface StreamHandlers {
  start(ids: { conversationId: string; messageId: string }): void;
  token(text: string): void;
}

/** POST /agent/query with Accept: text/event-stream; resolves with the "done" event's complete answer. */
export async function streamAnswer(host: Host, body: object, on: StreamHandlers, signal?: AbortSignal): Promise<Answer> {
  const response = await send(host, 'agent/query', {
    method: 'POST',
    headers: headers(host, { Accept: 'text/event-stream' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.body) throw new ApiError('failed', response.status, 'no body', 0);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError('offline', 0, String(e), 0);
    }
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split(/\r?\n/)) {
        if (line.indexOf('event:') === 0) event = line.slice(6).trim();
        else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (!data.length) continue;
      const payload = JSON.parse(data.join('\n'));
      if (event === 'start') on.start(payload);
      else if (event === 'token') on.token(payload.text);
      else if (event === 'done') return payload as Answer;
      else if (event === 'error') throw new ApiError('failed', 500, payload.detail || '', 0);
    }
  }
  // the stream ended without "done": the connection broke mid-answer
  throw new ApiError('offline', 0, 'stream ended early', 0);
}

/** POST /agent/events; losing an event must never disturb the visitor, so failures are ignored. */
export function sendEvent(host: Host, body: Record<string, unknown>): void {
  if (host.problem || host.preview) return;
  send(host, 'agent/events', {
    method: 'POST',
    headers: headers(host),
    body: JSON.stringify(Object.assign({ endUserId: host.endUserId() }, body)),
    keepalive: true,
  }).catch(() => undefined);
}
