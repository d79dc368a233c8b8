import { type CompiledSchema, type CompiledVariable, compile } from './compile.ts';
import { buildConfig, REDACTED } from './config-object.ts';
import { displayValue, redactIssues } from './credentials.ts';
import type { ConfigSchema, CrossRuleFailure, InferConfig, Rule, RuleFailure } from './dsl.ts';
import { environmentNames, parseEnvironment } from './environment.ts';
import { escapeControls, formatIssues, listWords, summarizeIssues } from './format.ts';
import { closest } from './suggest.ts';
import type { Environment, Issue } from './types.ts';
import { expectationOf, invalidHintOf, PARSE_FAILED } from './values.ts';

/** Options of {@link safeLoadConfig} and {@link loadConfig}. */
export interface LoadOptions {
  /** The variables. @default process.env */
  env?: Record<string, string | undefined>;
  /** The environment to load. @default env.ENVIRONMENT */
  environment?: Environment | string;
  /**
   * Variable names known to be provided elsewhere (e.g. by a Secret Manager binding) whose values are not
   * known here: they count as set, their value rules are skipped, and their config field is `undefined`.
   * @default []
   */
  providedElsewhere?: Iterable<string>;
}

/** The result of {@link safeLoadConfig}. */
export type SafeLoadResult<C> =
  | { ok: true; environment: Environment; config: C; warnings: Issue[] }
  | { ok: false; environment: Environment | undefined; issues: Issue[] };

/**
 * Thrown by {@link loadConfig}: the configuration is invalid. `issues` holds every error and warning; the
 * message is the {@link formatIssues} report. Never contains a secret value.
 */
