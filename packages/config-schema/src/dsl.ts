import type { z } from 'zod';
import { suggestEnvironment } from './environment.ts';
import {
  DEFAULT_ENVIRONMENTS,
  type Environment,
  type EnvironmentSelector,
  type IssueCode,
  type SecretBinding,
  type Severity,
  type Tier,
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
  /** Logical key, e.g. `apiToken`. */
  key: string;
  /** The variable's name in this environment, e.g. `API_TOKEN_STAGING`. */
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
  /** Environments or tiers where the rule applies. @default every environment of the schema */
  environments?: readonly EnvironmentSelector[];
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
  /** Environments or tiers where the rule applies. @default every environment of the schema */
  environments?: readonly EnvironmentSelector[];
  /** Keys (relative to the group) the rule reads. */
  keys: readonly string[];
  check(values: Readonly<Record<string, unknown>>, context: CrossRuleContext): CrossRuleFailure | undefined;
}

/** Whether a default option is one value for every environment (not a per-environment record). */
function isSingleDefault(option: DefaultOption): option is string | DynamicDefault {
  return typeof option === 'string' || typeof (option as Partial<DynamicDefault>).resolve === 'function';
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

/**
 * A default for every environment, or per environment or tier (`{ local: '127.0.0.1' }`); an environment's
 * own entry wins over its tier's.
 */
export type DefaultOption =
  | string
  | DynamicDefault
  | Partial<Record<EnvironmentSelector, string | DynamicDefault>>;

/**
 * A Secret Manager binding: `'jwt-secret-{env}'` (bound in every deployed environment, version `latest`) or an
 * object with the secret template, version and environments (or tiers).
 */
export type SecretOption =
  | string
  | { secret: string; version?: string; environments?: readonly EnvironmentSelector[] };

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
  /** Sensitive values are redacted everywhere and may default only in the local tier. @default false */
  sensitive?: boolean;
  /** Per-environment (or per-tier) names that differ from {@link name}. */
  names?: Partial<Record<EnvironmentSelector, string>>;
  /**
   * Environments (or tiers) whose name is `NAME_<ENVIRONMENT>` (`-` becomes `_`), e.g. `['deployed']`:
   * `API_TOKEN_STAGING`, `API_TOKEN_QA`. @default []
   */
  suffixed?: readonly EnvironmentSelector[];
  /** `true` (everywhere) or the environments (or tiers) that require it, e.g. `['deployed']`. @default false */
  required?: boolean | readonly EnvironmentSelector[];
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
  /** Environments (or tiers) where the variable exists; setting it elsewhere is a `not-allowed` error. @default all */
  environments?: readonly EnvironmentSelector[];
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
  /** What the group is, for tools that act on it (`probe` connects to every `postgres` fragment). */
  readonly role?: FragmentRole | undefined;
}

/**
 * What a fragment makes, so that tools find it by role, never by variable name: `postgres`
 * ({@link databaseFragment}: host, port, name, user, password, sslMode), `redis` (host, port, password, tls),
 * `google-oauth` (google.clientId, google.clientSecret, issuerUrl).
 */
export type FragmentRole = 'postgres' | 'redis' | 'google-oauth';

/** A complete schema, the input of every other function. Built once; compiled lazily per environment. */
export interface ConfigSchema<S extends Shape = Shape> {
  readonly kind: 'schema';
  readonly shape: S;
  /** The schema's environments and their tiers, in declaration (promotion) order. */
  readonly environments: Readonly<Record<Environment, Tier>>;
  readonly rules: readonly CrossRule[];
  readonly prefixes: readonly string[];
  /** A short title for the docs. */
  readonly title: string;
}

type EnvsOf<R> = R extends true ? Tier : R extends readonly (infer E)[] ? E : never;
type DefaultEnvs<D> = D extends string
  ? Tier
  : D extends DynamicDefault
    ? Tier
    : D extends object
      ? keyof D & string
      : never;
