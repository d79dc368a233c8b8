import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: examples are addressed from here, as in the README. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * `--schema` for a run outside this repository (a temporary directory has no netra.config): the backend schema's
 * built module, by path — how a user points the verifier at a schema module of their own.
 */
export const backendSchemaSpec = `${fileURLToPath(new URL('../../../packages/backend-schema/dist/index.js', import.meta.url))}#netraBackendSchema`;
/** The built CLI: tests run what users run. */
export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built bin as a user's shell does (through its `#!/usr/bin/env -S node --liftoff-only --` line), or with
 * `node NODE_ARGS -- dist/cli.js` when node flags are given; only the given environment plus PATH. Never rejects.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; nodeArgs?: string[] } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const [file, fileArgs] =
      options.nodeArgs === undefined
        ? [cliPath, args]
        : [process.execPath, [...options.nodeArgs, '--', cliPath, ...args]];
    execFile(
      file,
      fileArgs,
      {
        cwd: options.cwd ?? repoRoot,
        env: { PATH: process.env.PATH ?? '', ...options.env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The `--json` report. */
export interface JsonReport {
  ok: boolean;
  environment: string;
  issues: Array<{
    severity: string;
    code: string;
    key: string;
    variable: string;
    message: string;
    hint: string;
  }>;
}

export function parseReport(result: CliResult): JsonReport {
  try {
    return JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(
      `stdout is not one JSON object (exit ${result.code}):\n${result.stdout}\n--- stderr:\n${result.stderr}`,
    );
  }
}

/** `code variable` pairs of a report, for readable assertions. */
export function pairs(report: JsonReport): string[] {
  return report.issues.map((issue) => `${issue.code} ${issue.variable}`);
}
