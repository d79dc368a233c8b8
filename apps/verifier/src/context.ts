/**
 * The shared command context: the schema a command works on, its environments and tiers, and what the nearest
 * `netra.config` says about the service. Every command that reads a schema gets one from
 * {@link loadCommandContext}; no command imports another for it, and none names a schema of its own.
 *
 * Choosing the schema (DESIGN.md): `--schema SPEC` — `PATH[#EXPORT]` (a `.ts`, `.mts`, `.js` or `.mjs` module,
 * relative to the working directory) or `PACKAGE[#EXPORT]` resolved from the working directory — else the
 * nearest `netra.config.{ts,mts,js,mjs,json}` from the working directory up to the repository root
 * (`{ schema: SPEC, service?, projects? }`, paths relative to the file). Neither, or a spec that does not load:
 * an {@link InputError} (exit 2, one line naming the file and the reason).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ConfigSchema, type Environment, parseEnvironment, type Tier } from '@netra/config-schema';
import { InputError, UsageError } from './errors';
import type { Io } from './io';
import { environmentOption, type RawOptions, stringOption } from './options';

/** What a command works on. */
export interface CommandContext {
  /** The schema (from `--schema` or the nearest `netra.config`). */
  readonly schema: ConfigSchema;
  /** Where the schema came from, for messages: `--schema examples/worker/schema.ts` or `netra.config.ts`. */
  readonly schemaSource: string;
  /** The schema spec as written (`@netra/backend-schema#netraBackendSchema`, `./schema.ts#workerSchema`). */
  readonly schemaSpec: string;
  /** The schema's environments, in declaration order. */
  readonly environments: readonly Environment[];
  /** The tier of one of {@link environments}. */
  tierOf(environment: Environment): Tier;
  /**
   * An environment flag's value checked against the schema: a {@link UsageError} (exit 2) with a did-you-mean
   * among the schema's names otherwise.
   */
  environment(value: string, flag?: string): Environment;
  /** `service` from `netra.config`, if any (the default of `--service`). */
  readonly service: string | undefined;
  /** `projects` from `netra.config`: environment → Google Cloud project (the default of `--project`). */
  readonly projects: Readonly<Record<string, string>>;
  /**
   * The project of a command: `--project` when given (the flag wins), else `projects[environment]` of
   * `netra.config`, else undefined. `environment` as typed: an unknown one has no project here and is reported
   * by the command's own environment check.
   *
   * @example
   * context.project('qa', options.project); // 'acme-billing-qa' from examples/worker/netra.config.ts
   */
  project(environment: string, flag: string | undefined): string | undefined;
  /**
   * The service of a command: `--service` when given (the flag wins), else `service` of `netra.config`.
   *
   * @example
   * context.serviceName(options.service); // 'billing-worker' from examples/worker/netra.config.ts
   */
  serviceName(flag: string | undefined): string | undefined;
  /** The `netra.config` file that was read, if one was. */
  readonly configFile: string | undefined;
}

/** The `netra.config` file names, in the order they are looked for in each directory. */
const CONFIG_FILES = [
  'netra.config.ts',
  'netra.config.mts',
  'netra.config.js',
  'netra.config.mjs',
  'netra.config.json',
] as const;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // jiti and Node prefix syntax errors with the file; keep the first non-empty line only, never a stack.
  return (
    message
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? 'unknown error'
  );
}

function shown(file: string, cwd: string): string {
  const relativePath = relative(cwd, file);
  return relativePath && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : file;
}

/**
 * Imports a module file. TypeScript loads through Node's own type stripping (on by default from Node 22.18, the
 * oldest line this package supports), so no loader is bundled; where it is switched off, the message says so.
 */