type Prop<O, K extends string> = O extends { readonly [P in K]: infer V } ? V : never;
type AllowedEnvs<O> = O extends { readonly environments: readonly (infer E)[] } ? E : Tier;
type Covered<O> = EnvsOf<Prop<O, 'required'>> | DefaultEnvs<Prop<O, 'default'>>;
// The types see selectors, not the schema: a tier is covered when a list names it, or names every environment
// the tier has by default (development and test; staging and production). A schema with more environments
// should name tiers (`required: ['deployed']`) so the inferred type is exact.
type DefaultTierEnvironments = { local: 'development' | 'test'; deployed: 'staging' | 'production' };
type TiersOf<L> = {
  [T in Tier]: T extends L ? T : [DefaultTierEnvironments[T]] extends [L] ? T : never;
}[Tier];
/** Whether a variable declared with options `O` may be `undefined` in some environment. */
export type IsOptional<O> = [Exclude<Tier, TiersOf<AllowedEnvs<O>>>] extends [never]
  ? [Exclude<Tier, TiersOf<Covered<O>>>] extends [never]
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
 * type Config = InferConfig<typeof schema>; // Config['database']['host'] is string
 */
export type InferConfig<S> = S extends ConfigSchema<infer Sh> ? InferShape<Sh> : never;

/**
 * Compile-time half of the rule "a sensitive variable defaults only in the local tier" (the runtime half,
 * which knows the schema's tiers, throws {@link SchemaDefinitionError}): a `default` for every environment, or
 * one for `deployed`, `staging` or `production`, becomes a type error.
 */
export type SensitiveDefaultsOnlyLocally<O> = O extends {
  readonly sensitive: true;
  readonly default: infer D;
}
  ? D extends string | DynamicDefault
    ? { readonly default: { readonly local: string | DynamicDefault } }
    : {
        readonly default: {
          readonly [K in keyof D]: K extends 'deployed' | 'staging' | 'production' ? never : D[K];
        };
      }
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
  // Environment names are [a-z][a-z0-9-]*, all valid in a secret ID; defineSchema checks the lengths.
  if (!SECRET_ID.test(template.replaceAll('{env}', 'e'))) {
    throw new SchemaDefinitionError(
      `Variable ${name}'s secret name '${template}' is not a Secret Manager secret ID (1–255 characters: A-Z, a-z, 0-9, - and _; {env} is replaced by the environment).`,
    );
  }
  if (
    spec.version !== undefined &&
    (typeof spec.version !== 'string' || !SECRET_VERSION.test(spec.version))
  ) {
    throw new SchemaDefinitionError(
      `Variable ${name}'s secret version '${String(spec.version)}' is not 'latest' or a version number such as '3'.`,
    );
  }
}

