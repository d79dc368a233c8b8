import { readFileSync, statSync } from 'node:fs';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import {
  type ConfigSchema,
  describeSchema,
  type Environment,
  explainSecretReference,
  type Issue,
  isSecretReference,
  parseEnvironment,
  REDACTED,
  redactIssues,
  SECRET_REFERENCE_SYNTAX,
  secretFields,
} from '@netra/config-schema';
import {
  type AccessRequest,
  accessSecrets,
  keepValuesReadBesideFailures,
  valuesReadBesideFailures,
} from './access.ts';
import { compare, whitespaceIssue } from './issues.ts';
import { decodeUtf8 } from './payload.ts';

/** Where a value came from. */
export type SecretSource =
  | { kind: 'env' }
  | { kind: 'reference'; reference: string }
  | { kind: 'file'; path: string }
  | { kind: 'secret-manager'; project: string; location?: string; secret: string; version: string };

/** Options of {@link loadSecrets}. */
export interface LoadSecretsOptions {
  /** The environment whose variable names and Secret Manager bindings apply. @example 'staging' */
  environment: Environment;
  /** Where variables, `sm://` references and `NAME_FILE` paths are read. @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * Project whose Secret Manager holds the schema's bindings; without it bindings are not fetched (and a
   * required secret that no other source provides is reported `missing`). @example 'acme-staging'
   */
  projectId?: string;
  /**
   * The location of the schema's bound secrets when they are regional secrets
   * (`projects/P/locations/L/secrets/S`, read through `secretmanager.L.rep.googleapis.com`).
   * @default undefined (global secrets) @example 'europe-west1'
   */
  location?: string;
  /** Most Secret Manager calls in flight at once. @default 32 */
  concurrency?: number;
  /** One deadline for the whole load, retries included. @default env.SECRET_MANAGER_DEADLINE_MS, else 3000 */
  deadlineMs?: number;
  /** A Secret Manager client to use (not closed). @default a client from createSecretManagerClient(), closed after */
  client?: SecretManagerServiceClient;
  /**
   * Variables a caller knows are provided by a source it cannot read (`safeLoadStartup`'s `notRead`): neither
   * read nor reported missing. @default none
   */
  skip?: Iterable<string>;
}

/**
 * Loaded secrets: plain strings by variable name, where each came from, and warnings. `values` is read by name
 * (`result.values`) but is not an own property of the result, so logging, spreading or cloning the result shows
 * no secret; `values` itself is a plain record to spread into the env given to `loadConfig`, whose
 * `JSON.stringify`, `util.inspect` and `String()` show `[redacted]` for every value.
 */
export interface LoadedSecrets {
  values: Record<string, string>;
  sources: Record<string, SecretSource>;
  /** Problems that did not stop the load (e.g. both `NAME` and `NAME_FILE` set). */
  warnings: Issue[];
}

/** Every problem of a load that returned nothing. Its message and issues never contain a secret value. */
export class SecretsError extends Error {
  override readonly name = 'SecretsError';
  /** Stable code. */
  readonly code = 'SECRETS_UNAVAILABLE' as const;
  /** Every error and warning, in config-schema's issue shape. */
  readonly issues: Issue[];
  constructor(issues: Issue[], options?: { cause?: unknown }) {
    super(summarize(issues), options);
    this.issues = issues;
  }
}

function summarize(issues: readonly Issue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error');
  const lines = errors.map(
    (issue) => `  ${issue.variable || '(no variable)'} [${issue.code}]: ${issue.message} ${issue.hint}`,
  );
  return `Secrets could not be loaded (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}):\n${lines.join('\n')}`;
}

/** Outcome of {@link safeLoadSecrets}. */
export type SafeLoadSecretsResult = ({ ok: true } & LoadedSecrets) | { ok: false; issues: Issue[] };

