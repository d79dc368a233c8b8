import { secretFields } from '@netra/config-schema';

/** What every output shows instead of a secret value. */
export { REDACTED } from '@netra/config-schema';

/**
 * Freezes `fields` into a new object whose `secretKeys` read by name (so code uses them as usual) but are not
 * own properties: copies and walks (spread, `Object.entries`, `structuredClone`) skip them, and the JSON,
 * `util.inspect` and `String()` forms show `[redacted]` — config-schema's `secretFields`, the one design of
 * every object here that holds a secret. Arrays among the fields are frozen too.
 */
export function redacting<T extends object>(
  typeName: string,
  secretKeys: readonly (keyof T & string)[],
  fields: T,
): T {
  for (const value of Object.values(fields)) if (Array.isArray(value)) Object.freeze(value);
  return secretFields(typeName, fields, secretKeys);
}
