/**
 * The `gcloud` reader: a shell script read as bash reads it, with a real shell parser (tree-sitter's bash
 * grammar, WebAssembly, loaded on first use) — quoting, `\`-newline, heredocs, comments, `$(…)`, assignments,
 * `${VAR:-d}` / `${VAR-d}` / `${VAR:=d}`, word splitting of a known unquoted `$FLAGS`, `eval` of a literal string.
 * Nothing is executed: a value that depends on the environment, a command's output or a branch is unknown.
 */
import { createRequire } from 'node:module';
import type { Node as SyntaxNode, Parser as TreeSitterParser } from 'web-tree-sitter';
import { ManifestError } from './errors.ts';
import {
  type CommandWord,
  deployArguments,
  interpretDeploy,
  type ReadRelativeFile,
  UnknownTable,
} from './gcloud-deploy.ts';
import type { Deployment } from './model.ts';

let parserPromise: Promise<TreeSitterParser> | undefined;

/** tree-sitter and its bash grammar, loaded once per process and only when a script is read. */
function loadParser(): Promise<TreeSitterParser> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const require = createRequire(import.meta.url);
    const bash = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const parser = new Parser();
    parser.setLanguage(bash);
    return parser;
  })();
  return parserPromise;
}

type Value = { known: true; value: string } | { known: false; default?: string; expression?: string };

/**
 * A variable the script starts with (a CI step's `env:`, a Cloud Build substitution): known, or set outside the
 * file — then `expression` is how the input writes it (`$_SERVICE`, `${{ matrix.service }}`) and `default` the
 * value when nothing overrides it.
 */
export type ShellVariable =
  | { known: true; value: string }
  | { known: false; default?: string; expression: string };

interface Segment {
  text: string;
  /** Unquoted expansion output: split into fields at blanks. */
  splittable: boolean;
}

interface FoundDeploy {
  words: CommandWord[];
  line: number;
}

/** Options of {@link readShellScript}. */
export interface ShellReadOptions {
  file: string;
  readRelativeFile: ReadRelativeFile;
  /** Variables set before the script runs (a CI step's environment). @default none: every variable is unset */
  environment?: ReadonlyMap<string, ShellVariable>;
  /** Line of the input where the script's first line is (a script embedded in a CI file). @default 1 */
  firstLine?: number;
  /** A script whose lines do not map one to one onto the input's (a folded YAML scalar): every line is this one. */
  fixedLine?: number;
  /** Format name recorded on the deployments. @default 'gcloud' */
  format?: string;
}

/**
 * Reads every `gcloud run deploy` command of a script into a {@link Deployment}, in the order they appear.
 * Throws {@link ManifestError}: `no-deploy` when there is none, `malformed` for a syntax error bash would stop at.
 */
export async function readShellScript(text: string, options: ShellReadOptions): Promise<Deployment[]> {
  const parser = await loadParser();
  const unknowns = new UnknownTable();
  const reader = new ScriptReader(parser, unknowns, options.file, options.firstLine ?? 1);
  for (const [name, value] of options.environment ?? []) reader.define(name, value);
  reader.readSource(text, options.fixedLine);
  if (reader.deploys.length === 0) {
    throw new ManifestError(
      `${options.file}: no \`gcloud run deploy\` command found (a heredoc, a comment or a string that mentions one is not a command); --manifest takes a Cloud Run service YAML or a script that runs gcloud run deploy`,
      { code: 'no-deploy', file: options.file },
    );
  }
  return reader.deploys.map((deploy) =>
    interpretDeploy(deploy.words, deploy.line, {
      file: options.file,
      format: options.format ?? 'gcloud',
      readRelativeFile: options.readRelativeFile,
      unknowns,
    }),
  );
}

class ScriptReader {
  readonly deploys: FoundDeploy[] = [];
  private vars = new Map<string, Value>();
  /** Inside `eval`, every line is the `eval` command's line. */
  private fixedLine: number | undefined;

  constructor(
    private readonly parser: TreeSitterParser,
    private readonly unknowns: UnknownTable,
    private readonly file: string,
    private readonly firstLine: number,
  ) {}

  define(name: string, value: ShellVariable): void {
    this.vars.set(name, value);
  }

