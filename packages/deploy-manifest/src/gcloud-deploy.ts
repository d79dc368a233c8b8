/**
 * `gcloud run deploy` arguments → {@link Deployment}. The words come from a reader that has already done what
 * the shell does (quotes, expansions, word splitting); a value the reader could not know is marked in the word
 * (see {@link UnknownTable}) and becomes an `unknown` variable, never a value to judge.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ManifestError } from './errors.ts';
import type { Deployment, DeployVariable, ReadIssue, SecretVersionRef } from './model.ts';

/** Marks an unknown part inside a word: `\u0000INDEX\u0000`. */
const MARK = '\u0000';
const MARK_PATTERN = /\u0000(\d+)\u0000/g;

/** What an unknown part of a word stands for. */
export interface UnknownPart {
  /** The input's text, e.g. `${DB_HOST:-localhost}`, `$(date)`, `"$@"`. */
  expression: string;
  /** The value when the outside source is unset (`${VAR:-d}`), if the input gives one. */
  default?: string;
  /** Whether the shell would split it into several words (an unquoted expansion): it may hold several flags. */
  splits: boolean;
}

/** The unknown parts of a command's words, by index; {@link mark} puts one in a word. */
export class UnknownTable {
  readonly parts: UnknownPart[] = [];
  mark(part: UnknownPart): string {
    this.parts.push(part);
    return `${MARK}${this.parts.length - 1}${MARK}`;
  }
  has(text: string): boolean {
    return text.includes(MARK);
  }
  /** The text with each unknown part written as the input wrote it. */
  expression(text: string): string {
    return text.replace(MARK_PATTERN, (_, index: string) => this.parts[Number(index)]!.expression);
  }
  /** The text with each unknown part replaced by its default; `undefined` if one has none. */
  withDefaults(text: string): string | undefined {
    let complete = true;
    const result = text.replace(MARK_PATTERN, (_, index: string) => {
      const value = this.parts[Number(index)]!.default;
      if (value === undefined) complete = false;
      return value ?? '';
    });
    return complete ? result : undefined;
  }
  /** Whether the word is one unknown part that the shell would split: it may stand for any number of arguments. */
  isSplittable(text: string): boolean {
    const match = /^\u0000(\d+)\u0000$/.exec(text);
    return match !== null && this.parts[Number(match[1])]!.splits;
  }
}

/** One word of a command, as the shell would pass it, with the line it starts on. */
export interface CommandWord {
  text: string;
  line: number;
}

/** Reads a file a deploy names (`--env-vars-file`), relative to the input; throws when unreadable. */
export type ReadRelativeFile = (path: string) => string;

const BOOLEAN_FLAGS = new Set([
  '--allow-unauthenticated',
  '--async',
  '--quiet',
  '--no-traffic',
  '--cpu-boost',
  '--cpu-throttling',
  '--use-http2',
  '--session-affinity',
  '--default-url',
  '--invoker-iam-check',
  '--deploy-health-check',
  '--iap',
  '--gpu-zonal-redundancy',
  '--automatic-updates',
  '--public',
  '--dry-run',
]);

function isBooleanFlag(name: string): boolean {
  return BOOLEAN_FLAGS.has(name) || name.startsWith('--no-') || name.startsWith('--clear-');
}

/**
 * The deploy command's arguments when `words` is `gcloud [GLOBAL FLAGS] [alpha|beta] run deploy ARGS`: the global
 * flags given before `run` followed by ARGS; `undefined` for any other command.
 */
export function deployArguments(words: readonly CommandWord[]): CommandWord[] | undefined {
  const gcloud = words.findIndex((word) => word.text === 'gcloud' || word.text.endsWith('/gcloud'));
  if (gcloud === -1) return undefined;
  const run = words.findIndex((word, index) => index > gcloud && word.text === 'run');
  if (run === -1 || words[run + 1]?.text !== 'deploy') return undefined;
  const before = words.slice(gcloud + 1, run).filter((word) => word.text !== 'alpha' && word.text !== 'beta');
  for (let index = 0; index < before.length; index++) {
    const word = before[index]!.text;
    if (!word.startsWith('-')) return undefined;
    if (!word.includes('=') && !isBooleanFlag(word) && before[index + 1] !== undefined) index++;
  }
  return [...before, ...words.slice(run + 2)];
}

