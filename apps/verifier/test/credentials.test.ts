// Issue 18's message cases through the verifier, as text and as --json: no credential quoted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'netra-verify-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'Xk9pQ2vLm7RtZ4wN';
const GOCSPX = 'GOCSPX-4fQm9ZrTq2LpX7vN1sKd8wYb';

test.each([
  ['userinfo in DATABASE_HOST', `DATABASE_HOST=netra:${PASSWORD}@10.0.0.5`, 'netra:****@10.0.0.5'],
  ['userinfo in REDIS_HOST', `REDIS_HOST=:${PASSWORD}@10.0.0.6`, ':****@10.0.0.6'],
  [
    'userinfo behind backslashes',
    `DATABASE_HOST="https:\\\\\\\\netra:${PASSWORD}@db.example"`,
    'DATABASE_HOST is not',
  ],
  [
    'a GOCSPX- secret in the client ID',
    `GOOGLE_OAUTH_CLIENT_ID=${GOCSPX}\nGOOGLE_OAUTH_CLIENT_SECRET=x`,
    'fingerprint',
  ],
  [
    "the JWT secret's value in LOG_LEVEL",
    `JWT_SECRET=${PASSWORD}${PASSWORD}\nLOG_LEVEL=${PASSWORD}${PASSWORD}`,
    'LOG_LEVEL is',
  ],
  [
    "the password's value in DATABASE_PORT",
    `DATABASE_PASSWORD=${PASSWORD}\nDATABASE_PORT=${PASSWORD}`,
    '[redacted]',
  ],
  ['a password= query part', `DATABASE_HOST=localhost?password=${PASSWORD}`, 'password=****'],
])('%s: check (text and --json) shows no credential', async (name, lines, shown) => {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.env`);
  writeFileSync(file, `${lines}\n`);
  for (const json of [false, true]) {
    const result = await runCli([
      'check',
      '--env',
      'development',
      '--env-file',
      file,
      ...(json ? ['--json'] : []),
    ]);
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(GOCSPX);
    expect(output).toContain(shown);
  }
});
