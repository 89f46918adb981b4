// The agent's widget settings alone (no tag attributes) choose the format and the language: a Q/A agent gets a
// floating help launcher and the help-center panel, an inline agent fills the page's [data-engage-inline] element.
// data-engage-storage keeps the anonymous visitor id where the site chose (e.g. before cookie consent).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  companyToken, createAgent, demoKey, embed, hostSite, launch, openPage, shot, sitePage, W,
} from '../lib/harness.mjs';

let browser;
let site;
let qaAgent;
let inlineAgent;

const HOURS = { title: 'Öffnungszeiten', content: 'Der Laden ist werktags von 9 bis 18 Uhr geöffnet.' };

before(async () => {
  const token = await companyToken();
  site = await hostSite();
  qaAgent = await createAgent(token, { name: 'Hilfe', language: 'de', widget: { mode: 'qa', title: 'Hilfe-Center',
    launcherIcon: 'help', allowedOrigins: ['*'], suggestedQuestions: ['Wann ist geöffnet?'] } }, HOURS);
  inlineAgent = await createAgent(token, { name: 'Inline', language: 'en', widget: { mode: 'inline',
    title: 'Ask the shop', allowedOrigins: ['*'] } }, HOURS);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  await site.close();
});

test('a German Q/A agent: floating help launcher and the help-center panel in German, in an English browser',
  async () => {
    const { page, context, errors } = await openPage(browser, { locale: 'en-US' });
    await page.goto(site.page(sitePage({ script: embed(qaAgent.key) })));
    // the config says Q/A and German: the launcher follows it (a first visit paints the default launcher first)
    const launcher = page.locator('engage-widget button.l[aria-label="Hilfe öffnen"]');
    await launcher.click();
    const panel = page.locator('engage-widget section.p.qa');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('role'), 'dialog');
    assert.equal(await panel.locator('h2').innerText(), 'Hilfe-Center');
    const search = panel.locator('input[type=search]');
    assert.equal(await search.getAttribute('placeholder'), 'Antworten suchen…');
    assert.equal(await panel.locator('.chip').innerText(), 'Wann ist geöffnet?');
    await search.pressSequentially('werktags', { delay: 30 });
    await panel.locator('.rs summary', { hasText: 'Öffnungszeiten' }).waitFor();
    await shot(page, 'formats-1-qa-german');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(errors, []);
    await context.close();
  });

test('an inline agent fills the [data-engage-inline] element at once: never a floating launcher, no layout shift',
  async () => {
    const { page, context, errors } = await openPage(browser);
    // the site sizes the element (as the README says), so the content below it never moves
    const probe = `<script>window.__shift=0;window.__launcher=false;
new PerformanceObserver(function(l){l.getEntries().forEach(function(e){window.__shift+=e.value})})
.observe({type:'layout-shift',buffered:true});
new MutationObserver(function(){var h=document.querySelector('engage-widget');
if(h&&h.shadowRoot&&h.shadowRoot.querySelector('.l'))window.__launcher=true})
.observe(document.documentElement,{childList:true,subtree:true});</script>`;
    await page.goto(site.page(sitePage({ head: probe,
      body: '<div data-engage-inline style="width:520px;min-height:460px"></div><p id="below">Below the chat</p>',
      script: embed(inlineAgent.key) })));
    const panel = page.locator('[data-engage-inline] engage-widget section.p.chat');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('role'), 'region');
    assert.equal(await panel.locator('h2').innerText(), 'Ask the shop');
    await panel.locator('textarea').fill('When is the shop open?');
    await page.keyboard.press('Enter');
    await panel.locator('.msg.bot:has(.act)').waitFor();
    await shot(page, 'formats-2-inline-from-settings');
    assert.equal(await page.evaluate(() => window.__launcher), false, 'no launcher flashed up before the config came');
    assert.equal(await page.evaluate(() => window.__shift), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

const keys = (page, area) => page.evaluate((a) => Object.keys(window[a]).filter((k) => k.startsWith('engage:')),
  area);

test('data-engage-storage="session" keeps the visitor in sessionStorage, "none" stores nothing', async () => {
  for (const storage of ['session', 'none']) {
    const { page, context, errors } = await openPage(browser);
    await page.goto(site.page(sitePage({ script: embed(demoKey(), `data-engage-storage="${storage}"`) })));
    await page.locator(W.launcher).click();
    await page.locator(W.input).fill('How long does shipping take?');
    await page.keyboard.press('Enter');
    await page.locator(W.lastAnswer).waitFor();
    assert.deepEqual(await keys(page, 'localStorage'), [], storage + ': nothing in localStorage');
    const session = await keys(page, 'sessionStorage');
    if (storage === 'session') assert.ok(session.some((k) => k.endsWith(':visitor')), session.join());
    else assert.deepEqual(session, [], 'none: nothing in sessionStorage');

    // a reload resumes only when the visitor id survived it
    await page.reload();
    const resumed = page.waitForResponse((r) => r.url().includes('/agent/conversation?'));
    await page.locator(W.launcher).click();
    const conversation = await (await resumed).json();
    assert.equal(conversation.messages.length > 0, storage === 'session', JSON.stringify(conversation));
    if (storage === 'session') {
      await page.locator('engage-widget .msg.user', { hasText: 'How long does shipping take?' }).waitFor();
    } else {
      assert.equal(await page.locator('engage-widget .msg.user').count(), 0);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
