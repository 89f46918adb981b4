// Lints what deploy/ ships: the Compose file with dclint (the Compose specification's schema plus its rules), every
// Kubernetes manifest against the Kubernetes API schemas (kubernetes-models: types, required fields, enums), and the
// rules this project holds its deployments to (probes, non-root, limits, names that refer to each other, only
// environment variables Engage reads). `node lint.mjs` from deploy/lint, run by `./mvnw verify` (module deploy).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const deploy = join(here, '..');
const repo = join(deploy, '..');

/** Runs dclint on a Compose file (warnings fail too; its rules are configured in package.json). */
export function runDclint(file, stdio = 'pipe') {
  const dclint = join(dirname(require.resolve('dclint/package.json')), 'bin', 'dclint.cjs');
  return spawnSync(process.execPath, [dclint, '--max-warnings', '0', file], { cwd: here, stdio, encoding: 'utf8' });
}

/** Environment variables Engage reads: its own placeholders in application.yml, plus Spring's relaxed binding. */
export function knownVariables(applicationYml) {
  const own = new Set([...applicationYml.matchAll(/\$\{([A-Z][A-Z0-9_]*)[:}]/g)].map((m) => m[1]));
  const spring = [/^SPRING_DATASOURCE_(URL|USERNAME|PASSWORD)$/, /^SPRING_DATA_REDIS_URL$/, /^SERVER_PORT$/,
    /^MANAGEMENT_SERVER_PORT$/,
    /^JAVA_TOOL_OPTIONS$/, /^ENGAGE_OIDC_[A-Z0-9]+_(ISSUER_URI|CLIENT_ID|CLIENT_SECRET|NAME|SCOPES|REQUIRE_EMAIL_VERIFIED)$/];
  return (name) => own.has(name) || spring.some((re) => re.test(name));
}

/** The kubernetes-models class for a manifest, or undefined when that package does not know the kind. */
function modelOf(doc) {
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : [null, doc.apiVersion];
  const path = `kubernetes-models/${group ? group + '/' : ''}${version}/${doc.kind}`;
  try {
    return require(path)[doc.kind];
  } catch {
    return undefined;
  }
}

