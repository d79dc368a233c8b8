import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema } from '@netra/config-schema';
import { type Deployment, readDeployment } from '@netra/deploy-manifest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixturesDir, parseJson, runCli } from '../../test/fixtures/issue8/run-cli';
import { renderGcloudCommand, renderServiceYaml, type ServicePlan } from './manifest-generate';

/** Reads a generated manifest back with the deploy-manifest readers `check --manifest` uses. */
const readBack = (text: string, file: string) => readDeployment(text, { file, readRelativeFile: () => '' });
/** What the plan gives the revision, as the reader saw it. */
const planned = (deployment: Deployment) => ({
  literals: deployment.variables
    .filter((variable) => variable.kind === 'literal')
    .map((variable) => [variable.name, variable.value]),
  secrets: deployment.variables
    .filter((variable) => variable.kind === 'secret')
    .map((variable) => [variable.name, { secret: variable.secret!.name, version: variable.secret!.version }]),
  cloudsqlInstances: deployment.cloudSqlInstances,
});

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-manifest-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const common = (environment: 'staging' | 'production') => [
  'manifest',
  'generate',
  '--env',
  environment,
  '--project',
  `netra-${environment}`,
  '--service',
  `netra-backend-${environment}`,
  '--image',
  'us-docker.pkg.dev/netra/backend/api:1.4.2',
  '--region',
  'us-central1',
  '--service-account',
  `backend@netra-${environment}.iam.gserviceaccount.com`,
  '--env-file',
  join(fixturesDir, `${environment}.env`),
  '--vpc-connector',
  'netra-connector',
];

