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
