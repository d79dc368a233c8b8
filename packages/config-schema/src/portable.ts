import type { z } from 'zod';
import { compile } from './compile.ts';
import type { ConfigSchema, ObtainOption } from './dsl.ts';
import { ALIASES } from './environment.ts';
import {
  type PortableCrossRule,
  type PortableDefault,
  type PortablePolicy,
  type PortableValue,
  portableMark,
} from './portable-marks.ts';
import type { Environment, SecretBinding, Severity } from './types.ts';
import { expectationOf } from './values.ts';

export type { PortableCrossRule, PortableDefault, PortablePolicy, PortableValue };

/** One value rule of a variable in one environment. `check` is `null` when it cannot be described as data. */
export interface PortableRuleIn {
  id: string;
  severity: Severity;
  exclusive: boolean;
  check: PortablePolicy | null;
}

/** One variable as it is in one environment, with everything the loader does with it. */
export interface PortableVariable {
  key: string;
  path: string[];
  name: string;
  otherNames: string[];
  /** Other environments' names that no variable here uses (`wrong-name` candidates). */
  foreignNames: string[];
  required: boolean;
  sensitive: boolean;
  /** The variable whose value is the environment itself. */
  isEnvironment: boolean;
  example?: string;
  /** What the value schema expects, in words (messages use it). */
  expectation?: string;
  /** The default in this environment; `dynamic` when it depends on another variable (`null`: not describable). */
  default?: { value: string; dynamic?: PortableDefault | null };
  developmentDefaults: string[];
  secret?: SecretBinding;
  obtain?: ObtainOption;
  /** The value schema; `null` when it is not a built-in helper or a plain zod string/enum. */
  value: PortableValue | null;
  rules: PortableRuleIn[];
}

/** A cross-variable rule in one environment. */
export interface PortableCrossRuleIn {
  id: string;
  severity: Severity;
  groupPath: string[];
  /** `[key relative to the group, full key]` for every key the rule reads. */
  keys: [string, string][];
  check: PortableCrossRule | null;
}

/** The schema as it is in one environment. */
export interface PortableEnvironment {
  variables: PortableVariable[];
  crossRules: PortableCrossRuleIn[];
  /** Names of keys that exist only in other environments (setting one is `not-allowed`), sorted. */
  notAllowed: { name: string; key: string; allowedIn: string[] }[];
  /** Every name of every variable in every environment (did-you-mean candidates). */
  allNames: string[];
  prefixes: string[];
}

/** A field of the config tree, over all environments. */
export interface PortableField {
  kind: 'field';
  key: string;
  segment: string;
  /** What the loaded value is: `string`, `integer` (ports, `.int()`), `number`, `boolean`, or `unknown` (a custom schema). */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'unknown';
  sensitive: boolean;
  /** `undefined` in some environment (not required and no default there, or not allowed there). */
  optional: boolean;
}

/** A group of the config tree. */
export interface PortableGroup {
  kind: 'group';
  key: string;
  segment: string;
  children: (PortableField | PortableGroup)[];
}

/** What a generator cannot translate to data: it must list it as not checked. */
export interface UnportablePart {
  /** Logical key, or the group path of a cross-variable rule (`''`: the schema). */
  key: string;
  /** `value schema`, `rule ID`, `cross-variable rule ID` or `default`. */
  what: string;
  environments: string[];
}

/** Everything a code generator needs to load a configuration exactly as `safeLoadConfig` does, as plain data. */
export interface PortableSchema {
  title: string;
  environments: string[];
  /** Shorthands suggested for an unknown `ENVIRONMENT` (`prod` → `production`). */
  environmentAliases: Record<string, string>;
  tree: (PortableField | PortableGroup)[];
  byEnvironment: Record<string, PortableEnvironment>;
  unportable: UnportablePart[];
}

type ZodInternals = {
  _zod?: {
    def?: { type?: string; entries?: Record<string, unknown>; checks?: { _zod?: { def?: unknown } }[] };
  };
};

