/**
 * The `github-actions` reader: a workflow's `google-github-actions/deploy-cloudrun` steps (v1 and v2 inputs) and
 * `run:` steps with `gcloud run deploy` (the one shell reader, with the workflow's, job's and step's `env:`).
 * A `${{ … }}` expression is unknown unless it names a literal of the same workflow (`env.X` set to a literal,
 * `matrix.X` of the job's matrix); every job and matrix combination that deploys is one deploy.
 */
import { basename, dirname, extname, posix } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, Scalar, type YAMLMap, type Node as YamlNode } from 'yaml';
import { readCloudRunYaml } from './cloud-run-yaml.ts';
import {
  type ArgumentPieces,
  CiEnvironment,
  type CiPiece,
  readCommandArguments,
  readStepScript,
  scriptLines,
  splitFlags,
} from './embedded-shell.ts';
import { ManifestError } from './errors.ts';
import type { Deployment } from './model.ts';
import type { DeployFormat, ReadOptions } from './registry.ts';

type Matrix = Record<string, unknown>;
type EnvLayer = Record<string, unknown>;

/** The combinations a job's `strategy.matrix` runs (`include` adds or extends, `exclude` removes); at most 256. */
export function matrixCombinations(matrix: unknown): Matrix[] {
  if (matrix === undefined || matrix === null || typeof matrix !== 'object' || Array.isArray(matrix))
    return [{}];
  const { include, exclude, ...axes } = matrix as Record<string, unknown>;
  let combinations: Matrix[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) continue;
    combinations = combinations.flatMap((combination) =>
      values.map((value) => ({ ...combination, [key]: value })),
    );
  }
  const matches = (combination: Matrix, pattern: Matrix) =>
    Object.entries(pattern).every(
      ([key, value]) => JSON.stringify(combination[key]) === JSON.stringify(value),
    );
  if (Array.isArray(exclude)) {
    combinations = combinations.filter(
      (combination) =>
        !exclude.some((pattern) => typeof pattern === 'object' && matches(combination, pattern as Matrix)),
    );
  }
  const base = combinations.length === 1 && Object.keys(combinations[0]!).length === 0 ? [] : combinations;
  for (const entry of Array.isArray(include) ? include : []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const extra = entry as Matrix;
    const originalKeys = Object.keys(axes);
    const extended = base.filter((combination) =>
      Object.entries(extra).every(
        ([key, value]) =>
          !originalKeys.includes(key) || JSON.stringify(combination[key]) === JSON.stringify(value),
      ),
    );
    if (extended.length > 0 && base.length > 0) {
      for (const combination of extended) Object.assign(combination, extra);
    } else base.push({ ...extra });
  }
  const result = base.length === 0 ? [{}] : base;
  return result.slice(0, 256);
}

/** Resolves `${{ … }}` in a workflow's text: literals of the same workflow, else an unknown expression. */
class ExpressionContext {
  constructor(
    private readonly layers: EnvLayer[],
    private readonly matrix: Matrix,
  ) {}

  pieces(text: string, depth = 0): CiPiece[] {
    const pieces: CiPiece[] = [];
    let cursor = 0;
    for (const match of text.matchAll(/\$\{\{\s*([\s\S]*?)\s*\}\}/g)) {
      if (match.index > cursor) pieces.push({ literal: text.slice(cursor, match.index) });
      cursor = match.index + match[0].length;
      const value = depth < 8 ? this.literal(match[1]!, depth) : undefined;
      pieces.push(value === undefined ? { expression: match[0] } : { literal: value });
    }
    if (cursor < text.length) pieces.push({ literal: text.slice(cursor) });
    return pieces;
  }

  /** The literal an expression names, if the workflow gives one. */
  private literal(expression: string, depth: number): string | undefined {
    const env = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
    if (env) {
      for (const layer of this.layers) {
        if (!(env[1]! in layer)) continue;
        const pieces = this.pieces(String(layer[env[1]!] ?? ''), depth + 1);
        return pieces.every((piece) => 'literal' in piece)
          ? pieces.map((piece) => (piece as { literal: string }).literal).join('')
          : undefined;
      }
      return undefined;
    }
    const matrix = /^matrix\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression);
    if (matrix) {
      const value = this.matrix[matrix[1]!];
      return value === undefined || (typeof value === 'object' && value !== null) ? undefined : String(value);
    }
    const quoted = /^'((?:[^']|'')*)'$/.exec(expression);
    if (quoted) return quoted[1]!.replaceAll("''", "'");
    return undefined;
  }
}