async function importFile(file: string): Promise<Record<string, unknown>> {
  const typescript = file.endsWith('.ts') || file.endsWith('.mts');
  if (typescript && !(process.features as { typescript?: unknown }).typescript) {
    throw new Error(
      'this Node does not strip TypeScript types (--no-experimental-strip-types?): use Node ≥ 22.18 with type stripping, or a .js/.mjs schema module',
    );
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function isSchema(value: unknown): value is ConfigSchema {
  const candidate = value as Partial<ConfigSchema> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.kind === 'schema' &&
    typeof candidate.environments === 'object' &&
    candidate.environments !== null &&
    typeof candidate.shape === 'object'
  );
}

/**
 * Resolves and loads a schema spec (`PATH[#EXPORT]` or `PACKAGE[#EXPORT]`) relative to `baseDir`. `origin` says
 * where the spec was written (`--schema`, `netra.config.ts`), for messages.
 */
async function loadSchemaSpec(
  spec: string,
  baseDir: string,
  origin: string,
  cwd: string,
): Promise<{ schema: ConfigSchema; file: string }> {
  const hash = spec.lastIndexOf('#');
  const target = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? 'default' : spec.slice(hash + 1);
  if (target === '' || exportName === '') {
    throw new InputError(
      `${origin}: '${spec}' is not a schema spec; write PATH[#EXPORT] (./schema.ts#workerSchema) or PACKAGE[#EXPORT] (@netra/backend-schema#netraBackendSchema)`,
    );
  }
  const looksLikePath =
    target.startsWith('.') ||
    isAbsolute(target) ||
    MODULE_EXTENSIONS.some((extension) => target.endsWith(extension));
  let file: string;
  if (looksLikePath) {
    file = resolve(baseDir, target);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new InputError(`${origin}: schema module ${shown(file, cwd)} does not exist`);
    }
    if (!MODULE_EXTENSIONS.some((extension) => file.endsWith(extension))) {
      throw new InputError(
        `${origin}: schema module ${shown(file, cwd)} is not a .ts, .mts, .js or .mjs module`,
      );
    }
  } else {
    try {
      file = createRequire(join(baseDir, 'noop.js')).resolve(target);
    } catch {
      throw new InputError(
        `${origin}: cannot find package '${target}' from ${shown(baseDir, cwd) || '.'}; install it there, or give a path (./schema.ts#EXPORT)`,
      );
    }
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = await importFile(file);
  } catch (error) {
    throw new InputError(`${origin}: cannot load schema module ${shown(file, cwd)}: ${firstLine(error)}`, {
      cause: error,
      file,
    });
  }
  const value = loaded[exportName];
  if (!isSchema(value)) {
    const schemas = Object.keys(loaded).filter((name) => isSchema(loaded[name]));
    const what = value === undefined ? `has no export '${exportName}'` : `'${exportName}' is not a schema`;
    const fix =
      schemas.length > 0
        ? `; its schemas: ${schemas.map((name) => `${target}#${name}`).join(', ')}`
        : '; export the result of defineSchema(…)';
    throw new InputError(`${origin}: ${shown(file, cwd)} ${what}${fix}`, { file });
  }
  return { schema: value, file };
}

/** The nearest `netra.config.*` from `cwd` up to the repository root (a directory with `.git`), if any. */
function findConfigFile(cwd: string): string | undefined {
  let directory = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(directory, '.git'))) return undefined;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

interface NetraConfig {
  schema: string;
  service?: string;
  projects?: Record<string, string>;
}

async function readConfigFile(file: string, cwd: string): Promise<NetraConfig> {
  const name = shown(file, cwd);
  let value: unknown;
  if (file.endsWith('.json')) {
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new InputError(`${name}: cannot read: ${firstLine(error)}`, { file });
    }
  } else {
    try {
      const loaded = await importFile(file);
      value = loaded.default;
    } catch (error) {
      throw new InputError(`${name}: cannot load: ${firstLine(error)}`, { cause: error, file });
    }
  }
  const config = value as Partial<NetraConfig> | null | undefined;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InputError(
      `${name}: expected ${file.endsWith('.json') ? 'an object' : 'a default export'} { schema: 'SPEC', service?: 'NAME', projects?: { ENV: 'PROJECT' } }`,
      { file },
    );
  }
  if (typeof config.schema !== 'string' || config.schema === '') {
    throw new InputError(
      `${name}: 'schema' must name the schema, e.g. schema: './schema.ts#workerSchema' or '@netra/backend-schema#netraBackendSchema'`,
      { file },
    );
  }
  if (config.service !== undefined && (typeof config.service !== 'string' || config.service === '')) {
    throw new InputError(`${name}: 'service' must be a Cloud Run service name`, { file });
  }
  if (config.projects !== undefined) {
    const projects = config.projects as unknown;
    // (The environments are checked against the schema once it is loaded: see checkProjects.)
    if (
      typeof projects !== 'object' ||
      projects === null ||
      Array.isArray(projects) ||
      Object.values(projects).some((project) => typeof project !== 'string' || project === '')
    ) {
      throw new InputError(
        `${name}: 'projects' must map environments to project IDs, e.g. { staging: 'acme-staging' }`,
        {
          file,
        },
      );
    }
  }
  return config as NetraConfig;
}

