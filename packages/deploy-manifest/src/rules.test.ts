import {
  databaseFragment,
  defineSchema,
  describeSchema,
  type Environment,
  environmentVariable,
  redisFragment,
  validateValue,
} from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import type { Deployment } from './model.ts';
import { readDeployment } from './registry.ts';
import { checkDeployment } from './rules.ts';

// A small service of our own: a database and a Redis, as any schema composes them.
const schema = defineSchema({
  environment: environmentVariable(),
  database: databaseFragment(),
  redis: redisFragment(),
});

async function check(script: string, environment: Environment = 'staging') {
  const deployment: Deployment = await readDeployment(script, {
    file: 'deploy.sh',
    readRelativeFile: () => '',
  });
  return checkDeployment({
    deployment,
    environment,
    deployed: environment === 'staging' || environment === 'production',
    variables: describeSchema(schema, environment),
    validate: (variable, value) => validateValue(schema, { environment, variable, value }),
  });
}

const HEALTHY = [
  'ENVIRONMENT=staging',
  'DATABASE_HOST=/cloudsql/acme:europe-west1:db',
  'DATABASE_USER=app',
  'DATABASE_NAME=app',
  'REDIS_HOST=10.0.0.3',
];
const deploy = (env: string[], extra = '') =>
  `gcloud run deploy api --set-env-vars=${env.join(',')} --set-secrets=DATABASE_PASSWORD=database-password-staging:3,REDIS_PASSWORD=redis-password-staging:3 --add-cloudsql-instances=acme:europe-west1:db --vpc-connector=c ${extra}\n`;
const pairs = (issues: { code: string; variable: string; line?: number }[]) =>
  issues.map((issue) => `${issue.code} ${issue.variable}:${issue.line}`);

describe('deploy rules over the model', () => {
  test('a healthy deploy has no issue', async () => {
    expect(await check(deploy(HEALTHY))).toEqual([]);
  });

  test('${DB_HOST:-localhost}: unresolved-value, saying the default would fail, never invalid', async () => {
    const issues = await check(
      deploy(
        HEALTHY.map((item) =>
          item.startsWith('DATABASE_HOST') ? 'DATABASE_HOST=${DB_HOST:-localhost}' : item,
        ),
      ),
    );
    expect(pairs(issues)).toEqual(['unresolved-value DATABASE_HOST:1']);
    expect(issues[0]!.severity).toBe('warning');
    expect(issues[0]!.message).toContain('the default (localhost) is used and fails: loopback-host');
  });

  test('an unknown value with a good default says it passes; without a default it is only unresolved', async () => {
    const withDefault = await check(
      deploy(HEALTHY.map((i) => (i.startsWith('REDIS_HOST') ? 'REDIS_HOST=${R:-10.0.0.4}' : i))),
    );
    expect(withDefault[0]!.message).toContain('the default (10.0.0.4) is used, which passes');
    const without = await check(
      deploy(HEALTHY.map((i) => (i.startsWith('REDIS_HOST') ? 'REDIS_HOST=$R' : i))),
    );
    expect(pairs(without)).toEqual(['unresolved-value REDIS_HOST:1']);
  });

  test.each<[string, string[], string, string[]]>([
    [
      'missing',
      HEALTHY.filter((i) => !i.startsWith('DATABASE_USER')),
      '',
      ['manifest-missing DATABASE_USER:1'],
    ],
    ['plaintext secret', [...HEALTHY, 'REDIS_PASSWORD=hunter2hunter2hunter2'], '--clear-secrets', []],
    [
      'cloud sql not attached',
      HEALTHY.map((i) => i.replace('acme:europe-west1:db', 'acme:europe-west1:other')),
      '',
      ['manifest-cloudsql-missing DATABASE_HOST:1'],
    ],
    [
      '100.64/10 without VPC egress',
      HEALTHY.map((i) => i.replace('10.0.0.3', '100.64.0.5')),
      '--clear-vpc-connector',
      ['manifest-no-vpc-egress REDIS_HOST:1'],
    ],
  ])('%s', async (_name, env, extra, expected) => {
    const script =
      extra === '--clear-secrets'
        ? `gcloud run deploy api --set-env-vars=${env.join(',')} --add-cloudsql-instances=acme:europe-west1:db --vpc-connector=c --update-secrets=DATABASE_PASSWORD=database-password-staging:3\n`
        : deploy(env).replace(extra === '--clear-vpc-connector' ? ' --vpc-connector=c' : '\u0000', '');
    const issues = await check(script);
    if (extra === '--clear-secrets')
      expect(pairs(issues)).toEqual(['manifest-plaintext-secret REDIS_PASSWORD:1']);
    else expect(pairs(issues)).toEqual(expected);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  test('shared secret, unpinned version in production, unresolved flags', async () => {
    const issues = await check(
      `gcloud run deploy api \\
  --set-env-vars=${HEALTHY.join(',').replace('staging', 'production')}\\
  --set-secrets=DATABASE_PASSWORD=shared:latest,REDIS_PASSWORD=shared:latest \\
  --add-cloudsql-instances=acme:europe-west1:db --vpc-connector=c $EXTRA
`,
      'production',
    );
    expect(pairs(issues)).toEqual([
      'manifest-shared-secret DATABASE_PASSWORD:3',
      'manifest-shared-secret REDIS_PASSWORD:3',
      'unresolved-flags :4',
      'unpinned-version DATABASE_PASSWORD:3',
      'unpinned-version REDIS_PASSWORD:3',
    ]);
  });
});
