import { parse as parseShellWords } from 'shell-quote';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors';
import { splitGcloudDict, splitGcloudList } from './gcloud-lists';
import { parseSecretSpec } from './secret-spec';
import { emptyProvidedVariables, type ManifestSecretRef, type ProvidedVariables } from './types';

/** How the script parser reads a file named by `--env-vars-file` (a path relative to the script's directory). */
export interface DeployScriptOptions {
  /** The script's name as the user gave it; used in messages and as `ProvidedVariables.file`. */
  file: string;
  /** Reads a file the script names, resolved relative to the script; throws when unreadable. */
  readRelativeFile: (path: string) => string;
}

interface LogicalLine {
  text: string;
  line: number;
}

/**
 * Splits a shell script into logical lines: a backslash-newline outside single quotes continues the line, and a
 * newline inside quotes belongs to the word. Word splitting itself is shell-quote's.
 */
export function logicalLines(script: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let current = '';
  let startLine = 1;
  let line = 1;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < script.length; index++) {
    const char = script[index]!;
    if (char === '\\' && quote !== "'") {
      const next = script[index + 1];
      if (next === '\n') {
        index++;
        line++;
        current += ' ';
        continue;
      }
      if (next === '\r' && script[index + 2] === '\n') {
        index += 2;
        line++;
        current += ' ';
        continue;
      }
      current += char + (next ?? '');
      index++;
      continue;
    }
    if (quote === undefined && char === '#' && (current === '' || /\s$/.test(current))) {
      // A comment runs to the end of the line; its quotes are not quotes.
      while (index + 1 < script.length && script[index + 1] !== '\n') index++;
      continue;
    }
    if (char === '"' || char === "'") {
      if (quote === undefined) quote = char;
      else if (quote === char) quote = undefined;
    }
    if (char === '\n') {
      line++;
      if (quote === undefined) {
        lines.push({ text: current.replace(/\r$/, ''), line: startLine });
        current = '';
        startLine = line;
        continue;
      }
    }
    current += char;
  }
  if (current.trim() !== '') lines.push({ text: current, line: startLine });
  return lines.filter((entry) => entry.text.trim() !== '');
}

const SIMPLE_ASSIGNMENT = /^(?:export\s+|readonly\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

const SUBSTITUTION_MARK = '\u0001';

/**
 * Replaces each command substitution outside single quotes — `$(…)` (nested ones included) and `` `…` `` — with a
 * placeholder, so that shell-quote does not read its parentheses as operators that end the command, nor split it
 * at its spaces. The substitution's output is unknown here; its text stands for it.
 */
export function protectSubstitutions(text: string): { text: string; restore: (word: string) => string } {
  const saved: string[] = [];
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\' && quote !== "'") {
      out += char + (text[index + 1] ?? '');
      index++;
      continue;
    }
    if (quote !== "'" && ((char === '$' && text[index + 1] === '(') || char === '`')) {
      let end = index + 1;
      if (char === '`') {
        while (end < text.length && text[end] !== '`') end += text[end] === '\\' ? 2 : 1;
      } else {
        let depth = 0;
        for (; end < text.length; end++) {
          if (text[end] === '(') depth++;
          else if (text[end] === ')' && --depth === 0) break;
        }
      }
      if (end < text.length) {
        saved.push(text.slice(index, end + 1));
        out += `${SUBSTITUTION_MARK}${saved.length - 1}${SUBSTITUTION_MARK}`;
        index = end;
        continue;
      }
    }
    if (char === "'" || char === '"') {
      if (quote === undefined) quote = char;
      else if (quote === char) quote = undefined;
    }
    out += char;
  }
  const placeholder = new RegExp(`${SUBSTITUTION_MARK}(\\d+)${SUBSTITUTION_MARK}`, 'g');
  return {
    text: out,
    restore: (word) =>
      saved.length === 0 ? word : word.replace(placeholder, (_, index: string) => saved[Number(index)]!),
  };
}

/** The words of each simple command on a logical line (split at `;`, `&&`, `||`, `|`, `&`, parentheses). */
function commandsOf(text: string, variables: Map<string, string>): string[][] {
  const protectedText = protectSubstitutions(text);
  const entries = parseShellWords(
    protectedText.text,
    (name: string) => variables.get(name) ?? '${' + name + '}',
  );
  const commands: string[][] = [[]];
  for (const entry of entries) {
    if (typeof entry === 'string') commands.at(-1)!.push(protectedText.restore(entry));
    else if ('op' in entry) {
      if (entry.op === 'glob') commands.at(-1)!.push(protectedText.restore(entry.pattern));
      else commands.push([]);
    }
  }
  return commands.filter((words) => words.length > 0);
}

