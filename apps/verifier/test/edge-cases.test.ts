import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backendSchemaSpec, type CliResult, pairs, parseReport, repoRoot, runCli } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'netra-verify-edge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const ISSUE_FIELDS = ['severity', 'code', 'key', 'variable', 'message', 'hint'];

function expectNoStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).not.toMatch(/^\s+at /m);
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: {
      // Only the OAuth client: every other secret the env files reference is missing.
      'oauth-only': {
        'google-oauth-client-id-staging':
          '204517331590-7hq2m0d4v9kq1c8rt4fk2n3k9sd1hq0b.apps.googleusercontent.com',
        'google-oauth-client-secret-staging': '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',
      },
    },
  });
});
afterAll(async () => {
  await emulator?.stop();
});

describe('deploy scripts: command substitution is one word, not the end of the command', () => {
  test.each<[string, string]>([
    ['unquoted $(…)', '--image=us-docker.pkg.dev/p/r/backend:$(git rev-parse --short HEAD)'],
    ['quoted "$(…)"', '--image="us-docker.pkg.dev/p/r/backend:$(cat image-tag.txt)"'],
    ['nested $( $( ) )', '--image=$(echo $(cat image.txt))'],
    ['backticks with a space', '--image=`cat image.txt`'],
  ])('%s before --set-env-vars: the flags after it are still read', async (_, imageFlag) => {
    const script = file(
      'subst.sh',
      `#!/bin/bash\ngcloud run deploy svc \\\n  ${imageFlag} \\\n  --set-env-vars=ENVIRONMENT=development,LOG_LEVEL=verbose\n`,
    );
    const result = await runCli(['check', '--env', 'development', '--manifest', script, '--json']);
    expect(result.stderr).toBe('');
    const report = parseReport(result);
    expect(pairs(report)).toContain('invalid LOG_LEVEL');
    expect(pairs(report)).not.toContain('manifest-missing ENVIRONMENT');
    expect(result.code).toBe(1);
  });

  test('a substitution inside single quotes stays literal text', async () => {
    const script = file(
      'single.sh',
      "gcloud run deploy svc --set-env-vars='ENVIRONMENT=development,LOG_LEVEL=$(x)'\n",
    );
    const report = parseReport(
      await runCli(['check', '--env', 'development', '--manifest', script, '--json']),
    );
    expect(report.issues.find((issue) => issue.variable === 'LOG_LEVEL')?.message).toContain("'$(x)'");
  });
});

describe('one root cause, one issue', () => {
  test('a missing API_BASE_URL/FRONTEND_URL is "missing" only, not also an OAuth "invalid"', async () => {
    const result = await runCli(['check', '--env', 'staging', '--json']);
    const report = parseReport(result);
    for (const variable of ['API_BASE_URL', 'FRONTEND_URL']) {
      expect(report.issues.filter((issue) => issue.variable === variable).map((issue) => issue.code)).toEqual(
        ['missing'],
      );
    }
    expect(result.code).toBe(1);
  });

  test('a present but malformed API_BASE_URL still gets the OAuth rule', async () => {
    const env = file('bad-url.env', 'ENVIRONMENT=staging\nAPI_BASE_URL=http://api.staging.netra.example\n');
    const report = parseReport(await runCli(['check', '--env', 'staging', '--env-file', env, '--json']));
    expect(report.issues.filter((issue) => issue.variable === 'API_BASE_URL').length).toBeGreaterThan(0);
    expect(pairs(report)).not.toContain('missing API_BASE_URL');
  });
});

describe('secrets --json: every issue has exactly the six fields', () => {
  test('secrets audit of a project with none of the secrets', async () => {
    const result = await runCli(['secrets', 'audit', '--env', 'staging', '--project', 'empty', '--json'], {
      env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address },
    });
    const report = JSON.parse(result.stdout) as { ok: boolean; issues: Array<Record<string, unknown>> };
    expect(report.ok).toBe(false);
    expect(report.issues.length).toBeGreaterThan(0);
    for (const issue of report.issues) expect(Object.keys(issue)).toEqual(ISSUE_FIELDS);
    expect(result.code).toBe(1);
  });

  test('secrets push of a refused value', async () => {
    const values = file('push.env', 'DATABASE_PASSWORD=" has-a-leading-space-and-is-long"\n');
    const result = await runCli(
      ['secrets', 'push', '--env', 'staging', '--project', 'empty', '--from-file', values, '--json'],
      { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } },
    );
    const report = JSON.parse(result.stdout) as { issues: Array<Record<string, unknown>> };
    expect(report.issues.length).toBeGreaterThan(0);
    for (const issue of report.issues) expect(Object.keys(issue)).toEqual(ISSUE_FIELDS);
    expect(result.stdout).not.toContain('has-a-leading-space-and-is-long');
    expect(result.code).toBe(1);
  });
});

