import { z } from 'zod';
import { type CompiledVariable, compile } from './compile.ts';
import type { ConfigSchema } from './dsl.ts';
import { listWords } from './format.ts';
import { checkedEnvironment } from './load.ts';
import type { Environment } from './types.ts';

/** A rule that JSON Schema cannot express, named in the output's `x-netra-unchecked`. */
export interface UncheckedRule {
  id: string;
  /** The keys the rule reads. */
  keys: string[];
  /** Their variable names in this environment. */
  variables: string[];
  description: string;
}

const cache = new WeakMap<object, Record<string, unknown>>();

/** The value schema's input side as JSON Schema (a string schema: env values are strings). */
function valueJsonSchema(variable: CompiledVariable): { schema: Record<string, unknown>; exact: boolean } {
  let schema = cache.get(variable.schema);
  if (!schema) {
    const { $schema: _, ...rest } = z.toJSONSchema(variable.schema, {
      io: 'input',
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as Record<string, unknown>;
    schema = rest;
    cache.set(variable.schema, schema);
  }
  // zod exports refinements and custom checks as nothing at all, a pipe into another schema as its input side
  // only, and string formats (email, url…) as `format`, which validators do not assert by default.
  const exact = exactlyExported(variable.schema);
  if (exact) return { schema, exact };
  // What is left must still never reject a value the loader accepts: keep it only as a string schema, without
  // `format` (z.coerce.number() exports `type: integer`, which no env string is).
  if (schema['type'] !== 'string') return { schema: {}, exact };
  const { format: _format, ...rest } = schema;
  return { schema: rest, exact };
}

// String checks zod exports as `pattern`/length keywords that mean the same in JSON Schema.
const EXPORTED_FORMATS = new Set(['regex', 'starts_with', 'ends_with', 'includes']);

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      format?: string;
      checks?: { _zod: { def: { check: string; format?: string } } }[];
      in?: ZodInternals;
      out?: ZodInternals;
    };
  };
}

/** Whether zod's JSON Schema export of a value schema's input checks exactly what the schema checks. */
function exactlyExported(schema: z.ZodType): boolean {
  const def = (schema as unknown as ZodInternals)._zod.def;
  switch (def.type) {
    case 'enum':
    case 'literal':
      return (def.checks ?? []).length === 0;
    case 'string':
      return (
        (def.format === undefined || EXPORTED_FORMATS.has(def.format)) &&
        (def.checks ?? []).every(({ _zod: { def: check } }) =>
          check.check === 'string_format'
            ? EXPORTED_FORMATS.has(check.format ?? '')
            : check.check === 'min_length' || check.check === 'max_length' || check.check === 'length_equals',
        )
      );
    case 'pipe':
      // `.transform(fn)` is a pipe into a transform: only the input side validates.
      return (
        def.out?._zod.def.type === 'transform' && def.in !== undefined && exactlyExported(def.in as z.ZodType)
      );
    default:
      return false;
  }
}

/**
 * JSON Schema 2020-12 of one environment's variables (an object of strings), so services in other languages
 * validate against the same definition. Error-severity value rules are included; what JSON Schema cannot
 * express (cross-variable rules, custom checks) is listed in `x-netra-unchecked`. Empty strings count as
 * not set, as in {@link safeLoadConfig}. Unknown variables are allowed (a process environment has PATH…).
 *
 * @example
 * const jsonSchema = toJSONSchema(schema, 'staging');
 * new Ajv2020().validate(jsonSchema, process.env);
 */
export function toJSONSchema(schema: ConfigSchema, environment: Environment): Record<string, unknown> {
  const compiled = compile(schema, checkedEnvironment(environment, schema));
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const unchecked: UncheckedRule[] = [];
  const warnings: string[] = [];

  for (const variable of compiled.variables) {
    if (variable.isEnvironment) {
      properties[variable.name] = {
        description: variable.description,
        enum: ['', environment],
        'x-netra-key': variable.key,
      };
      continue;
    }
    const value = valueJsonSchema(variable);
    if (!value.exact) {
      unchecked.push({
        id: 'value-schema',
        keys: [variable.key],
        variables: [variable.name],
        description: `${variable.name}: parts of its zod schema that JSON Schema cannot express`,
      });
    }
    const constraints: Record<string, unknown>[] = [value.schema, { not: { pattern: '^\\s|\\s$' } }];
    for (const rule of variable.rules) {
      if ((rule.severity ?? 'error') === 'warning') {
        warnings.push(`${variable.name}: ${rule.id}`);
        continue;
      }
      if (rule.jsonSchema === undefined) {
        unchecked.push({
          id: rule.id,
          keys: [variable.key],
          variables: [variable.name],
          description: `${variable.name}: ${rule.description}`,
        });
        continue;
      }
      constraints.push(
        typeof rule.jsonSchema === 'function' ? rule.jsonSchema(variable.context) : rule.jsonSchema,
      );
    }
    const valueSchema = { type: 'string', allOf: constraints };
    const property: Record<string, unknown> = {
      description: variable.description,
      ...(variable.required ? { minLength: 1, ...valueSchema } : { anyOf: [{ const: '' }, valueSchema] }),
      'x-netra-key': variable.key,
    };
    if (variable.default !== undefined) {
      property['default'] = typeof variable.default === 'string' ? variable.default : variable.default.value;
    }
    if (variable.sensitive) property['x-netra-sensitive'] = true;
    if (variable.secret) property['x-netra-secret'] = { ...variable.secret };
    if (variable.reserved) property['x-netra-reserved'] = true;
    if (variable.example !== undefined && !variable.sensitive) property['examples'] = [variable.example];
    properties[variable.name] = property;
    if (variable.required) required.push(variable.name);
  }
  for (const [name, { key, allowedIn }] of compiled.notAllowed) {
    if (compiled.byName.has(name)) continue;
    properties[name] = {
      description: `Not allowed in ${environment}: ${key} exists only in ${listWords(allowedIn)}.`,
      const: '',
      'x-netra-key': key,
    };
  }
  for (const { rule, groupPath } of compiled.crossRules) {
    const keys = rule.keys.map((key) => [...groupPath, key].join('.'));
    if ((rule.severity ?? 'error') === 'warning') {
      warnings.push(`${keys.join(', ')}: ${rule.id}`);
      continue;
    }
    unchecked.push({
      id: rule.id,
      keys,
      variables: keys.map((key) => compiled.byKey.get(key)?.name ?? key),
      description: rule.description,
    });
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `${schema.title} configuration (${environment})`,
    description: `The environment variables of ${schema.title} in ${environment}. Values are strings; an empty string counts as not set. Generated by @netra/config-schema.`,
    type: 'object',
    properties,
    required,
    additionalProperties: { type: 'string' },
    'x-netra-environment': environment,
    'x-netra-unchecked': unchecked,
    'x-netra-warnings': warnings,
  };
}
