import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir, parseJson, runCli } from '../../test/fixtures/issue8/run-cli';

const clientId = '987654321098-stagingclient.apps.googleusercontent.com';
const clientSecret = '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';
let emulator: Emulator;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-oauth-'));
  emulator = await startEmulator({
    port: 0,
    seed: {
      'netra-staging': {
        'google-oauth-client-id-staging': clientId,
        'google-oauth-client-secret-staging': clientSecret,
        'client-json': JSON.stringify({ web: { client_id: clientId, client_secret: clientSecret } }),
      },
    },
  });
});
afterAll(async () => {
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

const staging = join(fixturesDir, 'staging.env');
const withEmulator = { env: { SECRET_MANAGER_EMULATOR_HOST: '' } };

describe('netra-verify oauth redirects', { timeout: 30_000 }, () => {
  test('staging from its env file: the URIs to register, the client named by its binding (not read)', async () => {
    const result = await runCli(['oauth', 'redirects', '--env', 'staging', '--env-file', staging, '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const json = parseJson(result);
    expect(json.registrations).toEqual([
      {
        environment: 'staging',
        clientId: expect.stringContaining('google-oauth-client-id-staging'),
        issuer: 'https://accounts.google.com',
        redirectUris: ['https://api.staging.netra.example/auth/callback'],
        javascriptOrigins: ['https://app.staging.netra.example'],
      },
    ]);
    expect(result.stdout).not.toContain('not-read-from-secret-manager.apps');
    const human = await runCli([
      'oauth',
      'redirects',
      '--env',
      'staging',
      '--env-file',
      staging,
      '--callback-path',
      '/api/auth/google/callback',
    ]);
    expect(human.stdout).toContain(
      'Authorized redirect URIs:\n    https://api.staging.netra.example/api/auth/google/callback',
    );
    expect(human.stdout).toContain('Google Cloud console');
  });

  test('with --project the client ID is read from Secret Manager; sm:// references resolve; the secret never shows', async () => {
    const env = { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } };
    const fromProject = parseJson(
      await runCli(
        [
          'oauth',
          'redirects',
          '--env',
          'staging',
          '--env-file',
          staging,
          '--project',
          'netra-staging',
          '--json',
        ],
        env,
      ),
    );
    expect(fromProject.registrations[0].clientId).toBe(clientId);
    const refs = join(work, 'refs.env');
    await writeFile(
      refs,
      'GOOGLE_OAUTH_CLIENT_ID_STAGING=sm://netra-staging/client-json?field=web.client_id\nGOOGLE_OAUTH_CLIENT_SECRET_STAGING=sm://netra-staging/client-json?field=web.client_secret\n',
    );
    const result = await runCli(
      ['oauth', 'redirects', '--env', 'staging', '--env-file', staging, '--env-file', refs, '--json'],
      env,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(parseJson(result).registrations[0].clientId).toBe(clientId);
    expect(result.stdout + result.stderr).not.toContain(clientSecret);
  });

  test('a missing secret behind --project is reported with its code (exit 1)', async () => {
    const result = await runCli(
      [
        'oauth',
        'redirects',
        '--env',
        'staging',
        '--env-file',
        staging,
        '--project',
        'no-such-project',
        '--json',
      ],
      { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } },
    );
    expect(result.code).toBe(1);
    expect(parseJson(result).issues.map((i: { code: string }) => i.code)).toContain('secret-not-found');
  });

  test('development: disabled without a client; a local issuer with one', async () => {
    const disabled = await runCli(['oauth', 'redirects', '--env', 'development'], withEmulator);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('OAuth is disabled');
    const dev = join(work, 'dev.env');
    await writeFile(
      dev,
      'GOOGLE_OAUTH_CLIENT_ID=1234-dev.apps.googleusercontent.com\nGOOGLE_OAUTH_CLIENT_SECRET=dev-client-secret\nOAUTH_ISSUER_URL=http://127.0.0.1:4000\n',
    );
    const json = parseJson(
      await runCli(['oauth', 'redirects', '--env', 'development', '--env-file', dev, '--json']),
    );
    expect(json.registrations[0]).toMatchObject({
      issuer: 'http://127.0.0.1:4000',
      redirectUris: ['http://localhost:8080/auth/callback'],
    });
  });

  test('configuration errors exit 1 with the issues; usage errors exit 2; --help has an example', async () => {
    const bad = join(work, 'bad.env');
    await writeFile(bad, 'ENVIRONMENT=staging\nAPI_BASE_URL=http://api.staging.netra.example\n');
    const result = await runCli([
      'oauth',
      'redirects',
      '--env',
      'staging',
      '--env-file',
      staging,
      '--env-file',
      bad,
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(parseJson(result).issues.map((i: { variable: string }) => i.variable)).toContain('API_BASE_URL');
    const mixed = await runCli(['oauth', 'redirects', '--env', 'production', '--env-file', staging]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('ENVIRONMENT=staging');
    expect((await runCli(['oauth', 'redirects'])).code).toBe(2);
    expect((await runCli(['oauth', 'redirects', '--help'])).stdout).toContain(
      'netra-verify oauth redirects --env staging',
    );
  });

  test('any schema: the google-oauth fragment under `auth`, a qa environment, the schema’s own URL names', async () => {
    const schema = `${join(fixturesDir, '..', 'console', 'schema.mjs')}#consoleSchema`;
    const env = join(work, 'console-qa.env');
    await writeFile(
      env,
      'ENVIRONMENT=qa\nCONSOLE_PUBLIC_URL=https://console-api.qa.example.com\nCONSOLE_APP_URL=https://console.qa.example.com\nGOOGLE_OAUTH_CLIENT_ID_QA=123456789012-consoleqa.apps.googleusercontent.com\nGOOGLE_OAUTH_CLIENT_SECRET_QA=GOCSPX-console-qa-secret-0001\n',
    );
    const result = await runCli([
      'oauth',
      'redirects',
      '--schema',
      schema,
      '--env',
      'qa',
      '--env-file',
      env,
      '--json',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(parseJson(result).registrations).toEqual([
      {
        environment: 'qa',
        clientId: '123456789012-consoleqa.apps.googleusercontent.com',
        issuer: 'https://accounts.google.com',
        redirectUris: ['https://console-api.qa.example.com/auth/callback'],
        javascriptOrigins: ['https://console.qa.example.com'],
      },
    ]);
    expect(result.stdout).not.toContain('GOCSPX-console-qa-secret-0001');
    // qa is deployed: a loopback API URL is refused, named by the schema's variable.
    await writeFile(
      env,
      'ENVIRONMENT=qa\nCONSOLE_PUBLIC_URL=http://localhost:9000\nCONSOLE_APP_URL=https://console.qa.example.com\n',
    );
    const bad = await runCli([
      'oauth',
      'redirects',
      '--schema',
      schema,
      '--env',
      'qa',
      '--env-file',
      env,
      '--json',
    ]);
    expect(bad.code).toBe(1);
    // (The client, bound to Secret Manager and not read without --project, counts as provided.)
    expect(
      parseJson(bad).issues.map(
        (issue: { code: string; variable: string }) => `${issue.code} ${issue.variable}`,
      ),
    ).toEqual(['invalid CONSOLE_PUBLIC_URL', 'loopback-host CONSOLE_PUBLIC_URL']);
  });
});