interface Flag {
  name: string;
  value: string | undefined;
  line: number;
}

/** gcloud's list values (`gcloud topic escaping`): split at `,`, or at DELIM after a leading `^DELIM^`. */
export function splitGcloudList(value: string): string[] {
  let delimiter = ',';
  let body = value;
  const alternate = /^\^([^^]+)\^/.exec(value);
  if (alternate) {
    delimiter = alternate[1]!;
    body = value.slice(alternate[0].length);
  }
  return body.split(delimiter).filter((item) => item !== '');
}

/** A gcloud dictionary value as ordered [key, value] pairs (split at the first `=`; no `=`: value `undefined`). */
export function splitGcloudDict(value: string): Array<[string, string | undefined]> {
  return splitGcloudList(value).map((item) => {
    const equals = item.indexOf('=');
    return equals === -1 ? [item, undefined] : [item.slice(0, equals), item.slice(equals + 1)];
  });
}

const FULL_SECRET = /^projects\/([^/]+)\/secrets\/([^/:]+)(?:(?::|\/versions\/)([^/:]+))?$/;
const SHORT_SECRET = /^([A-Za-z0-9_-]+)(?::([^/:]+))?$/;

/**
 * A secret as Cloud Run names it: `SECRET[:VERSION]`, `projects/P/secrets/S[:VERSION]` or
 * `projects/P/secrets/S/versions/V`; no version means `latest`. `undefined` for anything else.
 */
export function parseSecretSpec(spec: string): SecretVersionRef | undefined {
  const full = FULL_SECRET.exec(spec);
  if (full) return { project: full[1]!, name: full[2]!, version: full[3] ?? 'latest' };
  const short = SHORT_SECRET.exec(spec);
  if (short) return { name: short[1]!, version: short[2] ?? 'latest' };
  return undefined;
}

/** Flags that `--container NAME` scopes to one container. */
const CONTAINER_FLAGS = new Set([
  '--set-env-vars',
  '--update-env-vars',
  '--remove-env-vars',
  '--clear-env-vars',
  '--env-vars-file',
  '--set-secrets',
  '--update-secrets',
  '--remove-secrets',
  '--clear-secrets',
  '--image',
]);

/** gcloud's mutually exclusive groups: "At most one of these can be specified". */
const EXCLUSIVE_GROUPS: Array<{ alone: string[]; together: string[] }> = [
  {
    alone: ['--clear-env-vars', '--env-vars-file', '--set-env-vars'],
    together: ['--remove-env-vars', '--update-env-vars'],
  },
  { alone: ['--clear-secrets', '--set-secrets'], together: ['--remove-secrets', '--update-secrets'] },
  {
    alone: [
      '--add-cloudsql-instances',
      '--clear-cloudsql-instances',
      '--remove-cloudsql-instances',
      '--set-cloudsql-instances',
    ],
    together: [],
  },
];

/** Options of {@link interpretDeploy}. */
export interface InterpretOptions {
  /** The input's name, as the user gave it. */
  file: string;
  /** Format name recorded on the deployment. */
  format: string;
  readRelativeFile: ReadRelativeFile;
  unknowns: UnknownTable;
}

/**
 * Reads one `gcloud run deploy` command's arguments (after `run deploy`) into a {@link Deployment}: env vars
 * (`--set-env-vars`, `--update-env-vars`, `--env-vars-file`), secrets (`--set-secrets`, `--update-secrets`;
 * `ENV=SECRET:V` and `/path=SECRET:V`), Cloud SQL, VPC egress, service, project, region, image; sidecars
 * (`--container`): the ingress container's. gcloud's `^DELIM^` lists are understood. Unknown parts of a value
 * make an `unknown` variable; an argument that may stand for several (`$FLAGS`, `"$@"`) is an
 * `unresolved-flags` warning. Throws {@link ManifestError} for what gcloud itself refuses.
 */
