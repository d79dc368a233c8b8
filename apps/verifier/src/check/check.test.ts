import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema, type Environment } from '@netra/config-schema';
import type { Deployment as DeployInput, SecretVersionRef } from '@netra/deploy-manifest';
import * as deployRules from '@netra/deploy-manifest';
import { describe, expect, test } from 'vitest';
import { checkDeployment, mergeDeployment } from './check';

const check = async (...args: Parameters<typeof checkDeployment>) => (await checkDeployment(...args)).issues;

/** A deploy input built in place: literals, secret bindings and secret files, as a reader would give them. */
class Manifest {
  readonly input: DeployInput = {
    format: 'gcloud',
    file: 'deploy.sh',
    line: 1,
    containers: [],
    variables: [],
    mounts: [],
    cloudSqlInstances: [],
    vpcEgress: false,
    update: 'merge',
    issues: [],
  };
  literal(name: string, value: string): void {
    const mount = this.input.mounts.find((candidate) => candidate.path === value);
    this.input.variables.push(
      mount
        ? { name, kind: 'file', value, secret: mount.secret, file: 'deploy.sh', line: 2 }
        : { name, kind: 'literal', value, file: 'deploy.sh', line: 2 },
    );
  }
  secret(name: string, secret: { secret: string; version: string }): void {
    const ref: SecretVersionRef = { name: secret.secret, version: secret.version };
    this.input.variables.push({ name, kind: 'secret', secret: ref, file: 'deploy.sh', line: 3 });
  }
  mount(path: string, secret: { secret: string; version: string }): void {
    this.input.mounts.push({
      path,
      secret: { name: secret.secret, version: secret.version },
      file: 'deploy.sh',
      line: 4,
    });
  }
}

function merge(
  environment: Environment,
  envValues: Record<string, string>,
  edit?: (manifest: Manifest) => void,
) {
  let manifest: DeployInput | undefined;
  if (edit) {
    const built = new Manifest();
    edit(built);
    manifest = built.input;
  }
  return mergeDeployment({
    schema: netraBackendSchema,
    environment,
    descriptions: describeSchema(netraBackendSchema, environment),
    envFile: { values: envValues, sources: new Map(Object.keys(envValues).map((name) => [name, '.env'])) },
    manifest,
  });
}

describe('mergeDeployment', () => {
  test('a manifest binding replaces an env file literal; manifest literals win over env files', () => {
    const deployment = merge(
      'staging',
      { DATABASE_PASSWORD: 'from-the-env-file', DATABASE_NAME: 'a' },
      (m) => {
        m.secret('DATABASE_PASSWORD', { secret: 'database-password-staging', version: '3' });
        m.literal('DATABASE_NAME', 'b');
      },
    );
    expect(deployment.values).toEqual({ DATABASE_NAME: 'b' });
    expect(deployment.secrets).toEqual([
      {
        variable: 'DATABASE_PASSWORD',
        key: 'database.password',
        project: undefined,
        secret: 'database-password-staging',
        version: '3',
      },
    ]);
    expect(deployment.origins.get('DATABASE_NAME')).toEqual({ kind: 'manifest', file: 'deploy.sh', line: 2 });
  });

  test.each([
    [
      'sm://acme/oauth?field=web.client_id#3',
      { project: 'acme', secret: 'oauth', version: '3', field: 'web.client_id' },
    ],
    [
      'sm://acme/oauth#3?field=web.client_id',
      { project: 'acme', secret: 'oauth', version: '3', field: 'web.client_id' },
    ],
    ['sm://acme/jwt', { project: 'acme', secret: 'jwt', version: 'latest' }],
  ])('%s is read by the one sm:// grammar (config-schema), as the loader reads it', (value, expected) => {
    const deployment = merge('staging', { GOOGLE_OAUTH_CLIENT_ID_STAGING: value });
    expect(deployment.values).toEqual({});
    expect(deployment.secrets).toEqual([
      { variable: 'GOOGLE_OAUTH_CLIENT_ID_STAGING', key: 'oauth.google.clientId', ...expected },
    ]);
  });

  test('NAME_FILE pointing at a mounted secret provides NAME', () => {
    const deployment = merge('staging', {}, (m) => {
      m.mount('/secrets/fernet/key', { secret: 'fernet-key-staging', version: '2' });
      m.literal('FERNET_KEY_FILE', '/secrets/fernet/key');
    });
    expect(deployment.values).toEqual({});
    expect(deployment.secrets.map((s) => [s.variable, s.secret, s.version])).toEqual([
      ['FERNET_KEY', 'fernet-key-staging', '2'],
    ]);
  });

  test('NAME_FILE in an env file stays as written: start-up reads it, and so does the check', () => {
    const deployment = merge('staging', { FERNET_KEY_FILE: '/run/secrets/fernet' });
    expect(deployment.values).toEqual({ FERNET_KEY_FILE: '/run/secrets/fernet' });
    expect(deployment.secrets).toEqual([]);
  });

  test.each([
    ['sm://p/s', { project: 'p', secret: 's', version: 'latest' }],
    ['sm://p/s#4', { project: 'p', secret: 's', version: '4' }],
    [
      'sm://p/oauth?field=web.client_id',
      { project: 'p', secret: 'oauth', version: 'latest', field: 'web.client_id' },
    ],
    [
      'sm://p/oauth#2?field=web.client_secret',
      { project: 'p', secret: 'oauth', version: '2', field: 'web.client_secret' },
    ],
  ])('reference %s', (reference, expected) => {
    const deployment = merge('staging', { GEMINI_API_KEY: reference });
    expect(deployment.values).toEqual({});
    expect(deployment.secrets).toEqual([{ variable: 'GEMINI_API_KEY', key: 'geminiApiKey', ...expected }]);
  });

  test('PORT from a manifest is reserved and dropped', () => {
    const deployment = merge('staging', {}, (m) => m.literal('PORT', '9000'));
    expect(deployment.reserved).toEqual(['PORT']);
    expect(deployment.values.PORT).toBeUndefined();
  });
});