  readSource(text: string, fixedLine: number | undefined): void {
    const tree = this.parser.parse(text);
    if (tree === null)
      throw new ManifestError(`${this.file}: cannot be parsed as a shell script`, {
        code: 'malformed',
        file: this.file,
      });
    try {
      const error = firstError(tree.rootNode);
      if (error !== undefined) {
        const line = fixedLine ?? error.startPosition.row + this.firstLine;
        throw new ManifestError(
          `${this.file}:${line}: shell syntax error near "${error.text.split('\n')[0]!.slice(0, 40)}"; bash would stop here`,
          { code: 'malformed', file: this.file, line },
        );
      }
      const saved = this.fixedLine;
      this.fixedLine = fixedLine ?? saved;
      this.statements(tree.rootNode.namedChildren);
      this.fixedLine = saved;
    } finally {
      tree.delete();
    }
  }

  private lineOf(node: SyntaxNode): number {
    return this.fixedLine ?? node.startPosition.row + this.firstLine;
  }

  private statements(nodes: ReadonlyArray<SyntaxNode | null>): void {
    for (const node of nodes) if (node) this.statement(node);
  }

  private statement(node: SyntaxNode): void {
    switch (node.type) {
      case 'comment':
      case 'heredoc_body':
        return;
      case 'variable_assignment':
        this.assign(node);
        return;
      case 'variable_assignments':
        for (const child of node.namedChildren) if (child?.type === 'variable_assignment') this.assign(child);
        return;
      case 'declaration_command':
        for (const child of node.namedChildren) if (child?.type === 'variable_assignment') this.assign(child);
        return;
      case 'unset_command':
        for (const child of node.namedChildren) {
          if (child && (child.type === 'variable_name' || child.type === 'word'))
            this.vars.set(child.text, { known: true, value: '' });
        }
        return;
      case 'command':
        this.command(node);
        return;
      case 'redirected_statement': {
        const body = node.childForFieldName('body');
        if (body) this.statement(body);
        return;
      }
      case 'list': {
        // `a && b`, `a || b`: what follows the first command runs only on its success (or failure): a branch.
        const [first, ...rest] = node.namedChildren.filter((child): child is SyntaxNode => child !== null);
        if (first) this.statement(first);
        if (rest.length > 0)
          this.branches(
            rest.map((child) => [child]),
            true,
          );
        return;
      }
      case 'if_statement': {
        const condition = node.childForFieldName('condition');
        if (condition) this.statement(condition);
        const bodies: SyntaxNode[][] = [[]];
        let hasElse = false;
        for (const child of node.namedChildren) {
          if (!child || child === condition) continue;
          if (child.type === 'elif_clause' || child.type === 'else_clause') {
            if (child.type === 'else_clause') hasElse = true;
            bodies.push(child.namedChildren.filter((n): n is SyntaxNode => n !== null));
          } else bodies[0]!.push(child);
        }
        this.branches(bodies, !hasElse);
        return;
      }
      case 'case_statement':
        this.branches(
          node.namedChildren
            .filter((child): child is SyntaxNode => child?.type === 'case_item')
            .map((item) => item.namedChildren.filter((n): n is SyntaxNode => n !== null)),
          true,
        );
        return;
      case 'for_statement':
      case 'c_style_for_statement':
      case 'while_statement':
      case 'function_definition': {
        // A loop may run its body any number of times, a function whenever it is called: both are branches.
        const variable = node.childForFieldName('variable');
        if (variable) this.vars.set(variable.text, { known: false });
        const body = node.childForFieldName('body');
        this.branches([body ? [body] : []], true);
        return;
      }
      default:
        // program, compound_statement `{ … }`, subshell `( … )`, pipeline, negated_command, test_command…
        this.statements(node.namedChildren);
    }
  }

  /**
   * Runs each body from the current state (deploys inside are read as they stand); afterwards a variable set
   * differently by the bodies (or by some and not when none runs) is unknown, keeping a known value as default.
   */
  private branches(bodies: SyntaxNode[][], mayRunNone: boolean): void {
    const before = this.vars;
    const outcomes: Array<Map<string, Value>> = mayRunNone ? [before] : [];
    for (const body of bodies) {
      this.vars = new Map(before);
      this.statements(body);
      outcomes.push(this.vars);
    }
    const names = new Set(outcomes.flatMap((outcome) => [...outcome.keys()]));
    const merged = new Map(before);
    for (const name of names) {
      const values = outcomes.map((outcome) => outcome.get(name));
      const first = values[0];
      const same = values.every(
        (value) => value?.known === true && first?.known === true && value.value === first.value,
      );
      if (same && first) {
        merged.set(name, first);
        continue;
      }
      // `[ -z "$X" ] && X=d`: where the variable comes from outside unless one value is set, that value is what an
      // unset variable would give — the default. Two different values set (if/else) have no default.
      const knownValues = new Set(values.flatMap((value) => (value?.known === true ? [value.value] : [])));
      const previous = before.get(name);
      const fallback =
        previous?.known === false
          ? previous.default
          : previous === undefined && knownValues.size === 1 && values.includes(undefined)
            ? [...knownValues][0]
            : undefined;
      merged.set(name, { known: false, ...(fallback === undefined ? {} : { default: fallback }) });
    }
    this.vars = merged;
  }

