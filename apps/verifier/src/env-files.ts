/**
 * THE env-file reader of netra-verify: every command that reads an env file (`--env-file`) or `--from-file`
 * reads it here — check, secrets push, probe, parity, oauth redirects, manifest generate and run. The values are
 * exactly what dotenv's `parse` gives (its own function computes them); on top of it, the reader knows where each
 * assignment is and reports, with file and line, what dotenv would silently get wrong: a value cut at an unquoted
 * `#`, a variable set twice in one file, a line that is not `NAME=value`, a quote that does not close.
 */
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Issue } from '@netra/config-schema';
import { InputError } from './errors';
import { readBounded } from './files';

// dotenv is CommonJS. `import { parse } from 'dotenv'` makes Node's ESM loader scan its source for exports with
// cjs-module-lexer (≈ 1.5 ms of a 110 ms `check`); `require` loads it without the scan.
const { parse } = createRequire(import.meta.url)('dotenv') as typeof import('dotenv');

/** Largest env file read (bytes): far above any real one (Secret Manager takes 64 KiB per value). */
export const ENV_FILE_MAX_BYTES = 1024 * 1024;

/** One `NAME=value` of an env file, with the value dotenv reads and the line the name is on (from 1). */
interface EnvAssignment {
  name: string;
  value: string;
  line: number;
}

/** What dotenv would get wrong without saying so; every kind is an error (code `invalid`). */
type EnvFileProblemKind =
  /** An unquoted value with a `#` that follows no whitespace: dotenv ends the value there. */
  | 'cut-at-hash'
  /** The same name on two or more lines of one file: dotenv keeps the last, silently. */
  | 'set-twice'
  /** A line that is neither `NAME=value`, a comment nor blank: dotenv skips it. */
  | 'not-an-assignment'
  /** `NAME: value`: dotenv reads it, `node --env-file`, shells and Docker do not. */
  | 'colon-assignment'
  /** A value that starts with a quote that does not close at its end: dotenv keeps the quote in the value. */
  | 'unclosed-quote'
  /**
   * A quoted value whose line ends in a backslash before the quote (`A='x\'`): dotenv takes `\'` for a quote inside
   * the value, which runs on to the next line with that quote and swallows the lines between.
   */
  | 'escaped-closing-quote';

/** A problem of one env file, at a line. Never holds a value. */
export interface EnvFileProblem {
  kind: EnvFileProblemKind;
  file: string;
  /** The line of the problem (for `set-twice`, the first of `lines`). */
  line: number;
  /** The variable, `''` for a line that is not an assignment. */
  variable: string;
  /** `set-twice`: every line that sets the variable. */
  lines?: number[];
}

/** One env file, read. */
export interface EnvFile {
  file: string;
  /** Every assignment in file order, duplicates included. */
  assignments: EnvAssignment[];
  /** What dotenv gives: the last assignment of each name. */
  values: Record<string, string>;
  problems: EnvFileProblem[];
}

// dotenv's own grammar (its `LINE` expression), used only to find where each assignment is: the values are
// dotenv's `parse` of that assignment's text, and a test checks that the two read every file the same.
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;
const QUOTES = new Set(["'", '"', '`']);

/**
 * Parses an env file's text (dotenv syntax) into its assignments, dotenv's values and the problems, each with
 * `file` and `line`. Pure; never throws.
 *
 * @example
 * parseEnvFile('A=1\nA=2\n', 'a.env').problems; // [{ kind: 'set-twice', file: 'a.env', line: 1, variable: 'A', lines: [1, 2] }]
 */
