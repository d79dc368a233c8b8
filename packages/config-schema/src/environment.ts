import { closest } from './suggest.ts';
import { ENVIRONMENTS, type Environment, type Issue } from './types.ts';

/** Common shorthands of environment names (`prod`), suggested when `ENVIRONMENT` holds one. */
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

/** Type guard for {@link Environment}. */
export function isEnvironment(value: unknown): value is Environment {
  return typeof value === 'string' && (ENVIRONMENTS as readonly string[]).includes(value);
}

function suggestEnvironment(value: string): Environment | undefined {
  const lower = value.trim().toLowerCase();
  if (isEnvironment(lower)) return lower;
  const alias = Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
  if (alias) return alias;
  const near = closest(lower, ENVIRONMENTS);
  return near as Environment | undefined;
}

/**
 * Reads an environment name strictly: one of `development`, `test`, `staging`, `production`. Anything else
 * (including `stage`, `prod`, `Staging`, empty) is an `unknown-environment` issue with a did-you-mean,
 * never a silent fallback.
 *
 * @example
 * parseEnvironment('prod'); // { ok: false, suggestion: 'production', issue: { code: 'unknown-environment', hint: "Did you mean 'production'? …" } }
 */
export function parseEnvironment(value: string | undefined):
  | { ok: true; environment: Environment }
  | {
      ok: false;
      issue: Issue;
      /** The environment the value most likely meant (`prod` → `production`), for callers that word their own message. */
      suggestion?: Environment;
    } {
  if (isEnvironment(value)) return { ok: true, environment: value };
  const allowed = ENVIRONMENTS.join(', ');
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
        hint: 'Set ENVIRONMENT to the environment this service runs in, e.g. ENVIRONMENT=development.',
      },
    };
  }
  const suggestion = typeof value === 'string' ? suggestEnvironment(value) : undefined;
  // The value is not secret, but it is user input of any length: show it only when short and printable.
  const shown = /^[\w.-]{1,40}$/.test(value) ? `'${value}'` : 'a value';
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