/**
 * The deploy command's arguments when `words` is `gcloud [GLOBAL FLAGS] [alpha|beta] run deploy ARGS`: the global
 * flags given before `run` followed by ARGS. `undefined` for any other command.
 */
function deployArguments(words: string[]): string[] | undefined {
  const gcloud = words.findIndex((word) => word === 'gcloud' || word.endsWith('/gcloud'));
  if (gcloud === -1) return undefined;
  const run = words.indexOf('run', gcloud + 1);
  if (run === -1 || words[run + 1] !== 'deploy') return undefined;
  const before = words.slice(gcloud + 1, run).filter((word) => word !== 'alpha' && word !== 'beta');
  // Anything else before `run` must be a global flag or its value, or this is not `gcloud run deploy`.
  for (let index = 0; index < before.length; index++) {
    const word = before[index]!;
    if (!word.startsWith('-')) return undefined;
    if (!word.includes('=') && !isBooleanFlag(word) && before[index + 1] !== undefined) index++;
  }
  return [...before, ...words.slice(run + 2)];
}

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

interface Flag {
  name: string;
  value: string | undefined;
}

function readFlags(words: string[]): { flags: Flag[]; positionals: string[] } {
  const flags: Flag[] = [];
  const positionals: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (word === '-q') {
      flags.push({ name: '--quiet', value: undefined });
      continue;
    }
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    if (equals !== -1) {
      flags.push({ name: word.slice(0, equals), value: word.slice(equals + 1) });
      continue;
    }
    const next = words[index + 1];
    if (!isBooleanFlag(word) && next !== undefined && !next.startsWith('--')) {
      flags.push({ name: word, value: next });
      index++;
    } else {
      flags.push({ name: word, value: undefined });
    }
  }
  return { flags, positionals };
}

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

function checkExclusiveGroups(flags: Flag[], where: string, file: string): void {
  const present = new Set(flags.map((flag) => flag.name));
  for (const group of EXCLUSIVE_GROUPS) {
    const used = [
      ...group.alone.filter((name) => present.has(name)).map((name) => [name]),
      ...(group.together.some((name) => present.has(name))
        ? [group.together.filter((name) => present.has(name))]
        : []),
    ];
    if (used.length > 1) {
      throw new InputError(
        `${file}: ${where}: gcloud refuses ${used.map((names) => names.join(' with ')).join(' together with ')}; ` +
          `at most one of ${[...group.alone, group.together.join(' + ')].filter(Boolean).join(', ')} may be given`,
        { file },
      );
    }
  }
}

/** Flags that `--container NAME` scopes to one container: its env vars and secrets. */
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
]);

/**
 * With sidecars (`--container NAME` followed by that container's flags), the service's environment is the ingress
 * container's: the one given `--port`, else the first. Its env and secret flags are kept (and those before any
 * `--container`), the other containers' dropped; every other flag is the service's wherever it stands.
 */
