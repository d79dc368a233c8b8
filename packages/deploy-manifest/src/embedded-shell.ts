/**
 * What the CI readers (Cloud Build, GitHub Actions) share: a CI file holds shell scripts and command arguments
 * inside YAML, with the CI's own `$VAR` / `${{ … }}` expressions replaced before any shell runs. Both are handed to
 * the one shell reader ({@link readShellScript}), where a CI expression becomes a shell variable the script starts
 * with (unknown, with the CI's text as its expression and its default); a command the CI runs without a shell
 * (Cloud Build `args`, the deploy-cloudrun action) goes straight to the `gcloud run deploy` reader.
 */
import { type LineCounter, Scalar, type Node as YamlNode } from 'yaml';
import { ManifestError } from './errors.ts';
import { type CommandWord, deployArguments, interpretDeploy, UnknownTable } from './gcloud-deploy.ts';
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

/** One argument a CI passes to a program without a shell, as pieces, with its line. */
export interface ArgumentPieces {
  pieces: readonly CiPiece[];
  line: number;
  /** An expression here may stand for several arguments (the CI splits it after substituting). */
  splits?: boolean;
}

/**
 * Reads a command a CI runs without a shell (Cloud Build `args`, the deploy-cloudrun action's inputs) by the
 * `gcloud run deploy` reader directly: no shell quoting applies, and no shell parser is loaded. `[]` when the
 * command is not a deploy.
 */
export function readCommandArguments(
  words: readonly ArgumentPieces[],
  line: number,
  options: ReadOptions & { format: string },
): Deployment[] {
  const unknowns = new UnknownTable();
  const commandWords: CommandWord[] = words.map((word) => ({
    line: word.line,
    text: word.pieces
      .map((piece) =>
        'literal' in piece
          ? piece.literal
          : unknowns.mark({
              expression: piece.expression,
              ...(piece.default === undefined ? {} : { default: piece.default }),
              splits: word.splits === true && word.pieces.length === 1,
            }),
      )
      .join(''),
  }));
  const deploy = deployArguments(commandWords);
  if (deploy === undefined) return [];
  return [
    interpretDeploy(deploy, line, {
      file: options.file,
      format: options.format,
      readRelativeFile: options.readRelativeFile,
      unknowns,
    }),
  ];
}

/**
 * Splits flags text into arguments as the deploy-cloudrun action does (whitespace outside quotes; quotes removed;
 * no other shell syntax), keeping CI expressions whole. Newlines advance the line.
 */
export function splitFlags(pieces: readonly CiPiece[], firstLine: number, file: string): ArgumentPieces[] {
  const words: ArgumentPieces[] = [];
  let current: CiPiece[] = [];
  let present = false;
  let line = firstLine;
  let wordLine = firstLine;
  let quote: string | undefined;
  const push = (piece: CiPiece) => {
    if (!present) wordLine = line;
    present = true;
    const last = current.at(-1);
    if ('literal' in piece && last && 'literal' in last)
      current[current.length - 1] = { literal: last.literal + piece.literal };
    else current.push(piece);
  };
  const end = () => {
    if (present) words.push({ pieces: current, line: wordLine, splits: true });
    current = [];
    present = false;
  };
  for (const piece of pieces) {
    if (!('literal' in piece)) {
      push(piece);
      continue;
    }
    for (const char of piece.literal) {
      if (quote !== undefined) {
        if (char === quote) quote = undefined;
        else push({ literal: char });
        if (char === '\n') line++;
      } else if (char === '"' || char === "'") {
        quote = char;
        push({ literal: '' });
      } else if (/\s/.test(char)) {
        end();
        if (char === '\n') line++;
      } else push({ literal: char });
    }
  }
  if (quote !== undefined) {
    throw new ManifestError(`${file}:${wordLine}: flags has an unclosed ${quote} quote`, {
      code: 'malformed',
      file,
      line: wordLine,
    });
  }
  end();
  return words;
}