  private assign(node: SyntaxNode): void {
    this.substitutionsIn(node);
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!name) return;
    if (name.type !== 'variable_name') return; // ARR[0]=…: arrays are not tracked
    if (!value) {
      this.vars.set(name.text, { known: true, value: '' });
      return;
    }
    if (value.type === 'array') {
      this.vars.set(name.text, { known: false });
      return;
    }
    const text = this.segments(value, true)
      .map((segment) => segment.text)
      .join('');
    if (!this.unknowns.has(text)) this.vars.set(name.text, { known: true, value: text });
    else {
      const fallback = this.unknowns.withDefaults(text);
      this.vars.set(name.text, { known: false, ...(fallback === undefined ? {} : { default: fallback }) });
    }
  }

  private command(node: SyntaxNode): void {
    // Deploys in `$(…)` run too (URL=$(gcloud run deploy … --format=…)): read them in a copy of the state.
    this.substitutionsIn(node);
    const words: CommandWord[] = [];
    for (const child of node.namedChildren) {
      if (
        !child ||
        child.type === 'variable_assignment' ||
        child.type === 'file_redirect' ||
        child.type === 'herestring_redirect'
      )
        continue;
      const target = child.type === 'command_name' ? (child.firstNamedChild ?? child) : child;
      for (const field of this.fields(target)) words.push({ text: field, line: this.lineOf(child) });
    }
    const name = words[0]?.text;
    if (name === 'eval') {
      const script = words
        .slice(1)
        .map((word) => word.text)
        .join(' ');
      if (!this.unknowns.has(script)) this.readSource(script, this.lineOf(node));
      return;
    }
    if (name === 'read' || name === 'mapfile' || name === 'readarray') {
      for (const word of words.slice(1))
        if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.text)) this.vars.set(word.text, { known: false });
      return;
    }
    const deploy = deployArguments(words);
    if (deploy) this.deploys.push({ words: deploy, line: this.lineOf(node) });
  }

  private substitutionsIn(node: SyntaxNode): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'command_substitution') {
        const saved = this.vars;
        this.vars = new Map(saved);
        this.statements(child.namedChildren);
        this.vars = saved;
      } else this.substitutionsIn(child);
    }
  }

  /** The fields a word becomes after expansion and word splitting (quoted empties kept, unquoted ones dropped). */
  private fields(node: SyntaxNode): string[] {
    const fields: string[] = [];
    let current = '';
    let present = false;
    for (const segment of this.segments(node, false)) {
      if (!segment.splittable) {
        current += segment.text;
        present = true;
        continue;
      }
      const pieces = segment.text.split(/[ \t\n]+/);
      pieces.forEach((piece, index) => {
        if (index > 0 && (present || current !== '')) {
          fields.push(current);
          current = '';
          present = false;
        }
        current += piece;
        if (piece !== '') present = true;
      });
    }
    if (present || current !== '') fields.push(current);
    return fields;
  }

  private segments(node: SyntaxNode, quoted: boolean): Segment[] {
    switch (node.type) {
      case 'word':
      case 'command_name':
        return [{ text: unescapeUnquoted(node.text), splittable: false }];
      // tree-sitter-bash reads the operand `us-central1` of `${X:-us-central1}` as variable_name `us` + word
      // `-central1`; a bare name (no `$`) is text.
      case 'variable_name':
        return [{ text: node.text, splittable: false }];
      case 'number':
      case 'regex':
      case 'extglob_pattern':
        return [{ text: node.text, splittable: false }];
      case 'raw_string':
        return [{ text: node.text.slice(1, -1), splittable: false }];
      case 'ansi_c_string':
        return [{ text: unescapeAnsiC(node.text.slice(2, -1)), splittable: false }];
      case 'string':
        return this.doubleQuoted(node);
      case 'translated_string':
        return node.firstNamedChild ? this.segments(node.firstNamedChild, quoted) : [];
      case 'concatenation':
        return node.children.flatMap((child) => (child ? this.segments(child, quoted) : []));
      case 'simple_expansion':
        return this.expansion(node, quoted);
      case 'expansion':
        return this.expansion(node, quoted);
      default:
        // $(…), `…`, $((…)), <(…), brace expressions: the output is not known before the script runs.
        return [
          {
            text: this.unknowns.mark({ expression: node.text, splits: !quoted }),
            splittable: false,
          },
        ];
    }
  }

  private doubleQuoted(node: SyntaxNode): Segment[] {
    const segments: Segment[] = [];
    const source = node.text;
    const start = node.startIndex;
    let cursor = start + 1;
    const literal = (end: number) => {
      if (end > cursor) {
        segments.push({
          text: unescapeDoubleQuoted(source.slice(cursor - start, end - start)),
          splittable: false,
        });
      }
    };
    for (const child of node.namedChildren) {
      if (!child || child.type === 'string_content') continue;
      literal(child.startIndex);
      segments.push(...this.segments(child, true));
      cursor = child.endIndex;
    }
    literal(node.endIndex - 1);
    if (segments.length === 0) segments.push({ text: '', splittable: false });
    return segments;
  }

  private expansion(node: SyntaxNode, quoted: boolean): Segment[] {
    const children = node.children.filter((child): child is SyntaxNode => child !== null);
    const target = children.find((child) =>
      ['variable_name', 'special_variable_name', 'subscript'].includes(child.type),
    );
    const unknown = (fallback?: string, expression = node.text): Segment[] => {
      const splits = !quoted || /^\$\{?[@*]|\[[@*]\]/.test(node.text);
      return [
        {
          text: this.unknowns.mark({
            expression,
            splits,
            ...(fallback === undefined ? {} : { default: fallback }),
          }),
          splittable: false,
        },
      ];
    };
    if (target?.type !== 'variable_name') return unknown();
    const name = target.text;
    const value: Value = this.vars.get(name) ?? { known: false };
    const operatorIndex = children.indexOf(target) + 1;
    const operator = children[operatorIndex];
    const lengthOf = children[1]?.type === '#';
    const asSegments = (text: string): Segment[] => [{ text, splittable: !quoted }];
    if (lengthOf) return value.known ? asSegments(String(value.value.length)) : unknown();
    if (!operator || operator.type === '}') {
      return value.known ? asSegments(value.value) : unknown(value.default, value.expression);
    }
    const operandNodes = children.slice(operatorIndex + 1, -1);
    const operand = () =>
      operandNodes
        .flatMap((child) => this.segments(child, true))
        .map((segment) => segment.text)
        .join('');
    const op = operator.type;
    if ([':-', '-', ':=', '='].includes(op)) {
      const useOperand = value.known && (op.startsWith(':') ? value.value === '' : false);
      if (value.known && !useOperand) return asSegments(value.value);
      const word = operand();
      if (value.known) {
        if (op.endsWith('=')) this.vars.set(name, { known: true, value: word });
        return [{ text: word, splittable: !quoted }];
      }
      const fallback = this.unknowns.has(word) ? this.unknowns.withDefaults(word) : word;
      const chained = value.default ?? fallback;
      if (op.endsWith('='))
        this.vars.set(name, { known: false, ...(chained === undefined ? {} : { default: chained }) });
      return unknown(chained);
    }
    if (op === ':+' || op === '+') {
      if (!value.known) return unknown();
      return value.value !== '' || op === '+' ? [{ text: operand(), splittable: !quoted }] : [];
    }
    if (op === ':?' || op === '?') return value.known ? asSegments(value.value) : unknown(value.default);
    // Pattern removal, substitution, substrings, case changes: computed only at run time here.
    return unknown();
  }
}

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  if (!node.hasError) return undefined;
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (!child) continue;
    const found = firstError(child);
    if (found) return found;
  }
  return node;
}

/** An unquoted word: `\`-newline disappears, `\x` is `x`. */
function unescapeUnquoted(text: string): string {
  return text.replace(/\\(\r?\n|.)/gs, (_, char: string) => (char === '\n' || char === '\r\n' ? '' : char));
}

/** Inside double quotes only `\$`, `` \` ``, `\"`, `\\` and `\`-newline are escapes. */
function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\(\r?\n|[$`"\\])/g, (_, char: string) => (char.endsWith('\n') ? '' : char));
}

const ANSI_C: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
};

function unescapeAnsiC(text: string): string {
  return text.replace(/\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)/gs, (_, sequence: string) => {
    if (sequence.startsWith('x') && sequence.length > 1)
      return String.fromCharCode(Number.parseInt(sequence.slice(1), 16));
    if (/^[0-7]+$/.test(sequence)) return String.fromCharCode(Number.parseInt(sequence, 8));
    return ANSI_C[sequence] ?? sequence;
  });
}
