// A third-party site embeds an agent whose model (a local OpenAI-compatible server) streams slowly: the typing
// indicator shows, the answer grows token by token, Markdown is rendered safely, sources are links (the agent's
// knowledge is a web page of the site), the agent's theme applies, and the page drives the widget through Engage(...).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fakeOpenAi } from '../lib/fake-openai.mjs';
import {
  api, companyToken, createAgent, embed, hostSite, launch, openPage, shot, sitePage, W,
} from '../lib/harness.mjs';

const TOKENS = ['The **Trail 2** tent', ' weighs 1.9 kg', ' [1].', '\n\n- Sleeps two\n', '- Costs 289 euros\n\n',
  'Details: [product page](https://acme.example/trail-2)', ' <img src=x onerror="window.__pwned=1">',
  ' `code`'];

let browser;
let model;
let site;
let agent;
let token;
let trailPage;

before(async () => {
  token = await companyToken();
  model = await fakeOpenAi({ tokens: TOKENS, delayMs: 60, holdAfter: 3 });
  site = await hostSite();
  trailPage = site.page('<!doctype html><html><head><title>Trail 2 tent</title></head><body><h1>Trail 2 tent</h1>'
    + '<p>The Trail 2 tent weighs 1.9 kg, sleeps two people and costs 289 euros. It packs to 45 cm.</p></body></html>');
  agent = await createAgent(token, {
    name: 'Acme streaming', greeting: 'Hello from Acme!', language: 'en',
    llm: { provider: 'openai-compatible', model: 'e2e-model', baseUrl: model.baseUrl, apiKey: 'sk-e2e-not-secret' },
    widget: { title: 'Acme help', primaryColor: '#7c3aed', allowedOrigins: [site.origin], position: 'bottom-left',
      launcherIcon: 'sparkles' },
  }, { url: trailPage });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  await model.close();
  await site.close();
});

test('the answer streams in token by token and renders as safe Markdown with source links', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(site.page(sitePage({ script: embed(agent.key) })));
  const launcher = page.locator(W.launcher);
  await launcher.waitFor();
  // theming from the agent's settings: colour, corner
  await page.waitForFunction(() => {
    const b = document.querySelector('engage-widget').shadowRoot.querySelector('.l');
    return getComputedStyle(b).backgroundColor === 'rgb(124, 58, 237)';
  });
  const box = await launcher.boundingBox();
  assert.ok(box.x < 100, 'bottom-left launcher');
  assert.match(await launcher.locator('svg path').getAttribute('d'), /^M12 3l1\.9 5\.1/, 'the sparkles icon');

  await launcher.click();
  assert.equal(await page.locator('engage-widget h2').innerText(), 'Acme help');
  await page.locator('engage-widget .msg.bot', { hasText: 'Hello from Acme!' }).waitFor();
  await page.locator(W.input).fill('How heavy is the Trail 2 tent?');
  await page.keyboard.press('Enter');
  const busy = page.locator('engage-widget .msg.bot[aria-busy="true"]');
  await busy.locator('.dots[aria-label="The assistant is typing"]').waitFor();
  // part of the answer is on screen while the model is still writing
  await busy.locator('.b', { hasText: 'weighs 1.9 kg' }).waitFor();
  assert.equal(await busy.count(), 1, 'still streaming');
  assert.doesNotMatch(await busy.innerText(), /289 euros/);
  await shot(page, 'stream-1-partial');
  model.release(); // the model writes the rest

  const answer = page.locator(W.lastAnswer);
  await answer.waitFor();
  const bubble = answer.locator('.b');
  assert.equal(await bubble.locator('strong').innerText(), 'Trail 2');
  assert.equal(await bubble.locator('li').count(), 2);
  assert.equal(await bubble.locator('code').innerText(), 'code');
  const link = bubble.locator('a', { hasText: 'product page' });
  assert.equal(await link.getAttribute('href'), 'https://acme.example/trail-2');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow ugc');
  // HTML from the model is shown as text, never parsed
  assert.equal(await bubble.locator('img').count(), 0);
  assert.match(await bubble.innerText(), /<img src=x onerror/);
  assert.doesNotMatch(await bubble.innerText(), /\[1\]/, 'passage markers become the source list');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // the source is a link to the page the answer came from, opened in a new tab
  const source = answer.locator('.src a');
  assert.equal(await source.innerText(), 'Trail 2 tent');
  assert.equal(await source.getAttribute('href'), trailPage);
  assert.equal(await source.getAttribute('target'), '_blank');
  assert.equal(await source.getAttribute('rel'), 'noopener noreferrer');
  await shot(page, 'stream-2-markdown');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page drives the widget: identify, ask, open/close and event callbacks', async () => {
  const { page, context, errors } = await openPage(browser);
  // the stub snippet queues calls made before widget.js arrives
  const stub = '<script>window.Engage=window.Engage||function(){(Engage.q=Engage.q||[]).push(arguments)};'
    + 'window.seen=[];Engage("identify",{userId:"acme-user-42",name:"Ada Lovelace",email:"ada@example.com"});'
    + 'Engage("on","message",function(m){seen.push(m.role+":"+(m.text||"").slice(0,12))});'
    + 'Engage("on","open",function(){seen.push("open")});window.onClose=function(){seen.push("close")};'
    + 'Engage("on","close",onClose);window.events={};Engage("on","ready",function(d){events.ready=d.agentId});'
    + 'Engage("on","feedback",function(d){events.feedback=d});</script>';
  await page.goto(site.page(sitePage({ head: stub, script: embed(agent.key) })));
  await page.locator(W.launcher).waitFor();
  await page.evaluate(() => window.Engage('ask', 'How heavy is the Trail 2 tent?'));
  await page.locator(W.lastAnswer).waitFor();
  await page.locator(W.lastAnswer).locator('button[aria-label="Not helpful"]').click();
  await page.evaluate(() => window.Engage('close'));
  await page.locator(W.panel).waitFor({ state: 'hidden' });
  assert.deepEqual(await page.evaluate(() => window.seen),
    ['open', 'user:How heavy is', 'assistant:The **Trail ', 'close']);
  const events = await page.evaluate(() => window.events);
  assert.equal(events.ready, agent.id);
  assert.equal(events.feedback.value, 'down');
  assert.match(events.feedback.messageId, /^[0-9a-f-]{36}$/);
  // Engage('off') removes a callback; 'toggle' opens and closes
  await page.evaluate(() => {
    window.Engage('off', 'close', window.onClose);
    window.Engage('toggle');
  });
  await page.locator(W.panel).waitFor();
  await page.evaluate(() => window.Engage('toggle'));
  await page.locator(W.panel).waitFor({ state: 'hidden' });
  assert.deepEqual((await page.evaluate(() => window.seen)).slice(4), ['open']);

  // the identified user is the end-user the company sees, with the profile the site passed
  const users = await api('GET', `/company/agents/${agent.id}/users?limit=100`, { token });
  const ada = users.json.items.find((u) => u.externalId === 'acme-user-42');
  assert.equal(ada.name, 'Ada Lovelace');
  assert.equal(ada.email, 'ada@example.com');
  // an identified user's conversation follows them to a new device (fresh storage), within the memory TTL
  const other = await openPage(browser);
  await other.page.goto(site.page(sitePage({ head: stub,
    script: embed(agent.key) })));
  await other.page.evaluate(() => window.Engage('open'));
  await other.page.locator('engage-widget .msg.user', { hasText: 'How heavy is the Trail 2 tent?' }).waitFor();
  await other.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});