describe('netra-verify manifest generate', { timeout: 30_000 }, () => {
  test('YAML: a Cloud Run service with literals, every binding by secretKeyRef, Cloud SQL, no PORT', async () => {
    const result = await runCli(common('staging'));
    expect(result.code, result.stderr).toBe(0);
    const service = parseYaml(result.stdout);
    expect(service).toMatchObject({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'netra-backend-staging', namespace: 'netra-staging' },
    });
    const template = service.spec.template;
    expect(template.metadata.annotations).toMatchObject({
      'run.googleapis.com/cloudsql-instances': 'netra-staging:us-central1:netra-db',
      'run.googleapis.com/vpc-access-connector': 'netra-connector',
    });
    expect(template.spec.serviceAccountName).toBe('backend@netra-staging.iam.gserviceaccount.com');
    const [container] = template.spec.containers;
    expect(container.image).toBe('us-docker.pkg.dev/netra/backend/api:1.4.2');
    const env = new Map<
      string,
      { value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }
    >(container.env.map((entry: { name: string }) => [entry.name, entry]));
    expect(env.has('PORT')).toBe(false);
    expect(env.get('ENVIRONMENT')?.value).toBe('staging');
    expect(env.get('REDIS_PORT')?.value).toBe('6378');
    const bound = describeSchema(netraBackendSchema, 'staging').filter((v) => v.secret !== undefined);
    expect(bound.length).toBeGreaterThanOrEqual(7);
    for (const variable of bound) {
      expect(env.get(variable.variable), variable.variable).toEqual({
        name: variable.variable,
        valueFrom: { secretKeyRef: { name: variable.secret!.secret, key: variable.secret!.version } },
      });
    }
  });

  test('gcloud: one readable gcloud run deploy command with the same content, no \\= \\: \\, escapes', async () => {
    const result = await runCli([...common('production'), '--format', 'gcloud']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/\\[=:,]/);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toBe('gcloud run deploy netra-backend-production \\');
    expect(lines).toContain('  --project=netra-production \\');
    expect(lines).toContain('  --set-cloudsql-instances=netra-production:us-central1:netra-db \\');
    expect(lines).toContain('  --service-account=backend@netra-production.iam.gserviceaccount.com \\');
    expect(lines).toContain('  --vpc-connector=netra-connector \\');
    // Read back by the gcloud reader check --manifest uses: the same deployment as the YAML form.
    const read = await readBack(result.stdout, 'deploy.sh');
    expect(read.service).toBe('netra-backend-production');
    const yaml = await runCli(common('production'));
    expect(planned(read)).toEqual(planned(await readBack(yaml.stdout, 'service.yaml')));
    const secrets = new Map(planned(read).secrets as Array<[string, unknown]>);
    expect(secrets.get('JWT_SECRET_PRODUCTION')).toEqual({
      secret: 'jwt-secret-production',
      version: 'latest',
    });
    expect(secrets.get('GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION')).toEqual({
      secret: 'google-oauth-client-secret-production',
      version: 'latest',
    });
    expect(read.variables.some((variable) => variable.name === 'PORT')).toBe(false);
    expect(read.vpcEgress).toBe(true);
  });

  test.each([
    ['staging', 'yaml'],
    ['staging', 'gcloud'],
    ['production', 'yaml'],
    ['production', 'gcloud'],
  ] as const)('%s %s output passes check --manifest', async (environment, format) => {
    const file = join(work, `${environment}-${format}.${format === 'yaml' ? 'yaml' : 'sh'}`);
    const generated = await runCli([...common(environment), '--format', format, '--out', file]);
    expect(generated.code, generated.stdout + generated.stderr).toBe(0);
    const check = await runCli(['check', '--env', environment, '--manifest', file, '--json']);
    const report = parseJson(check);
    expect(report.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect(check.code).toBe(0);
  });

  test('refuses an env file the runtime would refuse, and writes no manifest', async () => {
    const file = join(work, 'bad.env');
    await writeFile(
      file,
      'DATABASE_HOST=localhost\nJWT_SECRET=abcdefghijklmnopqrstuvwxyz0123456789\nREDIS_HOST=10.0.0.4\nAPI_BASE_URL=https://api.example.com\nFRONTEND_URL=https://app.example.com\n',
    );
    const result = await runCli([...common('staging').slice(0, -6), '--env-file', file, '--json']);
    expect(result.code).toBe(1);
    const json = parseJson(result);
    expect(json.manifest).toBeNull();
    const codes = json.issues.map((i: { code: string; variable: string }) => `${i.code}:${i.variable}`);
    expect(codes).toContain('wrong-name:JWT_SECRET');
    expect(codes).toContain('loopback-host:DATABASE_HOST');
    expect(codes).toContain('missing:DATABASE_USER');
    expect(codes).toContain('manifest-no-vpc-egress:REDIS_HOST');
    expect(result.stdout).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
  });

  test('no setting is filled by its name: GCP_PROJECT_ID comes from the env files like every literal', async () => {
    const file = join(work, 'no-project.env');
    const { readFile } = await import('node:fs/promises');
    const staging = await readFile(join(fixturesDir, 'staging.env'), 'utf8');
    await writeFile(file, staging.replace(/^GCP_PROJECT_ID=.*\n/m, ''));
    const result = await runCli([...common('staging').slice(0, -3), file, '--vpc-connector', 'c', '--json']);
    expect(result.code).toBe(1);
    const json = parseJson(result);
    expect(json.manifest).toBeNull();
    expect(json.issues.map((i: { code: string; variable: string }) => `${i.code}:${i.variable}`)).toEqual([
      'missing:GCP_PROJECT_ID',
    ]);
    expect(json.issues[0].hint).toMatch(/\. Add GCP_PROJECT_ID=… to an --env-file\.$/);
  });

  test('a secret value, PORT and an unknown name in the env file are left out, with warnings', async () => {
    const file = join(work, 'extra.env');
    await writeFile(file, 'PORT=9000\nDATABASE_PASSWORD=a-real-database-password-123\nDATABSE_NAME=typo\n');
    const result = await runCli([...common('staging'), '--env-file', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('a-real-database-password-123');
    expect(result.stdout).not.toMatch(/name: PORT/);
    expect(result.stderr).toContain('reserved-variable');
    expect(result.stderr).toContain('manifest-plaintext-secret');
    expect(result.stderr).toMatch(/unknown-variable.*DATABSE_NAME[\s\S]*Did you mean DATABASE_NAME\?/);
    expect(result.stdout).not.toContain('DATABSE_NAME');
    expect(result.stderr).not.toContain('a-real-database-password-123');
  });

  test('usage: missing --image and a bad --format exit 2; --help shows an example', async () => {
    const withoutImage = common('staging').filter((w, i, all) => w !== '--image' && all[i - 1] !== '--image');
    expect((await runCli(withoutImage)).code).toBe(2);
    expect((await runCli([...common('staging'), '--format', 'json'])).code).toBe(2);
    const help = await runCli(['manifest', 'generate', '--help']);
    expect(help.stdout).toContain('netra-verify manifest generate --env staging');
  });
});

describe('rendered manifests parse back to what was planned (property)', () => {
  const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/).filter((n) => !n.endsWith('_FILE'));
  const planArb = (value: fc.Arbitrary<string>) =>
    fc.record({
      literals: fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 8 }),
      secrets: fc.uniqueArray(
        fc.tuple(
          name,
          fc.record({
            secret: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
            version: fc.oneof(fc.constant('latest'), fc.integer({ min: 1, max: 999 }).map(String)),
          }),
        ),
        { selector: ([n]) => n, maxLength: 8 },
      ),
    });

  function plan(parts: {
    literals: [string, string][];
    secrets: [string, { secret: string; version: string }][];
  }): ServicePlan {
    const secretNames = new Set(parts.secrets.map(([n]) => n));
    return {
      environment: 'staging',
      service: 'svc',
      project: 'proj',
      region: 'europe-west1',
      image: 'img:1',
      literals: parts.literals.filter(([n]) => !secretNames.has(n)),
      secrets: parts.secrets,
      cloudsqlInstances: ['proj:europe-west1:db'],
    };
  }

  test('YAML', async () => {
    await fc.assert(
      fc.asyncProperty(planArb(fc.string({ unit: 'grapheme', maxLength: 40 })), async (parts) => {
        const p = plan(parts);
        expect(planned(await readBack(renderServiceYaml(p), 'm.yaml'))).toEqual({
          literals: p.literals,
          secrets: p.secrets,
          cloudsqlInstances: p.cloudsqlInstances,
        });
      }),
    );
  });

  test('gcloud (values with commas, quotes, backticks, $, newlines and spaces): no escapes, reads back', async () => {
    const value = fc.string({
      unit: fc.constantFrom(...'ab ,=$\'"`\\|@;:/{}*?#~%+!\n'.split('')),
      maxLength: 20,
    });
    await fc.assert(
      fc.asyncProperty(planArb(value), async (parts) => {
        const p = plan(parts);
        let script: string;
        try {
          script = renderGcloudCommand(p);
        } catch {
          return; // every list delimiter used: the command refuses, the YAML form is the way
        }
        if (!p.literals.some(([, v]) => v.includes('\\'))) expect(script).not.toMatch(/\\[=:,]/);
        expect(planned(await readBack(script, 'deploy.sh'))).toEqual({
          literals: p.literals,
          secrets: p.secrets,
          cloudsqlInstances: p.cloudsqlInstances,
        });
      }),
      { numRuns: 150 },
    );
  });
});
