// Starts server/target/engage.jar on a free port with a fresh data directory (embedded H2, in-process memory,
// the demo seeded) and stops it again. Used by the browser tests (run.mjs) and the widget benchmark.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const freePort = () => new Promise((done, fail) => {
  const probe = createServer();
  probe.once('error', fail);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});

export async function startEngage({ logFile }) {
  const jar = resolve(here, '..', process.env.ENGAGE_JAR || '../server/target/engage.jar');
  if (!existsSync(jar)) throw new Error(`${jar} is missing; build it first: ./mvnw -pl server -am package -DskipTests`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'engage-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    SERVER_PORT: String(port),
    ENGAGE_DATA_DIR: dataDir,
    ENGAGE_DEMO: 'true',
    ENGAGE_DEMO_ADMIN_PASSWORD: 'e2e-skyhawk-pass-1',
    ENGAGE_ADMIN_PASSWORD: 'e2e-platform-root-1',
    SPRING_DATA_REDIS_URL: '',
    // the tests' web-page sources live on the test's own host site (localhost), which SSRF protection refuses
    ENGAGE_KNOWLEDGE_FETCH_ALLOW_PRIVATE_ADDRESSES: 'true',
  };
  const log = openSync(logFile, 'w');
  const server = spawn('java', ['-Xmx768m', '-XX:TieredStopAtLevel=1', '-jar', jar], { env, stdio: ['ignore', log, log] });
  let exit = null;
  const exited = new Promise((done) => server.on('exit', (code) => done((exit = code))));
  const stop = async () => {
    if (exit === null) server.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    if (exit !== null) throw new Error(`the server exited with ${exit}; see ${logFile}`);
    if (await fetch(base + '/actuator/health').then((r) => r.ok, () => false)) break;
    if (Date.now() - started > 90_000) {
      await stop();
      throw new Error('the server did not become healthy within 90 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, env, stop, startupMs: Date.now() - started };
}
