// What a visitor sees when things go wrong: a wrong key or a site not among the agent's allowed origins gets a
// clear message (and a console warning for the site's developer); a lost connection offers a retry; a server
// error gets a friendly message; 429 is honoured until its Retry-After has passed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  companyToken, createAgent, demoKey, embed, hostSite, launch, openPage, shot, sitePage, W,
} from '../lib/harness.mjs';

let browser;
let site;
let elsewhere;

before(async () => {
  const token = await companyToken();
  site = await hostSite();
  elsewhere = await createAgent(token, { name: 'Only on example.com',
    widget: { allowedOrigins: ['https://shop.example.com'] } });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  await site.close();
});

async function openWith(key, options, requests = []) {
  const opened = await openPage(browser, options);
  const warnings = [];
  opened.page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  opened.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await opened.page.goto(site.page(sitePage({ script: embed(key) })));
  await opened.page.locator(W.launcher).click();
  return { ...opened, warnings };
}

// Chromium itself logs every refused request ("Failed to load resource: … 401"); the widget logs no errors
const onlyFailedLoads = (errors) => assert.ok(errors.every((e) => /^Failed to load resource/.test(e)), errors.join('\n'));

test('a wrong key shows that the chat is unavailable, and why', async () => {
  const requests = [];
  const { page, context, warnings, errors } = await openWith('ek_this-key-does-not-exist', undefined, requests);
  const status = page.locator(W.status);
  await status.filter({ hasText: 'This chat is not available here.' }).waitFor();
  assert.match(await status.innerText(), /invalid or has been revoked/);
  assert.equal(await status.getAttribute('role'), 'alert');
  assert.equal(await page.locator(W.input).isDisabled(), true);
  assert.ok(warnings.some((w) => w.includes('[Engage]') && w.includes('invalid')), warnings.join('\n'));
  await shot(page, 'error-1-wrong-key');
  onlyFailedLoads(errors);
  // one refused request tells all: nothing else is asked with that key
  assert.deepEqual(requests.filter((p) => p.startsWith('/agent/')), ['/agent/config'], requests.join());
  await context.close();
});

test('a site that is not an allowed origin is told so', async () => {
  const { page, context, errors } = await openWith(elsewhere.key);
  const status = page.locator(W.status);
  await status.filter({ hasText: 'not among the agent\'s allowed origins' }).waitFor();
  assert.match(await status.innerText(), new RegExp(site.origin.replace(/[.:/]/g, '\\$&')));
  await shot(page, 'error-2-origin');
  onlyFailedLoads(errors);
  await context.close();
});

test('network loss: the question can be retried once the connection is back', async () => {
  const { page, context, errors } = await openWith(demoKey());
  await page.route('**/agent/query', (route) => route.abort('internetdisconnected'));
  await page.locator(W.input).fill('What does the warranty cover?');
  await page.keyboard.press('Enter');
  const status = page.locator(W.status);
  await status.filter({ hasText: 'The connection was lost' }).waitFor();
  await shot(page, 'error-3-offline');
  await page.unroute('**/agent/query');
  await status.locator('button', { hasText: 'Retry' }).click();
  await page.locator(W.lastAnswer).locator('.b', { hasText: 'two-year warranty' }).waitFor();
  assert.equal(await page.locator('engage-widget .msg.user').count(), 1, 'the question is not repeated');
  // the aborted request is the only console error (Chromium logs failed loads itself)
  assert.ok(errors.every((e) => /ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), errors.join('\n'));
  await context.close();
});

test('a server error gets a friendly message, not a stack trace', async () => {
  const { page, context, errors } = await openWith(demoKey());
  await page.evaluate(() => window.Engage('on', 'error', (e) => (window.__errorEvent = e)));
  await page.route('**/agent/query', (route) => route.fulfill({ status: 500, contentType: 'application/problem+json',
    headers: { 'Access-Control-Allow-Origin': site.origin },
    body: JSON.stringify({ status: 500, title: 'Internal Server Error', detail: 'java.lang.NullPointerException' }) }));
  await page.locator(W.input).fill('Hello?');
  await page.keyboard.press('Enter');
  const status = page.locator(W.status);
  await status.filter({ hasText: 'Something went wrong on our side' }).waitFor();
  assert.doesNotMatch(await status.innerText(), /NullPointer/);
  await status.locator('button', { hasText: 'Retry' }).waitFor();
  // the page's Engage('on', 'error') callback hears of it
  assert.deepEqual(await page.evaluate(() => window.__errorEvent),
    { kind: 'failed', status: 500, detail: 'java.lang.NullPointerException' });
  onlyFailedLoads(errors);
  await context.close();
});

test('429 Too Many Requests: nothing is sent before Retry-After has passed', async () => {
  const { page, context } = await openWith(demoKey());
  let calls = 0;
  let refusedAt = 0;
  await page.route('**/agent/query', (route) => {
    calls++;
    refusedAt = Date.now();
    return route.fulfill({ status: 429, headers: { 'Retry-After': '3', 'Access-Control-Expose-Headers': 'Retry-After',
        'Access-Control-Allow-Origin': site.origin },
      contentType: 'application/problem+json', body: JSON.stringify({ status: 429, detail: 'slow down' }) });
  });
  await page.locator(W.input).fill('Quick question');
  await page.keyboard.press('Enter');
  const status = page.locator(W.status);
  await status.filter({ hasText: /Please wait [23] s/ }).waitFor();
  await shot(page, 'error-4-rate-limited');
  // sending again during the wait does nothing
  await page.locator(W.input).fill('Another one');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(calls, 1);
  await page.unroute('**/agent/query');
  await status.locator('button', { hasText: 'Retry' }).waitFor({ timeout: 5000 });
  assert.ok(Date.now() - refusedAt >= 2900, `Retry offered ${Date.now() - refusedAt} ms after a Retry-After of 3 s`);
  await status.locator('button', { hasText: 'Retry' }).click();
  await page.locator(W.lastAnswer).waitFor();
  assert.equal(calls, 1);
  await context.close();
});
