/**
 * What the CI readers (Cloud Build, GitHub Actions) share: a CI file holds shell scripts and command arguments
 * inside YAML, with the CI's own `$VAR` / `${{ … }}` expressions replaced before any shell runs. Both are handed to
 * the one shell reader ({@link readShellScript}): a CI expression becomes a shell variable the script starts
 * with (unknown, with the CI's text as its expression and its default), and a command's arguments become a
 * script whose words sit on the lines of the YAML that gives them.
 */
import { type LineCounter, Scalar, type Node as YamlNode } from 'yaml';
import type { Deployment } from './model.ts';
import type { ReadOptions } from './registry.ts';
import { readShellScript, type ShellVariable } from './shell.ts';

/** A text with the CI's expressions marked: literal pieces and expressions (unknown, or with a default). */
export type CiPiece = { literal: string } | { expression: string; default?: string };

/** Collects the CI expressions of one step as shell variables `__ci_N` the script starts with. */
export class CiEnvironment {
  readonly variables = new Map<string, ShellVariable>();

  constructor(base?: ReadonlyMap<string, ShellVariable>) {
    for (const [name, value] of base ?? []) this.variables.set(name, value);
  }

  private reference(piece: Exclude<CiPiece, { literal: string }>): string {
    const name = `__ci_${this.variables.size}`;
    this.variables.set(name, {
      known: false,
      expression: piece.expression,
      ...(piece.default === undefined ? {} : { default: piece.default }),
    });
    return name;
  }

  /** The pieces as script text: expressions as `${__ci_N}` where they stand (the CI replaces them in place). */
  script(pieces: readonly CiPiece[]): string {
    return pieces
      .map((piece) => ('literal' in piece ? piece.literal : `\${${this.reference(piece)}}`))
      .join('');
  }

  /** The pieces as one double-quoted shell word (a command argument the CI passes without a shell). */
  word(pieces: readonly CiPiece[]): string {
    return `"${pieces
      .map((piece) =>
        'literal' in piece ? piece.literal.replace(/[\\"$`]/g, '\\$&') : `\${${this.reference(piece)}}`,
      )
      .join('')}"`;
  }

  /** The pieces' value as a variable the script starts with (a step's `env:` entry). */
  variable(pieces: readonly CiPiece[]): ShellVariable {
    if (pieces.every((piece) => 'literal' in piece)) {
      return { known: true, value: pieces.map((piece) => (piece as { literal: string }).literal).join('') };
    }
    const expression = pieces
      .map((piece) => ('literal' in piece ? piece.literal : piece.expression))
      .join('');
    const defaults = pieces.map((piece) => ('literal' in piece ? piece.literal : piece.default));
    return defaults.every((value) => value !== undefined)
      ? { known: false, expression, default: defaults.join('') }
      : { known: false, expression };
  }
}

/** One argument of a command the CI runs without a shell, with its line in the input. */
export interface LocatedWord {
  /** Shell text of the word (see {@link CiEnvironment.word}), or raw shell text (a `flags:` input). */
  shell: string;
  line: number;
}

/**
 * A script running `words` with each word on the line of the input that gives it (`\`-newlines in between), so
 * the shell reader's lines are the input's. Words must come in the order of their lines.
 */
export function commandScript(words: readonly LocatedWord[], firstLine: number): string {
  let row = firstLine;
  let script = '';
  for (const word of words) {
    while (row < word.line) {
      script += ' \\\n';
      row++;
    }
    script += `${script === '' ? '' : ' '}${word.shell}`;
    row += (word.shell.match(/\n/g) ?? []).length;
  }
  return script;
}

/** Where a YAML scalar's text starts, for the shell reader: its first line, or one line for all (folded text). */
export function scriptLines(
  node: YamlNode | undefined,
  lineCounter: LineCounter,
): { firstLine?: number; fixedLine?: number } {
  if (!node?.range) return {};
  const line = lineCounter.linePos(node.range[0]).line;
  if (node instanceof Scalar && node.type === Scalar.BLOCK_LITERAL) return { firstLine: line + 1 };
  // Folded, plain or quoted text over several lines: its lines are joined, so no line of it maps to one of the file.
  if (lineCounter.linePos(node.range[1]).line > line) return { fixedLine: line };
  return { firstLine: line };
}

/** Reads a script of a CI step with the shell reader; a step that deploys nothing gives no deployment. */
export async function readStepScript(
  script: string,
  options: ReadOptions & {
    environment: ReadonlyMap<string, ShellVariable>;
    format: string;
    firstLine?: number | undefined;
    fixedLine?: number | undefined;
  },
): Promise<Deployment[]> {
  if (!/\bgcloud\b/.test(script) || !/\bdeploy\b/.test(script)) return [];
  try {
    return await readShellScript(script, {
      file: options.file,
      readRelativeFile: options.readRelativeFile,
      environment: options.environment,
      format: options.format,
      ...(options.firstLine === undefined ? {} : { firstLine: options.firstLine }),
      ...(options.fixedLine === undefined ? {} : { fixedLine: options.fixedLine }),
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'no-deploy') return [];
    throw error;
  }
}