/**
 * The items of a deploy-cloudrun `KEY=VALUE` input (`env_vars`, `secrets`) as the action reads them
 * (`parseKVString` of google-github-actions/actions-utils): split at every `,` and newline not preceded by `\`,
 * each item trimmed, `\,` and `\`-newline unescaped, blank items skipped. No quoting and no comments: an item
 * without `=` or without a value makes the action fail, and is returned with `value: undefined`.
 */
export function parseActionKeyValues(
  text: string,
): Array<{ key: string; value: string | undefined; row: number }> {
  const items: Array<{ key: string; value: string | undefined; row: number }> = [];
  let row = 0;
  for (const raw of text.split(/(?<!\\)([,\n])/)) {
    if (raw === '\n') {
      row++;
      continue;
    }
    if (raw === ',') continue;
    const itemRow = row;
    row += (raw.match(/\n/g) ?? []).length;
    const item = raw.trim();
    if (item === '') continue;
    const equals = item.indexOf('=');
    const unescaped = (part: string) => part.trim().replace(/\\([,\n])/g, '$1');
    if (equals <= 0) {
      items.push({ key: unescaped(item), value: undefined, row: itemRow });
      continue;
    }
    const value = unescaped(item.slice(equals + 1));
    items.push({
      key: unescaped(item.slice(0, equals)),
      value: value === '' ? undefined : value,
      row: itemRow,
    });
  }
  return items;
}

const DEPLOY_ACTION = /^google-github-actions\/deploy-cloudrun@(.+)$/;
const UNIT_SEPARATOR = '\u001f';

/**
 * Reads every Cloud Run deploy of a GitHub Actions workflow. Throws {@link ManifestError}: `malformed` for YAML
 * that does not parse (with its line), `no-deploy` when no step deploys to Cloud Run.
 */
export async function readGithubWorkflow(text: string, options: ReadOptions): Promise<Deployment[]> {
  const { file } = options;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new ManifestError(`${file}:${line}: malformed YAML: ${error.message.split('\n')[0]}`, {
      code: 'malformed',
      file,
      line,
      cause: error,
    });
  }
  const lineOf = (node: unknown, fallback = 1): number => {
    const range = (node as YamlNode | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : fallback;
  };
  const root = document.contents;
  const jobs = isMap(root) ? root.get('jobs', true) : undefined;
  if (!isMap(jobs)) {
    throw new ManifestError(`${file}: not a GitHub Actions workflow (no jobs:)`, { code: 'no-deploy', file });
  }
  const workflowEnv = ((root as YAMLMap).toJSON() as Record<string, unknown>).env as EnvLayer | undefined;
  const deployments: Deployment[] = [];
  for (const jobPair of jobs.items) {
    const job = jobPair.value;
    if (!isMap(job)) continue;
    const jobData = job.toJSON() as Record<string, unknown>;
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    const strategy = (jobData.strategy ?? {}) as Record<string, unknown>;
    for (const matrix of matrixCombinations(strategy.matrix)) {
      for (const stepNode of steps.items) {
        if (!isMap(stepNode)) continue;
        const stepData = stepNode.toJSON() as Record<string, unknown>;
        const layers = [stepData.env, jobData.env, workflowEnv].filter(
          (layer): layer is EnvLayer => typeof layer === 'object' && layer !== null,
        );
        const context = new ExpressionContext(layers, matrix);
        const stepLine = lineOf(stepNode);
        const uses = typeof stepData.uses === 'string' ? DEPLOY_ACTION.exec(stepData.uses.trim()) : null;
        if (uses) {
          deployments.push(
            ...(await readDeployAction(stepNode, context, { ...options, stepLine, lineOf, lineCounter })),
          );
          continue;
        }
        if (typeof stepData.run !== 'string') continue;
        const environment = new CiEnvironment();
        // GitHub puts the workflow's, then the job's, then the step's env in the process environment.
        for (const layer of [...layers].reverse()) {
          for (const [name, value] of Object.entries(layer)) {
            environment.variables.set(name, environment.variable(context.pieces(String(value ?? ''))));
          }
        }
        const shell = typeof stepData.shell === 'string' ? stepData.shell : 'bash';
        if (!/^(bash|sh)\b/.test(shell)) continue;
        const runNode = stepNode.get('run', true) as YamlNode | undefined;
        const script = environment.script(context.pieces(stepData.run));
        deployments.push(
          ...(await readStepScript(script, {
            ...options,
            environment: environment.variables,
            format: 'github-actions',
            ...scriptLines(runNode, lineCounter),
          })),
        );
      }
    }
  }
  if (deployments.length === 0) {
    throw new ManifestError(
      `${file}: no step deploys to Cloud Run (google-github-actions/deploy-cloudrun, or a run: step with gcloud run deploy); --manifest takes a workflow that deploys`,
      { code: 'no-deploy', file },
    );
  }
  return deployments;
}

