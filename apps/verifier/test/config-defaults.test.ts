// netra.config's `service` and `projects` as the defaults of --service and --project (the flag wins), in the
// context every command gets and through the built CLI: check, secrets audit and a deploy file with several
// services, on examples/worker against the Secret Manager emulator.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCommandContext } from '../src/context';
import { InputError } from '../src/errors';
import { pairs, parseReport, repoRoot, runCli } from './cli';

const worker = join(repoRoot, 'examples', 'worker');
const workerSchema = join(worker, 'schema.ts');
const scratch = mkdtempSync(join(tmpdir(), 'netra-config-defaults-'));
let emulator: Emulator;

const GOOD_DB_PASSWORD = 'q7Vd1rXk9PzL3mW8sT2yB6nF';
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: {
      // deploy-qa.sh binds billing-db-password-qa:3 and payments-api-key-qa:2; the key is a placeholder, so a
      // check that read it says so.
      'acme-billing-qa': {
        'billing-db-password-qa': ['old-1', 'old-2', GOOD_DB_PASSWORD],
        'payments-api-key-qa': ['sk_test_0123456789abcdefghijklmn', 'changeme'],
      },
    },
  });
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const inWorker = () => ({ cwd: worker, env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } });

/** A directory with a netra.config.json for the worker's schema. */
function project(name: string, config: Record<string, unknown>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'netra.config.json'),
    JSON.stringify({ schema: `${workerSchema}#workerSchema`, ...config }),
  );
  return dir;
}