export class ConfigError extends Error {
  /** Stable code. */
  readonly code = 'CONFIG_INVALID' as const;
  /** Every problem found, errors and warnings. */
  readonly issues: Issue[];
  /** The environment that was loaded, if it could be determined. */
  readonly environment: Environment | undefined;
  constructor(issues: Issue[], options: { environment?: Environment | undefined; cause?: unknown } = {}) {
    const where = options.environment ? ` for ${options.environment}` : '';
    super(
      `Invalid configuration${where}: ${summarizeIssues(issues)}\n\n${formatIssues(issues)}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ConfigError';
    this.issues = issues;
    this.environment = options.environment;
  }
}

const PRINTABLE = /^[\x21-\x7e]{1,60}$/;

/**
 * A value for a message: quoted if short and printable, with credentials masked (`netra:****@10.0.0.5`), or a
 * fingerprint when it looks like a credential (credentials.ts). A value equal to a sensitive setting's value is
 * redacted by the last pass over every issue ({@link withoutSecrets}).
 */
function quoted(value: string): string | undefined {
  return PRINTABLE.test(value) ? displayValue(value) : undefined;
}

/** The values of the schema's sensitive settings in `env`, under any environment's name. */
function sensitiveValues(compiled: CompiledSchema, env: EnvReader): string[] {
  const values: string[] = [];
  for (const variable of compiled.variables) {
    if (!variable.sensitive) continue;
    for (const name of [variable.name, ...variable.otherNames]) {
      const raw = env.get(name);
      if (raw === undefined || raw.trim() === '') continue;
      values.push(raw);
      if (raw.trim() !== raw) values.push(raw.trim());
    }
  }
  return values;
}

/** The last pass over a load's issues: no sensitive value of the input and no credential, anywhere. */
function withoutSecrets(issues: Issue[], compiled: CompiledSchema | undefined, env: EnvReader): Issue[] {
  if (issues.length === 0) return issues;
  return redactIssues(issues, { secrets: compiled ? sensitiveValues(compiled, env) : [] });
}

/** The schema compiled for its first environment, to learn its sensitive names when ENVIRONMENT itself is wrong. */
function anyCompiled(schema: ConfigSchema): CompiledSchema | undefined {
  try {
    const first = environmentNames(schema)[0];
    return first === undefined ? undefined : compile(schema, first);
  } catch {
    return undefined;
  }
}

/** A non-sensitive value, quoted, if it is short and printable; otherwise nothing. */
function shown(variable: CompiledVariable, value: string): string | undefined {
  return variable.sensitive ? undefined : quoted(value);
}

// Shorter values cannot be told apart from the words of a message; no rule accepts a secret that short.
const SCRUB_MIN_LENGTH = 4;

/**
 * A rule's failure with every occurrence of the given (sensitive) values replaced by `[redacted]`: custom
 * rules and zod messages are written by schema authors, who may quote the value they checked.
 */
function scrubbed<F extends { message: string; hint: string }>(failure: F, values: readonly string[]): F {
  let { message, hint } = failure;
  for (const value of values) {
    if (value.length < SCRUB_MIN_LENGTH) continue;
    message = message.replaceAll(value, REDACTED);
    hint = hint.replaceAll(value, REDACTED);
  }
  return message === failure.message && hint === failure.hint ? failure : { ...failure, message, hint };
}

/** The sensitive value's spellings a message might quote (as set, and as the rules saw it). */
function secretsOf(variable: CompiledVariable, raw: string, trimmed: string): readonly string[] {
  if (!variable.sensitive) return [];
  return raw === trimmed ? [trimmed] : [trimmed, raw];
}

function issueOf(
  variable: Pick<CompiledVariable, 'key' | 'name'>,
  fields: Pick<Issue, 'code' | 'message' | 'hint'> & { severity?: Issue['severity'] },
): Issue {
  return {
    severity: fields.severity ?? 'error',
    code: fields.code,
    key: variable.key,
    variable: variable.name,
    message: fields.message,
    hint: fields.hint,
  };
}

function describeWhitespace(raw: string): string {
  const parts: string[] = [];
  if (/^\s/.test(raw)) parts.push('leading whitespace');
  if (/\r?\n$/.test(raw)) parts.push('a trailing newline');
  else if (/\s$/.test(raw)) parts.push('trailing whitespace');
  return parts.join(' and ');
}

const FAILED: unique symbol = Symbol('failed');

/** The longest env value accepted, in UTF-8 bytes: 64 KiB, Secret Manager's limit on a secret. */
export const MAX_VALUE_BYTES = 64 * 1024;
// A value of at most this many UTF-16 code units cannot be longer than MAX_VALUE_BYTES in UTF-8.
const MAX_VALUE_CHARACTERS = MAX_VALUE_BYTES / 3;

/** UTF-8 length; a lone surrogate counts 3 bytes (as U+FFFD, or as Python's surrogatepass encodes it). */
function byteLength(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The name of what was thrown, never its message (which may quote the value, as JSON.parse's does). */
function thrownName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** A schema author's rule, run so that a throw becomes an issue instead of a crash that prints the value. */
function runRule(
  variable: CompiledVariable,
  rule: Rule,
  value: string,
  issues: Issue[],
): RuleFailure | undefined {
  try {
    return rule.check(value, variable.context);
  } catch (error) {
    issues.push(
      issueOf(variable, {
        code: 'invalid',
        message: `${variable.name} could not be checked: rule ${rule.id} threw ${thrownName(error)} (its message is not shown: it may quote the value)`,
        hint: `Fix rule ${rule.id} in the schema definition: it must return a failure for a bad value, not throw.`,
      }),
    );
    return undefined;
  }
}

/** The `invalid` issue of a value its schema rejects: the declared expectation, else zod's own words. */
function invalidValue(
  variable: CompiledVariable,
  raw: string,
  trimmed: string,
): Pick<Issue, 'code' | 'message' | 'hint'> {
  const value = shown(variable, trimmed);
  const expectation = expectationOf(variable.schema);
  if (expectation) {
    // `REDIS_TLS=TRUE`, `LOG_LEVEL=INFO`: the value would pass in lower case (never said of a sensitive value).
    const lower = trimmed.toLowerCase();
    const caseOnly = !variable.sensitive && lower !== trimmed && variable.parse(lower) !== PARSE_FAILED;
    // A helper that knows the mistake (`DATABASE_HOST=127.0.0.1:5432`) says how to fix it; never for a secret.
    const known = variable.sensitive ? undefined : invalidHintOf(variable.schema, variable.name, trimmed);
    return {
      code: 'invalid',
      message: value
        ? `${variable.name} is ${value}; expected ${expectation}`
        : `${variable.name} is not ${expectation}`,
      hint: caseOnly
        ? `Values are case-sensitive: set ${variable.name}=${lower}.`
        : known
          ? known
          : variable.example
            ? `Set ${variable.name} to ${expectation}, e.g. ${variable.name}=${variable.example}`
            : `Set ${variable.name} to ${expectation}.`,
    };
  }
  // Failure is the rare path: ask zod again for its wording ("Too big: expected number to be <=64"), which
  // is a reason, not an expectation — and which a schema author's custom message may have built from the value.
  const zodMessage = variable.schema.safeParse(trimmed).error?.issues[0]?.message;
  const reason = zodMessage ? `: ${zodMessage.charAt(0).toLowerCase()}${zodMessage.slice(1)}` : '';
  return scrubbed(
    {
      code: 'invalid',
      message: value
        ? `${variable.name} is ${value}, which is invalid${reason}`
        : `${variable.name} is not valid${reason}`,
      hint: variable.example
        ? `Set ${variable.name} to a valid value, e.g. ${variable.name}=${variable.example}`
        : `Set ${variable.name} to a valid value (see the schema’s documentation of ${variable.name}).`,
    },
    secretsOf(variable, raw, trimmed),
  );
}

/**
 * Checks one present, non-empty value: whitespace, exclusive rules, the value schema, then the rules. Pushes
 * its issues onto `issues`; returns the parsed value, or {@link FAILED} when an error was found.
 */
function checkValue(variable: CompiledVariable, raw: string, issues: Issue[]): unknown {
  // Before any rule or schema runs: a regular expression or a JSON parse over megabytes is a denial of service.
  if (raw.length > MAX_VALUE_CHARACTERS && byteLength(raw) > MAX_VALUE_BYTES) {
    issues.push(
      issueOf(variable, {
        code: 'invalid',
        message: `${variable.name} is longer than 64 KiB (${byteLength(raw)} bytes); no setting is that long`,
        hint: `Set ${variable.name} to its real value (a secret larger than 64 KiB cannot be stored in Secret Manager either).`,
      }),
    );
    return FAILED;
  }
  const before = issues.length;
  const trimmed = raw.trim();
  if (trimmed !== raw) {
    const what = describeWhitespace(raw);
    issues.push(
      issueOf(variable, {
        code: 'whitespace',
        message:
          trimmed === ''
            ? `${variable.name} contains only whitespace`
            : `${variable.name} has ${what}${/\n$/.test(raw) ? " (what `gcloud secrets create --data-file` stores for an echo'ed file)" : ''}`,
        hint: variable.secret
          ? `Add a version without it: printf '%s' "$VALUE" | gcloud secrets versions add ${variable.secret.secret} --data-file=-`
          : `Remove the whitespace around ${variable.name}'s value.`,
      }),
    );
    if (trimmed === '') return FAILED;
  }
  for (const rule of variable.exclusiveRules) {
    const before = issues.length;
    const failure = runRule(variable, rule, trimmed, issues);
    if (issues.length > before) return FAILED;
    if (failure) {
      const clean = scrubbed(failure, secretsOf(variable, raw, trimmed));
      issues.push(issueOf(variable, { ...clean, severity: rule.severity ?? 'error' }));
      return FAILED;
    }
  }
  let parsed: unknown;
  try {
    parsed = variable.parse(trimmed);
  } catch (error) {
    issues.push(
      issueOf(variable, {
        code: 'invalid',
        message: `${variable.name} could not be parsed: its value schema threw ${thrownName(error)} (its message is not shown: it may quote the value)`,
        hint: `Set ${variable.name} to a valid value; a schema that throws (e.g. JSON.parse in a transform) should report the problem with ctx.addIssue instead.`,
      }),
    );
    return FAILED;
  }
  if (parsed === PARSE_FAILED) {
    issues.push(issueOf(variable, invalidValue(variable, raw, trimmed)));
    return FAILED;
  }
  for (const rule of variable.otherRules) {
    const failure = runRule(variable, rule, trimmed, issues);
    if (failure) {
      const clean = scrubbed(failure, secretsOf(variable, raw, trimmed));
      issues.push(issueOf(variable, { ...clean, severity: rule.severity ?? 'error' }));
    }
  }
  for (let index = before; index < issues.length; index++) {
    if (issues[index]!.severity === 'error') return FAILED;
  }
  return parsed;
}