const codes = (issues: { code: string; variable: string }[]) =>
  issues.map((issue) => `${issue.code} ${issue.variable}`);

describe('checkDeployment', () => {
  const development = { DATABASE_HOST: '127.0.0.1', DATABASE_PASSWORD: 'sm://p/db' };

  test('an unread binding counts as provided and unchecked; read, its value is validated', async () => {
    const staging = { ENVIRONMENT: 'staging', DATABASE_PASSWORD: 'sm://p/database-password-staging' };
    const unread = await check(merge('staging', staging), undefined, { deployRules });
    expect(codes(unread)).not.toContain('missing DATABASE_PASSWORD');
    expect(codes(unread)).not.toContain('weak-secret DATABASE_PASSWORD');
    const read = await check(merge('staging', staging), {
      values: { DATABASE_PASSWORD: 'short' },
      issues: [],
    });
    expect(codes(read)).toContain('weak-secret DATABASE_PASSWORD');
    expect(JSON.stringify(read)).not.toContain('"short"');
  });

  test('a secret that could not be read is reported once, with the reader’s issue', async () => {
    const issue = {
      severity: 'error' as const,
      code: 'secret-not-found',
      key: 'database.password',
      variable: 'DATABASE_PASSWORD',
      message: 'not found',
      hint: 'create it',
    };
    const result = await check(merge('development', development), { values: {}, issues: [issue] });
    expect(codes(result).filter((code) => code.endsWith('DATABASE_PASSWORD'))).toEqual([
      'secret-not-found DATABASE_PASSWORD',
    ]);
  });

  test('unpinned-version: production references and bindings on latest, not staging', async () => {
    const production = merge('production', { GEMINI_API_KEY: 'sm://p/gemini-api-key-production' });
    expect(codes(await check(production, undefined, { deployRules }))).toContain(
      'unpinned-version GEMINI_API_KEY',
    );
    const pinned = merge('production', { GEMINI_API_KEY: 'sm://p/gemini-api-key-production#3' });
    expect(codes(await check(pinned, undefined, { deployRules }))).not.toContain(
      'unpinned-version GEMINI_API_KEY',
    );
    const staging = merge('staging', { GEMINI_API_KEY: 'sm://p/gemini-api-key-staging' });
    expect(codes(await check(staging, undefined, { deployRules }))).not.toContain(
      'unpinned-version GEMINI_API_KEY',
    );
  });

  test('ENVIRONMENT naming another environment is reported', async () => {
    expect(
      codes(await check(merge('staging', { ENVIRONMENT: 'development' }), undefined, { deployRules })),
    ).toContain('invalid ENVIRONMENT');
  });

  test('a development env file passes with nothing set', async () => {
    expect(await check(merge('development', {}), undefined, { deployRules })).toEqual([]);
  });

  test.each([
    [
      ['GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_OAUTH_CLIENT_SECRET_STAGING'],
      'GOOGLE_OAUTH_CLIENT_ID_STAGING and GOOGLE_OAUTH_CLIENT_SECRET_STAGING are both bound to the one secret google-oauth-staging, so they receive the same value.',
    ],
    [
      ['GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_OAUTH_CLIENT_SECRET_STAGING', 'GEMINI_API_KEY'],
      'GOOGLE_OAUTH_CLIENT_ID_STAGING, GOOGLE_OAUTH_CLIENT_SECRET_STAGING and GEMINI_API_KEY are all 3 bound to the one secret google-oauth-staging, so they receive the same value.',
    ],
  ])('manifest-shared-secret names %j: "both" for two, "all N" for more', async (variables, message) => {
    const deployment = merge('staging', {}, (m) => {
      for (const variable of variables) m.secret(variable, { secret: 'google-oauth-staging', version: '1' });
    });
    const shared = (await check(deployment, undefined, { deployRules })).filter(
      (issue) => issue.code === 'manifest-shared-secret',
    );
    expect(shared.map((issue) => issue.variable)).toEqual(variables);
    for (const issue of shared) expect(issue.message).toBe(message);
  });

  test('each issue names the file it came from', async () => {
    const issues = await check(merge('staging', { DATABASE_HOST: 'localhost' }), undefined, {
      deployRules,
    });
    expect(issues.find((issue) => issue.code === 'loopback-host')?.file).toBe('.env');
  });
});
