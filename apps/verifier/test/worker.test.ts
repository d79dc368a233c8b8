// A second service, examples/worker: its own schema (a postgres fragment under BILLING_DB_, a provider-issued key
// named per environment, a qa environment), verified end to end by the built CLI — through --schema (a TypeScript
// and a JavaScript module) and through its netra.config.ts. Nothing here names the backend's schema.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pairs, parseReport, repoRoot, runCli } from './cli';

const worker = join(repoRoot, 'examples', 'worker');
const scratch = mkdtempSync(join(tmpdir(), 'netra-worker-'));
// A JavaScript module with the very text of schema.ts (which uses no TypeScript-only syntax): loaded by plain
// import(), no type stripping. It lives beside schema.ts so that @netra/config-schema resolves the same way.
const jsSchema = join(worker, '.schema-under-test.mjs');
copyFileSync(join(worker, 'schema.ts'), jsSchema);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(jsSchema, { force: true });
});

const TS = 'examples/worker/schema.ts#workerSchema';
const JS = 'examples/worker/.schema-under-test.mjs';
const inWorker = { cwd: worker };

describe('examples/worker through --schema and netra.config.ts', () => {
  test.each([
    ['a TypeScript module', TS],
    ['a JavaScript module (default export)', JS],
  ])('check of the qa env file and deploy script with %s: exit 0', async (_, spec) => {
    const result = await runCli([
      'check',
      '--schema',
      spec,
      '--env',
      'qa',
      '--env-file',
      'examples/worker/env/qa.env',
      '--manifest',
      'examples/worker/deploy-qa.sh',
      '--json',
    ]);
    expect(parseReport(result)).toEqual({ ok: true, environment: 'qa', issues: [] });
    expect(result.code).toBe(0);
  });

  test('the same check from examples/worker reads its netra.config.ts', async () => {
    // Its projects would make acme-billing-qa the default --project (test/config-defaults.test.ts reads it from
    // an emulator); this run keeps off Secret Manager, so the bound secrets count as provided.
    const result = await runCli(
      [
        'check',
        '--env',
        'qa',
        '--env-file',
        'env/qa.env',
        '--manifest',
        'deploy-qa.sh',
        '--no-secret-manager',
        '--json',
      ],
      inWorker,
    );
    expect(parseReport(result)).toEqual({ ok: true, environment: 'qa', issues: [] });
  });

  test.each(['development', 'test', 'qa', 'staging', 'production'])(
    'the %s env file passes check (with the secrets counted as bound)',
    async (environment) => {
      const result = await runCli(
        [
          'check',
          '--env',
          environment,
          '--env-file',
          `env/${environment}.env`,
          '--no-secret-manager',
          '--json',
        ],
        inWorker,
      );
      const report = parseReport(result);
      // Deployed environments need the two secrets, which a deploy binds: the env file alone lacks them.
      const missing = report.issues.filter((issue) => issue.severity === 'error').map((i) => i.variable);
      const upper = environment.toUpperCase();
      expect(missing.sort()).toEqual(
        ['development', 'test'].includes(environment)
          ? []
          : ['BILLING_DB_PASSWORD', `PAYMENTS_API_KEY_${upper}`],
      );
    },
  );

  test('the qa rules are the deployed tier: loopback host, another environment’s key name', async () => {
    const env = join(scratch, 'bad-qa.env');
    writeFileSync(
      env,
      'ENVIRONMENT=qa\nBILLING_DB_HOST=localhost\nBILLING_DB_USER=billing\nBILLING_DB_PASSWORD=a-long-random-qa-db-password\nPAYMENTS_API_KEY_STAGING=sk_test_0123456789abcdefghijklmn\n',
    );
    const result = await runCli(['check', '--schema', TS, '--env', 'qa', '--env-file', env, '--json']);
    const found = pairs(parseReport(result));
    expect(found).toContain('loopback-host BILLING_DB_HOST');
    expect(found).toContain('wrong-name PAYMENTS_API_KEY_QA');
    expect(result.stdout).not.toContain('sk_test_0123456789');
    expect(result.code).toBe(1);
  });

  test('manifest generate for qa, then check of what it wrote: exit 0', async () => {
    const out = join(scratch, 'service.yaml');
    const generated = await runCli(
      [
        'manifest',
        'generate',
        '--env',
        'qa',
        '--project',
        'acme-billing-qa',
        '--service',
        'billing-worker-qa',
        '--image',
        'europe-docker.pkg.dev/acme-billing-qa/billing/worker:1.0.0',
        '--region',
        'europe-west1',
        '--env-file',
        'env/qa.env',
        '--out',
        out,
      ],
      inWorker,
    );
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    // The Cloud SQL instance comes from the postgres fragment's host, whatever its prefix.
    expect(yaml).toContain('run.googleapis.com/cloudsql-instances: acme-billing-qa:europe-west1:billing-db');
    expect(yaml).toContain('name: PAYMENTS_API_KEY_QA');
    expect(yaml).toContain('name: payments-api-key-qa');
    const checked = await runCli(
      ['check', '--env', 'qa', '--manifest', out, '--no-secret-manager', '--json'],
      inWorker,
    );
    expect(parseReport(checked).ok).toBe(true);
    expect(checked.code).toBe(0);
  });

  test('manifest generate asks for VPC egress for a private host of the fragment', async () => {
    const result = await runCli(
      [
        'manifest',
        'generate',
        '--env',
        'staging',
        '--project',
        'acme-billing-staging',
        '--service',
        'billing-worker',
        '--image',
        'europe-docker.pkg.dev/acme-billing-staging/billing/worker:1.0.0',
        '--env-file',
        'env/staging.env',
        '--json',
      ],
      inWorker,
    );
    expect(pairs(parseReport(result))).toContain('manifest-no-vpc-egress BILLING_DB_HOST');
  });

  test('docs: one page per environment of the schema, and the committed pages are current', async () => {
    const check = await runCli(['docs', '--check', '--out', 'docs'], inWorker);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const qa = readFileSync(join(worker, 'docs', 'qa.md'), 'utf8');
    expect(qa).toContain('`PAYMENTS_API_KEY_QA` (sensitive)');
    expect(qa).toContain('`payments-api-key-qa:latest`');
    expect(readFileSync(join(worker, 'docs', 'index.md'), 'utf8')).toContain(
      '| Key | Description | development | test | qa | staging | production |',
    );
  });

  test('probe connects to the worker’s own database (BILLING_DB_*) on the local PostgreSQL', async () => {
    const result = await runCli(
      ['probe', '--env', 'development', '--env-file', 'env/development.env', '--json'],
      inWorker,
    );
    const report = JSON.parse(result.stdout) as { ok: boolean; probes: { target: string; ok: boolean }[] };
    expect(report.probes).toEqual([expect.objectContaining({ target: 'postgresql', ok: true })]);
    expect(result.code).toBe(0);
  });

  test('probe of a port where nothing listens names the fragment’s variables', async () => {
    const env = join(scratch, 'closed.env');
    writeFileSync(env, 'ENVIRONMENT=development\nBILLING_DB_PORT=1\n');
    const result = await runCli([
      'probe',
      '--schema',
      TS,
      '--env',
      'development',
      '--env-file',
      env,
      '--timeout',
      '2000',
      '--json',
    ]);
    const report = parseReport(result);
    expect(pairs(report)).toEqual(['probe-failed BILLING_DB_HOST']);
    expect(report.issues[0]?.hint).toContain('BILLING_DB_HOST/BILLING_DB_PORT');
    expect(result.code).toBe(1);
  });
});