/** A plain zod string with regular expressions only, or a string enum, as data. */
function introspect(schema: z.ZodType): PortableValue | null {
  const def = (schema as unknown as ZodInternals)._zod?.def;
  if (!def) return null;
  if (def.type === 'enum' && def.entries) {
    const values = Object.values(def.entries);
    return values.every((value) => typeof value === 'string')
      ? { type: 'one-of', values: values as string[] }
      : null;
  }
  if (def.type === 'number') return introspectNumber(def as Record<string, unknown>);
  if (def.type !== 'string') return null;
  const checks = (def.checks ?? []).map((check) => check._zod?.def as Record<string, unknown> | undefined);
  if (checks.length === 0) return { type: 'text' };
  if (checks.length !== 1) return null;
  const check = checks[0];
  if (check?.['check'] !== 'string_format' || check['format'] !== 'regex') return null;
  const pattern = check['pattern'];
  return pattern instanceof RegExp
    ? { type: 'pattern', pattern: pattern.source, flags: pattern.flags }
    : null;
}

/** `z.coerce.number()` with integer and bound checks (zod's messages for them are reproduced), else `null`. */
function introspectNumber(def: Record<string, unknown>): PortableValue | null {
  if (def['coerce'] !== true) return null;
  const checks: Extract<PortableValue, { type: 'number' }>['checks'][number][] = [];
  for (const check of (def['checks'] ?? []) as { _zod?: { def?: Record<string, unknown> } }[]) {
    const spec = check._zod?.def;
    if (spec?.['check'] === 'number_format' && spec['format'] === 'safeint') checks.push({ check: 'int' });
    else if (
      (spec?.['check'] === 'greater_than' || spec?.['check'] === 'less_than') &&
      typeof spec['value'] === 'number'
    ) {
      checks.push({
        check: spec['check'] === 'greater_than' ? 'min' : 'max',
        value: spec['value'],
        inclusive: spec['inclusive'] === true,
        text: String(spec['value']),
      });
    } else return null;
  }
  return { type: 'number', checks };
}

function portableValueOf(schema: z.ZodType): PortableValue | null {
  const marked = portableMark(schema) as PortableValue | undefined;
  if (marked) return marked;
  const def = (schema as unknown as ZodInternals)._zod?.def as Record<string, unknown> | undefined;
  // A coerced number's messages are zod's, reproduced from its checks; a custom string or enum is translated only
  // with a declared expectation (its messages quote it; zod's wording of a regex failure is not data).
  if (def?.['type'] === 'number') return introspectNumber(def);
  return expectationOf(schema) ? introspect(schema) : null;
}

function fieldType(value: PortableValue | null): PortableField['type'] {
  if (!value) return 'unknown';
  if (value.type === 'port') return 'integer';
  if (value.type === 'number')
    return value.checks.some((check) => check.check === 'int') ? 'integer' : 'number';
  if (value.type === 'boolean') return 'boolean';
  return 'string';
}

/**
 * The schema in every environment as plain, JSON-serialisable data: names, requirements, defaults, bindings, the
 * value helpers and policies with their parameters and patterns, cross-variable rules, did-you-mean candidates.
 * `netra-verify codegen` emits a loader in another language from it; whatever cannot be described as data (a
 * custom rule, a custom zod schema) is in `unportable`, to be reported as not checked.
 *
 * @example
 * const { byEnvironment, unportable } = portableSchema(schema);
 * byEnvironment.staging.variables.find((v) => v.key === 'jwtSecret')?.rules; // [{ id: 'min-strength-32', check: { policy: 'min-strength', … } }, …]
 */