describe('the command context', () => {
  test('project(): the flag wins, else projects[environment]; serviceName(): the flag wins, else service', async () => {
    const context = await loadCommandContext({}, { cwd: worker });
    expect(context.project('qa', undefined)).toBe('acme-billing-qa');
    expect(context.project('qa', 'my-flag-project')).toBe('my-flag-project');
    expect(context.project('development', undefined)).toBeUndefined();
    expect(context.project('constructor', undefined)).toBeUndefined();
    expect(context.serviceName(undefined)).toBe('billing-worker');
    expect(context.serviceName('other')).toBe('other');
  });

  test('with --schema, no netra.config is read: no defaults', async () => {
    const context = await loadCommandContext({ schema: `${workerSchema}#workerSchema` }, { cwd: worker });
    expect(context.project('qa', undefined)).toBeUndefined();
    expect(context.serviceName(undefined)).toBeUndefined();
  });

  test('projects naming an environment the schema lacks is exit 2 with a did-you-mean', async () => {
    const dir = project('typo', { projects: { stagign: 'acme-staging' } });
    const error = await loadCommandContext({}, { cwd: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      "netra.config.json: projects names 'stagign', which is not an environment of the schema (development, test, qa, staging, production); did you mean staging?",
    );
  });
});

describe('check', { timeout: 60_000 }, () => {
  const args = ['check', '--env', 'qa', '--env-file', 'env/qa.env', '--manifest', 'deploy-qa.sh', '--json'];

  test("without --project, the environment's project from netra.config: the bound secrets are read there", async () => {
    const result = await runCli(args, inWorker());
    const report = parseReport(result);
    // The placeholder payments key was read from acme-billing-qa (version 2); the database password passed.
    expect(pairs(report).filter((pair) => pair.includes('PAYMENTS_API_KEY_QA'))).toContain(
      'placeholder PAYMENTS_API_KEY_QA',
    );
    expect(pairs(report).some((pair) => pair.includes('BILLING_DB_PASSWORD'))).toBe(false);
    expect(result.stdout).not.toContain(GOOD_DB_PASSWORD);
    expect(result.code).toBe(1);
  });

  test('--project wins over netra.config', async () => {
    const result = await runCli([...args, '--project', 'acme-billing-elsewhere'], inWorker());
    expect(pairs(parseReport(result)).sort()).toEqual([
      'secret-not-found BILLING_DB_PASSWORD',
      'secret-not-found PAYMENTS_API_KEY_QA',
    ]);
  });

  test('--no-secret-manager keeps off Secret Manager (the bindings count as provided); with --project it is exit 2', async () => {
    const result = await runCli([...args, '--no-secret-manager'], inWorker());
    expect(parseReport(result)).toEqual({ ok: true, environment: 'qa', issues: [] });
    const both = await runCli([...args, '--no-secret-manager', '--project', 'x'], inWorker());
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--project and --no-secret-manager contradict each other');
  });

  test("netra.config's service picks among the services a deploy file deploys; --service wins", async () => {
    const deploy = readFileSync(join(worker, 'deploy-qa.sh'), 'utf8');
    // A second service in the same file, without BILLING_DB_USER: which one was checked shows in the report.
    const other = deploy
      .slice(deploy.indexOf('gcloud run deploy'))
      .replace('billing-worker-qa', 'billing-reports-qa')
      .replace('BILLING_DB_USER=billing_worker,', '');
    const dir = project('two-services', { service: 'billing-worker-qa' });
    writeFileSync(join(dir, 'deploy.sh'), `${deploy}\n${other}`);
    const run = (extra: string[]) =>
      runCli(['check', '--env', 'qa', '--manifest', 'deploy.sh', '--no-secret-manager', '--json', ...extra], {
        cwd: dir,
      });
    expect(parseReport(await run([]))).toEqual({ ok: true, environment: 'qa', issues: [] });
    expect(pairs(parseReport(await run(['--service', 'billing-reports-qa'])))).toContain(
      'manifest-missing BILLING_DB_USER',
    );

    writeFileSync(
      join(dir, 'netra.config.json'),
      JSON.stringify({ schema: `${workerSchema}#workerSchema`, service: 'nope' }),
    );
    const unknown = await run([]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'no deploy of service "nope"; it deploys billing-worker-qa, billing-reports-qa (the service netra.config names); pick one with --service NAME',
    );
    // A file that deploys one service is read as it is, whatever netra.config's service is called.
    writeFileSync(join(dir, 'one.sh'), deploy);
    const single = await runCli(
      ['check', '--env', 'qa', '--manifest', 'one.sh', '--no-secret-manager', '--json'],
      {
        cwd: dir,
      },
    );
    expect(parseReport(single).ok).toBe(true);
  });
});

describe('secrets audit', { timeout: 60_000 }, () => {
  test("--project defaults to the environment's project; neither is exit 2 saying both ways", async () => {
    const audit = await runCli(['secrets', 'audit', '--env', 'qa', '--json'], inWorker());
    const report = JSON.parse(audit.stdout) as {
      project: string;
      secrets: { variable: string; exists: boolean }[];
    };
    expect(report.project).toBe('acme-billing-qa');
    expect(report.secrets.map((secret) => [secret.variable, secret.exists])).toEqual([
      ['BILLING_DB_PASSWORD', true],
      ['PAYMENTS_API_KEY_QA', true],
    ]);
    const none = await runCli(['secrets', 'audit', '--env', 'development'], inWorker());
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe(
      "netra-verify: secrets audit: --project is required, e.g. --project my-gcp-project, or add development to projects in netra.config.ts (projects: { development: 'my-gcp-project' })",
    );
  });
});

describe('manifest generate', { timeout: 60_000 }, () => {
  const image = ['--image', 'europe-docker.pkg.dev/acme-billing-qa/billing/worker:1.0.0'];

  test("--project and --service default to netra.config's projects[ENV] and service; the flags win", async () => {
    const generated = await runCli(
      ['manifest', 'generate', '--env', 'qa', ...image, '--env-file', 'env/qa.env', '--format', 'gcloud'],
      inWorker(),
    );
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toContain('gcloud run deploy billing-worker ');
    expect(generated.stdout).toContain('--project=acme-billing-qa');
    const flagged = await runCli(
      [
        'manifest',
        'generate',
        '--env',
        'qa',
        ...image,
        '--env-file',
        'env/qa.env',
        '--format',
        'gcloud',
      ].concat(['--project', 'other-project', '--service', 'worker-two']),
      inWorker(),
    );
    expect(flagged.stdout).toContain('gcloud run deploy worker-two ');
    expect(flagged.stdout).toContain('--project=other-project');
  });

  test('neither flag nor netra.config: exit 2 saying both ways', async () => {
    const noProject = await runCli(
      ['manifest', 'generate', '--env', 'development', ...image, '--service', 'billing-worker'],
      inWorker(),
    );
    expect(noProject.code).toBe(2);
    expect(noProject.stderr.split('\n')[0]).toBe(
      "netra-verify: manifest generate: --project is required, e.g. --project my-gcp-project, or name it in netra.config.ts (projects: { development: 'my-gcp-project' })",
    );
    const noService = await runCli(
      ['manifest', 'generate', '--schema', workerSchema, '--env', 'qa', ...image, '--project', 'p'],
      { cwd: scratch },
    );
    expect(noService.code).toBe(2);
    expect(noService.stderr.split('\n')[0]).toBe(
      "netra-verify: manifest generate: --service is required, e.g. --service netra-backend-staging, or name it in a netra.config (service: 'my-service')",
    );
  });
});
