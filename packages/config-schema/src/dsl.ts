import type { z } from 'zod';
import {
  ENVIRONMENTS,
  type Environment,
  type IssueCode,
  type SecretBinding,
  type Severity,
} from './types.ts';
import { expectationOf, fastParserOf, PARSE_FAILED } from './values.ts';

/** Thrown by {@link variable}, {@link group} and {@link defineSchema} when a definition contradicts itself. */
export class SchemaDefinitionError extends Error {
  /** Stable code. */
  readonly code = 'SCHEMA_INVALID' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaDefinitionError';
  }
}

/** What a value rule reports when it fails: the loader adds severity, key and variable. */
export interface RuleFailure {
  /** Issue code, e.g. `weak-secret`. */
  code: IssueCode;
  /** What is wrong and what was expected. Never include the value of a sensitive variable. */
  message: string;
  /** How to fix it. */
  hint: string;
}

/** What a value rule knows about the variable it checks. */
export interface RuleContext {
  environment: Environment;
  /** Logical key, e.g. `jwtSecret`. */
  key: string;
  /** The variable's name in this environment, e.g. `JWT_SECRET_STAGING`. */
  variable: string;
  sensitive: boolean;
  /** The variable's development/test defaults (so a placeholder rule can refuse them elsewhere). */
  developmentDefaults: readonly string[];
  /** How a real value is obtained (generated or issued by a provider), for hints. */
  obtain?: ObtainOption;
  /** The Secret Manager binding in this environment, for hints. */
  secret?: SecretBinding;
}

/**
 * A rule on one variable's string value, beyond its zod schema: a policy such as not-loopback or minimum
 * strength. Rules see the raw (trimmed) string, so they work the same for env values and Secret Manager values.
 *
 * @example
 * const noUnderscore: Rule = { id: 'no-underscore', description: 'no `_`', check: (v, c) =>
 *   v.includes('_') ? { code: 'invalid', message: `${c.variable} contains _`, hint: 'Remove it.' } : undefined };
 */
export interface Rule {
  /** Stable id, shown in docs and in JSON Schema's `x-netra-unchecked`. */
  id: string;
  /** One line for the docs, e.g. `at least 32 characters`. */
  description: string;
  /** @default 'error' */
  severity?: Severity;
  /** Environments where the rule applies. @default all four */
  environments?: readonly Environment[];
  /** When this rule fails, skip the variable's other checks (their messages would be noise). @default false */
  exclusive?: boolean;
  /** `undefined` when the value passes. */
  check(value: string, context: RuleContext): RuleFailure | undefined;
  /**
   * The same rule as JSON Schema 2020-12 keywords on the string value (for {@link toJSONSchema});
   * absent when JSON Schema cannot express it, and the rule is then named in `x-netra-unchecked`.
   */
  jsonSchema?: Record<string, unknown> | ((context: RuleContext) => Record<string, unknown>);
}

/** What a cross-variable rule reports: `key` is relative to the group that declares the rule. */
export interface CrossRuleFailure extends RuleFailure {
  key: string;
}

/** What a cross-variable rule knows. */
export interface CrossRuleContext {
  environment: Environment;
  /** The variable name of a key (relative to the rule's group) in this environment. */
  variable(key: string): string;
}

/**
 * A rule over several variables of one group (or of the whole schema), e.g. "the database password differs
 * from the user". It runs only when every key it reads passed its own checks; an optional key that is not set
 * reads as `undefined` (a key provided elsewhere, whose value is unknown, skips the rule).
 *
 * @example
 * const rule: CrossRule = { id: 'password-not-user', description: 'password ≠ user', keys: ['user', 'password'],
 *   check: (v, c) => v.user === v.password ? { key: 'password', code: 'weak-secret',
 *     message: `${c.variable('password')} equals the user name`, hint: 'Use a generated password.' } : undefined };
 */
export interface CrossRule {
  id: string;
  description: string;
  /** @default 'error' */
  severity?: Severity;
  /** @default all four */
  environments?: readonly Environment[];
  /** Keys (relative to the group) the rule reads. */
  keys: readonly string[];
  check(values: Readonly<Record<string, unknown>>, context: CrossRuleContext): CrossRuleFailure | undefined;
}