/** Reads own string values only: `__proto__`, `constructor`… never reach Object.prototype. */
class EnvReader {
  constructor(private readonly env: Record<string, string | undefined>) {}
  get(name: string): string | undefined {
    const value = this.env[name];
    // Own properties only: an inherited string (a polluted prototype) does not count as set.
    return typeof value === 'string' && Object.hasOwn(this.env, name) ? value : undefined;
  }
  /** Own names (values may be any type: check with {@link get}). */
  names(): string[] {
    return Object.keys(this.env);
  }
}

function setIn(map: EnvReader, name: string): boolean {
  const value = map.get(name);
  return value !== undefined && value !== '';
}

function missingHint(variable: CompiledVariable): string {
  if (variable.secret) {
    return `Bind it to its secret: --set-secrets=${variable.name}=${variable.secret.secret}:${variable.secret.version} (or set ${variable.name}=sm://PROJECT/${variable.secret.secret}).`;
  }
  return variable.example
    ? `Set ${variable.name}, e.g. ${variable.name}=${variable.example}`
    : `Set ${variable.name}.`;
}

/** Which settings a prefix has in this environment, in words that fit none, one, two or many. */
function siblingsHint(prefix: string, siblings: readonly string[], environment: Environment): string {
  if (siblings.length === 0) return `No ${prefix}… setting is read in ${environment}; remove it.`;
  if (siblings.length === 1) return `The only ${prefix}… setting is ${siblings[0]}.`;
  return `The ${prefix}… settings are ${listWords(siblings)}.`;
}

