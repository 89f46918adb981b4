// The chat box on the demo landing page (/demo, ENGAGE_DEMO=true): open, ask, streamed grounded answer with
// sources, feedback stored, reload resumes the conversation, new conversation, mobile full screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, BASE, companyToken, demoAgent, launch, openPage, shot, W, waitForKnowledge } from '../lib/harness.mjs';

let browser;
let token;
let agent;

before(async () => {
  token = await companyToken();
  agent = await demoAgent(token);
  await waitForKnowledge(token, agent.id);
  browser = await launch();
});
after(() => browser && browser.close());

test('a visitor asks on the demo page, gets a grounded streamed answer with sources and rates it', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(BASE + '/demo');
  await page.locator(W.launcher).waitFor();
  await shot(page, 'chat-1-demo-page');
  assert.equal(await page.locator(W.launcher).getAttribute('aria-expanded'), 'false');

  await page.locator(W.launcher).click();
  const panel = page.locator(W.panel);
  await panel.waitFor();
  assert.equal(await panel.getAttribute('role'), 'dialog');
  assert.equal(await page.locator(W.launcher).getAttribute('aria-expanded'), 'true');
  await page.locator('engage-widget h2', { hasText: 'Skyhawk help' }).waitFor();
  await page.locator('engage-widget .msg.bot', { hasText: "I'm the Skyhawk assistant" }).waitFor();
  assert.equal(await page.locator('engage-widget .chip').count(), 3);
  // focus goes to the message box
  assert.equal(await page.evaluate(() => document.querySelector('engage-widget').shadowRoot.activeElement?.tagName),
    'TEXTAREA');

  const streamed = page.waitForResponse((r) => r.url().endsWith('/agent/query'));
  await page.locator(W.input).fill('How long does shipping take?');
  await page.keyboard.press('Enter');
  const response = await streamed;
  assert.match(response.headers()['content-type'], /text\/event-stream/);
  const answer = page.locator(W.lastAnswer);
  await answer.waitFor();
  assert.match(await answer.locator('.b').innerText(), /business day/);
  assert.match(await answer.locator('.src').innerText(), /How long does shipping take\?/);
  assert.equal(await page.locator('engage-widget .sg').isHidden(), true, 'suggestions hide once a question is asked');
  await shot(page, 'chat-2-answer');

  const feedback = page.waitForResponse((r) => r.url().endsWith('/agent/events')
    && r.request().postDataJSON().type === 'feedback');
  await answer.locator('button[aria-label="Helpful"]').click();
  assert.equal((await feedback).status(), 202);
  assert.equal(await answer.locator('button[aria-label="Helpful"]').getAttribute('aria-pressed'), 'true');
  await page.locator(W.status, { hasText: 'Thanks for your feedback' }).waitFor();

  // the vote is stored with the answer in the company's transcript
  const visitor = await page.evaluate(() => Object.entries(localStorage)
    .find(([k]) => k.endsWith(':visitor'))[1]);
  assert.match(visitor, /^v_[0-9a-f]{32}$/);
  const users = await api('GET', `/company/agents/${agent.id}/users?limit=100`, { token });
  const user = users.json.items.find((u) => u.externalId === visitor);
  assert.ok(user, 'the visitor is an end-user of the agent');
  const conversations = await api('GET', `/company/agents/${agent.id}/users/${user.id}/conversations`, { token });
  const id = conversations.json.items[0].id;
  let transcript;
  for (let i = 0; i < 40; i++) {
    transcript = await api('GET', `/company/agents/${agent.id}/conversations/${id}`, { token });
    if (transcript.json.messages?.some((m) => m.feedback === 'up')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(transcript.json.messages.at(-1).feedback, 'up');

  // a reload resumes the conversation (server-side memory), with the vote
  await page.reload();
  await page.locator(W.launcher).click();
  await page.locator('engage-widget .msg.user', { hasText: 'How long does shipping take?' }).waitFor();
  const resumed = page.locator(W.lastAnswer);
  assert.match(await resumed.locator('.b').innerText(), /business day/);
  assert.equal(await resumed.locator('button[aria-label="Helpful"]').getAttribute('aria-pressed'), 'true');
  await shot(page, 'chat-3-resumed-after-reload');

  // a suggested question is one click; "new conversation" starts afresh on the server too
  await page.locator('engage-widget button[aria-label="New conversation"]').click();
  assert.equal(await page.locator('engage-widget .msg.user').count(), 0);
  await page.locator('engage-widget .chip', { hasText: 'How do I return a drone?' }).click();
  await page.locator(W.lastAnswer).locator('.b', { hasText: '30 days' }).waitFor();
  const after = await api('GET', `/company/agents/${agent.id}/users/${user.id}/conversations`, { token });
  assert.equal(after.json.items.length, 2, 'a second conversation');

  // asking for a person: the answer hands off, and "Talk to a human" leads to the agent's handoff address
  await page.locator(W.input).fill('Can I talk to a human, please?');
  await page.keyboard.press('Enter');
  const human = page.locator(W.lastAnswer).locator('a.hm', { hasText: 'Talk to a human' });
  await human.waitFor();
  assert.equal(await human.getAttribute('href'), 'mailto:support@skyhawk.example');
  const handoff = page.waitForRequest((r) => r.url().endsWith('/agent/events')
    && r.postDataJSON().type === 'handoff_requested');
  await human.click();
  await handoff;

  // the widget's events reach the company's analytics (opens counted, the handoff request flagged)
  let totals;
  for (let i = 0; i < 40; i++) {
    totals = (await api('GET', `/company/analytics?agentId=${agent.id}`, { token })).json.totals;
    if (totals.widgetOpens >= 2 && totals.handoffRequests >= 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(totals.widgetOpens >= 2 && totals.handoffRequests >= 1, JSON.stringify(totals));

  // Escape closes the dialog and gives the focus back to the launcher
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.querySelector('engage-widget').shadowRoot.activeElement?.className),
    'l');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the panel takes the whole screen', async () => {
  const { page, context, errors } = await openPage(browser, {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  await page.goto(BASE + '/demo');
  await page.locator(W.launcher).tap();
  await page.locator(W.panel).waitFor();
  await page.waitForFunction(() => !document.querySelector('engage-widget').shadowRoot.querySelector('section')
    .getAnimations().length); // the opening slide-in has finished
  const box = await page.locator(W.panel).boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height].map(Math.round), [0, 0, 390, 844]);
  await page.locator(W.input).fill('What does the DS-3 cost?');
  await page.locator(W.send).tap();
  await page.locator(W.lastAnswer).locator('.b', { hasText: '499' }).waitFor();
  await shot(page, 'chat-4-mobile');
  await page.locator('engage-widget .hd button[aria-label="Close"]').tap();
  await page.locator(W.panel).waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await context.close();
});