export function portableSchema(schema: ConfigSchema): PortableSchema {
  const byEnvironment: Record<string, PortableEnvironment> = {};
  const unportable = new Map<string, UnportablePart>();
  const note = (key: string, what: string, environment: Environment) => {
    const id = `${key}\u0000${what}`;
    const part = unportable.get(id);
    if (part) part.environments.push(environment);
    else unportable.set(id, { key, what, environments: [environment] });
  };
  const fields = new Map<string, { value: PortableValue | null; sensitive: boolean; optionalIn: number }>();
  const environments = Object.keys(schema.environments);
  for (const environment of environments) {
    const compiled = compile(schema, environment);
    const variables = compiled.variables.map((variable): PortableVariable => {
      const value = portableValueOf(variable.schema);
      if (!value) note(variable.key, 'value schema', environment);
      const described: PortableVariable = {
        key: variable.key,
        path: [...variable.path],
        name: variable.name,
        otherNames: [...variable.otherNames],
        foreignNames: [...variable.foreignNames],
        required: variable.required,
        sensitive: variable.sensitive,
        isEnvironment: variable.isEnvironment,
        developmentDefaults: [...variable.developmentDefaults],
        value,
        rules: variable.rules.map((rule) => {
          const check = (portableMark(rule.check) as PortablePolicy | undefined) ?? null;
          if (!check) note(variable.key, `rule ${rule.id}`, environment);
          return {
            id: rule.id,
            severity: rule.severity ?? 'error',
            exclusive: rule.exclusive ?? false,
            check,
          };
        }),
      };
      if (variable.example !== undefined) described.example = variable.example;
      const expectation = expectationOf(variable.schema);
      if (expectation !== undefined) described.expectation = expectation;
      if (variable.default !== undefined) {
        if (typeof variable.default === 'string') described.default = { value: variable.default };
        else {
          const dynamic = (portableMark(variable.default.resolve) as PortableDefault | undefined) ?? null;
          if (!dynamic) note(variable.key, 'default', environment);
          described.default = { value: variable.default.value, dynamic };
        }
      }
      if (variable.secret) described.secret = { ...variable.secret };
      if (variable.obtain) described.obtain = { ...variable.obtain };
      const field = fields.get(variable.key) ?? { value, sensitive: variable.sensitive, optionalIn: 0 };
      if (!variable.required && variable.default === undefined && !variable.isEnvironment) field.optionalIn++;
      fields.set(variable.key, field);
      return described;
    });
    for (const key of new Set([...compiled.notAllowed.values()].map((entry) => entry.key))) {
      const field = fields.get(key);
      if (field) field.optionalIn++;
      else fields.set(key, { value: null, sensitive: false, optionalIn: 1 });
    }
    const crossRules = compiled.crossRules.map(({ rule, groupPath, fullKeys }): PortableCrossRuleIn => {
      const check = (portableMark(rule.check) as PortableCrossRule | undefined) ?? null;
      if (!check) note(groupPath.join('.'), `cross-variable rule ${rule.id}`, environment);
      return {
        id: rule.id,
        severity: rule.severity ?? 'error',
        groupPath: [...groupPath],
        keys: [...fullKeys],
        check,
      };
    });
    byEnvironment[environment] = {
      variables,
      crossRules,
      notAllowed: compiled.notAllowedNames.map((name) => {
        const entry = compiled.notAllowed.get(name)!;
        return { name, key: entry.key, allowedIn: [...entry.allowedIn] };
      }),
      allNames: [...compiled.allNames],
      prefixes: [...compiled.prefixes],
    };
  }
  return {
    title: schema.title,
    environments,
    // Only the shorthands of environments this schema has (`prod` means nothing to a schema without production).
    environmentAliases: Object.fromEntries(
      Object.entries(ALIASES).filter(([, environment]) => environments.includes(environment)),
    ),
    tree: treeOf(schema.shape, [], fields),
    byEnvironment,
    unportable: [...unportable.values()],
  };
}

function treeOf(
  shape: ConfigSchema['shape'],
  path: readonly string[],
  fields: ReadonlyMap<string, { value: PortableValue | null; sensitive: boolean; optionalIn: number }>,
): (PortableField | PortableGroup)[] {
  return Object.entries(shape).map(([segment, child]) => {
    const key = [...path, segment].join('.');
    if (child.kind === 'group') {
      return { kind: 'group', key, segment, children: treeOf(child.shape, [...path, segment], fields) };
    }
    const field = fields.get(key);
    // The value helper is the same in every environment: the field's type comes from the schema itself.
    const value = field?.value ?? portableValueOf(child.options.schema);
    return {
      kind: 'field',
      key,
      segment,
      type: fieldType(value),
      sensitive: child.options.sensitive ?? false,
      optional: (field?.optionalIn ?? 1) > 0,
    };
  });
}
