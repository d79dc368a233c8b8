import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { CliResult } from './cli';

/** The repository root: the nearest directory above this file with `pnpm-workspace.yaml`. */
function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
    dir = parent;
  }
  return dir;
}

const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const pnpm = join(root, 'node_modules', '.bin', 'pnpm');

/** `pnpm netra-verify ARGS` from the repository root, as DESIGN.md documents it. Never rejects. */
function pnpmNetraVerify(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      pnpm,
      ['netra-verify', ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('pnpm netra-verify <command> from the repository root', () => {
  test('ids parse prints the parts of a run ID and exits 0', async () => {
    const result = await pnpmNetraVerify(['ids', 'parse', 'run_thread-42_1764337000000_0a1b2c3d']);
    expect(result.code, result.stderr).toBe(0);
    // pnpm echoes the script on stderr; stdout is the CLI's alone.
    expect(result.stdout).toBe(
      [
        'run_thread-42_1764337000000_0a1b2c3d',
        '  thread:    thread-42',
        '  timestamp: 1764337000000',
        '  created:   2025-11-28T13:36:40.000Z',
        '  suffix:    0a1b2c3d',
        '  format:    current',
        '',
      ].join('\n'),
    );
  });

  test('ids parse of something that is not a run ID: the exit code 1 comes through pnpm', async () => {
    const result = await pnpmNetraVerify(['ids', 'parse', 'thread-42']);
    expect(result.code).toBe(1);
  });

  test('check --env development: nothing set passes on the schema defaults, exit 0', async () => {
    const result = await pnpmNetraVerify(['check', '--env', 'development']);
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('netra-verify check --env development: nothing set');
    expect(result.stdout).toContain('no problems');
  });
});

describe('the repository lint: every dependency chosen and used (knip)', () => {
  const knip = join(root, 'node_modules', '.bin', 'knip');

  /** knip over a small workspace of its own: a package that declares `left-pad` and imports `extra` or not. */
  async function knipOver(imports: string): Promise<CliResult> {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'netra-knip-'));
    try {
      await mkdir(join(dir, 'src'));
      const manifest = {
        name: 'knip-fixture',
        version: '1.0.0',
        private: true,
        type: 'module',
        main: 'src/index.js',
        dependencies: { 'left-pad': '^1.3.0' },
      };
      await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
      await writeFile(join(dir, 'src', 'index.js'), `${imports}export const one = 1;\n`);
      return await new Promise((resolve) => {
        execFile(
          knip,
          ['--no-progress', '--directory', dir],
          { timeout: 60_000 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  test('npm test and npm run lint run knip', async () => {
    const { readFile } = await import('node:fs/promises');
    const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    expect(scripts.lint).toMatch(/\bknip\b/);
    expect(scripts.test).toMatch(/\bknip\b/);
  });

  test('a declared dependency nothing imports fails, naming it; imported, it passes', async () => {
    const unused = await knipOver('');
    expect(unused.code).toBe(1);
    expect(unused.stdout).toMatch(/Unused dependencies[\s\S]*left-pad/);
    const used = await knipOver("import leftPad from 'left-pad';\nleftPad('x', 2);\n");
    expect(used.code, used.stdout).toBe(0);
  }, 120_000);
});