/** Problems in a set of Kubernetes manifests: [{file, message}]. */
export function checkKubernetes(manifests, { kustomization, secretKeys, isKnownVariable }) {
  const problems = [];
  const fail = (file, message) => problems.push({ file, message });
  const byKind = (kind) => manifests.filter((m) => m.doc.kind === kind);

  for (const { file, doc } of manifests) {
    const Model = modelOf(doc);
    if (!Model) { fail(file, `unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`); continue; }
    try {
      new Model(doc).validate();
    } catch (e) {
      fail(file, `${doc.kind} ${doc.metadata?.name}: ${e.message}`);
    }
    if (doc.kind === 'Secret' && (doc.data || doc.stringData)) {
      fail(file, 'a Secret with values: credentials never go into the repository (use the secretGenerator)');
    }
  }

  const configMaps = new Set(byKind('ConfigMap').map((m) => m.doc.metadata.name));
  const secrets = new Set((kustomization.secretGenerator || []).map((s) => s.name));
  const images = new Set((kustomization.images || []).map((i) => i.name));
  for (const { file, doc } of byKind('ConfigMap')) {
    for (const key of Object.keys(doc.data || {})) {
      if (!isKnownVariable(key)) fail(file, `${key} is not a variable Engage reads (typo?)`);
    }
  }
  for (const key of secretKeys) {
    if (!isKnownVariable(key)) fail('engage-secrets.env.example', `${key} is not a variable Engage reads (typo?)`);
  }
  if (!secretKeys.includes('ENGAGE_MASTER_KEY')) {
    fail('engage-secrets.env.example', 'ENGAGE_MASTER_KEY must come from the Secret: all pods need the same key');
  }

  // metrics off the public port: probes and /actuator/prometheus on a management port that no Service exposes
  const managementPort = Number(byKind('ConfigMap').map((m) => m.doc.data?.MANAGEMENT_SERVER_PORT).find(Boolean));
  if (!managementPort || managementPort === 8080) {
    fail('configmap.yaml', 'MANAGEMENT_SERVER_PORT must be set to a port of its own, or /actuator/prometheus is served to the Ingress');
  }

  const deployments = byKind('Deployment');
  if (deployments.length !== 1) fail('kustomization.yaml', `expected one Deployment, found ${deployments.length}`);
  for (const { file, doc } of deployments) {
    const pod = doc.spec.template.spec;
    const podLabels = doc.spec.template.metadata?.labels || {};
    if (pod.securityContext?.runAsNonRoot !== true) fail(file, 'the pod must set runAsNonRoot: true');
    if (!pod.securityContext?.runAsUser) fail(file, 'the pod must name its non-root runAsUser');
    for (const c of pod.containers) {
      const where = `container ${c.name}`;
      if (c.livenessProbe?.httpGet?.path !== '/actuator/health/liveness') fail(file, `${where}: liveness probe on /actuator/health/liveness`);
      if (c.readinessProbe?.httpGet?.path !== '/actuator/health/readiness') fail(file, `${where}: readiness probe on /actuator/health/readiness`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) fail(file, `${where}: CPU and memory requests (the HPA scales on CPU utilisation of the request)`);
      if (!c.resources?.limits?.memory) fail(file, `${where}: a memory limit (the heap is sized from it)`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) fail(file, `${where}: allowPrivilegeEscalation: false`);
      if (!images.has(c.image.split(':')[0])) fail(file, `${where}: image ${c.image} is not set by the kustomization's images`);
      const ports = new Set((c.ports || []).map((p) => p.name));
      const management = (c.ports || []).find((p) => p.name === 'management');
      if (managementPort && management?.containerPort !== managementPort) fail(file, `${where}: a port named management on ${managementPort} (MANAGEMENT_SERVER_PORT)`);
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
        if (probe && probe.httpGet?.port !== 'management') fail(file, `${where}: probes on the management port (health is served there only)`);
      }
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
        const port = probe?.httpGet?.port;
        if (typeof port === 'string' && !ports.has(port)) fail(file, `${where}: a probe uses the unknown port ${port}`);
      }
      for (const source of c.envFrom || []) {
        if (source.configMapRef && !configMaps.has(source.configMapRef.name)) fail(file, `${where}: no ConfigMap ${source.configMapRef.name}`);
        if (source.secretRef && !secrets.has(source.secretRef.name)) fail(file, `${where}: no generated Secret ${source.secretRef.name}`);
      }
      for (const env of c.env || []) {
        if (!isKnownVariable(env.name)) fail(file, `${where}: ${env.name} is not a variable Engage reads (typo?)`);
      }
      const mounts = new Set((c.volumeMounts || []).map((m) => m.mountPath));
      if (c.securityContext?.readOnlyRootFilesystem && !(mounts.has('/tmp') && mounts.has('/var/lib/engage'))) {
        fail(file, `${where}: a read-only root file system needs writable /tmp and /var/lib/engage`);
      }
    }
    const selects = (selector) => Object.entries(selector || {}).every(([k, v]) => podLabels[k] === v);
    if (!selects(doc.spec.selector.matchLabels)) fail(file, 'the selector does not match the pod labels');
    for (const s of byKind('Service')) if (!selects(s.doc.spec.selector)) fail(s.file, `Service ${s.doc.metadata.name} selects no Engage pod`);
    for (const p of byKind('PodDisruptionBudget')) if (!selects(p.doc.spec.selector.matchLabels)) fail(p.file, 'the PodDisruptionBudget selects no Engage pod');
    for (const h of byKind('HorizontalPodAutoscaler')) {
      const target = h.doc.spec.scaleTargetRef;
      if (target.kind !== 'Deployment' || target.name !== doc.metadata.name) fail(h.file, `the HPA scales ${target.kind} ${target.name}, not the Deployment`);
      if ((h.doc.spec.minReplicas ?? 1) < 2) fail(h.file, 'minReplicas below 2: a rollout or node loss would take the service down');
    }
  }
  for (const { file, doc } of byKind('Service')) {
    for (const port of doc.spec.ports || []) {
      if (port.targetPort === 'management' || (managementPort && Number(port.targetPort) === managementPort)) {
        fail(file, `Service ${doc.metadata.name} exposes the management port: metrics would be reachable from outside`);
      }
    }
  }
  const services = new Set(byKind('Service').map((s) => s.doc.metadata.name));
  for (const { file, doc } of byKind('Ingress')) {
    for (const rule of doc.spec.rules || []) {
      for (const path of rule.http?.paths || []) {
        const name = path.backend.service?.name;
        if (!services.has(name)) fail(file, `the Ingress routes to the unknown Service ${name}`);
      }
    }
  }
  if (byKind('HorizontalPodAutoscaler').length === 0) fail('kustomization.yaml', 'no HorizontalPodAutoscaler');
  return problems;
}

