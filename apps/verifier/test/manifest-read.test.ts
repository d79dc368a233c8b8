// `netra-verify manifest read M [--service S] [--json]`: what a deploy input gives the revision, in every form.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli as spawnCli, verifierRoot } from './fixtures/issue8/run-cli';

const repoRoot = join(verifierRoot, '../..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netra-manifest-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
// No --schema and no netra.config where it runs: manifest read needs none.
const runCli = (args: string[], options: { cwd?: string } = {}) =>
  spawnCli(args, {
    cwd: options.cwd ?? dir,
    env: { NETRA_DEPLOY_MANIFEST_CACHE: join(dir, 'cache') },
  });

interface ReadReport {
  ok: boolean;
  format: string;
  service: string | null;
  serviceExpression?: string;
  cloudSqlInstances: string[];
  vpcEgress: boolean | 'unknown';
  variables: Array<{
    name: string;
    kind: string;
    value?: string;
    redacted?: string;
    secret?: { project?: string; name: string; version: string };
    default?: string;
    expression?: string;
    file: string;
    line: number;
  }>;
  issues: Array<{ severity: string; code: string; line?: number }>;
}

describe('every form of the healthy staging deployment reads to the same revision', {
  timeout: 120_000,
}, () => {
  test.each([
    ['examples/staging/service.yaml', 'cloud-run-yaml'],
    ['examples/staging/deploy.sh', 'gcloud'],
    ['examples/staging/cloudbuild.yaml', 'cloudbuild'],
    ['examples/staging/github-workflow.yml', 'github-actions'],
    ['examples/staging/terraform/', 'terraform'],
    // terraform show -json: the same resources, every value resolved; named as the registry names the form.
    ['examples/staging/terraform-show.json', 'terraform-show-json'],
  ])('%s', async (manifest, format) => {
    const result = await runCli(['manifest', 'read', manifest, '--json'], { cwd: repoRoot });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report: ReadReport = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: true,
      format,
      service: 'netra-backend-staging',
      cloudSqlInstances: ['netra-staging:us-central1:netra-db'],
      vpcEgress: true,
    });
    // What the revision is given, by name: a FERNET_KEY_FILE mount provides FERNET_KEY.
    const provided = report.variables
      .map((variable) => ({
        name: variable.kind === 'file' ? variable.name.replace(/_FILE$/, '') : variable.name,
        how:
          variable.kind === 'literal'
            ? `= ${variable.value}`
            : `${variable.secret?.name}@${variable.secret?.version}`,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(provided).toContainEqual({ name: 'JWT_SECRET_STAGING', how: 'jwt-secret-staging@latest' });
    expect(provided).toContainEqual({ name: 'FERNET_KEY', how: 'fernet-key-staging@latest' });
    expect(provided).toContainEqual({
      name: 'DATABASE_HOST',
      how: '= /cloudsql/netra-staging:us-central1:netra-db',
    });
    expect(provided).toHaveLength(19);
    for (const variable of report.variables) {
      expect(variable.line, variable.name).toBeGreaterThan(0);
      expect(variable.file, variable.name).not.toBe('');
    }
  });
});

test('a script: kinds, values, secret@version, defaults and file:line; credentials never shown', async () => {
  await writeFile(
    join(dir, 'deploy.sh'),
    `#!/usr/bin/env bash
set -euo pipefail
TAG="\${TAG:-dev}"
gcloud run deploy api \\
  --project=acme-staging --region=europe-west1 \\
  --set-env-vars=ENVIRONMENT=staging,DATABASE_HOST="\${DB_HOST:-localhost}" \\
  --set-env-vars=DATABASE_URL=postgres://app:hunter2hunter2@10.0.0.5/app \\
  --set-env-vars=REDIS_PASSWORD=hunter2hunter2,API_TOKEN_HINT=abc \\
  --set-secrets=JWT_SECRET=projects/acme/secrets/jwt:3,/secrets/key=fernet:latest \\
  --set-env-vars=FERNET_KEY_FILE=/secrets/key \\
  --add-cloudsql-instances=acme-staging:europe-west1:db \\
  --vpc-egress=all-traffic --network=default
`,
  );
  const text = await runCli(['manifest', 'read', 'deploy.sh']);
  expect(text.stderr).toBe('');
  expect(text.code).toBe(0);
  expect(text.stdout).not.toContain('hunter2');
  const lines = text.stdout.split('\n');
  expect(lines.slice(0, 6)).toEqual([
    'deploy.sh:4 (gcloud, updates the existing service)',
    '  service     api',
    '  project     acme-staging',
    '  region      europe-west1',
    '  Cloud SQL   acme-staging:europe-west1:db',
    '  VPC egress  yes (all-traffic)',
  ]);
  const row = (name: string) => lines.find((line) => line.startsWith(`  ${name} `))?.replace(/ +/g, ' ');
  expect(row('ENVIRONMENT')).toBe(' ENVIRONMENT literal "staging" deploy.sh:6');
  expect(row('DATABASE_HOST')).toBe(
    ' DATABASE_HOST unknown ${DB_HOST:-localhost} (default "localhost") deploy.sh:6',
  );
  expect(row('DATABASE_URL')).toBe(' DATABASE_URL literal "postgres://app:****@10.0.0.5/app" deploy.sh:7');
  expect(row('REDIS_PASSWORD')).toMatch(
    /^ REDIS_PASSWORD literal \[a value named as a credential \(fingerprint [0-9a-f]+\)\] deploy\.sh:8$/,
  );
  expect(row('JWT_SECRET')).toBe(' JWT_SECRET secret projects/acme/secrets/jwt@3 deploy.sh:9');
  expect(row('FERNET_KEY_FILE')).toBe(' FERNET_KEY_FILE file /secrets/key ← fernet@latest deploy.sh:10');

  const json = await runCli(['manifest', 'read', 'deploy.sh', '--json']);
  expect(json.code).toBe(0);
  expect(json.stdout).not.toContain('hunter2');
  const report: ReadReport = JSON.parse(json.stdout);
  const variable = (name: string) => report.variables.find((v) => v.name === name);
  expect(variable('DATABASE_HOST')).toEqual({
    name: 'DATABASE_HOST',
    kind: 'unknown',
    default: 'localhost',
    expression: '${DB_HOST:-localhost}',
    file: 'deploy.sh',
    line: 6,
  });
  expect(variable('JWT_SECRET')).toEqual({
    name: 'JWT_SECRET',
    kind: 'secret',
    secret: { project: 'acme', name: 'jwt', version: '3' },
    file: 'deploy.sh',
    line: 9,
  });
  expect(variable('REDIS_PASSWORD')).not.toHaveProperty('value');
  expect(variable('REDIS_PASSWORD')?.redacted).toMatch(/^a value named as a credential/);
});

test('unresolved arguments are warnings of the input: exit 0, listed with their line', async () => {
  await writeFile(
    join(dir, 'flags.sh'),
    'gcloud run deploy api \\\n  $EXTRA_FLAGS \\\n  --set-env-vars=A=1\n',
  );
  const result = await runCli(['manifest', 'read', 'flags.sh', '--json']);
  expect(result.code).toBe(0);
  const report: ReadReport = JSON.parse(result.stdout);
  expect(report.issues).toEqual([
    expect.objectContaining({ severity: 'warning', code: 'unresolved-flags', line: 2 }),
  ]);
});

describe('several services', { timeout: 60_000 }, () => {
  test('without --service: exit 2 listing them; with it, that one', async () => {
    await writeFile(
      join(dir, 'two.sh'),
      'gcloud run deploy web --set-env-vars=A=1\ngcloud run deploy worker --set-env-vars=B=2\n',
    );
    const without = await runCli(['manifest', 'read', 'two.sh']);
    expect(without.code).toBe(2);
    expect(without.stdout).toBe('');
    expect(without.stderr).toBe(
      'netra-verify: two.sh: deploys 2 services (web, worker); pick one with --service NAME\n',
    );
    const picked = await runCli(['manifest', 'read', 'two.sh', '--service', 'worker', '--json']);
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({
      service: 'worker',
      variables: [{ name: 'B', value: '2' }],
    });
    const none = await runCli(['manifest', 'read', 'two.sh', '--service', 'api']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('netra-verify: two.sh: no deploy of service "api"; it deploys web, worker\n');
  });

  test('a Cloud Build service named by a substitution with a default is picked by that name', async () => {
    await writeFile(
      join(dir, 'cloudbuild.yaml'),
      `substitutions:
  _SERVICE: api-staging
steps:
  - name: gcr.io/cloud-builders/gcloud
    args: [run, deploy, $_SERVICE, --set-env-vars=A=1]
  - name: gcr.io/cloud-builders/gcloud
    args: [run, deploy, worker, --set-env-vars=B=2]
`,
    );
    const result = await runCli(['manifest', 'read', 'cloudbuild.yaml', '--service', 'api-staging']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '  service     api-staging (the default of $_SERVICE, unless the run overrides it)\n',
    );
  });
});

describe('bad input: exit 2, one line naming the file', { timeout: 60_000 }, () => {
  test.each([
    ['missing.sh', undefined, 'netra-verify: cannot read missing.sh: no such file\n'],
    ['notes.txt', 'just some notes\n', 'netra-verify: notes.txt: not a deploy input this reader knows'],
    ['nodeploy.sh', '#!/bin/sh\necho hello\n', 'netra-verify: nodeploy.sh: '],
    ['bin.sh', 'gcloud\u0000\u0001', 'netra-verify: bin.sh: a binary file, not a deploy input\n'],
    [
      'bad.yaml',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nspec: [unclosed\n',
      'netra-verify: bad.yaml',
    ],
  ])('%s', async (name, content, message) => {
    if (content !== undefined) await writeFile(join(dir, name), content);
    const result = await runCli(['manifest', 'read', name]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('no input: a usage error', async () => {
    const result = await runCli(['manifest', 'read']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('manifest read');
  });
});

test('the bin, run through its shebang (node --liftoff-only --), reads a script with the WebAssembly shell parser', {
  timeout: 60_000,
}, async () => {
  const { readFileSync } = await import('node:fs');
  const { cliPath, runCli: runBin } = await import('./cli');
  // V8 takes its WebAssembly flags only on the command line: the shebang is where the bin can give them.
  expect(readFileSync(cliPath, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env -S node --liftoff-only --');
  await writeFile(join(dir, 'bin.sh'), 'gcloud run deploy api --set-env-vars=A="${A:-1}"\n');
  const result = await runBin(['manifest', 'read', 'bin.sh', '--json'], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).variables).toEqual([
    { name: 'A', kind: 'unknown', default: '1', expression: '${A:-1}', file: 'bin.sh', line: 1 },
  ]);
});