/**
 * Loads every secret variable of the schema in this environment (those with a Secret Manager binding, and
 * sensitive ones), and every other variable of the schema whose env value is an `sm://` reference, taking each
 * secret from the first source that has it:
 * 1. the variable set in env (Cloud Run `--set-secrets`);
 * 2. its value an `sm://PROJECT/SECRET[#VERSION][?field=a.b]` reference, fetched;
 * 3. `NAME_FILE` naming a mounted file, read;
 * 4. the schema's binding fetched from Secret Manager, when `projectId` is given.
 * A variable that is neither bound nor sensitive is in `values` only when its value is a reference (a plain
 * value is left to `loadConfig`). References are fetched together: concurrently, each secret version once,
 * within one deadline. All or nothing; returns a result instead of throwing.
 *
 * @example
 * const result = await safeLoadSecrets(netraBackendSchema, { environment: 'staging', projectId: 'acme-staging' });
 * if (!result.ok) process.exitCode = 78;
 */
export async function safeLoadSecrets(
  schema: ConfigSchema,
  options: LoadSecretsOptions,
): Promise<SafeLoadSecretsResult> {
  const env = options.env ?? process.env;
  const environment = parseEnvironment(options.environment, schema);
  if (!environment.ok) return { ok: false, issues: [environment.issue] };
  const issues: Issue[] = [];
  const values: Record<string, string> = {};
  const sources: Record<string, SecretSource> = {};
  const requests: AccessRequest[] = [];
  const referenceOf = new Map<string, string>();

  const addReference = (variable: string, key: string, reference: string): void => {
    const parsed = explainSecretReference(reference);
    if (!parsed.ok) issues.push(badReferenceIssue(variable, key, parsed.reason));
    else {
      requests.push({ variable, key, ...parsed.reference });
      referenceOf.set(variable, reference);
    }
  };

  const skip = new Set(options.skip);
  for (const description of describeSchema(schema, options.environment)) {
    const { variable, key } = description;
    if (skip.has(variable)) continue;
    const raw = nonEmpty(env[variable]);
    if (description.secret === undefined && !description.sensitive) {
      // Any other setting of the schema is loaded only when its value is an sm:// reference (a client ID
      // kept in Secret Manager in development, say): resolved in the same all-or-nothing pass.
      if (raw !== undefined && isSecretReference(raw)) addReference(variable, key, raw);
      continue;
    }
    const filePath = nonEmpty(env[`${variable}_FILE`]);
    if (raw !== undefined) {
      if (filePath !== undefined) issues.push(bothSetWarning(variable, key));
      if (isSecretReference(raw)) {
        addReference(variable, key, raw);
        continue;
      }
      const whitespace = whitespaceIssue(variable, key, raw, { kind: 'env' });
      if (whitespace) issues.push(whitespace);
      values[variable] = raw;
      sources[variable] = { kind: 'env' };
      continue;
    }
    if (filePath !== undefined) {
      const read = readSecretFile(variable, key, filePath);
      if (!read.ok) issues.push(read.issue);
      else {
        const whitespace = whitespaceIssue(variable, key, read.value, { kind: 'file', path: filePath });
        if (whitespace) issues.push(whitespace);
        values[variable] = read.value;
        sources[variable] = { kind: 'file', path: filePath };
      }
      continue;
    }
    const binding = description.secret;
    if (binding && options.projectId !== undefined) {
      requests.push({
        variable,
        key,
        project: options.projectId,
        ...(options.location === undefined ? {} : { location: options.location }),
        secret: binding.secret,
        version: binding.version,
      });
      continue;
    }
    if (binding && description.required) issues.push(missingIssue(variable, key, binding));
  }

  if (requests.length > 0) {
    const fetched = await accessSecrets(requests, {
      client: options.client,
      concurrency: options.concurrency,
      deadlineMs: options.deadlineMs,
      environment: options.environment,
      env,
    });
    if (!fetched.ok) {
      issues.push(...fetched.issues);
      Object.assign(values, valuesReadBesideFailures(fetched));
    } else {
      for (const request of requests) {
        values[request.variable] = fetched.values[request.variable] as string;
        const reference = referenceOf.get(request.variable);
        sources[request.variable] =
          reference !== undefined
            ? { kind: 'reference', reference }
            : {
                kind: 'secret-manager',
                project: request.project,
                ...(request.location === undefined ? {} : { location: request.location }),
                secret: request.secret,
                version: request.version,
              };
      }
    }
  }

  // The one credential masking of every output (config-schema's redactIssues): no value read here, no userinfo.
  const sorted = redactIssues(sortIssues(issues), { secrets: Object.values(values) });
  if (sorted.some((issue) => issue.severity === 'error')) {
    const failed: SafeLoadSecretsResult = { ok: false, issues: sorted };
    keepValuesReadBesideFailures(failed, values);
    return failed;
  }
  return secretFields(
    'LoadedSecrets',
    {
      ok: true as const,
      values: redactedValues(sortKeys(values)),
      sources: sortKeys(sources),
      warnings: sorted,
    },
    ['values'],
  );
}

