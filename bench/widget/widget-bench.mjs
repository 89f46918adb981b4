// Widget size and speed (issue 6): widget.js ≤ 10 KB gzipped, launcher painted ≤ 50 ms after the script has
// loaded, no layout shift on the host page. Starts the jar with the demo (as the browser tests do), embeds the
// widget on a page of another origin in Debian's Chromium and measures, per page load in a fresh browser context:
//   paint   = launcher's first paint − widget.js responseEnd (resource timing), the paint taken as the moment
//             after the frame that first shows the launcher (rAF + message, which runs after that frame's paint)
//   CLS     = sum of layout-shift entries on the host page over load, open and one answer
// Also: bytes on the wire (gzip as the server sends them) and the time from a click on the launcher to the open
// panel, with the panel prefetched (page idle first) and cold. The "floor" row replaces widget.js's body (same
// request, same response headers) with a few lines that only paint a bare launcher in a shadow root: what the
// browser and the machine cost whatever the widget does. Run: node bench/widget/widget-bench.mjs [runs]
// (needs e2e/node_modules: cd e2e && npm ci; and server/target/engage.jar).
import { request } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngage } from '../../e2e/lib/engage-server.mjs';

const RUNS = Number(process.argv[2] || 30);
const engage = await startEngage({ logFile: join(mkdtempSync(join(tmpdir(), 'engage-bench-')), 'server.log') });
Object.assign(process.env, engage.env, { ENGAGE_BASE: engage.base }); // read by the harness on import
// the harness needs e2e/node_modules: without it, stop the server just started instead of leaving it running
const { api, companyToken, demoAgent, demoKey, embed, hostSite, launch, sitePage, waitForKnowledge } =
  await import('../../e2e/lib/harness.mjs').catch(async (e) => { await engage.stop(); throw e; });
// hundreds of page loads a minute from one machine: lift the demo agent's per-minute limits for the run
const token = await companyToken();
const demo = await demoAgent(token);
await api('PUT', `/company/agents/${demo.id}`, { token,
  body: { limits: { requestsPerMinute: 100000, perEndUserPerMinute: 10000 } } });
await waitForKnowledge(token, demo.id);

const wire = (path) => new Promise((done, fail) => {
  request(engage.base + path, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
    let bytes = 0;
    response.on('data', (chunk) => (bytes += chunk.length));
    response.on('end', () => done({ bytes, encoding: response.headers['content-encoding'] || 'identity',
      cache: response.headers['cache-control'] }));
  }).on('error', fail).end();
});
const raw = async (path) => (await (await fetch(engage.base + path)).arrayBuffer()).byteLength;
const loaderSource = await (await fetch(engage.base + '/widget.js')).text();
const panelPath = '/engage-panel.js?v=' + /engage-panel\.js\?v=([0-9a-f]{12})/.exec(loaderSource)?.[1];
const sizes = {
  'widget.js': { raw: await raw('/widget.js'), ...(await wire('/widget.js')) },
  'engage-panel.js': { raw: await raw(panelPath), ...(await wire(panelPath)) },
};

const PROBE = `<script>
window.__bench={cls:0};
new PerformanceObserver(function(l){l.getEntries().forEach(function(e){__bench.cls+=e.value})})
  .observe({type:'layout-shift',buffered:true});
new MutationObserver(function(records, observer){
  var host=document.querySelector('engage-widget');
  if(!host||!host.shadowRoot||!host.shadowRoot.querySelector('.l'))return;
  observer.disconnect();
  __bench.appended=performance.now();
  requestAnimationFrame(function(){var c=new MessageChannel();c.port1.onmessage=function(){
    __bench.painted=performance.now();
    var r=performance.getEntriesByType('resource').filter(function(e){return /\\/widget\\.js/.test(e.name)})[0];
    __bench.loaded=r.responseEnd;__bench.fetchStart=r.fetchStart;};c.port2.postMessage(0);});
}).observe(document.documentElement,{childList:true,subtree:true});
</script>`;

const site = await hostSite();
const url = site.page(sitePage({ head: PROBE, body: '<p>Some content of the host page.</p>'.repeat(20),
  script: embed(demoKey()) }));
const browser = await launch();

// the least a launcher can cost: an element, a shadow root, a styled button, appended to the body
const FLOOR = `(function(){var e=document.createElement('engage-widget'),r=e.attachShadow({mode:'open'}),
s=document.createElement('style'),b=document.createElement('button');s.textContent='.l{position:fixed;bottom:20px;'
+'right:20px;width:56px;height:56px;border:0;border-radius:50%;background:#2563eb}';b.className='l';r.append(s,b);
document.body.appendChild(e);})();`;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const summary = (values) => ({ p50: quantile(values, 0.5), p95: quantile(values, 0.95), max: Math.max(...values) });