describe('a Google client that cannot authenticate: never a stack trace', () => {
  // No emulator: the client looks for credentials, and the file it is pointed at does not exist, so it fails
  // before any connection. The metadata server is pointed at a closed loopback port, should anything ask it.
  const noCredentials = {
    GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'no-such-credentials.json'),
    METADATA_SERVER_DETECTION: 'none',
    GCE_METADATA_HOST: '127.0.0.1:9',
    GCE_METADATA_IP: '127.0.0.1:9',
  };
  test.each<[string, string[]]>([
    ['secrets audit', ['secrets', 'audit', '--env', 'staging', '--project', 'p']],
    ['secrets push', ['secrets', 'push', '--env', 'staging', '--project', 'p', '--from-file', 'PUSH']],
    ['check --project', ['check', '--env', 'staging', '--env-file', 'REFS', '--project', 'p']],
  ])('%s', async (_, args) => {
    const push = file('push-ok.env', 'GEMINI_API_KEY=AIzaSyExampleExampleExampleExample0000\n');
    const refs = file('refs.env', 'JWT_SECRET_STAGING=sm://p/jwt-secret-staging\n');
    const result = await runCli(
      args.map((arg) => (arg === 'PUSH' ? push : arg === 'REFS' ? refs : arg)),
      { env: noCredentials },
    );
    expectNoStackTrace(result);
    expect(result.stderr).not.toContain('UnhandledPromiseRejection');
    expect(result.code).toBe(1);
  });
});

// probe's and parity's issues are held to the same six fields in their own tests.
describe('--json issues of oauth redirects: exactly the six fields', () => {
  test.each<[string, (refs: string) => string[]]>([
    ['oauth redirects', (refs) => ['oauth', 'redirects', '--env', 'staging', '--env-file', refs]],
  ])('%s with an sm:// reference that does not exist', async (_, args) => {
    const refs = file(
      'missing-refs.env',
      'ENVIRONMENT=staging\nGOOGLE_OAUTH_CLIENT_ID_STAGING=sm://empty/no-such-client-id\nDATABASE_PASSWORD=sm://empty/no-such-password\n',
    );
    const result = await runCli([...args(refs), '--project', 'empty', '--json'], {
      env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address },
    });
    const report = JSON.parse(result.stdout) as { ok: boolean; issues: Array<Record<string, unknown>> };
    expect(report.ok).toBe(false);
    expect(report.issues.some((issue) => issue.code === 'secret-not-found')).toBe(true);
    for (const issue of report.issues) expect(Object.keys(issue)).toEqual(ISSUE_FIELDS);
    expect(result.code).toBe(1);
  });
});

