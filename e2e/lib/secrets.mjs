// Nothing secret may reach the server's log (issue 8): after the browser tests, the whole log of the run is
// searched for the passwords and keys the tests used and for anything shaped like a widget key, a bearer token
// (JWT), a refresh token or an LLM provider key. Returns the offending lines with the secret masked.
const SHAPES = [
  { name: 'widget key', pattern: /\bek_[A-Za-z0-9_-]{20,}/ },
  { name: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'provider key', pattern: /\bsk-[A-Za-z0-9_-]{8,}/ },
];

/** Secrets the tests themselves use (besides the environment's passwords). */
export const TEST_SECRETS = ['acme-password-1', 'sk-e2e-not-secret'];

/** The passwords of the server module's integration suite (IntegrationTest), as an environment for secretsInLog. */
export const IT_SECRETS = { ENGAGE_ADMIN_PASSWORD: 'admin-password-1', ENGAGE_DEMO_ADMIN_PASSWORD: 'correct-horse-9' };

export function secretsInLog(log, env) {
  const known = [env.ENGAGE_ADMIN_PASSWORD, env.ENGAGE_DEMO_ADMIN_PASSWORD, ...TEST_SECRETS].filter(Boolean);
  const found = [];
  log.split('\n').forEach((line, index) => {
    for (const secret of known) {
      if (line.includes(secret)) found.push(`line ${index + 1}: a test password or key (${secret.slice(0, 3)}…)`);
    }
    for (const { name, pattern } of SHAPES) {
      const match = pattern.exec(line);
      if (match) found.push(`line ${index + 1}: ${name} (${match[0].slice(0, 6)}…)`);
    }
  });
  return found;
}
