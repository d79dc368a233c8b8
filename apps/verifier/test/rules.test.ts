import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pairs, parseReport, repoRoot, runCli } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'netra-verify-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

type Environment = 'staging' | 'production';

/** The flags of a healthy deploy of `environment` (bindings unchecked: no --project). */
function healthyFlags(environment: Environment): string[] {
  const ENV = environment.toUpperCase();
  const version = environment === 'production' ? '7' : 'latest';
  return [
    `--set-env-vars=ENVIRONMENT=${environment},GCP_PROJECT_ID=netra-${environment},DATABASE_NAME=netra,DATABASE_USER=netra_app`,
    `--set-env-vars=DATABASE_HOST=/cloudsql/netra-${environment}:us-central1:netra-db`,
    '--set-env-vars=REDIS_HOST=10.20.0.3,REDIS_TLS=true',
    `--set-env-vars=API_BASE_URL=https://api.${environment}.netra.example,FRONTEND_URL=https://app.${environment}.netra.example`,
    `--set-secrets=JWT_SECRET_${ENV}=jwt-secret-${environment}:${version}`,
    `--set-secrets=DATABASE_PASSWORD=database-password-${environment}:${version}`,
    `--set-secrets=REDIS_PASSWORD=redis-password-${environment}:${version}`,
    `--set-secrets=FERNET_KEY=fernet-key-${environment}:${version}`,
    `--set-secrets=GEMINI_API_KEY=gemini-api-key-${environment}:${version}`,
    `--set-secrets=GOOGLE_OAUTH_CLIENT_ID_${ENV}=google-oauth-client-id-${environment}:${version}`,
    `--set-secrets=GOOGLE_OAUTH_CLIENT_SECRET_${ENV}=google-oauth-client-secret-${environment}:${version}`,
    `--add-cloudsql-instances=netra-${environment}:us-central1:netra-db`,
    '--vpc-connector=netra-connector',
  ];
}

const without = (prefix: string) => (flags: string[]) => flags.filter((flag) => !flag.startsWith(prefix));
const adding =
  (...extra: string[]) =>
  (flags: string[]) => [...flags, ...extra];
const replacing = (from: string, to: string) => (flags: string[]) =>
  flags.map((flag) => flag.replace(from, to));
const both =
  (...edits: Array<(flags: string[]) => string[]>) =>
  (flags: string[]) =>
    edits.reduce((current, edit) => edit(current), flags);

async function checkScript(environment: Environment, edit: (flags: string[]) => string[]) {
  const file = join(dir, `deploy-${++counter}.sh`);
  const flags = edit(healthyFlags(environment));
  writeFileSync(
    file,
    `#!/bin/sh\ngcloud run deploy netra-backend \\\n  ${flags.map((f) => `'${f}'`).join(' \\\n  ')}\n`,
  );
  const result = await runCli(['check', '--env', environment, '--manifest', file, '--json'], {
    env: { NO_COLOR: '1' },
  });
  return { result, report: parseReport(result) };
}

