// Runs the browser tests against the real jar: starts server/target/engage.jar (lib/engage-server.mjs), runs
// tests/*.test.mjs with Node's test runner in Debian's Chromium, then stops the server. Screenshots and the
// server log land in e2e/target/artifacts. Called by `./mvnw verify` (module e2e); alone: `cd e2e && npm test`
// (or `node run.mjs tests/chat.test.mjs` for one file).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEngage } from './lib/engage-server.mjs';
import { IT_SECRETS, secretsInLog } from './lib/secrets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = join(here, 'target', 'artifacts');
if (!existsSync(chromium)) {
  console.error(`[e2e] ${chromium} is missing; install Debian's Chromium: apt-get install -y chromium`);
  process.exit(1);
}
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

let engage;
try {
  engage = await startEngage({ logFile: join(artifacts, 'server.log') });
} catch (e) {
  console.error('[e2e] ' + e.message);
  process.exit(1);
}
console.log(`[e2e] server up on ${engage.base} after ${engage.startupMs} ms`);
process.on('SIGINT', () => engage.stop().then(() => process.exit(130)));

const files = readdirSync(join(here, 'tests')).filter((f) => f.endsWith('.test.mjs')).sort()
  .map((f) => join('tests', f));
const only = process.argv.slice(2);
const tests = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec',
  ...(only.length ? only : files)], {
  cwd: here,
  stdio: 'inherit',
  env: { ...engage.env, ENGAGE_BASE: engage.base, ENGAGE_E2E_ARTIFACTS: artifacts, CHROMIUM: chromium },
});
const testsCode = await new Promise((done) => tests.on('exit', (c) => done(c ?? 1)));
await engage.stop();
const leaks = secretsInLog(readFileSync(join(artifacts, 'server.log'), 'utf8'), engage.env);
if (leaks.length) console.error(`[e2e] secrets in the server log:\n  ${leaks.join('\n  ')}`);
// the application logs of the server module's integration suite (both databases) of this build, when it ran
const itLogs = join(here, '..', 'server', 'target', 'it-logs');
for (const db of existsSync(itLogs) && !only.length ? readdirSync(itLogs) : []) {
  for (const file of readdirSync(join(itLogs, db)).filter((f) => f.startsWith('engage.log'))) {
    const found = secretsInLog(readFileSync(join(itLogs, db, file), 'utf8'), IT_SECRETS);
    if (found.length) console.error(`[e2e] secrets in the ${db} integration log ${file}:\n  ${found.join('\n  ')}`);
    leaks.push(...found);
  }
}
const code = testsCode || (leaks.length ? 1 : 0);
console.log(`[e2e] ${code === 0 ? 'passed' : 'FAILED'}; artifacts in ${artifacts}`);
process.exit(code);
