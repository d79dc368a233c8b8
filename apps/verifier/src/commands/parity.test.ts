import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema } from '@netra/config-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir, parseJson, runCli } from '../../test/fixtures/issue8/run-cli';
import { provisionOf } from './parity';

const fixture = (name: string) => join(fixturesDir, 'parity', name);
const parity = (...args: string[]) => runCli(['parity', '--env', 'staging', '--env', 'production', ...args]);
const mismatches = (json: { issues: { code: string; severity: string; key: string }[] }) =>
  json.issues.filter((i) => i.code === 'parity-mismatch' && i.severity === 'error').map((i) => i.key);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-parity-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('netra-verify parity', { timeout: 30_000 }, () => {
  test('manifests generated from the schema for both environments are at parity', async () => {
    const result = await parity(
      '--manifest',
      fixture('staging.yaml'),
      '--manifest',
      fixture('production.yaml'),
      '--json',
    );
    expect(result.code, result.stdout).toBe(0);
    const json = parseJson(result);
    expect(json).toMatchObject({ ok: true, environments: ['staging', 'production'], issues: [] });
    const jwt = json.variables.find((v: { key: string }) => v.key === 'jwtSecret');
    expect(jwt.staging).toMatchObject({
      kind: 'secret',
      variable: 'JWT_SECRET_STAGING',
      secret: { secret: 'jwt-secret-staging' },
    });
    expect(jwt.production).toMatchObject({ kind: 'secret', variable: 'JWT_SECRET_PRODUCTION' });
  });

  test('production binds a secret that staging gives as a literal', async () => {
    const result = await parity(
      '--manifest',
      fixture('staging-redis-literal.sh'),
      '--manifest',
      fixture('production.yaml'),
      '--json',
    );
    expect(result.code).toBe(1);
    const json = parseJson(result);
    expect(mismatches(json)).toEqual(['redis.password']);
    expect(json.issues[0].message).toMatch(
      /staging gives a literal REDIS_PASSWORD.*production gives REDIS_PASSWORD from secret redis-password-production/,
    );
    // DESIGN.md's --json contract: exactly these six fields; the manifest to fix is named in the hint.
    expect(Object.keys(json.issues[0])).toEqual(['severity', 'code', 'key', 'variable', 'message', 'hint']);
    expect(json.issues[0].hint).toContain('staging-redis-literal.sh');
    // a sensitive literal is compared by how it is provided, never printed
    expect(result.stdout).not.toContain('dummy-literal-redis-password');
    expect(
      (
        await parity(
          '--manifest',
          fixture('staging-redis-literal.sh'),
          '--manifest',
          fixture('production.yaml'),
        )
      ).stdout,
    ).not.toContain('dummy-literal-redis-password');
  });

  test('production lacks a variable staging provides', async () => {
    const result = await parity(
      '--manifest',
      fixture('staging.yaml'),
      '--manifest',
      fixture('production-missing.yaml'),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/GEMINI_API_KEY.*production-missing\.yaml/);
    expect(result.stdout).toMatch(/production provides nothing for geminiApiKey/);
  });

  test('pinned vs latest, a secret shared across environments, another environment’s name', async () => {
    const json = parseJson(
      await parity(
        '--manifest',
        fixture('staging.yaml'),
        '--manifest',
        fixture('production-drift.yaml'),
        '--json',
      ),
    );
    expect(mismatches(json).sort()).toEqual(['fernetKey', 'jwtSecret', 'oauth.google.clientId']);
    const byKey = new Map(json.issues.map((i: { key: string; message: string }) => [i.key, i.message]));
    expect(byKey.get('jwtSecret')).toMatch(/one is pinned/);
    expect(byKey.get('fernetKey')).toMatch(
      /same secret projects\/netra-staging\/secrets\/fernet-key-staging/,
    );
    expect(byKey.get('oauth.google.clientId')).toMatch(
      /GOOGLE_OAUTH_CLIENT_ID_STAGING, another environment's name/,
    );
  });

  test('manifests are matched by ENVIRONMENT or an ENV= prefix, whatever the order', async () => {
    const swapped = await parity(
      '--manifest',
      fixture('production.yaml'),
      '--manifest',
      fixture('staging.yaml'),
    );
    expect(swapped.code).toBe(0);
    const prefixed = await parity(
      '--manifest',
      `production=${fixture('production-missing.yaml')}`,
      '--manifest',
      `staging=${fixture('staging.yaml')}`,
    );
    expect(prefixed.code).toBe(1);
  });

  test('env files: literal vs missing, and by-default values as warnings', async () => {
    const staging = join(work, 'staging.env');
    const production = join(work, 'production.env');
    await writeFile(
      staging,
      'ENVIRONMENT=staging\nAPI_BASE_URL=https://api.staging.example.com\nLOG_LEVEL=debug\n',
    );
    await writeFile(production, 'ENVIRONMENT=production\nAPI_BASE_URL=https://api.example.com\n');
    const json = parseJson(await parity('--env-file', production, '--env-file', staging, '--json'));
    expect(json.ok).toBe(true); // LOG_LEVEL has a default: a warning, not an error
    expect(json.issues).toEqual([
      expect.objectContaining({ key: 'logLevel', severity: 'warning', code: 'parity-mismatch' }),
    ]);
  });

  test('usage errors exit 2: one --env, an env file of unknown environment; --help has an example', async () => {
    expect((await runCli(['parity', '--env', 'staging', '--manifest', fixture('staging.yaml')])).code).toBe(
      2,
    );
    const anonymous = join(work, 'anonymous.env');
    await writeFile(anonymous, 'LOG_LEVEL=info\n');
    const unknown = await parity('--env-file', anonymous);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('add ENVIRONMENT=staging');
    const help = await runCli(['parity', '--help']);
    expect(help.stdout).toContain('netra-verify parity --env staging --env production');
  });
});