// Format characters (zero-width space, BOM, bidi marks…) and separators other than a plain space print as
// nothing or as a space: a name holding one looks exactly like the name it is not.
const INVISIBLE = /[\p{Cf}\p{Z}]/gu;

function truncateName(name: string): string {
  const shortened = name.length > 64 ? `${name.slice(0, 61)}…` : name;
  return escapeControls(shortened).replace(INVISIBLE, (char) =>
    char === ' ' ? char : `\\u{${char.codePointAt(0)!.toString(16)}}`,
  );
}

/** Why an unknown name is not the schema's name it resembles, when the reason is not a typo. */
function resemblance(name: string, suggestion: string): string {
  if (name.normalize('NFKC') !== name || /[\p{Cf}\p{Z}]/u.test(name)) {
    return ' (the name contains invisible or look-alike characters)';
  }
  return name.toUpperCase() === suggestion ? ' (names are case-sensitive)' : '';
}

// Verdicts on unknown names per compiled schema (names only, never values). A process environment repeats
// the same names on every load, and edit distances are the costliest part of a load.
interface UnknownVerdict {
  suggestion?: CompiledVariable;
  prefix?: string;
}
const verdicts = new WeakMap<CompiledSchema, Map<string, UnknownVerdict | null>>();
const VERDICT_CACHE_SIZE = 1024;

/** Whether an unknown name looks like ours: a near miss of a name, or one of the schema's prefixes. */
function classifyUnknown(compiled: CompiledSchema, name: string): UnknownVerdict | null {
  let cache = verdicts.get(compiled);
  if (!cache) {
    cache = new Map();
    verdicts.set(compiled, cache);
  }
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const suggestion = computeSuggestion(compiled, name);
  const prefix = suggestion ? undefined : compiled.prefixes.find((candidate) => name.startsWith(candidate));
  const verdict = suggestion ? { suggestion } : prefix ? { prefix } : null;
  if (cache.size < VERDICT_CACHE_SIZE) cache.set(name, verdict);
  return verdict;
}

/** The environment's names, for did-you-mean (its own names first, then other environments'). */
function suggestFor(compiled: CompiledSchema, name: string): CompiledVariable | undefined {
  return classifyUnknown(compiled, name)?.suggestion;
}

function computeSuggestion(compiled: CompiledSchema, name: string): CompiledVariable | undefined {
  const own = closest(name, compiled.byName.keys());
  if (own) return compiled.byName.get(own);
  const other = closest(name, compiled.allNames);
  if (!other) return undefined;
  return compiled.variables.find((variable) => variable.otherNames.includes(other));
}