/** Problems in the Compose file and its proxy configuration beyond dclint: [{file, message}]. */
export function checkCompose(compose, nginxConf, isKnownVariable) {
  const problems = [];
  const fail = (message) => problems.push({ file: 'docker-compose.yml', message });
  const engage = Object.entries(compose.services).filter(([, s]) => String(s.image).startsWith('engage:'));
  if (engage.length < 2) fail(`expected at least two Engage services, found ${engage.length}`);
  const upstream = [...nginxConf.matchAll(/^\s*server\s+([\w-]+):8080\b/gm)].map((m) => m[1]);
  for (const [name, service] of engage) {
    if (!upstream.includes(name)) problems.push({ file: 'nginx.conf', message: `${name} is not in the upstream` });
    const env = service.environment || {};
    for (const key of Object.keys(env)) if (!isKnownVariable(key)) fail(`${name}: ${key} is not a variable Engage reads (typo?)`);
    if (!env.SPRING_DATA_REDIS_URL) fail(`${name}: without SPRING_DATA_REDIS_URL memory and limits are per node`);
    if (!String(env.ENGAGE_MASTER_KEY || '').startsWith('${')) fail(`${name}: ENGAGE_MASTER_KEY must come from the environment, not the file`);
    if (!service.healthcheck) fail(`${name}: no healthcheck`);
    const management = Number(env.MANAGEMENT_SERVER_PORT);
    if (!management || management === 8080) fail(`${name}: MANAGEMENT_SERVER_PORT must be a port of its own, or nginx serves /actuator/prometheus`);
    else if (!String(service.healthcheck?.test).includes(`/${management} `)) fail(`${name}: the healthcheck must ask the management port ${management}`);
  }
  for (const name of upstream) if (!compose.services[name]) problems.push({ file: 'nginx.conf', message: `upstream server ${name} is not a service` });
  if (/X-Forwarded-For\s+\$proxy_add_x_forwarded_for/.test(nginxConf)) {
    problems.push({ file: 'nginx.conf', message: 'X-Forwarded-For must be overwritten ($remote_addr), not appended: Engage trusts it' });
  }
  return problems;
}

function yamlDocs(file) {
  return parseAllDocuments(readFileSync(file, 'utf8'), { merge: true }).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter(Boolean);
}

function main() {
  const isKnownVariable = knownVariables(readFileSync(join(repo, 'server/src/main/resources/application.yml'), 'utf8'));
  const problems = [];

  // Compose: dclint (schema + rules, warnings fail too; its config is in package.json), then ours
  if (runDclint(join(deploy, 'docker-compose.yml'), 'inherit').status !== 0) {
    problems.push({ file: 'docker-compose.yml', message: 'dclint found problems (above)' });
  }
  const compose = yamlDocs(join(deploy, 'docker-compose.yml'))[0];
  problems.push(...checkCompose(compose, readFileSync(join(deploy, 'nginx.conf'), 'utf8'), isKnownVariable));

  // Kubernetes: every resource the kustomization names
  const k8s = join(deploy, 'kubernetes');
  const kustomization = yamlDocs(join(k8s, 'kustomization.yaml'))[0];
  const manifests = [];
  for (const file of kustomization.resources) {
    if (!existsSync(join(k8s, file))) { problems.push({ file, message: 'named by the kustomization but missing' }); continue; }
    for (const doc of yamlDocs(join(k8s, file))) manifests.push({ file, doc });
  }
  const unlisted = readdirSync(k8s).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && !kustomization.resources.includes(f));
  for (const file of unlisted) problems.push({ file, message: 'not named by the kustomization' });
  const secretKeys = readFileSync(join(k8s, 'engage-secrets.env.example'), 'utf8').split('\n')
    .filter((l) => /^[A-Z]/.test(l)).map((l) => l.split('=')[0]);
  problems.push(...checkKubernetes(manifests, { kustomization, secretKeys, isKnownVariable }));

  for (const p of problems) console.error(`[deploy-lint] ${p.file}: ${p.message}`);
  console.log(`[deploy-lint] ${manifests.length} Kubernetes manifests, the Compose file and nginx.conf: ` +
    (problems.length ? `${problems.length} problems` : 'no problems'));
  process.exit(problems.length ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