export function parseEnvFile(text: string, file: string): EnvFile {
  const normalized = text.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = normalized.indexOf('\n'); i !== -1; i = normalized.indexOf('\n', i + 1))
    lineStarts.push(i + 1);
  const lineAt = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };

  const assignments: EnvAssignment[] = [];
  const problems: EnvFileProblem[] = [];
  const covered = new Set<number>();
  for (const match of normalized.matchAll(LINE)) {
    const [whole, name] = match as unknown as [string, string, string | undefined];
    const nameOffset = match.indices![1]![0];
    const line = lineAt(nameOffset);
    const lastLine = lineAt(match.index + Math.max(whole.length - 1, 0));
    for (let covering = line; covering <= lastLine; covering++) covered.add(covering);
    const assignment = whole.slice(nameOffset - match.index);
    const value = parse(assignment)[name] ?? '';
    assignments.push({ name, value, line });

    const afterName = assignment.slice(name.length);
    if (/^\s*:/.test(afterName)) problems.push({ kind: 'colon-assignment', file, line, variable: name });
    const raw = (match[2] ?? '').trim();
    const quote = raw[0];
    if (quote !== undefined && QUOTES.has(quote)) {
      if (!(raw.length >= 2 && raw.endsWith(quote))) {
        problems.push({ kind: 'unclosed-quote', file, line, variable: name });
      } else if (raw.includes('\n')) {
        const escapedEnd = new RegExp(`\\\\\\${quote}\\s*(?:#.*)?$`);
        const inner = raw.split('\n').slice(0, -1);
        if (inner.some((text) => escapedEnd.test(text))) {
          problems.push({
            kind: 'escaped-closing-quote',
            file,
            line,
            variable: name,
            lines: [line, lastLine],
          });
        }
      }
      continue;
    }
    // Unquoted: a `#` right after the `=` or after a non-space character ends the value there.
    const rest = afterName.replace(/^\s*[=:]/, '');
    const hash = rest.indexOf('#');
    if (
      hash !== -1 &&
      (rest.slice(0, hash).trim() === '' ? !/\s/.test(rest.slice(0, hash)) : !/\s/.test(rest[hash - 1]!))
    ) {
      problems.push({ kind: 'cut-at-hash', file, line, variable: name });
    }
  }

  const linesOf = new Map<string, number[]>();
  for (const { name, line } of assignments) linesOf.set(name, [...(linesOf.get(name) ?? []), line]);
  for (const [variable, lines] of linesOf) {
    if (lines.length > 1) problems.push({ kind: 'set-twice', file, line: lines[0]!, variable, lines });
  }
  const textLines = normalized.split('\n');
  for (let index = 0; index < textLines.length; index++) {
    const trimmed = textLines[index]!.trim();
    if (covered.has(index + 1) || trimmed === '' || trimmed.startsWith('#')) continue;
    problems.push({ kind: 'not-an-assignment', file, line: index + 1, variable: '' });
  }
  problems.sort((a, b) => a.line - b.line);

  const values: Record<string, string> = {};
  for (const { name, value } of assignments) values[name] = value;
  return { file, assignments, values, problems };
}

/**
 * Reads one env file: at most {@link ENV_FILE_MAX_BYTES}, UTF-8. Throws {@link InputError} (exit 2) naming the
 * file when it cannot be read, is too large or is not UTF-8 — the file is never half read.
 */
export function readEnvFile(path: string, cwd: string, what = 'env file'): EnvFile {
  let bytes: Buffer;
  try {
    // At most one byte more than the limit: /dev/zero or an endless pipe is refused, not read for ever.
    bytes = readBounded(resolve(cwd, path), ENV_FILE_MAX_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? (error as Error).message);
    throw new InputError(`cannot read ${what} ${path}: ${reason}`, { file: path, cause: error });
  }
  if (bytes.length > ENV_FILE_MAX_BYTES) {
    throw new InputError(
      `cannot read ${what} ${path}: it is more than the ${ENV_FILE_MAX_BYTES} bytes (1 MiB) an env file may have; refused before parsing`,
      { file: path },
    );
  }
  if (!isUtf8(bytes)) {
    throw new InputError(
      `cannot read ${what} ${path}: it is not UTF-8 text (save it as UTF-8; a secret that is binary goes to Secret Manager with gcloud secrets versions add --data-file)`,
      { file: path },
    );
  }
  return parseEnvFile(bytes.toString('utf8'), path);
}

/** Env files merged in order: a later file wins over an earlier one; within one file, a name set twice is a problem. */
export interface EnvFiles {
  values: Record<string, string>;
  /** By variable, the file its value comes from. */
  sources: Map<string, string>;
  /** By variable, the line of the assignment whose value is used. */
  lines: Map<string, number>;
  /**
   * Variables whose unquoted value has a `#` inside a word (`sm://p/s#4`, `pass#word`): dotenv, like
   * `node --env-file`, ends the value there, so what is read is only the part before it. By variable: the file.
   * Only where that file's value is the one used (a later file may set it again).
   */
  cutAtHash: Map<string, string>;
  /** Every problem of every file, cut-at-hash included. */
  problems: EnvFileProblem[];
}

/** Reads and merges env files. Throws {@link InputError} (exit 2) naming a file that cannot be read. */
export function readEnvFiles(paths: readonly string[], cwd: string, what = 'env file'): EnvFiles {
  const values: Record<string, string> = {};
  const sources = new Map<string, string>();
  const lines = new Map<string, number>();
  const cutAtHash = new Map<string, string>();
  const problems: EnvFileProblem[] = [];
  for (const path of paths) {
    const read = readEnvFile(path, cwd, what);
    const cut = new Set(read.problems.filter((p) => p.kind === 'cut-at-hash').map((p) => p.variable));
    for (const { name, line } of read.assignments) lines.set(name, line);
    for (const [name, value] of Object.entries(read.values)) {
      values[name] = value;
      sources.set(name, path);
      if (cut.has(name)) cutAtHash.set(name, path);
      else cutAtHash.delete(name);
    }
    problems.push(...read.problems);
  }
  return { values, sources, lines, cutAtHash, problems };
}

