import type { z } from 'zod';
import {
  type ConfigSchema,
  type CrossRule,
  type DynamicDefault,
  defaultIn,
  type Group,
  nameIn,
  type ObtainOption,
  type Rule,
  type RuleContext,
  requiredIn,
  type Shape,
  secretIn,
  selects,
  type Variable,
} from './dsl.ts';
import type { Environment, SecretBinding, Tier } from './types.ts';
import { fastParserOf, oneOf, PARSE_FAILED } from './values.ts';

/** One variable as it is in one environment. */
export interface CompiledVariable {
  /** Position in {@link CompiledSchema.variables}. */
  index: number;
  key: string;
  path: readonly string[];
  name: string;
  /** Names this key has in the other environments (deduplicated, without `name`). */
  otherNames: readonly string[];
  schema: z.ZodType;
  description: string;
  example: string | undefined;
  required: boolean;
  sensitive: boolean;
  reserved: boolean;
  isEnvironment: boolean;
  default: string | DynamicDefault | undefined;
  developmentDefaults: readonly string[];
  secret: SecretBinding | undefined;
  /** How a real value is obtained, if declared. */
  obtain: ObtainOption | undefined;
  rules: readonly Rule[];
  /** Precomputed for loading: rules that stop the other checks, the others, and the rule context. */
  exclusiveRules: readonly Rule[];
  otherRules: readonly Rule[];
  context: RuleContext;
  /** A direct parser equivalent to `schema` (the value helpers register one), else zod's safeParse. */
  parse: (value: string) => unknown;
  /** Other environments' names that are not also a name of some variable here (wrong-name candidates). */
  foreignNames: readonly string[];
}

/** A cross-variable rule with the path of the group that declared it. */
interface CompiledCrossRule {
  rule: CrossRule;
  groupPath: readonly string[];
  /** Relative key → full key, for every key the rule reads. */
  fullKeys: ReadonlyMap<string, string>;
  /** Relative key → variable index (-1 when the key names no variable in this environment). */
  slots: readonly (readonly [string, number])[];
}

/** A schema as it is in one environment. */
export interface CompiledSchema {
  environment: Environment;
  /** The environment's tier. */
  tier: Tier;
  variables: readonly CompiledVariable[];
  byName: ReadonlyMap<string, CompiledVariable>;
  byKey: ReadonlyMap<string, CompiledVariable>;
  /** Keys that exist in other environments but not here, with their names there. */
  notAllowed: ReadonlyMap<string, { key: string; allowedIn: readonly Environment[] }>;
  /** Every name of every variable in every environment (for did-you-mean). */
  allNames: readonly string[];
  knownNames: ReadonlySet<string>;
  /** {@link notAllowed} names that no variable here uses, sorted. */
  notAllowedNames: readonly string[];
  crossRules: readonly CompiledCrossRule[];
  prefixes: readonly string[];
}

/** Marks the variable whose value is the environment itself (see `environmentVariable`). */
export const ENVIRONMENT_MARK = Symbol.for('netra.config-schema.environment');

const cache = new WeakMap<ConfigSchema<Shape>, Map<Environment, CompiledSchema>>();

function parserFor(schema: z.ZodType): CompiledVariable['parse'] {
  const fast = fastParserOf(schema);
  if (fast) return fast;
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : PARSE_FAILED;
  };
}

function developmentDefaultsOf(variable: Variable, localEnvironments: readonly Environment[]): string[] {
  const values = new Set<string>();
  for (const env of localEnvironments) {
    const value = defaultIn(variable.options, env, 'local');
    if (value !== undefined) values.add(typeof value === 'string' ? value : value.value);
  }
  return [...values];
}

