import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema } from '@netra/config-schema';
import fc from 'fast-check';
import { parse as parseShell } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixturesDir, parseJson, runCli } from '../../test/fixtures/issue8/run-cli';
import { parseCloudRunService } from '../manifest/cloud-run-yaml';
import { parseDeployScript } from '../manifest/gcloud';
import { renderGcloudCommand, renderServiceYaml, type ServicePlan } from './manifest-generate';

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

  test('gcloud: one shell-quoted gcloud run deploy command with the same content', async () => {
    const result = await runCli([...common('production'), '--format', 'gcloud']);
    expect(result.code, result.stderr).toBe(0);
    const words = parseShell(result.stdout.replace(/^#.*\n/gm, '').replace(/\\\n/g, ' ')) as string[];
    expect(words.slice(0, 4)).toEqual(['gcloud', 'run', 'deploy', 'netra-backend-production']);
    expect(words).toContain('--set-cloudsql-instances=netra-production:us-central1:netra-db');
    expect(words).toContain('--service-account=backend@netra-production.iam.gserviceaccount.com');
    const secrets = words.find((w) => w.startsWith('--set-secrets='))!;
    expect(secrets).toContain('JWT_SECRET_PRODUCTION=jwt-secret-production:latest');
    expect(secrets).toContain(
      'GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION=google-oauth-client-secret-production:latest',
    );
    expect(words.find((w) => w.startsWith('--set-env-vars='))).not.toMatch(/[=,]PORT=/);
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

  test('YAML', () => {
    fc.assert(
      fc.property(planArb(fc.string({ unit: 'grapheme', maxLength: 40 })), (parts) => {
        const p = plan(parts);
        const parsed = parseCloudRunService(parseYaml(renderServiceYaml(p)), 'm.yaml');
        expect([...parsed.literals]).toEqual(p.literals);
        expect([...parsed.secrets].map(([n, r]) => [n, { secret: r.secret, version: r.version }])).toEqual(
          p.secrets,
        );
        expect(parsed.cloudsqlInstances).toEqual(p.cloudsqlInstances);
      }),
    );
  });

  test('gcloud (values with commas, quotes, $ and spaces)', () => {
    // No backtick: shell-quote quotes `'` + backtick as "\`'" (right for bash), but its parse — which the manifest
    // parser uses — keeps the backslash inside double quotes; see the report of issue 8.
    const value = fc.string({
      unit: fc.constantFrom(...'ab ,=$\'"\\|@;:/{}*?#~%+!'.split('')),
      maxLength: 20,
    });
    fc.assert(
      fc.property(planArb(value), (parts) => {
        const p = plan(parts);
        let script: string;
        try {
          script = renderGcloudCommand(p);
        } catch {
          return; // every list delimiter used: the command refuses, the YAML form is the way
        }
        const parsed = parseDeployScript(script, { file: 'deploy.sh', readRelativeFile: () => '' });
        expect([...parsed.literals]).toEqual(p.literals);
        expect([...parsed.secrets].map(([n, r]) => [n, { secret: r.secret, version: r.version }])).toEqual(
          p.secrets,
        );
        expect(parsed.cloudsqlInstances).toEqual(p.cloudsqlInstances);
      }),
      { numRuns: 300 },
    );
  });
});
