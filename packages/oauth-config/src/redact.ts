import { inspect } from 'node:util';

/** What every output shows instead of a secret value. */
export const REDACTED = '[redacted]';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * Freezes `fields` into a new object whose `secretKeys` stay plain string properties (so code reads them
 * as usual) but whose JSON, `util.inspect` and `String()` forms show {@link REDACTED} instead.
 * The methods live on a shared prototype, so spreading or `Object.keys` sees only the data.
 */
export function redacting<T extends object>(
  typeName: string,
  secretKeys: readonly (keyof T & string)[],
  fields: T,
): T {
  const prototype = redactingPrototype(typeName, secretKeys as readonly string[]);
  const target = Object.create(prototype) as T;
  Object.assign(target, fields);
  for (const value of Object.values(target)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(target);
}

const prototypes = new Map<string, object>();

function redactingPrototype(typeName: string, secretKeys: readonly string[]): object {
  const cacheKey = `${typeName}\0${secretKeys.join('\0')}`;
  const cached = prototypes.get(cacheKey);
  if (cached) return cached;
  function redactedCopy(value: object): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...value };
    for (const key of secretKeys) if (copy[key] !== undefined) copy[key] = REDACTED;
    return copy;
  }
  const prototype = Object.freeze({
    toJSON(this: object): Record<string, unknown> {
      return redactedCopy(this);
    },
    toString(this: object): string {
      return `${typeName} ${inspect(redactedCopy(this), { breakLength: Number.POSITIVE_INFINITY })}`;
    },
    [inspectCustom](this: object, _depth: number, options: object): string {
      return `${typeName} ${inspect(redactedCopy(this), options)}`;
    },
  });
  prototypes.set(cacheKey, prototype);
  return prototype;
}