const NOTHING_PROVIDED: ReadonlySet<string> = new Set();

interface Collected {
  environment: Environment;
  issues: Issue[];
  values: unknown[];
  compiled: CompiledSchema;
}

function collect(compiled: CompiledSchema, env: EnvReader, provided: ReadonlySet<string>): Collected {
  const { environment } = compiled;
  const issues: Issue[] = [];
  const tail: Issue[] = [];
  // Indexed by variable position: cheaper than maps keyed by strings on every load.
  const values: unknown[] = new Array(compiled.variables.length).fill(undefined);
  const valid = new Uint8Array(compiled.variables.length);

  // Names that belong to no environment of the schema: misspellings and strays.
  const misspelledFor = new Map<string, string>();
  const known = compiled.knownNames;
  const reported: [string, UnknownVerdict][] = [];
  for (const name of env.names()) {
    if (known.has(name) || name.length > 200 || env.get(name) === undefined) continue;
    const verdict = classifyUnknown(compiled, name);
    if (verdict) reported.push([name, verdict]);
  }
  reported.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, verdict] of reported) {
    const shownName = truncateName(name);
    const suggestion = verdict.suggestion;
    if (suggestion) {
      if (!misspelledFor.has(suggestion.name)) misspelledFor.set(suggestion.name, name);
      tail.push({
        severity: 'warning',
        code: 'unknown-variable',
        key: '',
        variable: name,
        message: `${shownName} is not a setting of this schema; did you mean ${suggestion.name}?`,
        hint: `Rename ${shownName} to ${suggestion.name}${resemblance(name, suggestion.name)}.`,
      });
      continue;
    }
    const prefix = verdict.prefix!;
    const siblings = compiled.variables
      .filter((variable) => variable.name.startsWith(prefix))
      .map((variable) => variable.name);
    tail.push({
      severity: 'warning',
      code: 'unknown-variable',
      key: '',
      variable: name,
      message: `${shownName} is not a setting of this schema and is ignored`,
      hint: siblingsHint(prefix, siblings, environment),
    });
  }

  for (const variable of compiled.variables) {
    const raw = env.get(variable.name);
    if (variable.isEnvironment) {
      if (raw !== undefined && raw !== '' && raw !== environment) {
        const value = quoted(raw) ?? 'a different value';
        issues.push(
          issueOf(variable, {
            code: 'invalid',
            message: `${variable.name} is ${value}, but this configuration is being checked for ${environment}`,
            hint: `Set ${variable.name}=${environment}, or check the configuration of the environment it names.`,
          }),
        );
      }
      values[variable.index] = environment;
      continue;
    }
    const setElsewhere =
      variable.foreignNames.length === 0
        ? variable.foreignNames
        : // A foreign name provided but not read here (a secret binding of the deploy) is set all the same.
          variable.foreignNames.filter((other) => setIn(env, other) || provided.has(other));
    if (provided.has(variable.name)) {
      // Its value is unknown here, but a stray API_TOKEN beside a bound API_TOKEN_STAGING is still a mistake.
      for (const other of setElsewhere) {
        issues.push(
          issueOf(variable, {
            severity: 'warning',
            code: 'wrong-name',
            message: `${other} is set, but ${environment} reads ${variable.name} (provided elsewhere, e.g. by a Secret Manager binding); ${other} is another environment's name and is ignored`,
            hint: `Remove ${other} from the ${environment} configuration.`,
          }),
        );
      }
      continue;
    }
    if (raw === undefined || raw === '') {
      const fallback = variable.default;
      if (fallback !== undefined) {
        const text =
          typeof fallback === 'string' ? fallback : fallback.resolve((name) => env.get(name) || undefined);
        const parsed = variable.parse(text);
        if (parsed !== PARSE_FAILED) {
          values[variable.index] = parsed;
          valid[variable.index] = 1;
        } else {
          issues.push(
            issueOf(variable, {
              code: 'invalid',
              message: `${variable.name}'s default in ${environment} does not pass its own schema`,
              hint: 'Fix the schema definition.',
            }),
          );
        }
      } else if (variable.required) {
        const other = setElsewhere[0];
        if (other) {
          issues.push(
            issueOf(variable, {
              code: 'wrong-name',
              message: `${other} is set, but ${environment} reads ${variable.name}`,
              hint: `Rename ${other} to ${variable.name}${variable.secret ? ` (--set-secrets=${variable.name}=${variable.secret.secret}:${variable.secret.version})` : ''}.`,
            }),
          );
        } else {
          const misspelled = misspelledFor.get(variable.name);
          issues.push(
            issueOf(variable, {
              code: 'missing',
              message:
                raw === ''
                  ? `${variable.name} is set to an empty string, which counts as not set; ${environment} requires it`
                  : `${variable.name} is not set; ${environment} requires it`,
              hint: misspelled
                ? `${truncateName(misspelled)} is set: did you mean ${variable.name}? Rename it.`
                : missingHint(variable),
            }),
          );
        }
      } else {
        valid[variable.index] = 1;
      }
      if (variable.default !== undefined || !variable.required) {
        for (const other of setElsewhere) {
          issues.push(
            issueOf(variable, {
              severity: 'warning',
              code: 'wrong-name',
              message: `${other} is set, but ${environment} reads ${variable.name}; ${other} is ignored`,
              hint: `Rename ${other} to ${variable.name}, or remove it.`,
            }),
          );
        }
      }
      continue;
    }
    for (const other of setElsewhere) {
      issues.push(
        issueOf(variable, {
          severity: 'warning',
          code: 'wrong-name',
          message: `${other} is set, but ${environment} reads ${variable.name}; ${other} is ignored`,
          hint: `Remove ${other}.`,
        }),
      );
    }
    const checked = checkValue(variable, raw, issues);
    if (checked !== FAILED) {
      values[variable.index] = checked;
      valid[variable.index] = 1;
    }
  }

  for (const { rule, groupPath, fullKeys, slots } of compiled.crossRules) {
    let ready = true;
    for (const [, index] of slots) ready &&= index >= 0 && valid[index] === 1;
    if (!ready) continue;
    const fullKey = (key: string) => fullKeys.get(key) ?? [...groupPath, key].join('.');
    const input: Record<string, unknown> = {};
    for (const [key, index] of slots) input[key] = values[index];
    const variableOf = (key: string) => compiled.byKey.get(fullKey(key))?.name ?? fullKey(key);
    let failure: CrossRuleFailure | undefined;
    try {
      failure = rule.check(input, { environment, variable: variableOf });
    } catch (error) {
      const first = rule.keys[0] ?? '';
      issues.push({
        severity: 'error',
        code: 'invalid',
        key: fullKey(first),
        variable: compiled.byKey.get(fullKey(first))?.name ?? '',
        message: `Cross-variable rule ${rule.id} threw ${thrownName(error)} while checking ${rule.keys.map(variableOf).join(', ')} (its message is not shown: it may quote a value)`,
        hint: `Fix rule ${rule.id} in the schema definition: it must return a failure, not throw.`,
      });
      continue;
    }
    if (!failure) continue;
    const target = compiled.byKey.get(fullKey(failure.key));
    // A rule reads parsed values; it may quote a sensitive one (it must not, but it is written elsewhere).
    const secrets: string[] = [];
    for (const [, index] of slots) {
      const value = values[index];
      if (compiled.variables[index]!.sensitive && typeof value === 'string') secrets.push(value);
    }
    const clean = scrubbed(failure, secrets);
    issues.push({
      severity: rule.severity ?? 'error',
      code: failure.code,
      key: fullKey(failure.key),
      variable: target?.name ?? '',
      message: clean.message,
      hint: clean.hint,
    });
  }

  for (const name of compiled.notAllowedNames) {
    if (!setIn(env, name)) continue;
    const { key, allowedIn } = compiled.notAllowed.get(name)!;
    issues.push({
      severity: 'error',
      code: 'not-allowed',
      key,
      variable: name,
      message: `${name} is set, but ${key} exists only in ${listWords(allowedIn)}; ${environment} must not set it`,
      hint: `Remove ${name} from the ${environment} configuration.`,
    });
  }

  issues.push(...tail);
  return { environment, issues, values, compiled };
}