/** Every environment `projects` names is one of the schema's: a typo would silently never be the default. */
function checkProjects(
  projects: Readonly<Record<string, string>>,
  schema: ConfigSchema,
  file: string,
  name: string,
) {
  const environments = Object.keys(schema.environments);
  for (const environment of Object.keys(projects)) {
    if (environments.includes(environment)) continue;
    const parsed = parseEnvironment(environment, schema);
    const didYouMean = !parsed.ok && parsed.suggestion ? `; did you mean ${parsed.suggestion}?` : '';
    throw new InputError(
      `${name}: projects names '${environment}', which is not an environment of the schema (${environments.join(', ')})${didYouMean}`,
      { file },
    );
  }
}

/**
 * The context of a command that reads a schema: from `--schema SPEC`, else from the nearest `netra.config`.
 *
 * @example
 * const context = await loadCommandContext({ schema: 'examples/worker/schema.ts#workerSchema' }, io);
 * const environment = context.environment('qa'); // or a UsageError with a did-you-mean
 */
export async function loadCommandContext(
  options: { schema?: string | undefined },
  io: Pick<Io, 'cwd'>,
): Promise<CommandContext> {
  const cwd = io.cwd;
  let schema: ConfigSchema;
  let schemaSource: string;
  let schemaSpec: string;
  let config: NetraConfig | undefined;
  let configFile: string | undefined;
  if (options.schema !== undefined) {
    if (options.schema === '')
      throw new UsageError('--schema needs a value: --schema PATH[#EXPORT] or PACKAGE[#EXPORT]');
    ({ schema } = await loadSchemaSpec(options.schema, cwd, '--schema', cwd));
    // A netra.config describes its own schema's service: with --schema it is not read at all.
    schemaSource = `--schema ${options.schema}`;
    schemaSpec = options.schema;
  } else {
    configFile = findConfigFile(cwd);
    if (configFile === undefined) {
      throw new InputError(
        'no schema: pass --schema PATH[#EXPORT] or PACKAGE[#EXPORT] (e.g. --schema ./schema.ts#workerSchema), or write a netra.config.ts ({ schema: SPEC }) in this directory or above',
      );
    }
    config = await readConfigFile(configFile, cwd);
    ({ schema } = await loadSchemaSpec(config.schema, dirname(configFile), shown(configFile, cwd), cwd));
    schemaSource = shown(configFile, cwd);
    schemaSpec = config.schema;
    if (config.projects) checkProjects(config.projects, schema, configFile, schemaSource);
  }
  const tiers = schema.environments;
  const environments = Object.keys(tiers);
  const service = config?.service;
  const projects: Readonly<Record<string, string>> = Object.freeze({ ...(config?.projects ?? {}) });
  return {
    schema,
    schemaSource,
    schemaSpec,
    environments,
    tierOf: (environment) => tiers[environment] as Tier,
    environment: (value, flag = '--env') => environmentOption(value, flag, schema),
    service,
    projects,
    project: (environment, flag) =>
      flag ?? (Object.hasOwn(projects, environment) ? projects[environment] : undefined),
    serviceName: (flag) => flag ?? service,
    configFile,
  };
}

/** `--schema` of a command's options, for {@link loadCommandContext}. */
export function schemaOptionOf(options: RawOptions): { schema?: string } {
  const spec = stringOption(options, 'schema', '--schema');
  return spec === undefined ? {} : { schema: spec };
}

/**
 * For the commands whose `--project` is optional and means "read Secret Manager" (`check`, `probe`, `run`,
 * `oauth redirects`): the flag, else netra.config's project of the environment — unless `--no-secret-manager`,
 * which keeps the command off Secret Manager (bound secrets count as provided, as without a project).
 */
export function withConfigProject<T extends { environment: string; project?: string | undefined }>(
  parsed: T,
  raw: RawOptions,
  context: CommandContext,
): T {
  if (raw.secretManager === false) {
    if (parsed.project !== undefined) {
      throw new UsageError('--project and --no-secret-manager contradict each other; give one');
    }
    return parsed;
  }
  const project = context.project(parsed.environment, parsed.project);
  return project === parsed.project ? parsed : { ...parsed, project };
}