async function paintRuns({ throttle, warm, floor = false }) {
  const paints = [];
  const waits = [];
  const runs = [];
  const frames = [];
  const shifts = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    if (throttle > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    }
    if (warm) { // a returning visitor: config cached in localStorage, scripts in the HTTP cache
      await page.goto(url);
      await page.waitForFunction(() => window.__bench && window.__bench.painted);
      await page.waitForTimeout(300);
    }
    // one statement in front of widget.js marks when the browser starts running it (split: wait / run / frame)
    await page.route('**/widget.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response,
        body: 'window.__bench.start=performance.now();' + (floor ? FLOOR : await response.text()) });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__bench && window.__bench.painted);
    const bench = await page.evaluate(() => window.__bench);
    waits.push(bench.start - bench.loaded);
    runs.push(bench.appended - bench.start);
    frames.push(bench.painted - bench.appended);
    paints.push(bench.painted - bench.loaded);
    shifts.push(bench.cls);
    await context.close();
  }
  return { paint: summary(paints), wait: summary(waits), run: summary(runs), frame: summary(frames),
    cls: Math.max(...shifts) };
}

async function openRuns({ prefetched }) {
  const times = [];
  let cls = 0;
  for (let i = 0; i < Math.min(RUNS, 15); i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__bench && window.__bench.painted);
    if (prefetched) await page.waitForTimeout(2500); // the loader prefetches the panel when the page is idle
    const elapsed = await page.evaluate(() => new Promise((done) => {
      const root = document.querySelector('engage-widget').shadowRoot;
      const start = performance.now();
      root.querySelector('.l').click();
      const check = () => (root.querySelector('section.p') ? requestAnimationFrame(() => done(performance.now() - start))
        : requestAnimationFrame(check));
      check();
    }));
    times.push(elapsed);
    await page.locator('engage-widget textarea').fill('How long does shipping take?');
    await page.keyboard.press('Enter');
    await page.locator('engage-widget .msg.bot:has(.act)').waitFor();
    cls = Math.max(cls, await page.evaluate(() => window.__bench.cls));
    await context.close();
  }
  return { open: summary(times), cls };
}

const results = {
  cold: await paintRuns({ throttle: 1, warm: false }),
  warm: await paintRuns({ throttle: 1, warm: true }),
  coldSlowCpu: await paintRuns({ throttle: 4, warm: false }),
  floor: await paintRuns({ throttle: 1, warm: false, floor: true }),
  openPrefetched: await openRuns({ prefetched: true }),
  openCold: await openRuns({ prefetched: false }),
};
await browser.close();
await site.close();
await engage.stop();

const ms = (v) => v.toFixed(1);
console.log(`\nWidget bench, ${RUNS} page loads per row, Chromium ${browser.version()}\n`);
console.log('| file | bytes | on the wire (gzip) | Cache-Control |\n|---|---|---|---|');
for (const [name, s] of Object.entries(sizes)) {
  console.log(`| ${name} | ${s.raw} | ${s.bytes} (${s.encoding}) | ${s.cache} |`);
}
console.log('\n| launcher first paint after widget.js loaded | p50 ms | p95 ms | max ms | wait for the script to run, p50/p95 | widget code, p50/p95 | frame, p50/p95 | max CLS |\n|---|---|---|---|---|---|---|---|');
for (const [name, label] of [['cold', 'first visit'], ['warm', 'returning visitor (cached config)'],
  ['coldSlowCpu', 'first visit, CPU throttled 4x'], ['floor', 'floor: a bare button instead of the widget']]) {
  const r = results[name];
  const pair = (v) => `${ms(v.p50)} / ${ms(v.p95)}`;
  console.log(`| ${label} | ${ms(r.paint.p50)} | ${ms(r.paint.p95)} | ${ms(r.paint.max)} | ${pair(r.wait)} | `
    + `${pair(r.run)} | ${pair(r.frame)} | ${r.cls} |`);
}
console.log('\n| click on launcher → panel painted | p50 ms | p95 ms | max CLS (incl. one answer) |\n|---|---|---|---|');
for (const [name, label] of [['openPrefetched', 'panel prefetched while idle'], ['openCold', 'immediately after load']]) {
  const r = results[name];
  console.log(`| ${label} | ${ms(r.open.p50)} | ${ms(r.open.p95)} | ${r.cls} |`);
}
const budget = sizes['widget.js'].bytes <= 10 * 1024 && results.cold.paint.p95 <= 50 && results.cold.cls === 0;
console.log(`\ntargets (widget.js ≤ 10 KB gz, first paint p95 ≤ 50 ms, CLS 0): ${budget ? 'met' : 'MISSED'}`);
