import { displayValue } from './credentials.ts';
import type { ConfigSchema } from './dsl.ts';
import { closest } from './suggest.ts';
import type { Environment, Issue } from './types.ts';

// Common shorthands of environment names (`prod`), suggested only when the schema has the environment they stand
// for (exported for the code generators).
export const ALIASES: Record<string, Environment> = {
  dev: 'development',
  develop: 'development',
  local: 'development',
  testing: 'test',
  stage: 'staging',
  stg: 'staging',
  prod: 'production',
  prd: 'production',
  live: 'production',
};

/** A schema, or the names of its environments. */
export type EnvironmentsOf = ConfigSchema | readonly Environment[];

/** The environment names of a schema (or the list itself), in declaration order. */
export function environmentNames(of: EnvironmentsOf): readonly Environment[] {
  return Array.isArray(of) ? (of as readonly Environment[]) : Object.keys((of as ConfigSchema).environments);
}

/**
 * Whether `value` is one of the schema's environments.
 *
 * @example
 * isEnvironment('qa', workerSchema); // true when the worker's schema declares qa
 */
export function isEnvironment(value: unknown, of: EnvironmentsOf): value is Environment {
  return typeof value === 'string' && environmentNames(of).includes(value);
}

/** The environment among `names` that `value` most likely means (`prod` → `production`, `qaa` → `qa`). */
export function suggestEnvironment(value: string, names: readonly Environment[]): Environment | undefined {
  const lower = value.trim().toLowerCase();
  if (names.includes(lower)) return lower;
  const alias = Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
  if (alias && names.includes(alias)) return alias;
  return closest(lower, names);
}

/**
 * Reads an environment name strictly: one of the schema's environments (by default `development`, `test`,
 * `staging`, `production`). Anything else (including `stage`, `prod`, `Staging`, empty) is an
 * `unknown-environment` issue with a did-you-mean among the schema's names, never a silent fallback.
 *
 * @example
 * parseEnvironment('prod', schema); // { ok: false, suggestion: 'production', issue: { code: 'unknown-environment', hint: "Did you mean 'production'? …" } }
 */
export function parseEnvironment(
  value: string | undefined,
  of: EnvironmentsOf,
):
  | { ok: true; environment: Environment }
  | {
      ok: false;
      issue: Issue;
      /** The environment the value most likely meant (`prod` → `production`), for callers that word their own message. */
      suggestion?: Environment;
    } {
  const names = environmentNames(of);
  if (typeof value === 'string' && names.includes(value)) return { ok: true, environment: value };
  const allowed = names.join(', ');
  const base = {
    severity: 'error',
    code: 'unknown-environment',
    key: 'environment',
    variable: 'ENVIRONMENT',
  } as const;
  if (value === undefined || value === '') {
    return {
      ok: false,
      issue: {
        ...base,
        message:
          value === ''
            ? `ENVIRONMENT is set to an empty string, which counts as not set; expected one of ${allowed}`
            : `ENVIRONMENT is not set; expected one of ${allowed}`,
        hint: `Set ENVIRONMENT to the environment this service runs in, e.g. ENVIRONMENT=${names[0]}.`,
      },
    };
  }
  const suggestion = typeof value === 'string' ? suggestEnvironment(value, names) : undefined;
  // The value is not secret, but it is user input of any length: show it only when short and printable.
  const shown = (/^[\w.-]{1,40}$/.test(value) && displayValue(value)) || 'a value';
  return {
    ok: false,
    ...(suggestion ? { suggestion } : {}),
    issue: {
      ...base,
      message: `ENVIRONMENT is ${shown}, which is not an environment; expected one of ${allowed}`,
      hint: suggestion
        ? `Did you mean '${suggestion}'? Set ENVIRONMENT=${suggestion}.`
        : `Set ENVIRONMENT to one of ${allowed}.`,
    },
  };
}
