import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliResult, pairs, parseReport, repoRoot, runCli } from './cli';

const example = (path: string) => join(repoRoot, 'examples', path);
const incidentSeed = JSON.parse(readFileSync(example('staging-incident/secret-manager.seed.json'), 'utf8'));
const stagingSeed = JSON.parse(readFileSync(example('staging/secret-manager.seed.json'), 'utf8'));

/** Every secret value of both seeds, and the fields of the incident's client_secret.json. */
const secretValues: string[] = [
  ...Object.values(incidentSeed['netra-staging-incident'] as Record<string, string>),
  ...Object.values(stagingSeed['netra-staging'] as Record<string, string>),
];
const clientSecretJson = JSON.parse(incidentSeed['netra-staging-incident']['google-oauth-staging']);
secretValues.push(clientSecretJson.web.client_secret, clientSecretJson.web.client_id);

function expectNoSecretValue(result: CliResult): void {
  for (const value of secretValues) {
    expect(result.stdout).not.toContain(value);
    expect(result.stderr).not.toContain(value);
  }
}

let emulator: Emulator;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: {
      ...incidentSeed,
      ...stagingSeed,
      // A project for Secret Manager failures: a disabled latest version, a secret the caller may not read.
      'netra-faults': {
        'gemini-api-key-staging': [{ value: 'AIzaSyDisabledExampleValue0000000000000', state: 'DISABLED' }],
        'fernet-key-staging': 'xQmlxFtKAkeo-z0NozbSitZC2GVHYzaVOehhW0jzX9s=',
      },
    },
  });
  env = { SECRET_MANAGER_EMULATOR_HOST: emulator.address, NO_COLOR: '1' };
});
afterAll(async () => {
  await emulator?.stop();
});

/** The report's problems, as `code variable`: each must be listed. */
const reportProblemsAsEnvFile = [
  'wrong-name JWT_SECRET_STAGING',
  'loopback-host DATABASE_HOST',
  'weak-secret DATABASE_PASSWORD',
  'missing REDIS_HOST',
  // GCP_PROJECT_ID is set, so start-up looks the bindings up, and the incident's project lacks them.
  'secret-not-found REDIS_PASSWORD',
  'secret-not-found FERNET_KEY',
  'secret-not-found GEMINI_API_KEY',
  'invalid GOOGLE_OAUTH_CLIENT_ID_STAGING',
  'invalid GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
];

const reportProblemsAsDeployScript = [
  'wrong-name JWT_SECRET_STAGING',
  'loopback-host DATABASE_HOST',
  'weak-secret DATABASE_PASSWORD',
  'manifest-missing REDIS_HOST',
  'manifest-missing REDIS_PASSWORD',
  'manifest-missing FERNET_KEY',
  'manifest-missing GEMINI_API_KEY',
  'manifest-shared-secret GOOGLE_OAUTH_CLIENT_ID_STAGING',
  'manifest-shared-secret GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
  'invalid GOOGLE_OAUTH_CLIENT_ID_STAGING',
  'invalid GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
];

