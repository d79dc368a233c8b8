import { createRequire } from 'node:module';
import type { Issue } from '@netra/config-schema';
import { readInputFile } from './files';

// dotenv is CommonJS. `import { parse } from 'dotenv'` makes Node's ESM loader scan its source for exports with
// cjs-module-lexer (≈ 1.5 ms of a 110 ms `check`); `require` loads it without the scan.
const { parse } = createRequire(import.meta.url)('dotenv') as typeof import('dotenv');

/** Env files merged in order: later files win. `sources` says which file each variable came from. */
export interface EnvFiles {
  values: Record<string, string>;
  sources: Map<string, string>;
  /**
   * Variables whose unquoted value has a `#` inside a word (`sm://p/s#4`, `pass#word`): dotenv, like
   * `node --env-file`, ends the value there, so what is read is only the part before it. By variable: the file.
   */
  cutAtHash: Map<string, string>;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/;

/** The variables of an env file's text whose unquoted value dotenv ends at a `#` that follows no whitespace. */
export function variablesCutAtHash(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = ASSIGNMENT.exec(line);
    if (!match) continue;
    const [, name, value] = match;
    if (/^['"`]/.test(value!)) continue;
    if (/[^\s#]#/.test(value!)) names.push(name!);
  }
  return names;
}

/** Reads and merges env files (dotenv syntax). Throws {@link InputError} naming an unreadable file. */
export function readEnvFiles(paths: readonly string[], cwd: string): EnvFiles {
  const values: Record<string, string> = {};
  const sources = new Map<string, string>();
  const cutAtHash = new Map<string, string>();
  for (const path of paths) {
    const text = readInputFile(path, cwd, 'env file');
    const parsed = parse(text);
    const cut = new Set(variablesCutAtHash(text));
    for (const [name, value] of Object.entries(parsed)) {
      values[name] = value;
      sources.set(name, path);
      if (cut.has(name)) cutAtHash.set(name, path);
      else cutAtHash.delete(name);
    }
  }
  return { values, sources, cutAtHash };
}

/**
 * The `invalid` error for a variable whose unquoted env-file value dotenv ended at a `#` (see
 * {@link EnvFiles.cutAtHash}). Every command reports it with this one issue; the value is never in it.
 */
export function cutAtHashIssue(
  variable: string,
  file: string,
  options: { key: string; reference: boolean },
): Issue {
  return {
    severity: 'error',
    code: 'invalid',
    key: options.key,
    variable,
    message: `${variable} in ${file} has an unquoted '#' inside its value: dotenv (and node --env-file) end the value there, so ${variable} is read as only the part before it${options.reference ? ' (an sm:// #VERSION is lost: latest is read)' : ''}.`,
    hint: `Quote the value in ${file}: ${variable}="…".`,
  };
}

/** Env files read by {@link readEnvFilesReporting}: the merged values and the issues of reading them. */
export interface ReportedEnvFiles extends EnvFiles {
  /** A {@link cutAtHashIssue} for every variable in {@link EnvFiles.cutAtHash}. */
  issues: Issue[];
}

/**
 * {@link readEnvFiles} and the issues of what was read: a value cut at an unquoted `#` is an `invalid` error.
 * `keyOf` names a variable's logical key (`''` when the schema has none).
 */
export function readEnvFilesReporting(
  paths: readonly string[],
  cwd: string,
  keyOf: (variable: string) => string,
): ReportedEnvFiles {
  const files = readEnvFiles(paths, cwd);
  const issues = [...files.cutAtHash].map(([variable, file]) =>
    cutAtHashIssue(variable, file, {
      key: keyOf(variable),
      reference: files.values[variable]?.startsWith('sm://') === true,
    }),
  );
  return { ...files, issues };
}