async function readDeployAction(
  step: YAMLMap,
  context: ExpressionContext,
  options: ReadOptions & {
    stepLine: number;
    lineOf: (node: unknown, fallback?: number) => number;
    lineCounter: LineCounter;
  },
): Promise<Deployment[]> {
  const { file, stepLine, lineOf } = options;
  const withNode = step.get('with', true);
  const inputs = new Map<string, { text: string; node: YamlNode }>();
  if (isMap(withNode)) {
    for (const pair of withNode.items) {
      const key = (pair.key as Scalar | undefined)?.value;
      const value = pair.value as YamlNode | null;
      if (typeof key !== 'string' || !(value instanceof Scalar) || value.value === null) continue;
      inputs.set(key, { text: String(value.value), node: value });
    }
  }
  const metadata = inputs.get('metadata');
  if (metadata) {
    // The action replaces the service with the YAML (relative to the workspace, the repository root).
    const path = metadata.text;
    const fromWorkflow = /(^|\/)\.github\/workflows\//.test(file.replaceAll('\\', '/'))
      ? posix.join('../..', path)
      : path;
    let text: string;
    try {
      text = options.readRelativeFile(fromWorkflow);
    } catch (error) {
      const line = lineOf(metadata.node, stepLine);
      throw new ManifestError(
        `${file}:${line}: cannot read the metadata service YAML ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        {
          code: 'unreadable',
          file,
          line,
          cause: error,
        },
      );
    }
    const metadataFile = posix.join(posix.dirname(file.replaceAll('\\', '/')), fromWorkflow);
    return readCloudRunYaml(text, { file: metadataFile });
  }
  // The action runs gcloud with arguments it builds from its inputs: no shell between, none loaded here.
  const words: ArgumentPieces[] = ['gcloud', 'run', 'deploy'].map((literal) => ({
    pieces: [{ literal }],
    line: stepLine,
  }));
  const lineOfInput = (name: string) => lineOf(inputs.get(name)?.node, stepLine);
  const single = (name: string, flag: string | undefined) => {
    const input = inputs.get(name);
    if (!input) return;
    const pieces = context.pieces(input.text.trim());
    words.push({
      pieces: flag === undefined ? pieces : [{ literal: `${flag}=` }, ...pieces],
      line: lineOfInput(name),
    });
  };
  single('service', undefined);
  single('region', '--region');
  single('project_id', '--project');
  single('image', '--image');
  const list = (name: string, flag: string) => {
    const input = inputs.get(name);
    if (!input) return;
    const start = scriptLines(input.node, options.lineCounter);
    for (const item of parseActionKeyValues(input.text)) {
      const line = start.fixedLine ?? (start.firstLine ?? stepLine) + item.row;
      if (item.value === undefined) {
        throw new ManifestError(
          `${file}:${line}: ${name} item "${item.key}" has no ${item.key.includes('=') || item.key === '' ? 'key' : 'value'}; the action refuses it (KEY=VALUE, commas and newlines in a value escaped as \\, and \\ at the line end)`,
          { code: 'malformed', file, line },
        );
      }
      words.push({
        pieces: [{ literal: `${flag}=^${UNIT_SEPARATOR}^${item.key}=` }, ...context.pieces(item.value)],
        line,
      });
    }
  };
  const strategy = (name: string) => (inputs.get(name)?.text.trim() === 'overwrite' ? 'set' : 'update');
  list('env_vars', `--${strategy('env_vars_update_strategy')}-env-vars`);
  list('secrets', `--${strategy('secrets_update_strategy')}-secrets`);
  const flags = inputs.get('flags');
  if (flags) {
    const start = scriptLines(flags.node, options.lineCounter);
    words.push(
      ...splitFlags(context.pieces(flags.text), start.fixedLine ?? start.firstLine ?? stepLine, file),
    );
  }
  return readCommandArguments(words, stepLine, { ...options, format: 'github-actions' });
}

/** A workflow: a YAML file under `.github/workflows/`, or a YAML text with top-level `jobs:` and `on:`. */
export const githubActionsFormat: DeployFormat = {
  name: 'github-actions',
  detect: (file, text) =>
    ['.yaml', '.yml'].includes(extname(file).toLowerCase()) &&
    (/(^|[/\\])\.github[/\\]workflows$/.test(dirname(file)) ||
      (/^jobs\s*:/m.test(text) && /^["']?on["']?\s*:/m.test(text))) &&
    basename(file) !== 'action.yml',
  read: (text, options) => readGithubWorkflow(text, options),
};