/** Every environment list of a variable's options, with the option's name (for messages). */
function environmentListsOf(options: Readonly<VariableOptions>): [string, unknown[]][] {
  const secret = options.secret;
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
    [
      'secret binding',
      typeof secret === 'object' && secret !== null && Array.isArray(secret.environments)
        ? secret.environments
        : [],
    ],
  ];
  for (const [index, rule] of (options.rules ?? []).entries()) {
    if (rule && Array.isArray(rule.environments)) {
      lists.push([`rule ${rule.id ?? `#${index + 1}`}`, rule.environments]);
    }
  }
  return lists.map(([option, list]) => [option, Array.isArray(list) ? list : []]);
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;
const TIERS: readonly Tier[] = ['local', 'deployed'];

/** At variable() time the schema is not known: an entry must at least be an environment name or a tier. */
function checkEnvironmentLists(options: VariableOptions): void {
  for (const [option, list] of environmentListsOf(options)) {
    for (const entry of list) {
      if (typeof entry !== 'string' || !ENVIRONMENT_NAME.test(entry)) {
        throw new SchemaDefinitionError(
          `Variable ${options.name}'s ${option} names ${JSON.stringify(entry)}, which is neither an environment name (lower-case, e.g. 'staging') nor a tier ('local', 'deployed').`,
        );
      }
    }
  }
}

/** Every default must load: not empty (an empty value counts as not set) and accepted by the value schema. */
function checkDefaults(options: VariableOptions): void {
  const option = options.default;
  if (option === undefined) return;
  const entries: [EnvironmentSelector | undefined, string | DynamicDefault | undefined][] = isSingleDefault(
    option,
  )
    ? [[undefined, option]]
    : (Object.entries(option) as [EnvironmentSelector, string | DynamicDefault | undefined][]);
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

/** Whether an environment list (`undefined`: every environment) selects `environment` of tier `tier`. */
export function selects(
  list: readonly EnvironmentSelector[] | undefined,
  environment: Environment,
  tier: Tier,
): boolean {
  return list === undefined || list.includes(environment) || list.includes(tier);
}

/**
 * Declares one variable.
 *
 * @example
 * const apiToken = variable({
 *   name: 'API_TOKEN', suffixed: ['deployed'], schema: z.string(), sensitive: true,
 *   description: 'Signs session tokens.', required: ['deployed'],
 *   default: { local: 'dev-only-…' }, secret: 'jwt-secret-{env}', rules: [minStrength(32)],
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
  // Whether a default reaches a deployed environment, or a requirement one where the variable is not allowed,
  // depends on the schema's environments and tiers: defineSchema checks them.
  return { kind: 'variable', options: Object.freeze({ ...options }) };
}

/** Options of {@link group}. */
export interface GroupOptions {
  /** Cross-variable rules; their keys are relative to the group. @default [] */
  rules?: readonly CrossRule[];
  /** Name prefixes owned by the group, e.g. `['DATABASE_']`. @default [] */
  prefixes?: readonly string[];
  /** What the group is (the fragments set it); its keys must then be the role's keys. @default none */
  role?: FragmentRole;
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
    ...(options.role === undefined ? {} : { role: options.role }),
  }) as Group<S>;
}

/** Options of {@link defineSchema}. */
export interface SchemaOptions {
  /**
   * The environments, in promotion order, and each one's tier. Names are lower-case `[a-z][a-z0-9-]*`
   * (`local` and `deployed` name the tiers).
   * @default { development: 'local', test: 'local', staging: 'deployed', production: 'deployed' }
   * @example environments: { development: 'local', test: 'local', qa: 'deployed', production: 'deployed' }
   */
  environments?: Readonly<Record<string, Tier>>;
  /** Cross-variable rules over the whole shape. @default [] */
  rules?: readonly CrossRule[];
  /** Top-level name prefixes whose unknown variables are reported. @default [] */
  prefixes?: readonly string[];
  /** Title for the generated docs. @default 'Configuration' */
  title?: string;
}

/**
 * Builds a schema from a shape. Cheap: nothing is compiled until a function needs an environment. Checks
 * what needs the schema's environments: every environment list names one of them or a tier, no sensitive
 * default reaches a deployed environment, no variable is required where it is not allowed, no two variables
 * share a name or a secret.
 *
 * @example
 * const schema = defineSchema(
 *   { environment: environmentVariable(), database: databaseFragment() },
 *   { title: 'Billing worker', environments: { development: 'local', qa: 'deployed', production: 'deployed' } },
 * );
 */
export function defineSchema<const S extends Shape>(shape: S, options: SchemaOptions = {}): ConfigSchema<S> {
  checkShape(shape, 'the schema');
  checkCrossRules(shape, options.rules ?? [], 'schema');
  const environments = checkEnvironments(options.environments);
  const names = Object.keys(environments);
  const checkList = (list: unknown, where: string): void => {
    if (!Array.isArray(list)) return;
    for (const entry of list) {
      if (
        typeof entry === 'string' &&
        (Object.hasOwn(environments, entry) || TIERS.includes(entry as Tier))
      ) {
        continue;
      }
      const near = typeof entry === 'string' ? suggestEnvironment(entry, names) : undefined;
      throw new SchemaDefinitionError(
        `${where} names '${String(entry)}', which is not an environment of this schema (${names.join(', ')}) nor a tier (local, deployed)${near ? `; did you mean '${near}'?` : '.'} Declare it in defineSchema(shape, { environments }) or name a tier.`,
      );
    }
  };
  const checkCrossRuleLists = (rules: readonly CrossRule[], where: string): void => {
    for (const rule of rules) checkList(rule.environments, `Cross-variable rule ${rule.id} of ${where}`);
  };
  checkCrossRuleLists(options.rules ?? [], 'the schema');
  const seen = new Map<string, string>();
  const bound = new Map<string, string>();
  const walk = (node: Shape, prefix: string): void => {
    for (const [key, child] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (child.kind === 'group') {
        checkCrossRuleLists(child.rules, `group ${path}`);
        walk(child.shape, path);
        continue;
      }
      const variableName = child.options.name;
      for (const [option, list] of environmentListsOf(child.options)) {
        checkList(list, `Variable ${variableName}'s ${option}`);
      }
      const allowed = names.filter((env) =>
        selects(child.options.environments, env, environments[env] as Tier),
      );
      const defaultedDeployed = allowed.filter(
        (env) => environments[env] === 'deployed' && defaultIn(child.options, env, 'deployed') !== undefined,
      );
      if (child.options.sensitive && defaultedDeployed.length > 0) {
        throw new SchemaDefinitionError(
          `Variable ${variableName} is sensitive but has a default in ${defaultedDeployed.join(', ')}; a sensitive value may default only in the local tier (${localNames(environments)}). Give the default per tier: default: { local: '…' }.`,
        );
      }
      for (const env of names) {
        const tier = environments[env] as Tier;
        if (requiredIn(child.options, env, tier) && !allowed.includes(env)) {
          throw new SchemaDefinitionError(
            `Variable ${variableName} is required in ${env}, where it is not allowed (environments: ${allowed.join(', ') || 'none'}).`,
          );
        }
      }
      for (const env of allowed) {
        const tier = environments[env] as Tier;
        const name = nameIn(child.options, env, tier);
        if (!NAME.test(name)) {
          throw new SchemaDefinitionError(
            `Variable ${variableName}'s name in ${env}, '${name}', is not an upper-case environment variable name (A-Z, 0-9, _).`,
          );
        }
        const claimed = seen.get(`${env}:${name}`);
        if (claimed !== undefined && claimed !== path) {
          throw new SchemaDefinitionError(
            `${name} is used by both ${claimed} and ${path} in ${env}; give each its own name (a fragment used twice needs its own prefix, e.g. redisFragment({ prefix: 'QUEUE_REDIS_' })).`,
          );
        }
        seen.set(`${env}:${name}`, path);
        const secret = secretIn(child.options, env, tier)?.secret;
        if (secret === undefined) continue;
        if (!SECRET_ID.test(secret)) {
          throw new SchemaDefinitionError(
            `Variable ${variableName}'s secret in ${env}, '${secret}', is not a Secret Manager secret ID (1–255 characters: A-Z, a-z, 0-9, - and _).`,
          );
        }
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
    environments,
    rules: Object.freeze([...(options.rules ?? [])]),
    prefixes: Object.freeze([...(options.prefixes ?? [])]),
    title: options.title ?? 'Configuration',
  }) as ConfigSchema<S>;
}

function localNames(environments: Readonly<Record<string, Tier>>): string {
  return (
    Object.keys(environments)
      .filter((env) => environments[env] === 'local')
      .join(', ') || 'none in this schema'
  );
}

/** Validates `defineSchema`'s `environments` option; omitted, the four of the backend. */
function checkEnvironments(option: unknown): Readonly<Record<string, Tier>> {
  if (option === undefined) return DEFAULT_ENVIRONMENTS;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new SchemaDefinitionError(
      `The schema's environments must be an object of environment → tier, e.g. { development: 'local', staging: 'deployed' }.`,
    );
  }
  const entries = Object.entries(option);
  if (entries.length === 0) {
    throw new SchemaDefinitionError(
      `The schema declares no environment; name at least one, e.g. environments: { development: 'local' }.`,
    );
  }
  const byLowerCase = new Map<string, string>();
  for (const [name] of entries) {
    const twin = byLowerCase.get(name.toLowerCase());
    if (twin !== undefined) {
      throw new SchemaDefinitionError(
        `The schema declares the environments '${twin}' and '${name}', which differ only in case; ENVIRONMENT values are lower-case, keep one.`,
      );
    }
    byLowerCase.set(name.toLowerCase(), name);
  }
  for (const [name, tier] of entries) {
    if (!ENVIRONMENT_NAME.test(name)) {
      throw new SchemaDefinitionError(
        `The environment name '${name}' is not lower-case [a-z][a-z0-9-]* (it is read from ENVIRONMENT); rename it, e.g. '${
          name
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '-')
            .replace(/^[^a-z]+/, '') || 'qa'
        }'.`,
      );
    }
    if (TIERS.includes(name as Tier)) {
      throw new SchemaDefinitionError(
        `The environment name '${name}' is the name of a tier (environment lists use 'local' and 'deployed' for every environment of that tier); rename the environment.`,
      );
    }
    if (tier !== 'local' && tier !== 'deployed') {
      throw new SchemaDefinitionError(
        `Environment ${name}'s tier is ${JSON.stringify(tier)}; a tier is 'local' (defaults allowed, nothing bound) or 'deployed' (no secret, host or URL defaults; secrets from Secret Manager).`,
      );
    }
  }
  return Object.freeze(Object.fromEntries(entries)) as Record<string, Tier>;
}

/** A variable's name in one environment (of tier `tier`). */
export function nameIn(options: Readonly<VariableOptions>, environment: Environment, tier: Tier): string {
  const explicit = options.names?.[environment] ?? options.names?.[tier];
  if (explicit) return explicit;
  if (options.suffixed?.includes(environment) || options.suffixed?.includes(tier)) {
    return `${options.name}_${environment.toUpperCase().replaceAll('-', '_')}`;
  }
  return options.name;
}

/** A variable's secret binding in one environment (of tier `tier`). */
export function secretIn(
  options: Readonly<VariableOptions>,
  environment: Environment,
  tier: Tier,
): SecretBinding | undefined {
  const option = options.secret;
  if (option === undefined) return undefined;
  const spec = typeof option === 'string' ? { secret: option } : option;
  if (!selects(spec.environments ?? ['deployed'], environment, tier)) return undefined;
  return { secret: spec.secret.replaceAll('{env}', environment), version: spec.version ?? 'latest' };
}

/** A variable's default in one environment (of tier `tier`): the environment's own entry, else its tier's. */
export function defaultIn(
  options: Readonly<VariableOptions>,
  environment: Environment,
  tier: Tier,
): string | DynamicDefault | undefined {
  const option = options.default;
  if (option === undefined) return undefined;
  if (isSingleDefault(option)) return option;
  const perEnvironment = option as Partial<Record<string, string | DynamicDefault>>;
  return Object.hasOwn(perEnvironment, environment) ? perEnvironment[environment] : perEnvironment[tier];
}

/** Whether a variable is required in one environment (of tier `tier`). */
export function requiredIn(
  options: Readonly<VariableOptions>,
  environment: Environment,
  tier: Tier,
): boolean {
  const required = options.required;
  if (required === true) return true;
  if (!required) return false;
  return required.includes(environment) || required.includes(tier);
}

/** A fragment of a schema found by its role: where it is and what it is. */
export interface SchemaFragment {
  role: FragmentRole;
  /** Its key path in the schema, e.g. `billingDb` (its variables are `billingDb.host`, …). */
  key: string;
  /** Its first name prefix, e.g. `BILLING_DB_` (`''` when it has none). */
  prefix: string;
}

/**
 * Every fragment of the schema that has a role, in shape order — how tools find "the PostgreSQL databases"
 * of any schema without naming a variable.
 *
 * @example
 * fragmentsOf(workerSchema); // [{ role: 'postgres', key: 'billingDb', prefix: 'BILLING_DB_' }]
 */
export function fragmentsOf(schema: ConfigSchema, role?: FragmentRole): SchemaFragment[] {
  const found: SchemaFragment[] = [];
  const walk = (shape: Shape, path: readonly string[]): void => {
    for (const [key, child] of Object.entries(shape)) {
      if (child.kind !== 'group') continue;
      const childPath = [...path, key];
      if (child.role !== undefined && (role === undefined || child.role === role)) {
        found.push({ role: child.role, key: childPath.join('.'), prefix: child.prefixes[0] ?? '' });
      }
      walk(child.shape, childPath);
    }
  };
  walk(schema.shape, []);
  return found;
}
