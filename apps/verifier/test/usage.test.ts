import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'netra-verify-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const unreadable = file('unreadable.env', 'A=1\n');
chmodSync(unreadable, 0o000);
const isRoot = process.getuid?.() === 0;

describe('bad input: a clear message on stderr, exit 2, no stack trace', () => {
  test.each<[string, string[], RegExp]>([
    ['no command', [], /a command is required/],
    ['unknown command', ['chekc'], /unknown command "chekc"; did you mean "check"\?/],
    [
      'unknown flag',
      ['check', '--env', 'staging', '--env-fil', 'x'],
      /Unknown option `--envFil`|Unknown option `--env-fil`/,
    ],
    ['--env missing', ['check', '--env-file', 'x.env'], /--env is required, e\.g\. --env staging/],
    ['--env without a value', ['check', '--env'], /--env <environment>` value is missing/],
    [
      'unknown environment',
      ['check', '--env', 'stage', '--env-file', 'x.env'],
      /^netra-verify: --env 'stage' is not an environment; expected one of development, test, staging, production\. Did you mean --env staging\?$/m,
    ],
    [
      '--env twice',
      ['check', '--env', 'staging', '--env', 'production', '--env-file', 'x'],
      /--env was given 2 times/,
    ],
    [
      'missing env file',
      ['check', '--env', 'staging', '--env-file', join(dir, 'nope.env')],
      /cannot read env file .*nope\.env: no such file/,
    ],
    [
      'env file is a directory',
      ['check', '--env', 'staging', '--env-file', dir],
      /cannot read env file .*: it is a directory/,
    ],
    [
      'missing manifest',
      ['check', '--env', 'staging', '--manifest', join(dir, 'nope.yaml')],
      /cannot read .*nope\.yaml: no such file/,
    ],
    [
      'malformed YAML',
      ['check', '--env', 'staging', '--manifest', file('bad.yaml', 'kind: Service\nspec: [\n')],
      /bad\.yaml:\d+: malformed YAML/,
    ],
    [
      'neither a service YAML nor a deploy script',
      ['check', '--env', 'staging', '--manifest', file('notes.txt', 'Deploy on Tuesdays.\n')],
      /notes\.txt: not a deploy input this reader knows \(cloudbuild, github-actions, terraform-show-json, terraform, cloud-run-yaml, gcloud\)/,
    ],
    [
      'a YAML that is not a service',
      [
        'check',
        '--env',
        'staging',
        '--manifest',
        file('job.yaml', 'apiVersion: run.googleapis.com/v1\nkind: Job\nspec: {}\n'),
      ],
      /job\.yaml: not a Cloud Run service \(kind: Job\)/,
    ],
    [
      'a script without gcloud run deploy',
      ['check', '--env', 'staging', '--manifest', file('build.sh', '#!/bin/sh\ngcloud builds submit .\n')],
      /build\.sh: no `gcloud run deploy` command found/,
    ],
    [
      'gcloud would refuse the flags',
      [
        'check',
        '--env',
        'staging',
        '--manifest',
        file('mixed.sh', 'gcloud run deploy a --set-secrets=A=a:1 --update-secrets=B=b:1\n'),
      ],
      /mixed\.sh:1: gcloud refuses --set-secrets together with --update-secrets/,
    ],
    [
      'a script deploying two services, without --service',
      [
        'check',
        '--env',
        'staging',
        '--manifest',
        file(
          'two.sh',
          'gcloud run deploy api --set-env-vars=A=1\ngcloud run deploy worker --set-env-vars=A=2\n',
        ),
      ],
      /two\.sh: deploys 2 services \(api, worker\); pick one with --service NAME/,
    ],
    [
      '--service naming none of the services',
      [
        'check',
        '--env',
        'staging',
        '--service',
        'web',
        '--manifest',
        file('one.sh', 'gcloud run deploy api --set-env-vars=A=1\n'),
      ],
      /one\.sh: no deploy of service "web"; it deploys api/,
    ],
    ['a command group without its subcommand', ['secrets'], /"secrets" needs a subcommand: "secrets audit"/],
    ['an unknown command far from any', ['deploy'], /^netra-verify: unknown command "deploy"\n/],
  ])('%s', async (_name, args, message) => {
    const result = await runCli(args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  test('a malformed SECRET_MANAGER_EMULATOR_HOST with --project', async () => {
    const env = file('ok.env', 'ENVIRONMENT=staging\nGEMINI_API_KEY=sm://p/gemini-api-key-staging\n');
    const result = await runCli(['check', '--env', 'staging', '--env-file', env, '--project', 'p'], {
      env: { SECRET_MANAGER_EMULATOR_HOST: 'not-an-address' },
    });
    expect(result.stderr).toMatch(/SECRET_MANAGER_EMULATOR_HOST must be host:port/);
    expect(result.stderr).not.toMatch(/unexpected/);
    expect(result.code).toBe(2);
  });

  test.skipIf(isRoot)('an unreadable env file', async () => {
    const result = await runCli(['check', '--env', 'staging', '--env-file', unreadable]);
    expect(result.stderr).toMatch(/permission denied/);
    expect(result.code).toBe(2);
  });
});

describe('help and output', () => {
  test('--help lists the commands on stdout, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('check');
  });

  test('check --help lists its flags', async () => {
    const result = await runCli(['check', '--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      '--env <environment>',
      '--env-file <file>',
      '--manifest <file>',
      '--project <project>',
      '--json',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  test('each command, named, registers alone and its --help is its own', async () => {
    const names = [
      'check',
      'secrets audit',
      'secrets push',
      'manifest read',
      'manifest generate',
      'probe',
      'parity',
      'docs',
      'ids parse',
      'ids generate',
      'oauth redirects',
    ];
    const global = await runCli(['--help']);
    const listed = [...global.stdout.matchAll(/^ {2}(\S+(?: [a-z]+)?)(?: <\w+>)? {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(names);
    for (const name of names) {
      const result = await runCli([...name.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(`^netra-verify/\\S+\\n\\nUsage:\\n {2}\\$ netra-verify ${name}\\b`),
      );
      expect(result.stdout).not.toContain('Commands:');
    }
  });

  test('check with nothing given checks the schema defaults: development passes, staging lists what it needs', async () => {
    const development = await runCli(['check', '--env', 'development']);
    expect(development.code).toBe(0);
    expect(development.stdout).toContain('nothing set (no --env-file or --manifest)');
    const staging = await runCli(['check', '--env', 'staging', '--json']);
    expect(staging.code).toBe(1);
    const variables = (JSON.parse(staging.stdout) as { issues: { code: string; variable: string }[] }).issues
      .filter((issue) => issue.code === 'missing')
      .map((issue) => issue.variable);
    expect(variables).toEqual(expect.arrayContaining(['JWT_SECRET_STAGING', 'DATABASE_HOST', 'FERNET_KEY']));
  });

  test("the bin turns on Node's compile cache: a run leaves compiled code in NODE_COMPILE_CACHE", async () => {
    const cache = mkdtempSync(join(tmpdir(), 'netra-compile-cache-'));
    try {
      const result = await runCli(['ids', 'generate', '--thread', 'thread-42'], {
        env: { NODE_COMPILE_CACHE: cache },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^run_thread-42_\d{13}_[0-9a-f]{8}\n$/);
      expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  const problem = () => file('problem.env', 'ENVIRONMENT=staging\nDATABASE_HOST=localhost\n');

  test('no colour when stdout is not a terminal', async () => {
    const result = await runCli(['check', '--env', 'staging', '--env-file', problem()]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  test('FORCE_COLOR turns colour on; NO_COLOR wins over it', async () => {
    const coloured = await runCli(['check', '--env', 'staging', '--env-file', problem()], {
      env: { FORCE_COLOR: '1' },
    });
    expect(coloured.stdout).toMatch(/\u001b\[/);
    const plain = await runCli(['check', '--env', 'staging', '--env-file', problem()], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });
});