describe('manifest rules on a gcloud run deploy script', () => {
  test.each<[string, Environment, (flags: string[]) => string[], string[], number]>([
    ['healthy staging', 'staging', (flags) => flags, [], 0],
    ['healthy production, pinned versions', 'production', (flags) => flags, [], 0],
    [
      'manifest-missing: a secret not bound',
      'staging',
      without('--set-secrets=GEMINI_API_KEY'),
      ['manifest-missing GEMINI_API_KEY'],
      1,
    ],
    [
      'manifest-missing: a literal not set',
      'staging',
      replacing('REDIS_HOST=10.20.0.3,', ''),
      ['manifest-missing REDIS_HOST'],
      1,
    ],
    [
      'manifest-missing: ENVIRONMENT not set',
      'staging',
      replacing('ENVIRONMENT=staging,', ''),
      ['manifest-missing ENVIRONMENT'],
      1,
    ],
    [
      'manifest-plaintext-secret',
      'staging',
      both(
        without('--set-secrets=GEMINI_API_KEY'),
        adding('--set-env-vars=GEMINI_API_KEY=AIzaSyPlaintextExampleValue000000000000'),
      ),
      ['manifest-plaintext-secret GEMINI_API_KEY'],
      1,
    ],
    [
      'manifest-shared-secret',
      'staging',
      replacing('REDIS_PASSWORD=redis-password-staging', 'REDIS_PASSWORD=database-password-staging'),
      ['manifest-shared-secret DATABASE_PASSWORD', 'manifest-shared-secret REDIS_PASSWORD'],
      1,
    ],
    [
      'manifest-unknown-variable (a warning)',
      'staging',
      adding('--set-env-vars=REDIS_TSL=true'),
      ['manifest-unknown-variable REDIS_TSL'],
      0,
    ],
    [
      'wrong-name: another environment’s name instead of this one’s (an error)',
      'staging',
      replacing('JWT_SECRET_STAGING=', 'JWT_SECRET_PRODUCTION='),
      // Start-up would read jwt-secret-staging through the schema's binding (GCP_PROJECT_ID is set), so the
      // name is a warning; that the deploy binds no JWT_SECRET_STAGING is the deploy rule's error.
      ['wrong-name JWT_SECRET_STAGING', 'manifest-missing JWT_SECRET_STAGING'],
      1,
    ],
    [
      'wrong-name: another environment’s name beside this one’s (a warning)',
      'staging',
      adding('--set-secrets=JWT_SECRET_PRODUCTION=jwt-secret-production:3'),
      ['wrong-name JWT_SECRET_STAGING'],
      0,
    ],
    ['reserved-variable: PORT', 'staging', adding('--set-env-vars=PORT=8080'), ['reserved-variable PORT'], 1],
    [
      'unpinned-version in production (warnings)',
      'production',
      replacing(':7', ':latest'),
      [
        'unpinned-version JWT_SECRET_PRODUCTION',
        'unpinned-version DATABASE_PASSWORD',
        'unpinned-version REDIS_PASSWORD',
        'unpinned-version FERNET_KEY',
        'unpinned-version GEMINI_API_KEY',
        'unpinned-version GOOGLE_OAUTH_CLIENT_ID_PRODUCTION',
        'unpinned-version GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION',
      ],
      0,
    ],
    ['latest is fine in staging', 'staging', (flags) => flags, [], 0],
    [
      'manifest-cloudsql-missing: no instance attached',
      'staging',
      without('--add-cloudsql-instances'),
      ['manifest-cloudsql-missing DATABASE_HOST'],
      1,
    ],
    [
      'manifest-cloudsql-missing: another instance attached',
      'staging',
      replacing(
        '--add-cloudsql-instances=netra-staging:us-central1:netra-db',
        '--set-cloudsql-instances=netra-staging:us-central1:other',
      ),
      ['manifest-cloudsql-missing DATABASE_HOST'],
      1,
    ],
    [
      'manifest-no-vpc-egress: private Redis, no connector',
      'staging',
      without('--vpc-connector'),
      ['manifest-no-vpc-egress REDIS_HOST'],
      1,
    ],
    [
      'Direct VPC egress instead of a connector',
      'staging',
      both(without('--vpc-connector'), adding('--network=default', '--subnet=default')),
      [],
      0,
    ],
    [
      'a host name is not judged',
      'staging',
      both(without('--vpc-connector'), replacing('REDIS_HOST=10.20.0.3', 'REDIS_HOST=redis.netra.internal')),
      [],
      0,
    ],
    ...(
      [
        ['172.16.0.5', true],
        ['172.31.255.1', true],
        ['192.168.10.4', true],
        ['10.1.2.3', true],
        ['fd12:3456::5', true],
        ['100.64.0.5', true],
        ['100.127.255.254', true],
        ['100.128.0.1', false],
        ['172.32.0.1', false],
        ['34.118.2.9', false],
      ] as const
    ).map(
      ([host, isPrivate]) =>
        [
          `DATABASE_HOST=${host} without egress`,
          'staging' as const,
          both(
            without('--vpc-connector'),
            without('--add-cloudsql-instances'),
            replacing('REDIS_HOST=10.20.0.3', 'REDIS_HOST=redis.netra.internal'),
            replacing('/cloudsql/netra-staging:us-central1:netra-db', host),
          ),
          isPrivate ? ['manifest-no-vpc-egress DATABASE_HOST'] : [],
          isPrivate ? 1 : 0,
        ] as [string, Environment, (flags: string[]) => string[], string[], number],
    ),
  ])('%s', async (_name, environment, edit, expected, exitCode) => {
    const { result, report } = await checkScript(environment, edit);
    expect(pairs(report)).toEqual(expected);
    expect(result.code).toBe(exitCode);
    expect(result.stdout).not.toContain('AIzaSyPlaintextExampleValue');
  });

  test('manifest-unknown-variable suggests the name it resembles', async () => {
    const { report } = await checkScript('staging', adding('--set-env-vars=REDIS_TSL=true'));
    expect(report.issues[0]!.message).toContain('did you mean REDIS_TLS?');
    expect(report.issues[0]!.severity).toBe('warning');
  });

  test('manifest-missing names the flag that fixes it', async () => {
    const { report } = await checkScript('staging', without('--set-secrets=GEMINI_API_KEY'));
    expect(report.issues[0]!.hint).toContain('--update-secrets=GEMINI_API_KEY=gemini-api-key-staging:latest');
  });
});