/**
 * Validates the environment's variables against the schema and returns every problem at once, or the typed,
 * deeply frozen config (with its warnings). Never throws for bad input.
 *
 * @example
 * const result = safeLoadConfig(schema, { env: process.env });
 * if (!result.ok) console.error(formatIssues(result.issues));
 */
export function safeLoadConfig<S extends ConfigSchema>(
  schema: S,
  options: LoadOptions = {},
): SafeLoadResult<InferConfig<S>> {
  const env = new EnvReader(options.env ?? (process.env as Record<string, string | undefined>));
  const parsedEnvironment = parseEnvironment(options.environment ?? env.get('ENVIRONMENT'), schema);
  if (!parsedEnvironment.ok) {
    const issues = withoutSecrets([parsedEnvironment.issue], anyCompiled(schema), env);
    return { ok: false, environment: undefined, issues };
  }
  const compiled = compile(schema, parsedEnvironment.environment);
  const provided = options.providedElsewhere ? new Set(options.providedElsewhere) : NOTHING_PROVIDED;
  const collected = collect(compiled, env, provided);
  const { environment, values } = collected;
  const issues = withoutSecrets(collected.issues, compiled, env);
  if (issues.some((issue) => issue.severity === 'error')) return { ok: false, environment, issues };
  return {
    ok: true,
    environment,
    config: buildConfig(compiled, values) as InferConfig<S>,
    warnings: issues,
  };
}