// Print forms of a record of secret values: the names with `[redacted]`. Own properties stay the values, so
// the record spreads into an env as before.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
function redactedNames(this: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(this).map((name) => [name, REDACTED]));
}
const REDACTED_VALUES = Object.freeze(
  Object.create(Object.prototype, {
    toJSON: { value: redactedNames },
    [INSPECT]: { value: redactedNames },
    toString: {
      value(this: Record<string, string>) {
        return `SecretValues ${JSON.stringify(this)}`;
      },
    },
  }),
);

/** `values` with print forms that show every value as `[redacted]`; frozen. */
function redactedValues(values: Record<string, string>): Record<string, string> {
  return Object.freeze(Object.assign(Object.create(REDACTED_VALUES) as Record<string, string>, values));
}

/**
 * {@link safeLoadSecrets}, throwing {@link SecretsError} (code `SECRETS_UNAVAILABLE`) with every problem.
 *
 * @example
 * const { values } = await loadSecrets(netraBackendSchema, { environment: 'staging', projectId: 'acme-staging' });
 * const config = loadConfig(netraBackendSchema, { env: { ...process.env, ...values } });
 */
export async function loadSecrets(schema: ConfigSchema, options: LoadSecretsOptions): Promise<LoadedSecrets> {
  const result = await safeLoadSecrets(schema, options);
  if (!result.ok) throw new SecretsError(result.issues);
  return secretFields(
    'LoadedSecrets',
    { values: result.values, sources: result.sources, warnings: result.warnings },
    ['values'],
  );
}

/** Options of {@link resolveSecretReferences}. */
export interface ResolveSecretReferencesOptions {
  /** A Secret Manager client to use (not closed). @default a client from createSecretManagerClient(), closed after */
  client?: SecretManagerServiceClient;
  /** Most Secret Manager calls in flight at once. @default 32 */
  concurrency?: number;
  /** One deadline for the whole resolution, retries included. @default env.SECRET_MANAGER_DEADLINE_MS, else 3000 */
  deadlineMs?: number;
  /** The environment (refuses to fetch in staging/production with GOOGLE_SDK_NODE_LOGGING set). @default env.ENVIRONMENT */
  environment?: string;
}

/**
 * Resolves every variable of `env` whose value is an `sm://` reference, for services that only use references.
 * Returns only those variables, resolved; throws {@link SecretsError} with every problem (all or nothing).
 *
 * @example
 * const resolved = await resolveSecretReferences(process.env);   // { DATABASE_PASSWORD: '…' }
 * Object.assign(process.env, resolved);
 */
export async function resolveSecretReferences(
  env: Record<string, string | undefined>,
  options: ResolveSecretReferencesOptions = {},
): Promise<Record<string, string>> {
  const issues: Issue[] = [];
  const requests: AccessRequest[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || !isSecretReference(value)) continue;
    const parsed = explainSecretReference(value);
    if (!parsed.ok) issues.push(badReferenceIssue(variable, '', parsed.reason));
    else requests.push({ variable, ...parsed.reference });
  }
  const fetched = await accessSecrets(requests, {
    client: options.client,
    concurrency: options.concurrency,
    deadlineMs: options.deadlineMs,
    environment: options.environment ?? env['ENVIRONMENT'],
    env,
  });
  if (!fetched.ok) issues.push(...fetched.issues);
  if (issues.length > 0 || !fetched.ok) throw new SecretsError(sortIssues(issues));
  return redactedValues(sortKeys(fetched.values));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Secret Manager's limit on a secret version's payload, and so on a mounted secret file. */