describe('manifest rules on a Cloud Run service YAML', () => {
  const healthy = readFileSync(join(repoRoot, 'examples/staging/service.yaml'), 'utf8');

  test.each<[string, (yaml: string) => string, string[], number]>([
    ['healthy', (yaml) => yaml, [], 0],
    [
      'manifest-cloudsql-missing: annotation removed',
      (yaml) => yaml.replace(/^ +run\.googleapis\.com\/cloudsql-instances:.*\n/m, ''),
      ['manifest-cloudsql-missing DATABASE_HOST'],
      1,
    ],
    [
      'manifest-no-vpc-egress: connector removed',
      (yaml) => yaml.replace(/^ +run\.googleapis\.com\/vpc-access-connector:.*\n/m, ''),
      ['manifest-no-vpc-egress REDIS_HOST'],
      1,
    ],
    [
      'Direct VPC egress annotation',
      (yaml) =>
        yaml.replace(
          /^( +)run\.googleapis\.com\/vpc-access-connector:.*$/m,
          `$1run.googleapis.com/network-interfaces: '[{"network":"default","subnetwork":"default"}]'`,
        ),
      [],
      0,
    ],
    [
      'a NAME_FILE pointing where no secret is mounted',
      (yaml) => yaml.replace('value: /secrets/fernet/key', 'value: /secrets/fernet/value'),
      ['manifest-missing FERNET_KEY'],
      1,
    ],
    [
      'manifest-shared-secret',
      (yaml) => yaml.replace('name: gemini-api-key-staging', 'name: jwt-secret-staging'),
      ['manifest-shared-secret JWT_SECRET_STAGING', 'manifest-shared-secret GEMINI_API_KEY'],
      1,
    ],
    [
      'manifest-plaintext-secret',
      (yaml) =>
        yaml.replace(
          /- name: GEMINI_API_KEY\n( +)valueFrom:\n +secretKeyRef:\n +key: latest\n +name: gemini-api-key-staging\n/,
          '- name: GEMINI_API_KEY\n$1value: AIzaSyPlaintextExampleValue000000000000\n',
        ),
      ['manifest-plaintext-secret GEMINI_API_KEY'],
      1,
    ],
    [
      'reserved-variable',
      (yaml) =>
        yaml.replace(/\n( +)- name: LOG_LEVEL/, "\n$1- name: PORT\n$1  value: '8080'\n$1- name: LOG_LEVEL"),
      ['reserved-variable PORT'],
      1,
    ],
  ])('%s', async (_name, edit, expected, exitCode) => {
    const file = join(dir, `service-${++counter}.yaml`);
    const edited = edit(healthy);
    if (expected.length > 0) expect(edited).not.toBe(healthy);
    writeFileSync(file, edited);
    const result = await runCli(['check', '--env', 'staging', '--manifest', file, '--json'], {
      env: { NO_COLOR: '1' },
    });
    expect(pairs(parseReport(result))).toEqual(expected);
    expect(result.code).toBe(exitCode);
    expect(result.stdout).not.toContain('AIzaSyPlaintextExampleValue');
  });
});