/** A default computed from other raw values, e.g. `DATABASE_SSL_MODE` is `disable` for a `/cloudsql/` socket. */
export interface DynamicDefault {
  /** The usual default, shown in docs and `.env.example`. */
  value: string;
  /** One line for the docs, e.g. `require (disable for /cloudsql/ sockets)`. */
  description: string;
  /** Returns the default given the raw env (empty strings read as `undefined`). */
  resolve(lookup: (variable: string) => string | undefined): string;
}

/** A default for every environment, or per environment. */
export type DefaultOption = string | DynamicDefault | Partial<Record<Environment, string | DynamicDefault>>;

/**
 * A Secret Manager binding: `'jwt-secret-{env}'` (bound in staging and production, version `latest`) or an
 * object with the secret template, version and environments.
 */
export type SecretOption =
  | string
  | { secret: string; version?: string; environments?: readonly Environment[] };

/**
 * How a real value of a sensitive variable is obtained, so that hints say the right thing: a secret we make
 * is generated with a command (`{ generate: 'openssl rand -base64 48' }`); a secret a provider issues is
 * copied from where the provider shows it (`{ copyFrom: 'the Google Cloud console → …' }`), never generated.
 */
export type ObtainOption = { generate: string } | { copyFrom: string };

/** Everything one variable declares. */
export interface VariableOptions<S extends z.ZodType = z.ZodType> {
  /** The plain name, used wherever {@link names}/{@link suffixed} do not say otherwise. */
  name: string;
  /** The zod schema of the value; its input is the env string, its output the config field. */
  schema: S;
  /** One or two sentences for the docs. */
  description: string;
  /** A safe example value (never a real secret). */
  example?: string;
  /** Sensitive values are redacted everywhere and may default only in development/test. @default false */
  sensitive?: boolean;
  /** Per-environment names that differ from {@link name}. */
  names?: Partial<Record<Environment, string>>;
  /** Environments whose name is `NAME_<ENVIRONMENT>`, e.g. `['staging', 'production']`. @default [] */
  suffixed?: readonly Environment[];
  /** `true` (everywhere) or the environments that require it. @default false */
  required?: boolean | readonly Environment[];
  /** Default as the env string: one for every environment or per environment. @default none */
  default?: DefaultOption;
  /** Secret Manager binding. @default none */
  secret?: SecretOption;
  /**
   * How a real value is obtained: generated by a command, or copied from the provider that issues it. Used in
   * hints (a placeholder Google client secret is not fixed with `openssl rand`) and in the docs. Without it,
   * hints for a sensitive value say only to set the real value.
   * @default none
   * @example obtain: { generate: 'openssl rand -base64 48' }
   */
  obtain?: ObtainOption;
  /** Where the variable exists; setting it elsewhere is a `not-allowed` error. @default all four */
  environments?: readonly Environment[];
  /** Set by the platform (Cloud Run's `PORT`): a manifest must not set it. @default false */
  reserved?: boolean;
  /** Extra rules (policies) with severities. @default [] */
  rules?: readonly Rule[];
}

/** A declared variable. `T` is its config type, `O` whether the field may be `undefined`. */
export interface Variable<T = unknown, O extends boolean = boolean> {
  readonly kind: 'variable';
  readonly options: Readonly<VariableOptions>;
  /** @internal type-level only */
  readonly __type?: { output: T; optional: O };
}

/** A shape: keys to variables or nested groups. */
export type Shape = { readonly [key: string]: Variable<unknown, boolean> | Group<Shape> };

/** A named group of variables with its own cross-variable rules: a reusable fragment. */
export interface Group<S extends Shape = Shape> {
  readonly kind: 'group';
  readonly shape: S;
  readonly rules: readonly CrossRule[];
  /** Name prefixes that belong to this group (`DATABASE_`): unknown variables with it are reported. */
  readonly prefixes: readonly string[];
}