const MAX_SECRET_BYTES = 64 * 1024;

/** The text without one final `\n` (or `\r\n`): the newline a file's last line ends with. */
function withoutFinalNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

function readSecretFile(
  variable: string,
  key: string,
  path: string,
): { ok: true; value: string } | { ok: false; issue: Issue } {
  let size = 0;
  try {
    // Checked before reading: a FIFO or a device (/dev/zero) would block or never end a synchronous read, and a
    // mounted secret is a regular file of at most Secret Manager's 64 KiB.
    const stats = statSync(path);
    if (stats.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'NOT_FILE' });
    size = stats.size;
    if (size > MAX_SECRET_BYTES) throw Object.assign(new Error('too large'), { code: 'TOO_LARGE' });
    // Synchronous: a few small files at start-up, and no libuv thread pool or fs/promises to start for them.
    const decoded = decodeUtf8(readFileSync(path));
    // One newline at the end (as `echo` and most secret tools write a file) is not part of the value; any other
    // whitespace is (and is reported as whitespace).
    const value = decoded === null ? null : withoutFinalNewline(decoded);
    if (value === '') throw Object.assign(new Error('empty'), { code: 'EMPTY' });
    if (value !== null) return { ok: true, value };
    throw Object.assign(new Error('not UTF-8'), { code: 'NOT_UTF8' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable by this process'
          : code === 'EISDIR'
            ? 'is a directory'
            : code === 'NOT_FILE'
              ? 'is not a regular file'
              : code === 'TOO_LARGE'
                ? `is larger than 64 KiB (${size} bytes; a secret holds at most ${MAX_SECRET_BYTES})`
                : code === 'EMPTY'
                  ? 'is empty'
                  : code === 'NOT_UTF8'
                    ? 'is not UTF-8 text'
                    : `cannot be read (${code})`;
    return {
      ok: false,
      issue: {
        severity: 'error',
        code: code === 'ENOENT' ? 'missing' : 'invalid',
        key,
        variable,
        file: path,
        message: `${variable}_FILE points at ${path}, which ${what}.`,
        hint: `Mount the secret at ${path} (Cloud Run: --set-secrets=${path}=SECRET:VERSION) or fix ${variable}_FILE.`,
      },
    };
  }
}

function bothSetWarning(variable: string, key: string): Issue {
  return {
    severity: 'warning',
    code: 'invalid',
    key,
    variable,
    message: `Both ${variable} and ${variable}_FILE are set; ${variable} is used and the file is ignored.`,
    hint: `Set only one of ${variable} and ${variable}_FILE.`,
  };
}

function badReferenceIssue(variable: string, key: string, reason: string): Issue {
  return {
    severity: 'error',
    code: 'invalid',
    key,
    variable,
    message: `${variable} looks like a secret reference but is not a valid one: ${reason}.`,
    hint: `Write it as ${SECRET_REFERENCE_SYNTAX}, e.g. sm://my-project/my-secret#3 or sm://my-project/oauth?field=web.client_id.`,
  };
}

function missingIssue(variable: string, key: string, binding: { secret: string; version: string }): Issue {
  return {
    severity: 'error',
    code: 'missing',
    key,
    variable,
    secret: binding.secret,
    message: `${variable} is required and no source provides it (not set, no ${variable}_FILE, and no projectId to fetch secret ${binding.secret}).`,
    hint:
      `Provide it one way: Cloud Run --set-secrets=${variable}=${binding.secret}:${binding.version}; ` +
      `${variable}=sm://PROJECT/${binding.secret}; ${variable}_FILE=/path/to/mounted/file; or pass projectId.`,
  };
}

function sortIssues(issues: Issue[]): Issue[] {
  return issues.sort((a, b) => compare(a.variable, b.variable) || compare(a.code, b.code));
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}
