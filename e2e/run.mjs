// Runs the browser tests against the real jar: starts server/target/engage.jar on a free port with the demo
// seeded (embedded H2, in-process memory, a fresh data directory), waits until it is healthy, runs tests/*.test.mjs
// with Node's test runner in Debian's Chromium, then stops the server. Screenshots and the server log land in
// e2e/target/artifacts. Called by `./mvnw verify` (module e2e) and runnable alone: `cd e2e && npm test`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const jar = resolve(here, process.env.ENGAGE_JAR || '../server/target/engage.jar');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = join(here, 'target', 'artifacts');

for (const [path, hint] of [[jar, 'build it first: ./mvnw -pl server -am package -DskipTests'],
  [chromium, 'install Debian Chromium: apt-get install -y chromium']]) {
  if (!existsSync(path)) {
    console.error(`[e2e] ${path} is missing; ${hint}`);
    process.exit(1);
  }
}
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const freePort = () => new Promise((done, fail) => {
  const probe = createServer();
  probe.once('error', fail);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'engage-e2e-'));
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  SERVER_PORT: String(port),
  ENGAGE_DATA_DIR: dataDir,
  ENGAGE_DEMO: 'true',
  ENGAGE_DEMO_ADMIN_PASSWORD: 'e2e-demo-password-1',
  ENGAGE_ADMIN_PASSWORD: 'e2e-admin-password-1',
  SPRING_DATA_REDIS_URL: '',
};
const log = openSync(join(artifacts, 'server.log'), 'w');
const server = spawn('java', ['-Xmx768m', '-XX:TieredStopAtLevel=1', '-jar', jar], { env, stdio: ['ignore', log, log] });
let serverExit = null;
server.on('exit', (code) => (serverExit = code));
const stop = () => {
  if (serverExit === null) server.kill('SIGTERM');
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

const started = Date.now();
for (;;) {
  if (serverExit !== null) {
    console.error(`[e2e] the server exited with ${serverExit}; see ${join(artifacts, 'server.log')}`);
    process.exit(1);
  }
  const healthy = await fetch(base + '/actuator/health').then((r) => r.ok, () => false);
  if (healthy) break;
  if (Date.now() - started > 90_000) {
    console.error('[e2e] the server did not become healthy within 90 s');
    stop();
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
console.log(`[e2e] server up on ${base} after ${Date.now() - started} ms`);

const files = readdirSync(join(here, 'tests')).filter((f) => f.endsWith('.test.mjs')).sort()
  .map((f) => join('tests', f));
const only = process.argv.slice(2);
const tests = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec',
  ...(only.length ? only : files)], {
  cwd: here,
  stdio: 'inherit',
  env: { ...env, ENGAGE_BASE: base, ENGAGE_E2E_ARTIFACTS: artifacts, CHROMIUM: chromium },
});
const code = await new Promise((done) => tests.on('exit', (c) => done(c ?? 1)));
stop();
await new Promise((done) => (serverExit !== null ? done() : server.on('exit', done)));
rmSync(dataDir, { recursive: true, force: true });
console.log(`[e2e] ${code === 0 ? 'passed' : 'FAILED'}; artifacts in ${artifacts}`);
process.exit(code);
