import { type CompiledSchema, type CompiledVariable, compile } from './compile.ts';
import { buildConfig } from './config-object.ts';
import type { ConfigSchema, InferConfig, RuleContext } from './dsl.ts';
import { parseEnvironment } from './environment.ts';
import { formatIssues, summarizeIssues } from './format.ts';
import { closest } from './suggest.ts';
import type { Environment, Issue } from './types.ts';
import { expectationOf } from './values.ts';

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

/** A non-sensitive value, quoted, if it is short and printable; otherwise nothing. */
function shown(variable: CompiledVariable, value: string): string | undefined {
  return !variable.sensitive && PRINTABLE.test(value) ? `'${value}'` : undefined;
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

function ruleContext(variable: CompiledVariable, environment: Environment): RuleContext {
  return {
    environment,
    key: variable.key,
    variable: variable.name,
    sensitive: variable.sensitive,
    developmentDefaults: variable.developmentDefaults,
  };
}

/** Checks one present, non-empty value: whitespace, exclusive rules, the zod schema, then the rules. */
function checkValue(
  variable: CompiledVariable,
  raw: string,
  environment: Environment,
): { issues: Issue[]; value: unknown; ok: boolean } {
  const issues: Issue[] = [];
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
    if (trimmed === '') return { issues, value: undefined, ok: false };
  }
  const context = ruleContext(variable, environment);
  for (const rule of variable.rules) {
    if (!rule.exclusive) continue;
    const failure = rule.check(trimmed, context);
    if (failure) {
      issues.push(issueOf(variable, { ...failure, severity: rule.severity ?? 'error' }));
      return { issues, value: undefined, ok: false };
    }
  }
  const parsed = variable.schema.safeParse(trimmed);
  if (!parsed.success) {
    const expectation = expectationOf(variable.schema) ?? parsed.error.issues[0]?.message ?? 'valid';
    const value = shown(variable, trimmed);
    issues.push(
      issueOf(variable, {
        code: 'invalid',
        message: value
          ? `${variable.name} is ${value}; expected ${expectation}`
          : `${variable.name} is not ${expectation.startsWith('Invalid') ? 'valid' : expectation}`,
        hint: variable.example
          ? `Set ${variable.name} to ${expectation}, e.g. ${variable.name}=${variable.example}`
          : `Set ${variable.name} to ${expectation}.`,
      }),
    );
    return { issues, value: undefined, ok: false };
  }
  for (const rule of variable.rules) {
    if (rule.exclusive) continue;
    const failure = rule.check(trimmed, context);
    if (failure) issues.push(issueOf(variable, { ...failure, severity: rule.severity ?? 'error' }));
  }
  return { issues, value: parsed.data, ok: !issues.some((issue) => issue.severity === 'error') };
}

/** Own string-valued entries of any object, safe for keys such as `__proto__`. */
function readEnv(env: Record<string, string | undefined>): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of Object.keys(env)) {
    const value = Object.getOwnPropertyDescriptor(env, name)?.value;
    if (typeof value === 'string') map.set(name, value);
  }
  return map;
}

