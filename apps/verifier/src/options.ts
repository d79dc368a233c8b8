import {
  type ConfigSchema,
  type Environment,
  environmentNames,
  parseEnvironment,
} from '@netra/config-schema';
import { UsageError } from './errors';

/** The options object cac hands an action: camelCased flag names, values as mri parsed them. */
export type RawOptions = Record<string, unknown>;

/**
 * A single-valued string flag. mri turns numeric-looking values into numbers and a flag given twice into an
 * array; this returns the string the user typed or throws a {@link UsageError} naming the flag.
 */
export function stringOption(options: RawOptions, name: string, flag: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new UsageError(`${flag} was given ${value.length} times; give it once`);
  if (typeof value === 'boolean') throw new UsageError(`${flag} needs a value: ${flag} <value>`);
  return String(value);
}

/** Like {@link stringOption} but the flag must be present. `example` completes the hint. */
export function requiredStringOption(
  options: RawOptions,
  name: string,
  flag: string,
  example: string,
): string {
  const value = stringOption(options, name, flag);
  if (value === undefined || value === '') throw new UsageError(`${flag} is required, e.g. ${example}`);
  return value;
}

/** A repeatable string flag (`--env-file a --env-file b`): always an array, possibly empty. */
export function stringListOption(options: RawOptions, name: string, flag: string): string[] {
  const value = options[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => {
    if (typeof item === 'boolean') throw new UsageError(`${flag} needs a value: ${flag} <value>`);
    return String(item);
  });
}

/** A boolean flag. */
export function booleanOption(options: RawOptions, name: string): boolean {
  const value = options[name];
  return Array.isArray(value) ? value.some(Boolean) : Boolean(value);
}

/**
 * The environment a flag names (`--env staging`), or a {@link UsageError} that names the flag, the accepted
 * values and config-schema's did-you-mean: `--env 'stage' is not an environment; …. Did you mean --env staging?`
 */
export function environmentOption(value: string, flag: string, schema: ConfigSchema): Environment {
  const parsed = parseEnvironment(value, schema);
  if (parsed.ok) return parsed.environment;
  const shown = /^[\w.-]{1,40}$/.test(value) ? `'${value}'` : 'that value';
  const didYouMean = parsed.suggestion ? ` Did you mean ${flag} ${parsed.suggestion}?` : '';
  throw new UsageError(
    `${flag} ${shown} is not an environment; expected one of ${environmentNames(schema).join(', ')}.${didYouMean}`,
  );
}