/** The schema as it is in `environment`; compiled on first use and cached per schema and environment. */
export function compile(schema: ConfigSchema, environment: Environment): CompiledSchema {
  let perEnvironment = cache.get(schema);
  if (!perEnvironment) {
    perEnvironment = new Map();
    cache.set(schema, perEnvironment);
  }
  const cached = perEnvironment.get(environment);
  if (cached) return cached;
  const tierOf = schema.environments;
  const tier = Object.hasOwn(tierOf, environment) ? tierOf[environment] : undefined;
  if (tier === undefined) {
    throw new Error(`${environment} is not an environment of this schema`); // callers check first
  }
  const environmentNames = Object.keys(tierOf);
  const localEnvironments = environmentNames.filter((env) => tierOf[env] === 'local');
  const environmentSchema = oneOf(environmentNames as [string, ...string[]]);

  const variables: CompiledVariable[] = [];
  const notAllowed = new Map<string, { key: string; allowedIn: readonly Environment[] }>();
  const allNames = new Set<string>();
  const crossRules: CompiledCrossRule[] = [];
  const prefixes = new Set<string>(schema.prefixes);
  const crossRule = (rule: CrossRule, groupPath: readonly string[]): CompiledCrossRule => ({
    rule,
    groupPath,
    fullKeys: new Map(rule.keys.map((key) => [key, [...groupPath, key].join('.')])),
    slots: [],
  });
  for (const rule of schema.rules) crossRules.push(crossRule(rule, []));

  const walk = (shape: Shape, path: readonly string[]): void => {
    for (const [segment, child] of Object.entries(shape)) {
      const childPath = [...path, segment];
      if (child.kind === 'group') {
        const node = child as Group;
        for (const prefix of node.prefixes) prefixes.add(prefix);
        for (const rule of node.rules) crossRules.push(crossRule(rule, childPath));
        walk(node.shape, childPath);
        continue;
      }
      const variable = child as Variable;
      const options = variable.options;
      const allowedIn = environmentNames.filter((env) =>
        selects(options.environments, env, tierOf[env] as Tier),
      );
      const key = childPath.join('.');
      const names = allowedIn.map((env) => nameIn(options, env, tierOf[env] as Tier));
      for (const name of names) allNames.add(name);
      if (!allowedIn.includes(environment)) {
        for (const name of names) notAllowed.set(name, { key, allowedIn });
        continue;
      }
      const name = nameIn(options, environment, tier);
      const rules = (options.rules ?? []).filter((rule) => selects(rule.environments, environment, tier));
      const sensitive = options.sensitive ?? false;
      const developmentDefaults = developmentDefaultsOf(variable, localEnvironments);
      const secret = secretIn(options, environment, tier);
      const isEnvironment = (options as { [ENVIRONMENT_MARK]?: boolean })[ENVIRONMENT_MARK] === true;
      // The ENVIRONMENT variable accepts exactly this schema's environments.
      const valueSchema = isEnvironment ? environmentSchema : options.schema;
      const context: RuleContext = { environment, key, variable: name, sensitive, developmentDefaults };
      if (options.obtain) context.obtain = options.obtain;
      if (secret) context.secret = secret;
      variables.push({
        index: variables.length,
        key,
        path: childPath,
        name,
        otherNames: [...new Set(names.filter((other) => other !== name))],
        schema: valueSchema,
        description: options.description,
        example: options.example,
        required: requiredIn(options, environment, tier),
        sensitive,
        reserved: options.reserved ?? false,
        isEnvironment,
        default: defaultIn(options, environment, tier),
        developmentDefaults,
        secret,
        obtain: options.obtain,
        rules,
        exclusiveRules: rules.filter((rule) => rule.exclusive),
        otherRules: rules.filter((rule) => !rule.exclusive),
        context,
        parse: parserFor(valueSchema),
        foreignNames: [],
      });
    }
  };
  walk(schema.shape, []);

  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  for (const variable of variables) {
    variable.foreignNames = variable.otherNames.filter((other) => !byName.has(other));
  }
  const byKey = new Map(variables.map((variable) => [variable.key, variable]));
  for (const compiledRule of crossRules) {
    compiledRule.slots = [...compiledRule.fullKeys].map(
      ([key, full]) => [key, byKey.get(full)?.index ?? -1] as const,
    );
  }
  const compiled: CompiledSchema = {
    environment,
    tier,
    variables,
    byName,
    byKey,
    notAllowed,
    allNames: [...allNames],
    knownNames: allNames,
    notAllowedNames: [...notAllowed.keys()].filter((name) => !byName.has(name)).sort(),
    crossRules: crossRules.filter(({ rule }) => selects(rule.environments, environment, tier)),
    prefixes: [...prefixes],
  };
  perEnvironment.set(environment, compiled);
  return compiled;
}
