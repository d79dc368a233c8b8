import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot, runCli } from '../../test/cli';

const committed = 'examples/python-service/netra_config.py';
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-codegen-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('netra-verify codegen python', () => {
  test('the committed module of the backend schema is what the schema generates (CI fails when stale)', async () => {
    const result = await runCli(['codegen', 'python', '--out', committed, '--check']);
    expect(result.stdout).toBe(`codegen: ${committed} is up to date with the schema\n`);
    expect(result.code).toBe(0);
  });

  test("the worker's committed module is what its schema generates (its netra.config, run in examples/worker)", async () => {
    const result = await runCli(['codegen', 'python', '--out', 'worker_config.py', '--check'], {
      cwd: join(repoRoot, 'examples', 'worker'),
    });
    expect(result.stdout).toBe('codegen: worker_config.py is up to date with the schema\n');
    expect(result.code).toBe(0);
    const loaded = spawnSync(
      'python3',
      [
        '-c',
        'import worker_config as w; ok, c, i = w.safe_load({"ENVIRONMENT": "qa"}); print(ok, sorted(x["variable"] for x in i))',
      ],
      { cwd: join(repoRoot, 'examples', 'worker'), encoding: 'utf8' },
    );
    expect(loaded.stdout).toBe(
      "False ['BILLING_DB_HOST', 'BILLING_DB_PASSWORD', 'BILLING_DB_USER', 'PAYMENTS_API_KEY_QA']\n",
    );
  });

  test('--check fails on a stale or missing module and names the command that regenerates it', async () => {
    const stale = join(work, 'stale.py');
    await writeFile(stale, `${await readFile(join(repoRoot, committed), 'utf8')}\n# edited\n`);
    const result = await runCli(['codegen', 'python', '--out', stale, '--check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('differs from what the schema generates');
    expect(result.stdout).toContain(`Regenerate it: netra-verify codegen python --out ${stale}`);
    const missing = await runCli(['codegen', 'python', '--out', join(work, 'none.py'), '--check']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('does not exist');
  });

  test('writes the module; a language it does not support is exit 2 listing the supported ones', async () => {
    const out = join(work, 'written.py');
    const written = await runCli(['codegen', 'python', '--out', out]);
    expect(written.code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(await readFile(join(repoRoot, committed), 'utf8'));
    const ruby = await runCli(['codegen', 'ruby', '--out', out]);
    expect(ruby.code).toBe(2);
    expect(ruby.stderr).toContain("codegen does not support 'ruby'; supported: python");
    const none = await runCli(['codegen', '--out', out]);
    expect(none.code).toBe(2);
    const noOut = await runCli(['codegen', 'python']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out is required');
  });

  test('the module is Python 3.9 syntax', () => {
    const result = spawnSync(
      'python3',
      [
        '-c',
        'import ast,sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 9)); print("ok")',
        committed,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok\n');
  });
});

describe('the Python example', () => {
  test('starts behind netra-verify run with a valid configuration', async () => {
    const result = await runCli([
      'run',
      '--env',
      'development',
      '--',
      'python3',
      'examples/python-service/app.py',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('starting in development on port 8080, database 127.0.0.1');
    expect(result.stdout).toContain('jwt_secret=[redacted]');
  });

  test('refuses an invalid configuration itself with exit 78 and the report, without a value', async () => {
    const secret = 'x'.repeat(12);
    const result = spawnSync('python3', ['examples/python-service/app.py'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        ENVIRONMENT: 'staging',
        JWT_SECRET: secret,
        DATABASE_HOST: 'localhost',
      },
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('JWT_SECRET is set, but staging reads JWT_SECRET_STAGING');
    expect(result.stderr).toContain('DATABASE_HOST is a loopback address (localhost)');
    expect(result.stderr).not.toContain(secret);
  });
});

test('a copy of the example module still runs from elsewhere', async () => {
  await copyFile(join(repoRoot, committed), join(work, 'netra_config.py'));
  const result = spawnSync(
    'python3',
    ['-c', 'import netra_config; print(netra_config.safe_load({}, "test")[0])'],
    {
      cwd: work,
      encoding: 'utf8',
    },
  );
  expect(result.stdout).toBe('True\n');
});