function ingressContainerFlags(flags: Flag[]): Flag[] {
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

function requireValue(flag: Flag, where: string, file: string): string {
  if (flag.value === undefined || flag.value === '') {
    throw new InputError(`${file}: ${where}: ${flag.name} needs a value`, { file });
  }
  return flag.value;
}

/**
 * Parses a shell script's `gcloud run deploy` command into {@link ProvidedVariables}: env vars
 * (`--set-env-vars`, `--update-env-vars`, `--env-vars-file`, `--remove-env-vars`, `--clear-env-vars`), secrets
 * (`--set-secrets`, `--update-secrets`, `--remove-secrets`, `--clear-secrets`; `ENV=SECRET:V`, `/path=SECRET:V`),
 * Cloud SQL instances and VPC egress. Repeated flags merge; gcloud's `^DELIM^` lists are understood; `$VAR`s the
 * script assigns earlier are substituted. Throws {@link InputError} when there is no deploy command or more than one.
 */
export function parseDeployScript(script: string, options: DeployScriptOptions): ProvidedVariables {
  const { file } = options;
  const variables = new Map<string, string>();
  const deploys: Array<{ words: string[]; line: number }> = [];
  for (const { text, line } of logicalLines(script)) {
    const split = () => {
      try {
        return commandsOf(text, variables);
      } catch (error) {
        throw new InputError(`${file}: line ${line}: cannot split the line into shell words`, {
          file,
          cause: error,
        });
      }
    };
    let commands = split();
    // `NAME=value` as a command of its own: remember it for later `$NAME`s.
    let assigned = false;
    for (const words of commands) {
      if (deployArguments(words) !== undefined) continue;
      if (words.length === 1 || (words.length === 2 && (words[0] === 'export' || words[0] === 'readonly'))) {
        const assignment = SIMPLE_ASSIGNMENT.exec(words.join(' '));
        if (assignment) {
          variables.set(assignment[1]!, assignment[2]!);
          assigned = true;
        }
      }
    }
    // `NAME=value; gcloud run deploy … $NAME`: the shell expands $NAME after the assignment ran.
    if (assigned && commands.length > 1) commands = split();
    for (const words of commands) {
      const deployWords = deployArguments(words);
      if (deployWords !== undefined) deploys.push({ words: deployWords, line });
    }
  }
  if (deploys.length === 0) {
    throw new InputError(
      `${file}: no \`gcloud run deploy\` command found; --manifest takes a Cloud Run service YAML (gcloud run services describe SERVICE --format export) or a shell script that runs gcloud run deploy`,
      { file },
    );
  }
  if (deploys.length > 1) {
    throw new InputError(
      `${file}: ${deploys.length} \`gcloud run deploy\` commands (lines ${deploys.map((deploy) => deploy.line).join(', ')}); check one deployment at a time`,
      { file },
    );
  }
  const deploy = deploys[0]!;
  return interpretDeploy(deploy.words, deploy.line, options);
}

function interpretDeploy(words: string[], line: number, options: DeployScriptOptions): ProvidedVariables {
  const { file } = options;
  const where = `line ${line}`;
  const { flags: allFlags, positionals } = readFlags(words);
  const flags = ingressContainerFlags(allFlags);
  checkExclusiveGroups(flags, where, file);
  const manifest = emptyProvidedVariables('gcloud-deploy', file);
  manifest.line = line;
  if (positionals[0] !== undefined) manifest.service = positionals[0];

  const envSet = new Map<string, string>();
  const envUpdate = new Map<string, string>();
  const secretSet = new Map<string, ManifestSecretRef>();
  const secretUpdate = new Map<string, ManifestSecretRef>();
  const cloudsql: string[] = [];
  const cloudsqlRemove = new Set<string>();
  let connector: string | undefined;
  let network: string | undefined;

  // An item that is only `${NAME}` (a variable the script does not set) or `$(…)`: its content is unknown here.
  const unknowable = (flag: Flag, item: string) => {
    const variable = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(item);
    if (variable) {
      return new InputError(
        `${file}: ${where}: ${flag.name} is ${item}, which is not set in the script, so what it deploys is unknown here; give the values in the script (or an --env-vars-file) to check them`,
        { file },
      );
    }
    if (/^\$\(.*\)$|^`.*`$/s.test(item)) {
      return new InputError(
        `${file}: ${where}: ${flag.name} is ${item}, whose output is not known before the script runs; give the values in the script (or an --env-vars-file) to check them`,
        { file },
      );
    }
    return undefined;
  };
  const readEnvPairs = (flag: Flag, into: Map<string, string>) => {
    for (const [key, value] of splitGcloudDict(requireValue(flag, where, file))) {
      if (value === undefined) {
        const unknown = unknowable(flag, key);
        if (unknown) throw unknown;
        throw new InputError(`${file}: ${where}: ${flag.name} item "${key}" has no "="; expected KEY=VALUE`, {
          file,
        });
      }
      into.set(key, value);
    }
  };
  const readSecretPairs = (flag: Flag, into: Map<string, ManifestSecretRef>) => {
    for (const [key, value] of splitGcloudDict(requireValue(flag, where, file))) {
      if (value === undefined || value === '') {
        const unknown = value === undefined ? unknowable(flag, key) : undefined;
        if (unknown) throw unknown;
        throw new InputError(
          `${file}: ${where}: ${flag.name} item "${key}" has no secret; expected ENV=SECRET:VERSION or /mount/path=SECRET:VERSION`,
          { file },
        );
      }
      into.set(key, parseSecretSpec(value, { file, where: `${where}: ${flag.name} ${key}` }));
    }
  };

  for (const flag of flags) {
    switch (flag.name) {
      case '--set-env-vars':
        readEnvPairs(flag, envSet);
        break;
      case '--update-env-vars':
        readEnvPairs(flag, envUpdate);
        break;
      case '--env-vars-file': {
        const path = requireValue(flag, where, file);
        for (const [key, value, type] of readEnvVarsFile(path, options, where)) {
          envSet.set(key, value);
          if (type !== 'string') {
            manifest.nonStringValues ??= new Map();
            manifest.nonStringValues.set(key, { file: path, type });
          }
        }
        break;
      }
      case '--remove-env-vars':
      case '--remove-secrets':
        // Applied before the updates, to the existing service's values (see below): nothing to take away here.
        splitGcloudList(requireValue(flag, where, file));
        break;
      case '--set-secrets':
        readSecretPairs(flag, secretSet);
        break;
      case '--update-secrets':
        readSecretPairs(flag, secretUpdate);
        break;
      case '--set-cloudsql-instances':
      case '--add-cloudsql-instances':
        cloudsql.push(...splitGcloudList(requireValue(flag, where, file)));
        break;
      case '--remove-cloudsql-instances':
        for (const name of splitGcloudList(requireValue(flag, where, file))) cloudsqlRemove.add(name);
        break;
      case '--vpc-connector':
        connector = requireValue(flag, where, file);
        break;
      case '--network':
      case '--subnet':
        network = requireValue(flag, where, file);
        break;
      case '--vpc-egress':
        manifest.vpcEgressSetting = requireValue(flag, where, file);
        break;
      case '--project':
        manifest.project = requireValue(flag, where, file);
        break;
      case '--clear-vpc-connector':
        connector = undefined;
        break;
      case '--clear-network':
        network = undefined;
        break;
    }
  }

  // gcloud run deploy --help: "If both are specified, --remove-env-vars will be applied first" (and
  // --remove-secrets before --update-secrets). The removals act on what the existing service had, which a script
  // does not show, and an update of the same name adds it back; `--set-*` cannot be combined with `--remove-*`.
  // So a removal never takes away a value this command gives.
  for (const [key, value] of [...envSet, ...envUpdate]) manifest.literals.set(key, value);
  for (const [key, ref] of [...secretSet, ...secretUpdate]) {
    if (key.startsWith('/')) manifest.files.set(key, ref);
    else manifest.secrets.set(key, ref);
  }
  checkOneSecretPerDirectory(manifest.files, where, file);
  manifest.cloudsqlInstances = [...new Set(cloudsql)].filter((name) => !cloudsqlRemove.has(name));
  manifest.vpcEgress = connector !== undefined || network !== undefined;
  return manifest;
}

/** A `--env-vars-file` entry: name, value as text, and the YAML type it was written as. */
type EnvVarsFileEntry = [string, string, 'string' | 'number' | 'boolean' | 'null'];

/**
 * Cloud Run mounts one secret per directory (gcloud: "a different secret is already mounted in the same
 * directory"); files of one secret, any versions, may share it.
 */
function checkOneSecretPerDirectory(
  files: Map<string, ManifestSecretRef>,
  where: string,
  file: string,
): void {
  const byDirectory = new Map<string, [string, ManifestSecretRef]>();
  for (const [path, ref] of files) {
    const directory = path.slice(0, path.lastIndexOf('/'));
    const first = byDirectory.get(directory);
    if (first === undefined) {
      byDirectory.set(directory, [path, ref]);
      continue;
    }
    const [firstPath, firstRef] = first;
    if (firstRef.secret !== ref.secret || firstRef.project !== ref.project) {
      throw new InputError(
        `${file}: ${where}: ${firstPath} and ${path} mount different secrets (${firstRef.secret}, ${ref.secret}) in ${directory || '/'}; ` +
          `Cloud Run mounts one secret per directory and gcloud refuses this: give each secret its own directory, e.g. ${directory}/${firstRef.secret}/… and ${directory}/${ref.secret}/…`,
        { file },
      );
    }
  }
}

function readEnvVarsFile(path: string, options: DeployScriptOptions, where: string): EnvVarsFileEntry[] {
  const { file } = options;
  let text: string;
  try {
    text = options.readRelativeFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`${file}: ${where}: cannot read --env-vars-file ${path} (${reason})`, {
      file,
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InputError(`${path}: --env-vars-file is not valid YAML: ${firstLine(error)}`, {
      file: path,
      cause: error,
    });
  }
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${path}: --env-vars-file must be a YAML mapping of NAME: value`, { file: path });
  }
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => {
    if (value !== null && typeof value === 'object') {
      throw new InputError(
        `${path}: ${key}: an env var value must be a string, not a ${Array.isArray(value) ? 'list' : 'mapping'}`,
        {
          file: path,
        },
      );
    }
    const type: EnvVarsFileEntry[2] =
      value === null
        ? 'null'
        : typeof value === 'string'
          ? 'string'
          : typeof value === 'boolean'
            ? 'boolean'
            : 'number';
    return [key, value === null ? '' : String(value), type];
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
