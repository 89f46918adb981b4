// The Q/A help-center panel (/demo/help: the widget inline in the page's element, data-engage-mode="qa"):
// matching articles as the visitor types, then a generated answer on "Ask".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BASE, companyToken, demoAgent, launch, openPage, shot, W, waitForKnowledge, watchInlineHeight,
} from '../lib/harness.mjs';

let browser;

before(async () => {
  const token = await companyToken();
  await waitForKnowledge(token, (await demoAgent(token)).id);
  browser = await launch();
});
after(() => browser && browser.close());

test('search as you type shows matching articles; Ask generates an answer', async () => {
  const { page, context, errors } = await openPage(browser);
  const heights = await watchInlineHeight(page);
  await page.goto(BASE + '/demo/help');
  const panel = page.locator('#engage-help engage-widget section.p.qa');
  await panel.waitFor();
  await panel.locator('.chip').first().waitFor(); // the config's suggestions are in
  const { reserved, now } = await heights();
  assert.equal(now, reserved, 'the panel fills the height reserved before its code arrived: nothing below moves');
  assert.equal(await panel.getAttribute('role'), 'region', 'inline panels are not modal');
  assert.equal(await page.locator(W.launcher).count(), 0, 'no floating launcher when inline');
  await shot(page, 'qa-1-help-center');

  const search = panel.locator('input[type=search]');
  const searched = page.waitForResponse((r) => r.url().includes('/agent/search?'));
  await search.pressSequentially('warranty', { delay: 40 });
  assert.equal((await searched).status(), 200);
  const first = panel.locator('.rs li').first();
  await first.waitFor();
  assert.match(await first.locator('summary').innerText(), /warranty/i);
  await first.locator('summary').click();
  await first.locator('.b', { hasText: 'two-year warranty' }).waitFor();
  await page.locator('engage-widget .st', { hasText: /matching articles/ }).waitFor();
  await shot(page, 'qa-2-results');

  await search.fill('xylophone quantum');
  await page.locator('engage-widget .st', { hasText: 'No matching articles' }).waitFor();

  await search.fill('How long does the battery last?');
  await panel.locator('button.ask').click();
  const answer = panel.locator('.msg.bot:has(.act)').last();
  await answer.locator('.b', { hasText: '34 minutes' }).waitFor();
  await shot(page, 'qa-3-answer');
  assert.deepEqual(errors, []);
  await context.close();
});
