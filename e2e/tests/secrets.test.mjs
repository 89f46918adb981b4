// The log check that run.mjs applies to the server log of the whole run: it must catch what it is meant to catch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretsInLog } from '../lib/secrets.mjs';

test('finds passwords, widget keys, JWTs and provider keys in a log, and passes a clean one', () => {
  const env = { ENGAGE_ADMIN_PASSWORD: 'admin-secret-9' };
  const clean = 'INFO Agent created: companyId=01a2 agentId=01a3\nINFO key prefix ek_AbCd (8 chars)';
  assert.deepEqual(secretsInLog(clean, env), []);
  const dirty = [
    'DEBUG login admin@engage.local / admin-secret-9',
    'WARN key ek_AbCdEfGhIjKlMnOpQrStUvWx rejected',
    'DEBUG Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV',
    'ERROR OpenAI call failed for key sk-proj-abcdefgh1234',
    'INFO company acme-password-1',
  ].join('\n');
  assert.deepEqual(secretsInLog(dirty, env).map((f) => f.split(':')[0]), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
});
