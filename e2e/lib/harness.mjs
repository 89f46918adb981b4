// Shared by the browser tests: the Engage API, the seeded demo, a third-party "host site" on another origin,
// Debian's Chromium through playwright-core, and screenshots as artefacts.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.ENGAGE_BASE;
const ARTIFACTS = process.env.ENGAGE_E2E_ARTIFACTS;
const DEMO_PASSWORD = process.env.ENGAGE_DEMO_ADMIN_PASSWORD;

export async function api(method, path, { body, token, headers = {} } = {}) {
  const response = await fetch(BASE + path, {
    method,
    headers: {
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: 'Bearer ' + token } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export async function companyToken() {
  const login = await api('POST', '/company/login', { body: { email: 'demo@engage.local', password: DEMO_PASSWORD } });
  if (login.status !== 200) throw new Error('demo login failed: ' + login.text);
  return login.json.accessToken;
}

export function demoKey() {
  return readFileSync(join(process.env.ENGAGE_DATA_DIR, 'demo-widget-key'), 'utf8').trim();
}

export async function demoAgent(token) {
  const agents = await api('GET', '/company/agents', { token });
  return agents.json.items.find((a) => a.name === 'Skyhawk assistant');
}

/** Waits until every knowledge source of the agent is ready (ingestion runs in the background). */
export async function waitForKnowledge(token, agentId, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sources = (await api('GET', `/company/agents/${agentId}/knowledge`, { token })).json.items;
    if (sources.length && sources.every((s) => s.status === 'ready')) return sources;
    if (sources.some((s) => s.status === 'failed')) throw new Error('a source failed: ' + JSON.stringify(sources));
    if (Date.now() > deadline) throw new Error('knowledge not ready: ' + JSON.stringify(sources));
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Creates an agent of the demo company with one source ({title, content} text, or {url} of a web page); returns its
 * id and (shown-once) API key.
 */
export async function createAgent(token, request, text) {
  const created = await api('POST', '/company/agents', { token, body: { status: 'published', ...request } });
  if (created.status !== 201) throw new Error('agent not created: ' + created.text);
  if (text) {
    const added = await api('POST', `/company/agents/${created.json.id}/knowledge`, {
      token, body: text.url ? { type: 'url', url: text.url } : { type: 'text', title: text.title, content: text.content },
    });
    if (added.status !== 202) throw new Error('knowledge not added: ' + added.text);
    await waitForKnowledge(token, created.json.id);
  }
  return { id: created.json.id, key: created.json.apiKey };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context and page; console errors and uncaught page errors are collected in `errors`. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { context, page, errors };
}

export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, name + '.png') });
}

export function embed(key, attributes = '') {
  return `<script src="${BASE}/widget.js" data-engage-key="${key}" ${attributes} async></script>`;
}

/**
 * A customer's website on another origin (http://localhost:PORT while Engage is http://127.0.0.1:PORT): serves
 * the pages a test registers, so the widget runs cross-origin exactly as it does on a real site.
 */
export async function hostSite() {
  const pages = new Map();
  const server = createServer((request, response) => {
    const html = pages.get(new URL(request.url, 'http://x').pathname);
    if (request.url === '/favicon.ico') return response.writeHead(204).end();
    response.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(html || 'not found');
  });
  await new Promise((done) => server.listen(0, done));
  const origin = `http://localhost:${server.address().port}`;
  let counter = 0;
  return {
    origin,
    page(html) {
      const path = `/page-${++counter}.html`;
      pages.set(path, html);
      return origin + path;
    },
    close: () => new Promise((done) => server.close(done)),
  };
}

/** A plain product page of the customer's site around the widget's script tag. */
export function sitePage({ head = '', body = '', script }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Customer site</title>${head}</head>
<body><header><h1>Acme Outdoor</h1><nav><a href="#">Shop</a> <a href="#">Help</a></nav></header>
<main><p>Tents, backpacks and everything for the trail.</p>${body}</main>${script}</body></html>`;
}

/**
 * For inline embeds: records the height of <engage-widget> in the task that inserts it (before any frame, so the
 * height it reserves before the panel code has arrived); {reserved, now} later tells whether the panel kept it.
 */
export async function watchInlineHeight(page) {
  await page.addInitScript(() => {
    new MutationObserver((records, observer) => {
      const host = document.querySelector('engage-widget');
      if (!host || !host.isConnected) return;
      observer.disconnect();
      window.__reservedHeight = host.getBoundingClientRect().height;
    }).observe(document, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => ({ reserved: window.__reservedHeight,
    now: document.querySelector('engage-widget').getBoundingClientRect().height }));
}

/** Locators inside the widget's (open) shadow root; Playwright's CSS engine pierces it. */
export const W = {
  launcher: 'engage-widget button.l',
  panel: 'engage-widget section.p',
  input: 'engage-widget textarea',
  send: 'engage-widget button.send',
  lastAnswer: 'engage-widget .msg.bot:has(.act) >> nth=-1',
  status: 'engage-widget .st',
};