/** A complete schema, the input of every other function. Built once; compiled lazily per environment. */
export interface ConfigSchema<S extends Shape = Shape> {
  readonly kind: 'schema';
  readonly shape: S;
  readonly rules: readonly CrossRule[];
  readonly prefixes: readonly string[];
  /** A short title for the docs. */
  readonly title: string;
}

type EnvsOf<R> = R extends true ? Environment : R extends readonly (infer E)[] ? E : never;
type DefaultEnvs<D> = D extends string
  ? Environment
  : D extends DynamicDefault
    ? Environment
    : D extends object
      ? keyof D & Environment
      : never;
type Prop<O, K extends string> = O extends { readonly [P in K]: infer V } ? V : never;
type AllowedEnvs<O> = O extends { readonly environments: readonly (infer E)[] } ? E : Environment;
type Covered<O> = EnvsOf<Prop<O, 'required'>> | DefaultEnvs<Prop<O, 'default'>>;
/** Whether a variable declared with options `O` may be `undefined` in some environment. */
export type IsOptional<O> = [Exclude<Environment, AllowedEnvs<O>>] extends [never]
  ? [Exclude<Environment, Covered<O>>] extends [never]
    ? false
    : true
  : true;

/** The config type of a shape: nested, readonly. */
export type InferShape<S extends Shape> = {
  readonly [K in keyof S]: S[K] extends Variable<infer T, infer O>
    ? O extends true
      ? T | undefined
      : T
    : S[K] extends Group<infer G>
      ? InferShape<G>
      : never;
};

/**
 * The loaded configuration's type, inferred from the schema.
 *
 * @example
 * type Config = InferConfig<typeof netraBackendSchema>; // Config['database']['host'] is string
 */
export type InferConfig<S> = S extends ConfigSchema<infer Sh> ? InferShape<Sh> : never;

/**
 * Compile-time half of the rule "a sensitive variable defaults only in development and test" (the runtime
 * half throws {@link SchemaDefinitionError}): such a `default` becomes a type error.
 */
export type SensitiveDefaultsOnlyLocally<O> = O extends {
  readonly sensitive: true;
  readonly default: infer D;
}
  ? D extends string | DynamicDefault
    ? {
        readonly default: {
          readonly development: string | DynamicDefault;
          readonly test?: string | DynamicDefault;
        };
      }
    : { readonly default: { readonly [K in keyof D]: K extends 'development' | 'test' ? D[K] : never } }
  : unknown;

const NAME = /^[A-Z][A-Z0-9_]*$/;
// Secret Manager secret IDs: 1–255 of letters, digits, `-` and `_`; versions are `latest` or a number.
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const SECRET_VERSION = /^(latest|[1-9][0-9]*)$/;

function checkSecretOption(name: string, option: SecretOption | undefined): void {
  if (option === undefined) return;
  const spec: Partial<Exclude<SecretOption, string>> =
    typeof option === 'string' ? { secret: option } : typeof option === 'object' && option ? option : {};
  const template = spec.secret;
  if (typeof template !== 'string' || template === '') {
    throw new SchemaDefinitionError(
      `Variable ${name}'s secret binding has no secret name; write secret: 'my-secret-{env}' or secret: { secret: 'my-secret-{env}', version: 'latest' }.`,
    );
  }
  for (const environment of ENVIRONMENTS) {
    if (!SECRET_ID.test(template.replaceAll('{env}', environment))) {
      throw new SchemaDefinitionError(
        `Variable ${name}'s secret name '${template}' is not a Secret Manager secret ID (1–255 characters: A-Z, a-z, 0-9, - and _; {env} is replaced by the environment).`,
      );
    }
  }
  if (
    spec.version !== undefined &&
    (typeof spec.version !== 'string' || !SECRET_VERSION.test(spec.version))
  ) {
    throw new SchemaDefinitionError(
      `Variable ${name}'s secret version '${String(spec.version)}' is not 'latest' or a version number such as '3'.`,
    );
  }
  for (const environment of spec.environments ?? []) {
    if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
      throw new SchemaDefinitionError(
        `Variable ${name}'s secret binding names '${String(environment)}', which is not an environment (${ENVIRONMENTS.join(', ')}).`,
      );
    }
  }
}