const repoRoot = join(fixturesDir, '../../../../..');
const script = async (name: string, text: string) => {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
};

describe('parity over every deploy form (@netra/deploy-manifest)', { timeout: 120_000 }, () => {
  test.each([
    'examples/staging/deploy.sh',
    'examples/staging/cloudbuild.yaml',
    'examples/staging/github-workflow.yml',
    'examples/staging/terraform/',
    'examples/staging/terraform-show.json',
  ])('%s reads as the staging service YAML does', async (manifest) => {
    const run = (staging: string) =>
      runCli(
        [
          'parity',
          '--env',
          'staging',
          '--env',
          'production',
          '--manifest',
          `staging=${staging}`,
          '--manifest',
          `production=${fixture('production.yaml')}`,
          '--json',
        ],
        { cwd: repoRoot },
      );
    const anchor = parseJson(await run('examples/staging/service.yaml'));
    const result = await run(manifest);
    expect(result.stderr).toBe('');
    expect(result.code).not.toBe(2);
    // FERNET_KEY is a mounted file in some forms and a binding in others; every other key is provided alike.
    const staging = (json: { variables: Array<{ key: string; staging: Record<string, unknown> }> }) =>
      json.variables
        .filter((row) => row.key !== 'fernetKey')
        .map((row) => {
          const { source: _, ...how } = row.staging;
          return [row.key, how];
        });
    expect(staging(parseJson(result))).toEqual(staging(anchor));
  });

  test('secrets are compared where they are: one name in two projects is two secrets, a named project is the same one', async () => {
    const deploy = (environment: string, project: string, fernet: string) =>
      `gcloud run deploy netra-backend-${environment} --project=${project} \\
  --set-env-vars=ENVIRONMENT=${environment} \\
  --set-secrets=FERNET_KEY=${fernet}:latest\n`;
    const staging = await script('p-staging.sh', deploy('staging', 'netra-staging', 'fernet-key'));
    const separate = await script('p-production.sh', deploy('production', 'netra-production', 'fernet-key'));
    const shared = await script(
      'p-production-shared.sh',
      deploy('production', 'netra-production', 'projects/netra-staging/secrets/fernet-key'),
    );
    const fernet = (json: { issues: Array<{ key: string; message: string }> }) =>
      json.issues.filter((issue) => issue.key === 'fernetKey').map((issue) => issue.message);
    const apart = parseJson(await parity('--manifest', staging, '--manifest', separate, '--json'));
    expect(fernet(apart)).toEqual([]);
    expect(apart.variables.find((row: { key: string }) => row.key === 'fernetKey').production.secret).toEqual(
      {
        project: 'netra-production',
        secret: 'fernet-key',
        version: 'latest',
      },
    );
    const same = parseJson(await parity('--manifest', staging, '--manifest', shared, '--json'));
    expect(fernet(same)).toEqual([
      'fernetKey: staging and production read the same secret projects/netra-staging/secrets/fernet-key; each environment needs its own',
    ]);
  });

  test('--service picks the deploy of a manifest that has several, also one file for both environments', async () => {
    const both = await script(
      'both.sh',
      `gcloud run deploy api-staging --set-env-vars=ENVIRONMENT=staging,LOG_LEVEL=debug
gcloud run deploy api-production --set-env-vars=ENVIRONMENT=production,LOG_LEVEL=info
`,
    );
    const without = await parity('--manifest', both, '--manifest', both);
    expect(without.code).toBe(2);
    expect(without.stderr).toBe(
      `netra-verify: ${both}: deploys 2 services (api-staging, api-production); pick one with --service NAME\n`,
    );
    const json = parseJson(
      await parity(
        '--manifest',
        `staging=${both}`,
        '--manifest',
        `production=${both}`,
        '--service',
        'api-staging',
        '--service',
        'api-production',
        '--json',
      ),
    );
    const logLevel = json.variables.find((row: { key: string }) => row.key === 'logLevel');
    expect([logLevel.staging.value, logLevel.production.value]).toEqual(['debug', 'info']);
  });

  test("the socket and transport comparisons find the settings by fragment role (a worker's BILLING_DB_)", async () => {
    const deploy = (environment: string, host: string, sslMode: string) =>
      `gcloud run deploy billing-${environment} --set-env-vars=ENVIRONMENT=${environment},BILLING_DB_HOST=${host},BILLING_DB_SSL_MODE=${sslMode}\n`;
    const staging = await script('w-staging.sh', deploy('staging', '/cloudsql/p:r:db', 'disable'));
    const production = await script('w-production.sh', deploy('production', '10.0.0.5', 'verify-full'));
    const result = await runCli(
      [
        'parity',
        '--schema',
        'examples/worker/schema.ts#workerSchema',
        '--env',
        'staging',
        '--env',
        'production',
        '--manifest',
        staging,
        '--manifest',
        production,
        '--json',
      ],
      { cwd: repoRoot },
    );
    const warnings = parseJson(result)
      .issues.filter((issue: { severity: string; code: string }) => issue.severity === 'warning')
      .map(
        (issue: { key: string; message: string }) =>
          `${issue.key}: ${issue.message.split(':').slice(1).join(':').trim()}`,
      );
    expect(warnings).toEqual([
      'billingDb.host: staging connects through the Cloud SQL socket, production over TCP',
      'billingDb.sslMode: staging uses BILLING_DB_SSL_MODE=disable, production uses BILLING_DB_SSL_MODE=verify-full',
    ]);
  });
});

describe('provisionOf', () => {
  test('an sm:// reference in an env file is a secret with its version, not a literal', () => {
    const jwt = describeSchema(netraBackendSchema, 'staging').find((v) => v.key === 'jwtSecret')!;
    const provision = provisionOf(
      {
        environment: 'staging',
        envFileValues: new Map([
          ['JWT_SECRET_STAGING', { value: 'sm://netra-staging/jwt-secret-staging#4', file: 'staging.env' }],
        ]),
      },
      jwt,
    );
    expect(provision).toEqual({
      kind: 'secret',
      variable: 'JWT_SECRET_STAGING',
      secret: { project: 'netra-staging', secret: 'jwt-secret-staging', version: '4' },
      source: 'staging.env',
    });
  });
});