describe('the staging incident', () => {
  test('as an env file with --project: exit 1, every problem of the report, no secret value', async () => {
    const args = ['check', '--env', 'staging', '--env-file', 'examples/staging-incident/staging.env'];
    const result = await runCli([...args, '--project', 'netra-staging-incident', '--json'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const report = parseReport(result);
    expect(report.ok).toBe(false);
    expect(report.environment).toBe('staging');
    expect(pairs(report)).toEqual(expect.arrayContaining(reportProblemsAsEnvFile));
    for (const issue of report.issues) {
      // DESIGN.md's six fields, then file/line where the issue comes from a place in an input.
      expect(Object.keys(issue).slice(0, 6)).toEqual([
        'severity',
        'code',
        'key',
        'variable',
        'message',
        'hint',
      ]);
      expect(
        Object.keys(issue)
          .slice(6)
          .every((key) => key === 'file' || key === 'line'),
      ).toBe(true);
      expect(issue.hint.length).toBeGreaterThan(0);
    }
    expectNoSecretValue(result);

    const human = await runCli([...args, '--project', 'netra-staging-incident'], { env });
    expect(human.code).toBe(1);
    for (const problem of reportProblemsAsEnvFile) expect(human.stdout).toContain(problem.split(' ')[1]);
    expectNoSecretValue(human);
  });

  test('as the deploy script with --project: exit 1, every problem of the report, no secret value', async () => {
    const args = ['check', '--env', 'staging', '--manifest', 'examples/staging-incident/deploy.sh'];
    const result = await runCli([...args, '--project', 'netra-staging-incident', '--json'], { env });
    expect(result.code).toBe(1);
    const report = parseReport(result);
    expect(pairs(report)).toEqual(expect.arrayContaining(reportProblemsAsDeployScript));
    expectNoSecretValue(result);

    const human = await runCli([...args, '--project', 'netra-staging-incident'], { env });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('deploy.sh');
    for (const problem of reportProblemsAsDeployScript) expect(human.stdout).toContain(problem.split(' ')[1]);
    expectNoSecretValue(human);
  });

  test("the README's worked example is the CLI's output, verbatim", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Worked example'));
    const block = /```console\n\$ netra-verify (.+)\n([\s\S]*?)```/.exec(section);
    expect(block, 'a console block in the worked example').not.toBeNull();
    const [, command, output] = block!;
    const result = await runCli(command!.split(' '), { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(output);
    expectNoSecretValue(result);
  });

  test('without --project the bindings count as provided and the manifest problems remain', async () => {
    const result = await runCli(
      ['check', '--env', 'staging', '--manifest', 'examples/staging-incident/deploy.sh', '--json'],
      {
        env: { NO_COLOR: '1' },
        nodeArgs: ['--import', './apps/verifier/test/fixtures/forbid-secret-manager.mjs'],
      },
    );
    expect(result.code).toBe(1);
    const found = pairs(parseReport(result));
    expect(found).toEqual(
      expect.arrayContaining([
        'manifest-missing FERNET_KEY',
        'manifest-shared-secret GOOGLE_OAUTH_CLIENT_ID_STAGING',
      ]),
    );
    // Values are not read, so value rules cannot fire.
    expect(found).not.toContain('weak-secret DATABASE_PASSWORD');
  });
});

describe('the healthy staging deployment', () => {
  test.each([
    ['Cloud Run service YAML', ['--manifest', 'examples/staging/service.yaml']],
    ['gcloud run deploy script', ['--manifest', 'examples/staging/deploy.sh']],
    ['env file with sm:// references', ['--env-file', 'examples/staging/staging.env']],
  ])('%s with --project: exit 0, no issues', async (_name, input) => {
    const result = await runCli(
      ['check', '--env', 'staging', ...input, '--project', 'netra-staging', '--json'],
      {
        env,
      },
    );
    const report = parseReport(result);
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    expect(result.code).toBe(0);
  });

  test('the human report says so, with what was checked', async () => {
    const result = await runCli(
      ['check', '--env', 'staging', '--manifest', 'examples/staging/deploy.sh', '--project', 'netra-staging'],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deploy.sh');
    expect(result.stdout).toContain('7 of 7 bound secrets read from project netra-staging');
    expectNoSecretValue(result);
  });

  test('a healthy env file without --project never loads the Secret Manager client', async () => {
    const result = await runCli(
      ['check', '--env', 'staging', '--manifest', 'examples/staging/service.yaml', '--json'],
      {
        env: { NO_COLOR: '1' },
        nodeArgs: ['--import', './apps/verifier/test/fixtures/forbid-secret-manager.mjs'],
      },
    );
    expect(result.stderr).toBe('');
    expect(parseReport(result).ok).toBe(true);
    expect(result.code).toBe(0);
  });

  test('an env-file check loads neither the manifest parsers nor Secret Manager nor the probe drivers', async () => {
    const forbid = {
      NO_COLOR: '1',
      FORBID_IMPORTS: [
        'yaml',
        '@netra/deploy-manifest',
        'web-tree-sitter',
        // Not @netra/secrets-loader: the start-up verdict is the check's; it loads the client only to fetch.
        '@google-cloud/secret-manager',
        'google-gax',
        '@grpc/grpc-js',
        'pg',
        '@redis/client',
        '@netra/ids',
      ].join(','),
    };
    const nodeArgs = ['--import', './apps/verifier/test/fixtures/forbid-imports.mjs'];
    const envFile = 'apps/verifier/bench/healthy-staging.env';
    const result = await runCli(['check', '--env', 'staging', '--env-file', envFile, '--json'], {
      env: forbid,
      nodeArgs,
    });
    expect(result.stderr).toBe('');
    expect(parseReport(result).ok).toBe(true);
    expect(result.code).toBe(0);
    // The hook works: a manifest needs the parsers, and the same run fails.
    const withManifest = await runCli(
      ['check', '--env', 'staging', '--env-file', envFile, '--manifest', 'examples/staging/deploy.sh'],
      { env: forbid, nodeArgs },
    );
    expect(withManifest.code).toBe(2);
    expect(withManifest.stderr).toMatch(/forbidden import: (yaml|@netra\/deploy-manifest)/);
  });

  test('the forbid hook itself works: with --project the client loads and the process fails', async () => {
    const result = await runCli(
      [
        'check',
        '--env',
        'staging',
        '--manifest',
        'examples/staging/service.yaml',
        '--project',
        'netra-staging',
      ],
      { env, nodeArgs: ['--import', './apps/verifier/test/fixtures/forbid-secret-manager.mjs'] },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('forbidden import');
  });
});

describe('Secret Manager problems', () => {
  test('a disabled version and a denied secret are reported on their variables, with their codes', async () => {
    emulator.faults.deny('fernet-key-staging');
    try {
      const dir = mkdtempSync(join(tmpdir(), 'netra-verify-'));
      try {
        writeFileSync(
          join(dir, 'faults.env'),
          'ENVIRONMENT=staging\nGEMINI_API_KEY=sm://netra-faults/gemini-api-key-staging\nFERNET_KEY=sm://netra-faults/fernet-key-staging\n',
        );
        const result = await runCli(
          [
            'check',
            '--env',
            'staging',
            '--env-file',
            join(dir, 'faults.env'),
            '--project',
            'netra-faults',
            '--json',
          ],
          { env },
        );
        expect(result.code).toBe(1);
        const found = pairs(parseReport(result));
        expect(found).toContain('secret-disabled GEMINI_API_KEY');
        expect(found).toContain('secret-permission-denied FERNET_KEY');
        expect(result.stdout).not.toContain('AIzaSyDisabledExampleValue');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      emulator.faults.reset();
    }
  });

  test('a bound secret that does not exist is secret-not-found on its variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netra-verify-'));
    try {
      const script = readFileSync(example('staging/deploy.sh'), 'utf8').replace(
        'GEMINI_API_KEY=gemini-api-key-staging:latest',
        'GEMINI_API_KEY=gemini-api-key-stagign:latest',
      );
      writeFileSync(join(dir, 'deploy.sh'), script);
      copyFileSync(example('staging/env.yaml'), join(dir, 'env.yaml'));
      const result = await runCli(
        [
          'check',
          '--env',
          'staging',
          '--manifest',
          join(dir, 'deploy.sh'),
          '--project',
          'netra-staging',
          '--json',
        ],
        { env },
      );
      expect(result.code).toBe(1);
      const report = parseReport(result);
      expect(pairs(report)).toEqual(['secret-not-found GEMINI_API_KEY']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