function checkEnvironmentLists(options: VariableOptions): void {
  const lists: [string, unknown][] = [
    ['required', Array.isArray(options.required) ? options.required : []],
    ['suffixed', options.suffixed ?? []],
    ['environments', options.environments ?? []],
    [
      'default',
      typeof options.default === 'object' && !('resolve' in options.default)
        ? Object.keys(options.default)
        : [],
    ],
    ['names', Object.keys(options.names ?? {})],
  ];
  for (const [option, list] of lists) {
    for (const environment of list as unknown[]) {
      if (!(ENVIRONMENTS as readonly unknown[]).includes(environment)) {
        throw new SchemaDefinitionError(
          `Variable ${options.name}'s ${option} names '${String(environment)}', which is not an environment (${ENVIRONMENTS.join(', ')}).`,
        );
      }
    }
  }
}

/** Every default must load: not empty (an empty value counts as not set) and accepted by the value schema. */
function checkDefaults(options: VariableOptions): void {
  const option = options.default;
  if (option === undefined) return;
  const entries: [Environment | undefined, string | DynamicDefault | undefined][] =
    typeof option === 'string' || 'resolve' in option
      ? [[undefined, option]]
      : (Object.entries(option) as [Environment, string | DynamicDefault | undefined][]);
  const direct = fastParserOf(options.schema);
  const parse = (value: string): unknown => {
    try {
      if (direct) return direct(value);
      const result = options.schema.safeParse(value);
      return result.success ? result.data : PARSE_FAILED;
    } catch {
      return PARSE_FAILED; // a transform that throws (its message may quote the default)
    }
  };
  for (const [environment, value] of entries) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.value;
    const where = environment ? ` in ${environment}` : '';
    if (text === '') {
      throw new SchemaDefinitionError(
        `Variable ${options.name}'s default${where} is empty, which counts as not set; omit the default instead.`,
      );
    }
    if (parse(text) === PARSE_FAILED) {
      const expectation = expectationOf(options.schema);
      throw new SchemaDefinitionError(
        `Variable ${options.name}'s default${where}${options.sensitive ? '' : ` ('${text}')`} does not pass its own schema${expectation ? `: expected ${expectation}` : ''}.`,
      );
    }
  }
}

// Keys that JavaScript itself reads on the config object (or that set its prototype): as settings they would
// replace the redaction methods or vanish. A `.` would make `a.b` ambiguous with group `a`, key `b`.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype', 'toJSON', 'toString', 'valueOf']);

function checkShape(shape: object, where: string): void {
  const prototype = Object.getPrototypeOf(shape);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new SchemaDefinitionError(
      `The shape of ${where} has its prototype replaced: \`__proto__: …\` in an object literal sets the prototype instead of declaring a key, and that setting would be silently dropped. Use another key name.`,
    );
  }
  for (const [key, child] of Object.entries(shape)) {
    if (key === '' || key.includes('.') || RESERVED_KEYS.has(key)) {
      const why =
        key === ''
          ? 'it is empty'
          : key.includes('.')
            ? 'keys may not contain `.` (nest a group instead)'
            : 'JavaScript reads that property of every object (it would break the config object or its redaction)';
      throw new SchemaDefinitionError(
        `The key ${JSON.stringify(key)} in ${where} cannot be a config key: ${why}. Rename it.`,
      );
    }
    const kind = (child as { kind?: unknown } | null)?.kind;
    if (kind !== 'variable' && kind !== 'group') {
      throw new SchemaDefinitionError(
        `The key ${JSON.stringify(key)} in ${where} is not a variable(…) or a group(…); wrap a value schema in variable({ name, schema, description }).`,
      );
    }
  }
}

function environmentsOf(value: boolean | readonly Environment[] | undefined): readonly Environment[] {
  if (value === true) return ENVIRONMENTS;
  if (!value) return [];
  return value;
}