describe('flag values are the text typed, never a number mri made of it', () => {
  test.each<[string, string[], RegExp]>([
    ['--thread 007', ['ids', 'generate', '--thread', '007'], /^run_007_\d{13}_[0-9a-f]{8}\n$/],
    ['--thread 0x10', ['ids', 'generate', '--thread', '0x10'], /^run_0x10_\d{13}_[0-9a-f]{8}\n$/],
    ['--thread=1e3', ['ids', 'generate', '--thread=1e3'], /^run_1e3_\d{13}_[0-9a-f]{8}\n$/],
  ])('ids generate %s', async (_, args, expected) => {
    const result = await runCli(args);
    expect(result.stdout).toMatch(expected);
    expect(result.code).toBe(0);
  });

  test('--project "" is a usage error, not project 0', async () => {
    const result = await runCli(['check', '--env', 'staging', '--project', '']);
    expect(result.stderr).toMatch(/--project needs a project id/);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  test('an env file named 010 is read as 010, not 10', async () => {
    const cwd = mkdtempSync(join(dir, 'numeric-'));
    writeFileSync(join(cwd, '010'), 'ENVIRONMENT=development\nLOG_LEVEL=verbose\n');
    const result = await runCli(
      ['check', '--schema', backendSchemaSpec, '--env', 'development', '--env-file', '010', '--json'],
      { cwd },
    );
    expect(pairs(parseReport(result))).toContain('invalid LOG_LEVEL');
    expect(result.code).toBe(1);
  });
});

describe('parity', () => {
  test('a secret bound as a variable in one environment and mounted as a file in the other: the hint says so', async () => {
    const production = readFileSync(join(repoRoot, 'examples/staging/service.yaml'), 'utf8').replaceAll(
      'staging',
      'production',
    );
    const result = await runCli([
      'parity',
      '--env',
      'staging',
      '--env',
      'production',
      '--manifest',
      'staging=examples/staging/deploy.sh',
      '--manifest',
      `production=${file('production-service.yaml', production)}`,
      '--json',
    ]);
    const report = JSON.parse(result.stdout) as {
      issues: Array<{ variable: string; message: string; hint: string }>;
    };
    const fernet = report.issues.find((issue) => issue.variable === 'FERNET_KEY');
    expect(fernet?.message).toMatch(/from a file mounted from secret fernet-key-production/);
    expect(fernet?.hint).not.toMatch(/never as a literal/);
    expect(fernet?.hint).toMatch(/FERNET_KEY_FILE/);
    expect(result.code).toBe(1);
  });
});

describe('manifest-shared-secret', () => {
  test('one secret named short in one binding and projects/P/secrets/S in the other is still one secret', async () => {
    const script = file(
      'shared.sh',
      'gcloud run deploy svc --project=netra-staging \\\n' +
        '  --set-env-vars=ENVIRONMENT=development \\\n' +
        '  --set-secrets=GOOGLE_OAUTH_CLIENT_ID=google-oauth:latest \\\n' +
        '  --set-secrets=GOOGLE_OAUTH_CLIENT_SECRET=projects/netra-staging/secrets/google-oauth:latest\n',
    );
    const report = parseReport(
      await runCli(['check', '--env', 'development', '--manifest', script, '--json']),
    );
    expect(pairs(report)).toEqual(
      expect.arrayContaining([
        'manifest-shared-secret GOOGLE_OAUTH_CLIENT_ID',
        'manifest-shared-secret GOOGLE_OAUTH_CLIENT_SECRET',
      ]),
    );
  });

  test('the same secret id in two different projects is two secrets', async () => {
    const script = file(
      'two-projects.sh',
      'gcloud run deploy svc --project=netra-staging \\\n' +
        '  --set-env-vars=ENVIRONMENT=development \\\n' +
        '  --set-secrets=GOOGLE_OAUTH_CLIENT_ID=google-oauth:latest \\\n' +
        '  --set-secrets=GOOGLE_OAUTH_CLIENT_SECRET=projects/other-project/secrets/google-oauth:latest\n',
    );
    const report = parseReport(
      await runCli(['check', '--env', 'development', '--manifest', script, '--json']),
    );
    expect(pairs(report).filter((pair) => pair.startsWith('manifest-shared-secret'))).toEqual([]);
  });
});

describe('Cloud Run service YAML: revision settings are read from spec.template.metadata.annotations only', () => {
  const healthy = readFileSync(join(repoRoot, 'examples/staging/service.yaml'), 'utf8');
  // Moves one annotation from the template to the service's metadata, where Cloud Run does not apply it.
  const moveToServiceMetadata = (yaml: string, name: string) => {
    const line = new RegExp(`^ +run\\.googleapis\\.com/${name}:.*\\n`, 'm').exec(yaml)![0];
    const ingress = '    run.googleapis.com/ingress: all\n';
    return yaml.replace(line, '').replace(ingress, `${ingress}    ${line.trimStart()}`);
  };

  test.each<[string, string, string, RegExp]>([
    [
      'cloudsql-instances',
      'cloudsql-instances',
      'manifest-cloudsql-missing DATABASE_HOST',
      /metadata\.annotations/,
    ],
    [
      'vpc-access-connector',
      'vpc-access-connector',
      'manifest-no-vpc-egress REDIS_HOST',
      /metadata\.annotations/,
    ],
  ])('%s on the service metadata does not count', async (_, name, expected, hint) => {
    const yaml = moveToServiceMetadata(healthy, name);
    expect(yaml).toMatch(
      new RegExp(
        `^  annotations:\\n    run\\.googleapis\\.com/ingress: all\\n    run\\.googleapis\\.com/${name}:`,
        'm',
      ),
    );
    const result = await runCli([
      'check',
      '--env',
      'staging',
      '--manifest',
      file(`moved-${name}.yaml`, yaml),
      '--json',
    ]);
    const report = parseReport(result);
    expect(pairs(report)).toContain(expected);
    const issue = report.issues.find((candidate) => `${candidate.code} ${candidate.variable}` === expected);
    expect(issue?.hint).toMatch(hint);
    expect(result.code).toBe(1);
  });
});

describe('gcloud run deploy with --container (sidecars)', () => {
  test.each<[string, string]>([
    [
      'the ingress container first',
      '--container=app --image=backend --port=8080 --set-env-vars=ENVIRONMENT=development,LOG_LEVEL=verbose ' +
        '--container=collector --image=otel --set-env-vars=OTEL_CONFIG=/etc/otel.yaml,DATABASE_PORT=not-a-port',
    ],
    [
      'the sidecar first',
      '--container collector --image otel --set-env-vars=OTEL_CONFIG=/etc/otel.yaml --set-secrets=OTEL_TOKEN=otel-token:1 ' +
        '--container app --image backend --port 8080 --set-env-vars ENVIRONMENT=development,LOG_LEVEL=verbose',
    ],
  ])("only the ingress container's (--port) env vars and secrets are the service's: %s", async (_, flags) => {
    const script = file('sidecar.sh', `gcloud run deploy svc --region=europe-west1 ${flags}\n`);
    const result = await runCli(['check', '--env', 'development', '--manifest', script, '--json']);
    const report = parseReport(result);
    expect(pairs(report)).toEqual(['invalid LOG_LEVEL']);
    expect(result.code).toBe(1);
  });
});

describe('--env-vars-file: gcloud takes string values only', () => {
  test.each<[string, string, string, RegExp]>([
    [
      'a number',
      'DATABASE_PORT: 5432\n',
      'DATABASE_PORT',
      /is a number, not a string.*Quote it .*DATABASE_PORT: "…"/,
    ],
    ['a boolean', 'REDIS_TLS: true\n', 'REDIS_TLS', /is a boolean, not a string.*Quote it .*REDIS_TLS: "…"/],
    ['no value', 'LOG_LEVEL:\n', 'LOG_LEVEL', /has no value.*Quote it .*LOG_LEVEL: "…"/],
  ])('%s is an error, as gcloud refuses the file', async (_, yaml, variable, text) => {
    const cwd = mkdtempSync(join(dir, 'env-vars-file-'));
    writeFileSync(join(cwd, 'env.yaml'), `ENVIRONMENT: development\n${yaml}`);
    writeFileSync(join(cwd, 'deploy.sh'), 'gcloud run deploy svc --env-vars-file=env.yaml\n');
    const result = await runCli(
      ['check', '--schema', backendSchemaSpec, '--env', 'development', '--manifest', 'deploy.sh', '--json'],
      {
        cwd,
      },
    );
    const issue = parseReport(result).issues.find((candidate) => candidate.variable === variable);
    expect(issue?.code).toBe('invalid');
    expect(issue?.severity).toBe('error');
    expect(`${issue?.message} ${issue?.hint}`).toMatch(/env\.yaml/);
    expect(`${issue?.message} ${issue?.hint}`).toMatch(text);
    expect(result.code).toBe(1);
  });

  test('a sensitive value written as a number is reported without the value', async () => {
    const cwd = mkdtempSync(join(dir, 'env-vars-file-'));
    writeFileSync(join(cwd, 'env.yaml'), 'ENVIRONMENT: development\nDATABASE_PASSWORD: 918273645546372819\n');
    writeFileSync(join(cwd, 'deploy.sh'), 'gcloud run deploy svc --env-vars-file=env.yaml\n');
    const result = await runCli(
      ['check', '--schema', backendSchemaSpec, '--env', 'development', '--manifest', 'deploy.sh', '--json'],
      {
        cwd,
      },
    );
    expect(pairs(parseReport(result))).toContain('invalid DATABASE_PASSWORD');
    expect(result.stdout).not.toMatch(/91827364/);
    expect(result.code).toBe(1);
  });

  test('quoted values pass', async () => {
    const cwd = mkdtempSync(join(dir, 'env-vars-file-'));
    writeFileSync(
      join(cwd, 'env.yaml'),
      'ENVIRONMENT: development\nDATABASE_PORT: "5432"\nREDIS_TLS: "true"\nLOG_LEVEL: ""\n',
    );
    writeFileSync(join(cwd, 'deploy.sh'), 'gcloud run deploy svc --env-vars-file=env.yaml\n');
    const result = await runCli(
      ['check', '--schema', backendSchemaSpec, '--env', 'development', '--manifest', 'deploy.sh'],
      {
        cwd,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('secret files: one secret per directory, as Cloud Run mounts them', () => {
  test('two secrets mounted in one directory is refused, as gcloud refuses it (exit 2)', async () => {
    const script = file(
      'two-in-one-dir.sh',
      'gcloud run deploy svc --set-env-vars=ENVIRONMENT=development \\\n' +
        '  --set-secrets=/secrets/fernet=fernet-key:1,/secrets/jwt=jwt-secret:1\n',
    );
    const result = await runCli(['check', '--env', 'development', '--manifest', script]);
    expect(result.stderr).toMatch(/\/secrets\/fernet and \/secrets\/jwt/);
    expect(result.stderr).toMatch(/one secret per directory/);
    expect(result.code).toBe(2);
  });

  test('two versions of one secret in one directory are fine', async () => {
    const script = file(
      'two-versions.sh',
      'gcloud run deploy svc --set-env-vars=ENVIRONMENT=development \\\n' +
        '  --set-secrets=/secrets/fernet/current=fernet-key:2,/secrets/fernet/previous=fernet-key:1\n',
    );
    const result = await runCli(['check', '--env', 'development', '--manifest', script]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('manifest generate: sm:// references in the env files are references, not values', () => {
  const env = (lines: string) =>
    file(
      'refs-production.env',
      'GCP_PROJECT_ID=netra-production\nDATABASE_HOST=10.0.0.5\nDATABASE_USER=netra_app\nREDIS_HOST=10.0.0.6\n' +
        'API_BASE_URL=https://api.netra.example\nFRONTEND_URL=https://app.netra.example\n' +
        lines,
    );
  const generate = (envFile: string, format: string) =>
    runCli([
      'manifest',
      'generate',
      '--env',
      'production',
      '--project',
      'netra-production',
      '--service',
      'netra-backend',
      '--image',
      'backend:1',
      '--vpc-connector',
      'c',
      '--env-file',
      envFile,
      '--format',
      format,
    ]);

  test('a reference to the bound secret: no plaintext warning, and its version pins the binding', async () => {
    const envFile = env(
      // Quoted: unquoted, dotenv would end the value at '#'.
      'JWT_SECRET_PRODUCTION="sm://netra-production/jwt-secret-production#4"\n' +
        'GEMINI_API_KEY=sm://netra-production/gemini-api-key-production\n',
    );
    const result = await generate(envFile, 'gcloud');
    expect(result.stderr).not.toMatch(/manifest-plaintext-secret/);
    expect(result.stdout).toMatch(/JWT_SECRET_PRODUCTION\\?=jwt-secret-production\\?:4/);
    expect(result.code).toBe(0);
  });

  test('a reference with ?field= stays a reference (a binding cannot pick a JSON field) and the output passes check', async () => {
    const envFile = env(
      'GOOGLE_OAUTH_CLIENT_ID_PRODUCTION=sm://netra-production/google-oauth-production?field=web.client_id\n',
    );
    const result = await generate(envFile, 'yaml');
    expect(result.stderr).not.toMatch(/manifest-plaintext-secret/);
    expect(result.stdout).toContain('sm://netra-production/google-oauth-production?field=web.client_id');
    const manifest = file('generated-field.yaml', result.stdout);
    const check = await runCli(['check', '--env', 'production', '--manifest', manifest, '--json']);
    expect(pairs(parseReport(check)).filter((pair) => !pair.startsWith('unpinned-version'))).toEqual([]);
    expect(check.code).toBe(0);
  });
  test('a reference to a regional secret stays a reference: Cloud Run binds only SECRET and projects/P/secrets/SECRET', async () => {
    const envFile = env(
      'JWT_SECRET_PRODUCTION="sm://netra-production/locations/europe-west1/jwt-secret-production#4"\n',
    );
    const result = await generate(envFile, 'yaml');
    expect(result.stderr).not.toMatch(/manifest-plaintext-secret/);
    expect(result.stdout).toContain('sm://netra-production/locations/europe-west1/jwt-secret-production#4');
    expect(result.stdout).not.toMatch(/secretKeyRef:[\s\S]*key: '?4'?/);
  });
});

describe("env files: an unquoted value is cut at '#'", () => {
  test.each<[string, string, string]>([
    ['an sm:// reference with #VERSION', 'JWT_SECRET_STAGING', 'sm://netra-staging/jwt-secret-staging#4'],
    ['a password with a #', 'DATABASE_PASSWORD', 'Zq8vN2pL#x7RkT4wQm9a'],
  ])('%s: an error on the variable, without the value', async (_, variable, value) => {
    const env = file('hash.env', `ENVIRONMENT=staging\n${variable}=${value}\n`);
    const result = await runCli(['check', '--env', 'staging', '--env-file', env, '--json']);
    const issue = parseReport(result).issues.find(
      (candidate) => candidate.variable === variable && /#/.test(candidate.message),
    );
    expect(issue?.severity).toBe('error');
    expect(issue?.code).toBe('invalid');
    expect(issue?.hint).toMatch(new RegExp(`${variable}='…'`));
    expect(issue).toMatchObject({ file: env, line: 2 });
    expect(result.stdout).not.toContain(value);
    expect(result.stdout).not.toContain(value.split('#')[0]);
    expect(result.code).toBe(1);
  });

  // Every command reads env files with the same reader, so every one reports the cut value as check does.
  const production = () =>
    file('hash-production.env', 'ENVIRONMENT=production\nDATABASE_PASSWORD=x\nJWT_SECRET_PRODUCTION=y\n');
  test.each<[string, (env: string) => string[]]>([
    ['probe', (env) => ['probe', '--env', 'staging', '--env-file', env, '--timeout', '300']],
    ['oauth redirects', (env) => ['oauth', 'redirects', '--env', 'staging', '--env-file', env]],
    [
      'parity',
      (env) => [
        'parity',
        '--env',
        'staging',
        '--env',
        'production',
        '--env-file',
        env,
        '--env-file',
        production(),
      ],
    ],
    [
      'manifest generate',
      (env) => [
        'manifest',
        'generate',
        '--env',
        'staging',
        '--project',
        'p',
        '--service',
        's',
        '--image',
        'i:1',
        '--vpc-connector',
        'c',
        '--env-file',
        env,
      ],
    ],
  ])('%s reports it as check does, without the value', async (_, args) => {
    for (const [variable, value] of [
      ['JWT_SECRET_STAGING', 'sm://netra-staging/jwt-secret-staging#4'],
      ['DATABASE_PASSWORD', 'Zq8vN2pL#x7RkT4wQm9a'],
    ] as const) {
      const env = file('hash-command.env', `ENVIRONMENT=staging\n${variable}=${value}\n`);
      const result = await runCli([...args(env), '--json'], {
        env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address },
      });
      const report = JSON.parse(result.stdout) as { ok: boolean; issues: Array<Record<string, string>> };
      const issue = report.issues.find(
        (candidate) => candidate.variable === variable && /unquoted '#'/.test(candidate.message ?? ''),
      );
      expect(issue, `${variable}: ${result.stdout}`).toMatchObject({ severity: 'error', code: 'invalid' });
      expect(issue?.hint).toMatch(new RegExp(`${variable}='…'`));
      // DESIGN.md's six fields, and file and line: the issue comes from a place in an env file.
      expect(Object.keys(issue!)).toEqual([...ISSUE_FIELDS, 'file', 'line']);
      expect(issue).toMatchObject({ file: env, line: 2 });
      expect(report.ok).toBe(false);
      expect(result.stdout + result.stderr).not.toContain(value);
      expect(result.stdout + result.stderr).not.toContain(value.split('#')[0]);
      expect(result.code).toBe(1);
    }
  });

  test.each<[string, string]>([
    ['quoted', 'JWT_SECRET_STAGING="sm://netra-staging/jwt-secret-staging#4"'],
    ['a comment after a space', 'LOG_LEVEL=info # the default'],
    ['a comment line', '# JWT_SECRET_STAGING=sm://netra-staging/jwt-secret-staging#4'],
  ])('%s: no such issue', async (_, line) => {
    const env = file('hash-ok.env', `ENVIRONMENT=staging\n${line}\n`);
    const report = parseReport(await runCli(['check', '--env', 'staging', '--env-file', env, '--json']));
    expect(report.issues.filter((issue) => /'#'/.test(issue.message))).toEqual([]);
  });
});

describe('oauth redirects and probe read only the secrets they need', () => {
  const staging = () =>
    file(
      'oauth-only.env',
      readFileSync(join(repoRoot, 'examples/staging/staging.env'), 'utf8').replaceAll(
        'sm://netra-staging/',
        'sm://oauth-only/',
      ),
    );

  test('oauth redirects: the other sm:// references (JWT, passwords…) are not read', async () => {
    const result = await runCli(['oauth', 'redirects', '--env', 'staging', '--env-file', staging()], {
      env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address, NO_COLOR: '1' },
    });
    expect(result.stdout).toContain('https://api.staging.netra.example/auth/callback');
    expect(result.stdout).not.toMatch(/secret-not-found/);
    expect(result.code).toBe(0);
  });

  test('probe: a missing JWT secret does not stop the database and Redis probes', async () => {
    const result = await runCli(
      ['probe', '--env', 'staging', '--env-file', staging(), '--timeout', '300', '--json'],
      { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } },
    );
    const report = JSON.parse(result.stdout) as { issues: Array<{ variable: string; code: string }> };
    const notFound = report.issues
      .filter((issue) => issue.code === 'secret-not-found')
      .map((issue) => issue.variable);
    expect(notFound).not.toContain('JWT_SECRET_STAGING');
    expect(notFound).not.toContain('FERNET_KEY');
    expect(notFound).toEqual(expect.arrayContaining(['DATABASE_PASSWORD', 'REDIS_PASSWORD']));
  });
});

describe('deploy scripts: a flag value the script does not give', () => {
  test.each<[string, string, RegExp]>([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable in a script, not a template
    [
      'an unset variable',
      '--set-env-vars="${ENV_VARS}"',
      /--set-env-vars is \$\{ENV_VARS\}, set outside the script/,
    ],
    [
      'a command substitution',
      '--set-secrets="$(cat secrets.txt)"',
      /--set-secrets is \$\(cat secrets\.txt\), set outside the script/,
    ],
  ])(
    '%s: an unresolved-flags warning naming it (the check may miss what it adds), not a refusal',
    async (_, flag, message) => {
      const script = file(
        'unknown-value.sh',
        `gcloud run deploy svc ${flag} --set-env-vars=ENVIRONMENT=development\n`.replace(
          ' --set-env-vars=ENVIRONMENT=development',
          flag.startsWith('--set-env') ? '' : ' --update-env-vars=ENVIRONMENT=development',
        ),
      );
      const result = await runCli(['check', '--env', 'development', '--manifest', script, '--json']);
      const issue = parseReport(result).issues.find((candidate) => candidate.code === 'unresolved-flags');
      expect(issue?.severity).toBe('warning');
      expect(issue?.message).toMatch(message);
      // Read, not refused (exit 2): the rest of the command is checked.
      expect(result.code).not.toBe(2);
    },
  );
});

describe('deploy scripts: an assignment earlier on the same line', () => {
  test('NAME=value; gcloud run deploy … $NAME substitutes it, as the shell does', async () => {
    const script = file(
      'one-line.sh',
      'LVL=verbose; gcloud run deploy svc --set-env-vars=ENVIRONMENT=development,LOG_LEVEL=$LVL\n',
    );
    const report = parseReport(
      await runCli(['check', '--env', 'development', '--manifest', script, '--json']),
    );
    expect(report.issues.find((issue) => issue.variable === 'LOG_LEVEL')?.message).toContain("'verbose'");
  });
});
