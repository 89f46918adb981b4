// The linter must catch what it claims to: each case breaks one thing in a copy of the shipped files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { checkCompose, checkKubernetes, knownVariables, runDclint } from './lint.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const deploy = join(here, '..');
const k8s = join(deploy, 'kubernetes');
const isKnownVariable = knownVariables(readFileSync(join(deploy, '../server/src/main/resources/application.yml'), 'utf8'));
const read = (file) => readFileSync(join(k8s, file), 'utf8');
const kustomization = parse(read('kustomization.yaml'));
const secretKeys = ['ENGAGE_MASTER_KEY', 'ENGAGE_ADMIN_PASSWORD'];

function shipped() {
  return kustomization.resources.flatMap((file) => parseAllDocuments(read(file)).map((d) => ({ file, doc: d.toJS() })));
}
function problemsAfter(change) {
  const manifests = shipped();
  change((kind) => manifests.find((m) => m.doc.kind === kind).doc, manifests);
  return checkKubernetes(manifests, { kustomization, secretKeys, isKnownVariable }).map((p) => p.message);
}

test('the shipped manifests pass', () => {
  assert.deepEqual(checkKubernetes(shipped(), { kustomization, secretKeys, isKnownVariable }), []);
});

test('schema errors: a port that is not a number, a missing required field', () => {
  const problems = problemsAfter((of) => {
    of('Deployment').spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    delete of('Service').spec.ports[0].port;
  });
  assert.ok(problems.some((p) => /containerPort must be integer/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /must have required property port/.test(p)), problems.join('\n'));
});

test("this project's rules: probes, non-root, limits, references, variables, secrets", () => {
  const problems = problemsAfter((of, manifests) => {
    const pod = of('Deployment').spec.template.spec;
    delete pod.containers[0].readinessProbe;
    delete pod.containers[0].resources.limits;
    pod.securityContext.runAsNonRoot = false;
    pod.containers[0].envFrom[1].secretRef.name = 'other-secrets';
    of('ConfigMap').data.ENGAGE_KNOWLEGDE_WORKERS = '4';
    of('HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'engage-old';
    manifests.push({ file: 'secret.yaml', doc: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { ENGAGE_MASTER_KEY: 'x' } } });
  });
  for (const expected of [/readiness probe/, /memory limit/, /runAsNonRoot/, /no generated Secret other-secrets/,
    /ENGAGE_KNOWLEGDE_WORKERS is not a variable/, /HPA scales Deployment engage-old/, /credentials never go into the repository/]) {
    assert.ok(problems.some((p) => expected.test(p)), `${expected} not in:\n${problems.join('\n')}`);
  }
});

test('metrics stay off the public port: a management port of its own, probes on it, no Service in front of it', () => {
  const problems = problemsAfter((of) => {
    of('Deployment').spec.template.spec.containers[0].readinessProbe.httpGet.port = 'http';
    of('Service').spec.ports.push({ name: 'metrics', port: 9090, targetPort: 'management', protocol: 'TCP' });
  });
  for (const expected of [/probes on the management port/, /exposes the management port/]) {
    assert.ok(problems.some((p) => expected.test(p)), `${expected} not in:\n${problems.join('\n')}`);
  }
  const unset = problemsAfter((of) => { delete of('ConfigMap').data.MANAGEMENT_SERVER_PORT; });
  assert.ok(unset.some((p) => /MANAGEMENT_SERVER_PORT must be set/.test(p)), unset.join('\n'));
  const moved = problemsAfter((of) => { of('ConfigMap').data.MANAGEMENT_SERVER_PORT = '9191'; });
  assert.ok(moved.some((p) => /a port named management on 9191/.test(p)), moved.join('\n'));
});

test('compose: both nodes behind the proxy, shared Redis, a trusted X-Forwarded-For that is overwritten, metrics off the proxy', () => {
  const compose = parse(readFileSync(join(deploy, 'docker-compose.yml'), 'utf8'), { merge: true });
  const nginx = readFileSync(join(deploy, 'nginx.conf'), 'utf8');
  assert.deepEqual(checkCompose(compose, nginx, isKnownVariable), []);
  compose.services['engage-2'] = { ...compose.services['engage-2'], environment: { ...compose.services['engage-2'].environment } };
  delete compose.services['engage-2'].environment.SPRING_DATA_REDIS_URL;
  compose.services['engage-2'].environment.ENGAGE_MASTER_KEY = 'hard-coded';
  compose.services['engage-1'] = { ...compose.services['engage-1'], environment: { ...compose.services['engage-1'].environment } };
  delete compose.services['engage-1'].environment.MANAGEMENT_SERVER_PORT;
  compose.services['engage-2'].healthcheck = { ...compose.services['engage-2'].healthcheck,
    test: compose.services['engage-2'].healthcheck.test.map((part) => part.replace('/9090 ', '/8080 ')) };
  const problems = checkCompose(compose, nginx.replace('$remote_addr', '$proxy_add_x_forwarded_for')
    .replace(/^\s*server engage-1:8080.*$/m, ''), isKnownVariable).map((p) => p.message);
  for (const expected of [/engage-1 is not in the upstream/, /engage-2: without SPRING_DATA_REDIS_URL/,
    /engage-2: ENGAGE_MASTER_KEY must come from the environment/, /must be overwritten/,
    /engage-1: MANAGEMENT_SERVER_PORT must be a port of its own/, /engage-2: the healthcheck must ask the management port 9090/]) {
    assert.ok(problems.some((p) => expected.test(p)), `${expected} not in:\n${problems.join('\n')}`);
  }
});

test('dclint rejects a Compose file that breaks the specification', () => {
  const bad = join(mkdtempSync(join(tmpdir(), 'dclint-')), 'docker-compose.yml');
  writeFileSync(bad, readFileSync(join(deploy, 'docker-compose.yml'), 'utf8').replace('    shm_size: 256mb', '    shm_size: 256mb\n    restrat: always'));
  const run = runDclint(bad);
  assert.notEqual(run.status, 0);
  assert.match(run.stdout + run.stderr, /must NOT have additional properties/);
});
