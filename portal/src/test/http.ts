// What every fake API in the page tests shares: turning a fetch call into a recorded Call, and JSON / problem+json
// responses. The API client builds absolute URLs and looks window.fetch up per call, so a test only has to replace
// window.fetch (the older helpers also patch Request for relative URLs; harmless).
export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** The raw body text ('' when none). */
  text: string;
  /** The body parsed as JSON, undefined when empty. */
  body: unknown;
}

export async function recordCall(input: RequestInfo | URL, init?: RequestInit): Promise<Call> {
  const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
  const url = new URL(request.url, window.location.origin);
  const text = await request.clone().text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined; // not JSON (multipart): the raw text is in `text`
  }
  return { method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, text, body };
}

export function json(body: unknown, status = 200): Response {
  return new Response(status === 204 || body === undefined ? null : JSON.stringify(body), { status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

export function problem(status: number, detail: string, errors?: { field: string; message: string }[]): Response {
  return json({ status, title: errors ? 'Validation failed' : 'Error', detail, errors }, status);
}