/**
 * Declares one variable.
 *
 * @example
 * const jwtSecret = variable({
 *   name: 'JWT_SECRET', suffixed: ['staging', 'production'], schema: z.string(), sensitive: true,
 *   description: 'Signs session tokens.', required: ['staging', 'production'],
 *   default: { development: 'dev-only-…', test: 'dev-only-…' }, secret: 'jwt-secret-{env}', rules: [minStrength(32)],
 * });
 */
export function variable<const O extends VariableOptions>(
  options: O & SensitiveDefaultsOnlyLocally<O>,
): Variable<z.output<O['schema']>, IsOptional<O>> {
  const names = [options.name, ...Object.values(options.names ?? {})];
  for (const name of names) {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new SchemaDefinitionError(
        `Variable name '${String(name)}' is not an upper-case environment variable name (A-Z, 0-9, _).`,
      );
    }
  }
  checkSecretOption(options.name, options.secret);
  checkEnvironmentLists(options);
  checkDefaults(options);
  for (const [index, rule] of (options.rules ?? []).entries()) {
    const candidate = rule as Partial<Rule> | undefined;
    const problem = !candidate
      ? 'is missing'
      : typeof candidate.id !== 'string' || candidate.id === ''
        ? 'has no id'
        : typeof candidate.description !== 'string' || candidate.description === ''
          ? `${candidate.id} has no description`
          : typeof candidate.check !== 'function'
            ? `${candidate.id} has no check(value, context) function`
            : undefined;
    if (problem) {
      throw new SchemaDefinitionError(
        `Variable ${options.name}'s rule #${index + 1} ${problem}; a rule is { id, description, check(value, context) }.`,
      );
    }
  }
  if (!options.description) {
    throw new SchemaDefinitionError(`Variable ${options.name} has no description; the docs need one.`);
  }
  if (options.sensitive && options.default !== undefined) {
    const allowed: readonly Environment[] = options.environments ?? ENVIRONMENTS;
    const defaulted =
      typeof options.default === 'string' || 'resolve' in options.default
        ? allowed
        : (Object.keys(options.default) as Environment[]);
    const bad = defaulted.filter((env) => env !== 'development' && env !== 'test');
    if (bad.length > 0) {
      throw new SchemaDefinitionError(
        `Variable ${options.name} is sensitive but has a default in ${bad.join(', ')}; a sensitive value may default only in development and test.`,
      );
    }
  }
  const required = environmentsOf(options.required);
  const allowed = options.environments ?? ENVIRONMENTS;
  for (const env of required) {
    if (!allowed.includes(env)) {
      throw new SchemaDefinitionError(
        `Variable ${options.name} is required in ${env}, where it is not allowed.`,
      );
    }
  }
  return { kind: 'variable', options: Object.freeze({ ...options }) };
}

/** Options of {@link group}. */
export interface GroupOptions {
  /** Cross-variable rules; their keys are relative to the group. @default [] */
  rules?: readonly CrossRule[];
  /** Name prefixes owned by the group, e.g. `['DATABASE_']`. @default [] */
  prefixes?: readonly string[];
}

function checkCrossRules(shape: Shape, rules: readonly CrossRule[], where: string): void {
  for (const rule of rules) {
    for (const key of rule.keys) {
      let node: Shape | undefined = shape;
      let found = false;
      const segments = key.split('.');
      segments.forEach((segment, index) => {
        const child: Shape[string] | undefined =
          node && Object.hasOwn(node, segment) ? node[segment] : undefined;
        if (index === segments.length - 1) found = child?.kind === 'variable';
        else node = child?.kind === 'group' ? child.shape : undefined;
      });
      if (!found) {
        throw new SchemaDefinitionError(
          `Cross-variable rule ${rule.id} reads '${key}', which is not a key of its ${where} (keys: ${Object.keys(shape).join(', ')}).`,
        );
      }
    }
  }
}

/**
 * Groups variables under one key (`config.database.host`), with cross-variable rules. Fragments are functions
 * returning a group, so other services' schemas reuse them.
 *
 * @example
 * const database = group({ host, port, user, password }, { prefixes: ['DATABASE_'], rules: [passwordNotUser] });
 */