export function interpretDeploy(words: CommandWord[], line: number, options: InterpretOptions): Deployment {
  const { file, unknowns } = options;
  const issues: ReadIssue[] = [];
  const unresolved: CommandWord[] = [];
  const flags: Flag[] = [];
  const positionals: CommandWord[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (unknowns.isSplittable(word.text)) {
      unresolved.push(word);
      continue;
    }
    if (word.text === '-q') {
      flags.push({ name: '--quiet', value: undefined, line: word.line });
      continue;
    }
    if (!word.text.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const equals = word.text.indexOf('=');
    if (equals !== -1) {
      flags.push({ name: word.text.slice(0, equals), value: word.text.slice(equals + 1), line: word.line });
      continue;
    }
    const next = words[index + 1];
    if (
      !isBooleanFlag(word.text) &&
      next !== undefined &&
      !next.text.startsWith('--') &&
      !unknowns.isSplittable(next.text)
    ) {
      flags.push({ name: word.text, value: next.text, line: word.line });
      index++;
    } else {
      flags.push({ name: word.text, value: undefined, line: word.line });
    }
  }
  if (unresolved.length > 0) {
    const names = unresolved.map((word) => unknowns.expression(word.text));
    issues.push({
      severity: 'warning',
      code: 'unresolved-flags',
      variable: '',
      message: `${file}: the deploy command's ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set outside the script, so the arguments ${names.length === 1 ? 'it adds are' : 'they add are'} unknown here; the check may miss variables, secrets or settings they give.`,
      hint: 'Write those flags in the script (or an --env-vars-file) so that they can be checked.',
      file,
      line: unresolved[0]!.line,
    });
  }

  const ingress = ingressFlags(flags);
  checkExclusiveGroups(ingress, file, line);
  const service = positionals[0];
  const deployment: Deployment = {
    format: options.format,
    file,
    line,
    containers: [],
    variables: [],
    mounts: [],
    cloudSqlInstances: [],
    vpcEgress: false,
    update: 'merge',
    issues,
  };
  if (service !== undefined && !unknowns.has(service.text)) deployment.service = service.text;
  else if (service !== undefined) {
    // `$_SERVICE` with a default under substitutions:, `${SERVICE:-api}`: the name the deploy has unless overridden.
    const named = unknowns.withDefaults(service.text);
    if (named !== undefined && named !== '') deployment.service = named;
    deployment.serviceExpression = unknowns.expression(service.text);
  }
  for (const extra of positionals.slice(1)) {
    issues.push({
      severity: 'warning',
      code: 'unresolved-flags',
      variable: '',
      message: `${file}: "${unknowns.expression(extra.text)}" is an extra argument of gcloud run deploy, which takes one SERVICE; gcloud refuses it.`,
      hint: 'Remove it, or give it as the value of the flag it belongs to (--flag=value).',
      file,
      line: extra.line,
    });
  }

  const byName = new Map<string, DeployVariable>();
  const mounts = new Map<string, { secret: SecretVersionRef; line: number }>();
  const requireValue = (flag: Flag): string => {
    if (flag.value === undefined || flag.value === '') {
      throw new ManifestError(`${file}:${flag.line}: ${flag.name} needs a value`, {
        code: 'malformed',
        file,
        line: flag.line,
      });
    }
    return flag.value;
  };
  const unresolvedItem = (flag: Flag, text: string) => {
    issues.push({
      severity: 'warning',
      code: 'unresolved-flags',
      variable: '',
      message: `${file}: ${flag.name} item ${unknowns.expression(text)} is set outside the script, so what it gives the revision is unknown here; the check may miss it.`,
      hint: `Write the items of ${flag.name} in the script so that they can be checked.`,
      file,
      line: flag.line,
    });
  };
  /** The text, with each part from outside replaced by its default; `undefined` when a part has none. */
  const withDefaults = (text: string): string | undefined =>
    unknowns.has(text) ? unknowns.withDefaults(text) : text;
  const fullyUnknown = (flag: Flag, value: string): boolean => {
    if (!unknowns.has(value) || value.replace(MARK_PATTERN, '') !== '') return false;
    issues.push({
      severity: 'warning',
      code: 'unresolved-flags',
      variable: '',
      message: `${file}: ${flag.name} is ${unknowns.expression(value)}, set outside the script, so what it gives the revision is unknown here; the check may miss it.`,
      hint: `Write the values of ${flag.name} in the script (or an --env-vars-file) so that they can be checked.`,
      file,
      line: flag.line,
    });
    return true;
  };
  const setVariable = (name: string, raw: string, lineOf: number, fileOf = file) => {
    if (unknowns.has(name)) {
      issues.push({
        severity: 'warning',
        code: 'unresolved-flags',
        variable: '',
        message: `${fileOf}: a variable name, ${unknowns.expression(name)}, is set outside the script; what it sets is unknown here.`,
        hint: 'Write the variable name in the script.',
        file: fileOf,
        line: lineOf,
      });
      return;
    }
    const variable: DeployVariable = unknowns.has(raw)
      ? {
          name,
          kind: 'unknown',
          expression: unknowns.expression(raw),
          file: fileOf,
          line: lineOf,
        }
      : { name, kind: 'literal', value: raw, file: fileOf, line: lineOf };
    if (variable.kind === 'unknown') {
      const fallback = unknowns.withDefaults(raw);
      if (fallback !== undefined) variable.default = fallback;
    }
    byName.delete(name);
    byName.set(name, variable);
  };
  const readEnvPairs = (flag: Flag) => {
    const value = requireValue(flag);
    if (fullyUnknown(flag, value)) return;
    for (const [key, item] of splitGcloudDict(value)) {
      if (item === undefined) {
        if (unknowns.has(key)) {
          unresolvedItem(flag, key);
          continue;
        }
        throw new ManifestError(
          `${file}:${flag.line}: ${flag.name} item "${key}" has no "="; expected KEY=VALUE`,
          {
            code: 'malformed',
            file,
            line: flag.line,
          },
        );
      }
      setVariable(key, item, flag.line);
    }
  };
  const readSecretPairs = (flag: Flag) => {
    const value = requireValue(flag);
    if (fullyUnknown(flag, value)) return;
    for (const [key, item] of splitGcloudDict(value)) {
      if (item === undefined || item === '') {
        throw new ManifestError(
          `${file}:${flag.line}: ${flag.name} item "${unknowns.expression(key)}" has no secret; expected ENV=SECRET:VERSION or /mount/path=SECRET:VERSION`,
          { code: 'malformed', file, line: flag.line },
        );
      }
      if (unknowns.has(key) || (key.startsWith('/') && unknowns.has(item))) {
        unresolvedItem(flag, `${key}=${item}`);
        continue;
      }
      if (unknowns.has(item)) {
        // A binding whose secret is named outside the script: provided, which secret is unknown.
        byName.delete(key);
        byName.set(key, {
          name: key,
          kind: 'unknown',
          expression: unknowns.expression(item),
          file,
          line: flag.line,
        });
        continue;
      }
      const secret = parseSecretSpec(item);
      if (secret === undefined) {
        throw new ManifestError(
          `${file}:${flag.line}: ${flag.name} ${key}: "${item}" is not a secret reference; expected SECRET:VERSION or projects/PROJECT/secrets/SECRET:VERSION`,
          { code: 'malformed', file, line: flag.line },
        );
      }
      if (key.startsWith('/')) mounts.set(key, { secret, line: flag.line });
      else {
        byName.delete(key);
        byName.set(key, { name: key, kind: 'secret', secret, file, line: flag.line });
      }
    }
  };

  const cloudsql: string[] = [];
  const cloudsqlRemoved = new Set<string>();
  let connector: string | undefined;
  let network: string | undefined;
  for (const flag of ingress) {
    switch (flag.name) {
      case '--set-env-vars':
      case '--update-env-vars':
        readEnvPairs(flag);
        break;
      case '--env-vars-file': {
        const path = requireValue(flag);
        if (fullyUnknown(flag, path)) break;
        // Named as the input is (from the working directory), so that a report locates it: the script's folder/env.yaml.
        const shown = isAbsolute(path) ? path : join(dirname(file), path);
        for (const entry of readEnvVarsFile(path, shown, flag.line, options, issues)) {
          setVariable(entry.name, entry.value, entry.line, shown);
        }
        break;
      }
      case '--set-secrets':
      case '--update-secrets':
        readSecretPairs(flag);
        break;
      case '--remove-env-vars':
      case '--remove-secrets':
        // gcloud applies removals first, to the existing service: nothing this command gives is taken away.
        requireValue(flag);
        break;
      case '--set-cloudsql-instances':
      case '--add-cloudsql-instances': {
        const value = requireValue(flag);
        if (fullyUnknown(flag, value)) {
          deployment.cloudSqlUnknown = true;
          break;
        }
        for (const item of splitGcloudList(value)) {
          const instance = withDefaults(item);
          if (instance !== undefined && instance !== '') {
            cloudsql.push(instance);
            continue;
          }
          deployment.cloudSqlUnknown = true;
          issues.push({
            severity: 'warning',
            code: 'unresolved-flags',
            variable: '',
            message: `${file}: ${flag.name} attaches ${unknowns.expression(item)}, set outside the script (no default), so which Cloud SQL instance is attached is unknown here.`,
            hint: `Write the instance connection name in the script, or give the variable a default (\${NAME:-value}).`,
            file,
            line: flag.line,
          });
        }
        break;
      }
      case '--remove-cloudsql-instances':
        for (const name of splitGcloudList(requireValue(flag))) cloudsqlRemoved.add(name);
        break;
      case '--vpc-connector':
        connector = requireValue(flag);
        break;
      case '--network':
      case '--subnet':
        network = requireValue(flag);
        break;
      case '--vpc-egress':
        deployment.vpcEgressSetting = requireValue(flag);
        break;
      case '--clear-vpc-connector':
        connector = undefined;
        break;
      case '--clear-network':
        network = undefined;
        break;
      case '--project':
      case '--region':
      case '--image': {
        // A value from outside with a default (`$_REGION` under substitutions:, `${REGION:-us-central1}`) is that default.
        const value = withDefaults(requireValue(flag));
        if (value === undefined || value === '') break;
        if (flag.name === '--project') deployment.project = value;
        else if (flag.name === '--region') deployment.region = value;
        else deployment.image = value;
        break;
      }
    }
  }
  const containerNames = flags.filter((flag) => flag.name === '--container').map((flag) => flag.value ?? '');
  deployment.containers = containerNames;
  // A `NAME_FILE` whose value is the path of a mounted secret is the loader's file source for NAME.
  for (const [path, mount] of mounts) {
    deployment.mounts.push({ path, secret: mount.secret, file, line: mount.line });
  }
  for (const variable of byName.values()) {
    const mount = variable.kind === 'literal' ? mounts.get(variable.value ?? '') : undefined;
    deployment.variables.push(mount ? { ...variable, kind: 'file', secret: mount.secret } : variable);
  }
  checkOneSecretPerDirectory(deployment, line);
  deployment.cloudSqlInstances = [...new Set(cloudsql)].filter(
    (name) => !cloudsqlRemoved.has(name) && !unknowns.has(name),
  );
  // Flags the script does not show may give a connector or network: then egress is unknown, not absent.
  deployment.vpcEgress =
    connector !== undefined || network !== undefined ? true : unresolved.length > 0 ? 'unknown' : false;
  return deployment;
}

/**
 * With sidecars (`--container NAME` then its flags), the revision's environment is the ingress container's: the
 * one given `--port`, else the first. Its env and secret flags are kept (and those before any `--container`).
 */
function ingressFlags(flags: Flag[]): Flag[] {
  if (!flags.some((flag) => flag.name === '--container')) return flags;
  const sectionOf: number[] = [];
  let section = 0;
  for (const flag of flags) {
    if (flag.name === '--container') section++;
    sectionOf.push(section);
  }
  const withPort = flags.findIndex((flag, index) => flag.name === '--port' && sectionOf[index]! > 0);
  const ingress = withPort === -1 ? 1 : sectionOf[withPort]!;
  return flags.filter(
    (flag, index) =>
      flag.name !== '--container' &&
      (!CONTAINER_FLAGS.has(flag.name) || sectionOf[index] === 0 || sectionOf[index] === ingress),
  );
}

function checkExclusiveGroups(flags: Flag[], file: string, line: number): void {
  const present = new Set(flags.map((flag) => flag.name));
  for (const group of EXCLUSIVE_GROUPS) {
    const used = [
      ...group.alone.filter((name) => present.has(name)).map((name) => [name]),
      ...(group.together.some((name) => present.has(name))
        ? [group.together.filter((name) => present.has(name))]
        : []),
    ];
    if (used.length > 1) {
      throw new ManifestError(
        `${file}:${line}: gcloud refuses ${used.map((names) => names.join(' with ')).join(' together with ')}; at most one of ${[...group.alone, group.together.join(' + ')].filter(Boolean).join(', ')} may be given`,
        { code: 'malformed', file, line },
      );
    }
  }
}

/** Cloud Run mounts one secret per directory; versions of one secret may share it. */
function checkOneSecretPerDirectory(deployment: Deployment, line: number): void {
  const byDirectory = new Map<string, { path: string; secret: SecretVersionRef }>();
  for (const { path, secret } of deployment.mounts) {
    const directory = path.slice(0, path.lastIndexOf('/'));
    const first = byDirectory.get(directory);
    if (first === undefined) {
      byDirectory.set(directory, { path, secret });
      continue;
    }
    if (first.secret.name !== secret.name || first.secret.project !== secret.project) {
      throw new ManifestError(
        `${deployment.file}:${line}: ${first.path} and ${path} mount different secrets (${first.secret.name}, ${secret.name}) in ${directory || '/'}; Cloud Run mounts one secret per directory and gcloud refuses this: give each secret its own directory`,
        { code: 'malformed', file: deployment.file, line },
      );
    }
  }
}

interface EnvVarsFileEntry {
  name: string;
  value: string;
  line: number;
}

function readEnvVarsFile(
  relative: string,
  path: string,
  line: number,
  options: InterpretOptions,
  issues: ReadIssue[],
): EnvVarsFileEntry[] {
  const { file } = options;
  let text: string;
  try {
    text = options.readRelativeFile(relative);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ManifestError(`${file}:${line}: cannot read --env-vars-file ${relative} (${reason})`, {
      code: 'unreadable',
      file,
      line,
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const at = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new ManifestError(
      `${path}${at === undefined ? '' : `:${at}`}: --env-vars-file is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      { code: 'malformed', file: path, ...(at === undefined ? {} : { line: at }), cause: error },
    );
  }
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ManifestError(`${path}: --env-vars-file must be a YAML mapping of NAME: value`, {
      code: 'malformed',
      file: path,
    });
  }
  const lines = text.split('\n');
  const lineOfKey = (key: string) => {
    const index = lines.findIndex((candidate) =>
      new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*:`).test(candidate),
    );
    return index === -1 ? 1 : index + 1;
  };
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => {
    const at = lineOfKey(key);
    if (value !== null && typeof value === 'object') {
      throw new ManifestError(
        `${path}:${at}: ${key}: an env var value must be a string, not a ${Array.isArray(value) ? 'list' : 'mapping'}`,
        { code: 'malformed', file: path, line: at },
      );
    }
    if (typeof value !== 'string') {
      const type = value === null ? 'null' : typeof value;
      issues.push({
        severity: 'error',
        code: 'invalid',
        variable: key,
        message: `${key} in ${path} ${type === 'null' ? 'has no value' : `is a ${type}, not a string`}: gcloud refuses the file (environment variable values must be strings), so the deploy fails.`,
        hint: `Quote it in ${path}: ${key}: "…".`,
        file: path,
        line: at,
      });
    }
    return { name: key, value: value === null ? '' : String(value), line: at };
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