/** The variables of an env file's text whose unquoted value dotenv ends at a `#`. */
export function variablesCutAtHash(text: string): string[] {
  return parseEnvFile(text, '')
    .problems.filter((problem) => problem.kind === 'cut-at-hash')
    .map((problem) => problem.variable);
}

/**
 * The `invalid` error for a variable whose unquoted env-file value dotenv ended at a `#` (see
 * {@link EnvFiles.cutAtHash}). Every command reports it with this one issue; the value is never in it.
 */
function cutAtHashIssue(
  variable: string,
  file: string,
  options: { key: string; reference: boolean; line?: number | undefined },
): Issue & { line?: number } {
  const where = options.line === undefined ? file : `${file} line ${options.line}`;
  return {
    severity: 'error',
    code: 'invalid',
    key: options.key,
    variable,
    message: `${variable} in ${where} has an unquoted '#' inside its value: dotenv (and node --env-file) end the value there, so ${variable} is read as only the part before it${options.reference ? ' (an sm:// #VERSION is lost: latest is read)' : ''}.`,
    hint: `Quote the value in ${file}: ${variable}='…' (single quotes keep every character as written; see "Writing values in an env file" in the verifier's README).`,
    file,
    ...(options.line === undefined ? {} : { line: options.line }),
  };
}

/**
 * The issue of one env-file problem: code `invalid`, error, with `file` and `line`; never a value, and for a
 * line that is not an assignment never its text (it may be a secret).
 */
export function envFileProblemIssue(
  problem: EnvFileProblem,
  options: { key: string; reference?: boolean },
): Issue & { line: number } {
  const { file, line, variable } = problem;
  const base = {
    severity: 'error' as const,
    code: 'invalid' as const,
    key: options.key,
    variable,
    file,
    line,
  };
  switch (problem.kind) {
    case 'cut-at-hash':
      return {
        ...cutAtHashIssue(variable, file, { key: options.key, reference: options.reference ?? false, line }),
        line,
      };
    case 'set-twice': {
      const lines = problem.lines ?? [line];
      const listed = `${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
      return {
        ...base,
        message: `${variable} is set ${lines.length === 2 ? 'twice' : `${lines.length} times`} in ${file} (lines ${listed}): dotenv keeps the last one without a word, so which value is meant is a guess.`,
        hint: `Keep one ${variable}= line in ${file} and delete the other${lines.length > 2 ? 's' : ''}.`,
      };
    }
    case 'not-an-assignment':
      return {
        ...base,
        message: `Line ${line} of ${file} is not NAME=value: dotenv skips it, so what it was meant to set is not set.`,
        hint: `Write it as NAME=value (a letter, digit, _ . or - name; quote the value), or start it with # to make it a comment.`,
      };
    case 'colon-assignment':
      return {
        ...base,
        message: `${variable} in ${file} line ${line} is written NAME: value: dotenv reads it, but node --env-file, shells and Docker do not.`,
        hint: `Write ${variable}=value.`,
      };
    case 'escaped-closing-quote': {
      const last = problem.lines?.at(-1) ?? line;
      return {
        ...base,
        message: `${variable} in ${file} line ${line} ends its value with a backslash before the closing quote: dotenv reads the backslash and quote as part of the value, which runs on to line ${last} and takes in every line between.`,
        hint: `An env-file value cannot end with a backslash: remove it, or store this value with gcloud secrets versions add --data-file.`,
      };
    }
    case 'unclosed-quote':
      return {
        ...base,
        message: `${variable} in ${file} line ${line} starts with a quote that does not close at the end of the value: dotenv keeps the quote and what follows as part of the value.`,
        hint: `Close the quote at the end of the value (a comment may follow it: ${variable}='…' # note), or use the other quote character if the value contains this one.`,
      };
  }
}

/** Env files read by {@link readEnvFilesReporting}: the merged values and the issues of reading them. */
export interface ReportedEnvFiles extends EnvFiles {
  /** An {@link envFileProblemIssue} for every problem of every file, in file and line order. */
  issues: Issue[];
}

/**
 * {@link readEnvFiles} and the issues of what was read (every {@link EnvFileProblem}, each an `invalid` error with
 * `file` and `line`). `keyOf` names a variable's logical key (`''` when the schema has none).
 */
export function readEnvFilesReporting(
  paths: readonly string[],
  cwd: string,
  keyOf: (variable: string) => string,
  what = 'env file',
): ReportedEnvFiles {
  const files = readEnvFiles(paths, cwd, what);
  const issues = files.problems
    // A cut value matters where it is the value used; a later file that sets the variable again replaces it.
    .filter(
      (problem) => problem.kind !== 'cut-at-hash' || files.cutAtHash.get(problem.variable) === problem.file,
    )
    .map((problem) =>
      envFileProblemIssue(problem, {
        key: problem.variable === '' ? '' : keyOf(problem.variable),
        reference: files.values[problem.variable]?.startsWith('sm://') === true,
      }),
    );
  return { ...files, issues };
}