export function group<const S extends Shape>(shape: S, options: GroupOptions = {}): Group<S> {
  checkShape(shape, 'a group');
  checkCrossRules(shape, options.rules ?? [], 'group');
  return Object.freeze({
    kind: 'group',
    shape: Object.freeze({ ...shape }),
    rules: Object.freeze([...(options.rules ?? [])]),
    prefixes: Object.freeze([...(options.prefixes ?? [])]),
  }) as Group<S>;
}

/** Options of {@link defineSchema}. */
export interface SchemaOptions {
  /** Cross-variable rules over the whole shape. @default [] */
  rules?: readonly CrossRule[];
  /** Top-level name prefixes whose unknown variables are reported. @default [] */
  prefixes?: readonly string[];
  /** Title for the generated docs. @default 'Configuration' */
  title?: string;
}

/**
 * Builds a schema from a shape. Cheap: nothing is compiled until a function needs an environment.
 *
 * @example
 * const schema = defineSchema({ environment: environmentVariable(), database: databaseFragment() });
 */
export function defineSchema<const S extends Shape>(shape: S, options: SchemaOptions = {}): ConfigSchema<S> {
  checkShape(shape, 'the schema');
  checkCrossRules(shape, options.rules ?? [], 'schema');
  const seen = new Map<string, string>();
  const bound = new Map<string, string>();
  const walk = (node: Shape, prefix: string): void => {
    for (const [key, child] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (child.kind === 'group') {
        walk(child.shape, path);
        continue;
      }
      for (const env of child.options.environments ?? ENVIRONMENTS) {
        const name = nameIn(child.options, env);
        const claimed = seen.get(`${env}:${name}`);
        if (claimed !== undefined && claimed !== path) {
          throw new SchemaDefinitionError(
            `${name} is used by both ${claimed} and ${path} in ${env}; give each its own name (a fragment used twice needs its own prefix, e.g. redisFragment({ prefix: 'QUEUE_REDIS_' })).`,
          );
        }
        seen.set(`${env}:${name}`, path);
        const secret = secretIn(child.options, env)?.secret;
        if (secret === undefined) continue;
        const holder = bound.get(`${env}:${secret}`);
        if (holder !== undefined && holder !== name) {
          throw new SchemaDefinitionError(
            `${holder} and ${name} are both bound to secret ${secret} in ${env}; each variable needs its own secret (fragments take passwordSecret/secrets options).`,
          );
        }
        bound.set(`${env}:${secret}`, name);
      }
    }
  };
  walk(shape, '');
  return Object.freeze({
    kind: 'schema',
    shape: Object.freeze({ ...shape }),
    rules: Object.freeze([...(options.rules ?? [])]),
    prefixes: Object.freeze([...(options.prefixes ?? [])]),
    title: options.title ?? 'Configuration',
  }) as ConfigSchema<S>;
}

/** A variable's name in one environment. */
export function nameIn(options: Readonly<VariableOptions>, environment: Environment): string {
  const explicit = options.names?.[environment];
  if (explicit) return explicit;
  if (options.suffixed?.includes(environment)) return `${options.name}_${environment.toUpperCase()}`;
  return options.name;
}

/** A variable's secret binding in one environment. */
export function secretIn(
  options: Readonly<VariableOptions>,
  environment: Environment,
): SecretBinding | undefined {
  const option = options.secret;
  if (option === undefined) return undefined;
  const spec = typeof option === 'string' ? { secret: option } : option;
  const environments = spec.environments ?? ['staging', 'production'];
  if (!environments.includes(environment)) return undefined;
  return { secret: spec.secret.replaceAll('{env}', environment), version: spec.version ?? 'latest' };
}

/** A variable's default in one environment. */
export function defaultIn(
  options: Readonly<VariableOptions>,
  environment: Environment,
): string | DynamicDefault | undefined {
  const option = options.default;
  if (option === undefined) return undefined;
  if (typeof option === 'string' || 'resolve' in option) return option;
  return (option as Partial<Record<Environment, string | DynamicDefault>>)[environment];
}

/** Whether a variable is required in one environment. */
export function requiredIn(options: Readonly<VariableOptions>, environment: Environment): boolean {
  return environmentsOf(options.required).includes(environment);
}