function setIn(map: ReadonlyMap<string, string>, name: string): boolean {
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

function truncateName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 61)}…` : name;
}

/** The environment's names, for did-you-mean (its own names first, then other environments'). */
function suggestFor(compiled: CompiledSchema, name: string): CompiledVariable | undefined {
  const own = closest(name, compiled.byName.keys());
  if (own) return compiled.byName.get(own);
  const other = closest(name, compiled.allNames);
  if (!other) return undefined;
  return compiled.variables.find((variable) => variable.otherNames.includes(other));
}

interface Collected {
  environment: Environment;
  issues: Issue[];
  values: Map<string, unknown>;
  compiled: CompiledSchema;
}

function collect(
  compiled: CompiledSchema,
  env: ReadonlyMap<string, string>,
  provided: ReadonlySet<string>,
): Collected {
  const { environment } = compiled;
  const issues: Issue[] = [];
  const tail: Issue[] = [];
  const values = new Map<string, unknown>();
  const valid = new Set<string>();

  // Names that belong to no environment of the schema: misspellings and strays.
  const misspelledFor = new Map<string, string>();
  const known = new Set(compiled.allNames);
  const unknown = [...env.keys()].filter((name) => !known.has(name) && name.length <= 200).sort();
  for (const name of unknown) {
    const suggestion = suggestFor(compiled, name);
    const shownName = truncateName(name);
    if (suggestion) {
      if (!misspelledFor.has(suggestion.name)) misspelledFor.set(suggestion.name, name);
      tail.push({
        severity: 'warning',
        code: 'unknown-variable',
        key: '',
        variable: name,
        message: `${shownName} is not a setting of this schema; did you mean ${suggestion.name}?`,
        hint: `Rename ${shownName} to ${suggestion.name}${name.toUpperCase() === suggestion.name ? ' (names are case-sensitive)' : ''}.`,
      });
      continue;
    }
    const prefix = compiled.prefixes.find((candidate) => name.startsWith(candidate));
    if (prefix) {
      const siblings = compiled.variables.filter((variable) => variable.name.startsWith(prefix));
      tail.push({
        severity: 'warning',
        code: 'unknown-variable',
        key: '',
        variable: name,
        message: `${shownName} is not a setting of this schema and is ignored`,
        hint: `The ${prefix}… settings are ${siblings.map((variable) => variable.name).join(', ')}.`,
      });
    }
  }

  for (const variable of compiled.variables) {
    const raw = env.get(variable.name);
    if (variable.isEnvironment) {
      if (raw !== undefined && raw !== '' && raw !== environment) {
        const value = PRINTABLE.test(raw) ? `'${raw}'` : 'a different value';
        issues.push(
          issueOf(variable, {
            code: 'invalid',
            message: `${variable.name} is ${value}, but this configuration is being checked for ${environment}`,
            hint: `Set ${variable.name}=${environment}, or check the configuration of the environment it names.`,
          }),
        );
      }
      values.set(variable.key, environment);
      continue;
    }
    if (provided.has(variable.name)) {
      values.set(variable.key, undefined);
      continue;
    }
    const setElsewhere = variable.otherNames.filter(
      (other) => setIn(env, other) && !compiled.byName.has(other),
    );
    if (raw === undefined || raw === '') {
      const fallback = variable.default;
      if (fallback !== undefined) {
        const text =
          typeof fallback === 'string' ? fallback : fallback.resolve((name) => env.get(name) || undefined);
        const parsed = variable.schema.safeParse(text);
        if (parsed.success) {
          values.set(variable.key, parsed.data);
          valid.add(variable.key);
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
        values.set(variable.key, undefined);
        valid.add(variable.key);
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
    const checked = checkValue(variable, raw, environment);
    issues.push(...checked.issues);
    if (checked.ok) {
      values.set(variable.key, checked.value);
      valid.add(variable.key);
    }
  }

  for (const { rule, groupPath } of compiled.crossRules) {
    const fullKey = (key: string) => [...groupPath, key].join('.');
    if (!rule.keys.every((key) => valid.has(fullKey(key)))) continue;
    const input: Record<string, unknown> = {};
    for (const key of rule.keys) input[key] = values.get(fullKey(key));
    const failure = rule.check(input, {
      environment,
      variable: (key) => compiled.byKey.get(fullKey(key))?.name ?? fullKey(key),
    });
    if (!failure) continue;
    const target = compiled.byKey.get(fullKey(failure.key));
    issues.push({
      severity: rule.severity ?? 'error',
      code: failure.code,
      key: fullKey(failure.key),
      variable: target?.name ?? '',
      message: failure.message,
      hint: failure.hint,
    });
  }

  for (const [name, { key, allowedIn }] of [...compiled.notAllowed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!setIn(env, name) || compiled.byName.has(name)) continue;
    issues.push({
      severity: 'error',
      code: 'not-allowed',
      key,
      variable: name,
      message: `${name} is set, but ${key} exists only in ${allowedIn.join(' and ')}; ${environment} must not set it`,
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
 * const result = safeLoadConfig(netraBackendSchema, { env: process.env });
 * if (!result.ok) console.error(formatIssues(result.issues));
 */
export function safeLoadConfig<S extends ConfigSchema>(
  schema: S,
  options: LoadOptions = {},
): SafeLoadResult<InferConfig<S>> {
  const env = readEnv(options.env ?? (process.env as Record<string, string | undefined>));
  const parsedEnvironment = parseEnvironment(options.environment ?? env.get('ENVIRONMENT'));
  if (!parsedEnvironment.ok) return { ok: false, environment: undefined, issues: [parsedEnvironment.issue] };
  const compiled = compile(schema, parsedEnvironment.environment);
  const provided = new Set<string>();
  for (const name of options.providedElsewhere ?? []) provided.add(name);
  const { environment, issues, values } = collect(compiled, env, provided);
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
 * const config = loadConfig(netraBackendSchema); // reads process.env and ENVIRONMENT
 * config.database.host; // typed, frozen
 */
export function loadConfig<S extends ConfigSchema>(schema: S, options: LoadOptions = {}): InferConfig<S> {
  const result = safeLoadConfig(schema, options);
  if (!result.ok) throw new ConfigError(result.issues, { environment: result.environment });
  return result.config;
}

/** Options of {@link validateValue}. */
export interface ValidateValueOptions {
  environment: Environment;
  /** The variable's name in that environment, e.g. `JWT_SECRET_STAGING`. */
  variable: string;
  value: string;
}

/**
 * One variable's value rules (type, format, strength, placeholder, whitespace) in one environment — no
 * cross-variable rules. For values that live in Secret Manager. `[]` means it passes.
 *
 * @example
 * validateValue(netraBackendSchema, { environment: 'staging', variable: 'FERNET_KEY', value }); // Issue[]
 */
export function validateValue(schema: ConfigSchema, options: ValidateValueOptions): Issue[] {
  const compiled = compile(schema, options.environment);
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
  return checkValue(variable, options.value, options.environment).issues;
}