/**
 * Like {@link safeLoadConfig}, but returns the config or throws {@link ConfigError} with every issue.
 *
 * @example
 * const config = loadConfig(schema); // reads process.env and ENVIRONMENT
 * config.database.host; // typed, frozen
 */
export function loadConfig<S extends ConfigSchema>(schema: S, options: LoadOptions = {}): InferConfig<S> {
  const result = safeLoadConfig(schema, options);
  if (!result.ok) throw new ConfigError(result.issues, { environment: result.environment });
  return result.config;
}

/**
 * For the generators (`describeSchema`, `renderEnvExample`, `toJSONSchema`): a JavaScript caller's misspelled
 * environment must not silently describe a schema in which nothing is required or bound.
 */
export function checkedEnvironment(environment: string, schema: ConfigSchema): Environment {
  const parsed = parseEnvironment(environment, schema);
  if (!parsed.ok) throw new ConfigError([parsed.issue]);
  return parsed.environment;
}

/** Options of {@link validateValue}. */
export interface ValidateValueOptions {
  environment: Environment;
  /** The variable's name in that environment, e.g. `API_TOKEN_STAGING`. */
  variable: string;
  value: string;
}

/**
 * One variable's value rules (type, format, strength, placeholder, whitespace) in one environment — no
 * cross-variable rules. For values that live in Secret Manager. `[]` means it passes.
 *
 * @example
 * validateValue(schema, { environment: 'staging', variable: 'ENCRYPTION_KEY', value }); // Issue[]
 */
export function validateValue(schema: ConfigSchema, options: ValidateValueOptions): Issue[] {
  const parsedEnvironment = parseEnvironment(options.environment, schema);
  if (!parsedEnvironment.ok) return [parsedEnvironment.issue];
  const compiled = compile(schema, parsedEnvironment.environment);
  const variable = compiled.byName.get(options.variable);
  if (!variable) {
    const suggestion = suggestFor(compiled, options.variable);
    return [
      {
        severity: 'error',
        code: 'unknown-variable',
        key: '',
        variable: options.variable,
        message: `${truncateName(options.variable)} is not a variable of this schema in ${options.environment}`,
        hint: suggestion
          ? `Did you mean ${suggestion.name}?`
          : 'Check the name against the schema (docs/config).',
      },
    ];
  }
  if (options.value === '') {
    return [
      issueOf(variable, {
        code: variable.required ? 'missing' : 'invalid',
        message: `${variable.name} is an empty string, which counts as not set`,
        hint: missingHint(variable),
      }),
    ];
  }
  const issues: Issue[] = [];
  checkValue(variable, options.value, issues);
  return issues;
}