describe('bad input: exit 2, one line naming the file and the reason', () => {
  const broken = (name: string, text: string) => {
    const file = join(worker, name);
    writeFileSync(file, text);
    return file;
  };
  const files: string[] = [];
  afterAll(() => {
    for (const file of files) rmSync(file, { force: true });
  });

  test.each([
    [
      'a missing file',
      'examples/worker/nope.ts',
      /--schema: schema module examples\/worker\/nope\.ts does not exist/,
    ],
    [
      'an export that is not a schema',
      'examples/worker/schema.ts#nope',
      /examples\/worker\/schema\.ts has no export 'nope'; its schemas: .*#workerSchema/,
    ],
    [
      'a package that is not installed',
      '@acme/no-such-schema',
      /cannot find package '@acme\/no-such-schema'/,
    ],
    ['a spec with an empty export', 'examples/worker/schema.ts#', /is not a schema spec/],
  ])('%s', async (_, spec, message) => {
    const result = await runCli(['check', '--schema', spec, '--env', 'qa']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  test('a module that throws, a TypeScript syntax error, a non-schema export', async () => {
    files.push(
      broken('.throws-under-test.mjs', "throw new Error('cannot reach the vault');\n"),
      broken('.syntax-under-test.ts', 'export const schema: = ;\n'),
      broken('.not-a-schema-under-test.mjs', 'export default { kind: "nope" };\n'),
    );
    const throws = await runCli([
      'check',
      '--schema',
      'examples/worker/.throws-under-test.mjs',
      '--env',
      'qa',
    ]);
    expect(throws.stderr).toBe(
      'netra-verify: --schema: cannot load schema module examples/worker/.throws-under-test.mjs: cannot reach the vault\n',
    );
    expect(throws.code).toBe(2);
    const syntax = await runCli([
      'check',
      '--schema',
      'examples/worker/.syntax-under-test.ts',
      '--env',
      'qa',
    ]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(
      /^netra-verify: --schema: cannot load schema module examples\/worker\/\.syntax-under-test\.ts: .+\n$/,
    );
    expect(syntax.stderr).not.toMatch(/\n\s+at /);
    const notSchema = await runCli([
      'check',
      '--schema',
      'examples/worker/.not-a-schema-under-test.mjs',
      '--env',
      'qa',
    ]);
    expect(notSchema.stderr).toBe(
      "netra-verify: --schema: examples/worker/.not-a-schema-under-test.mjs 'default' is not a schema; export the result of defineSchema(…)\n",
    );
  });

  test('an environment the schema does not declare: exit 2 with a did-you-mean among its names', async () => {
    const result = await runCli(['check', '--schema', TS, '--env', 'qaa']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--env 'qaa' is not an environment; expected one of development, test, qa, staging, production. Did you mean --env qa?",
    );
  });

  test('neither --schema nor a netra.config: exit 2 saying both ways', async () => {
    const result = await runCli(['check', '--env', 'qa'], { cwd: scratch });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no schema: pass --schema .* or write a netra\.config\.ts/);
  });

  test('a netra.config that does not name a schema', async () => {
    const dir = mkdtempSync(join(scratch, 'config-'));
    writeFileSync(join(dir, 'netra.config.json'), '{ "service": "x" }');
    const result = await runCli(['check', '--env', 'qa'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/netra\.config\.json: 'schema' must name the schema/);
  });
});
