// The widget as a guest on someone else's page: the page's CSS does not reach in, the widget adds no global but
// Engage, shifts no layout, logs no errors, is keyboard- and screen-reader-usable, speaks the visitor's
// language and can sit inline in a page element.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  companyToken, createAgent, demoKey, embed, hostSite, launch, openPage, shot, sitePage, W, watchInlineHeight,
} from '../lib/harness.mjs';

const HOSTILE_CSS = `<style>
*{color:red!important;font-family:"Comic Sans MS",cursive!important;font-size:30px!important;box-sizing:content-box}
button{display:none!important}div{margin:40px!important;padding:20px!important;background:yellow!important}
section,textarea,input{display:none!important}</style>`;

let browser;
let site;
let autoAgent;

before(async () => {
  const token = await companyToken();
  site = await hostSite();
  autoAgent = await createAgent(token, {
    name: 'Multilingual', language: 'auto', widget: { title: 'Help', allowedOrigins: ['*'] },
  }, { title: 'Opening hours', content: 'The shop is open from 9 to 18 on weekdays.' });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  await site.close();
});

test("the page's CSS stays out, no globals leak, no layout shift, no console errors", async () => {
  const { page, context, errors } = await openPage(browser);
  const probe = `<script>window.__before=Object.keys(window);window.__shift=0;
new PerformanceObserver(function(l){l.getEntries().forEach(function(e){window.__shift+=e.value})})
.observe({type:'layout-shift',buffered:true});</script>`;
  await page.goto(site.page(sitePage({ head: HOSTILE_CSS + probe, body: '<p id="after">Text below</p>',
    script: embed(demoKey()) })));
  const launcher = page.locator(W.launcher);
  await launcher.waitFor();
  await launcher.click();
  await page.locator(W.input).fill('What does the DS-3 cost?');
  await page.keyboard.press('Enter');
  await page.locator(W.lastAnswer).waitFor();
  const styles = await page.evaluate(() => {
    const root = document.querySelector('engage-widget').shadowRoot;
    const style = (selector) => getComputedStyle(root.querySelector(selector));
    return {
      launcherDisplay: style('.l').display,
      panelDisplay: style('section').display,
      textareaDisplay: style('textarea').display,
      bubbleColor: style('.msg.user .b').color,
      bubbleFont: style('.b').fontSize,
    };
  });
  assert.deepEqual(styles, { launcherDisplay: 'flex', panelDisplay: 'flex', textareaDisplay: 'block',
    bubbleColor: 'rgb(255, 255, 255)', bubbleFont: '14px' });
  const globals = await page.evaluate(() => Object.keys(window).filter((k) => !window.__before.includes(k)));
  assert.deepEqual(globals.filter((k) => !k.startsWith('__')), ['Engage']);
  assert.equal(await page.evaluate(() => window.__shift), 0);
  await shot(page, 'host-1-hostile-css');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard only: Tab to the launcher, Enter opens, focus stays in the dialog, Escape closes', async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(site.page(sitePage({ script: embed(demoKey()) })));
  await page.locator(W.launcher).waitFor();
  const active = () => page.evaluate(() => {
    const root = document.querySelector('engage-widget').shadowRoot;
    const el = root.activeElement;
    return el ? el.tagName.toLowerCase() + '.' + el.className + ':' + (el.getAttribute('aria-label') || '') : null;
  });
  for (let i = 0; i < 10 && !(await active()); i++) await page.keyboard.press('Tab');
  assert.equal(await active(), 'button.l:Open chat');
  await page.keyboard.press('Enter');
  await page.locator(W.panel).waitFor();
  assert.match(await active(), /^textarea/);
  assert.equal(await page.locator(W.panel).getAttribute('aria-modal'), 'true');
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const now = await active();
    assert.ok(now, 'focus never leaves the dialog');
    seen.add(now);
  }
  assert.ok(seen.has('button.ib:Close') && seen.has('button.chip:'), [...seen].join(', '));
  assert.equal(await page.locator('engage-widget [role=log]').getAttribute('aria-live'), 'polite');
  await page.keyboard.press('Escape');
  await page.locator(W.panel).waitFor({ state: 'hidden' });
  assert.equal(await active(), 'button.l:Open chat');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an "auto" agent speaks the browser language; reduced motion turns animation off', async () => {
  for (const [locale, placeholder, launcherLabel] of [['fr-FR', 'Écrivez votre message…', 'Ouvrir le chat'],
    ['de-DE', 'Nachricht eingeben…', 'Chat öffnen'], ['es-ES', 'Escribe tu mensaje…', 'Abrir el chat'],
    ['zh-CN', '输入您的消息…', '打开聊天']]) {
    const { page, context, errors } = await openPage(browser, { locale, reducedMotion: 'reduce' });
    await page.goto(site.page(sitePage({ script: embed(autoAgent.key) })));
    await page.locator(`engage-widget button[aria-label="${launcherLabel}"]`).click();
    assert.equal(await page.locator(W.input).getAttribute('placeholder'), placeholder);
    assert.equal(await page.locator(W.panel).evaluate((e) => getComputedStyle(e).animationName), 'none');
    if (locale === 'zh-CN') await shot(page, 'host-2-chinese');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('inline embed: the chat renders inside the page element, without a launcher', async () => {
  const { page, context, errors } = await openPage(browser);
  const heights = await watchInlineHeight(page);
  await page.goto(site.page(sitePage({ body: '<h2>Ask us</h2><div id="chat-here" style="width:600px"></div>',
    script: embed(demoKey(), 'data-engage-mode="inline" data-engage-target="#chat-here"') })));
  const panel = page.locator('#chat-here engage-widget section.p.chat');
  await panel.waitFor();
  assert.equal(await page.locator(W.launcher).count(), 0);
  assert.equal(await panel.getAttribute('role'), 'region');
  const box = await panel.boundingBox();
  assert.equal(Math.round(box.width), 600);
  const { reserved, now } = await heights();
  assert.equal(now, reserved, 'the panel fills the height reserved before its code arrived: nothing below moves');
  await panel.locator('textarea').fill('When is support available?');
  await page.keyboard.press('Enter');
  await panel.locator('.msg.bot:has(.act) .b', { hasText: 'Monday to Friday' }).waitFor();
  await shot(page, 'host-3-inline');
  assert.deepEqual(errors, []);
  await context.close();
});
