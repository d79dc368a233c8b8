/**
 * The Secret Manager resource name of a version: `projects/P/secrets/S/versions/V`, or for a regional secret
 * `projects/P/locations/L/secrets/S/versions/V`.
 */
export function secretVersionName(reference: {
  project: string;
  location?: string | undefined;
  secret: string;
  version: string;
}): string {
  const parent =
    reference.location === undefined
      ? `projects/${reference.project}`
      : `projects/${reference.project}/locations/${reference.location}`;
  return `${parent}/secrets/${reference.secret}/versions/${reference.version}`;
}

/** The endpoint that serves a location's regional secrets (Google's `secretmanager.LOCATION.rep.googleapis.com`). */
export function regionalEndpoint(location: string): string {
  return `secretmanager.${location}.rep.googleapis.com`;
}

/**
 * Selects `field` (a dotted path) from a JSON secret's text. Returns the string at that path (numbers and
 * booleans as their JSON text), or why it cannot: no such field (an array's fields are its indexes), an
 * object, array or null, or an integer beyond 2^53 that JSON.parse would have rounded.
 */
export function selectField(
  text: string,
  field: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  let current: unknown;
  try {
    current = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the secret is not JSON, so ?field= cannot select from it' };
  }
  const walked: string[] = [];
  for (const segment of field.split('.')) {
    // An array's fields are its indexes: not its own `length`, nor an index past its end.
    const present = Array.isArray(current)
      ? /^(?:0|[1-9][0-9]*)$/.test(segment) && Number(segment) < current.length
      : current !== null && typeof current === 'object' && Object.hasOwn(current, segment);
    if (!present) {
      const at = walked.length === 0 ? 'the top level' : `"${walked.join('.')}"`;
      return { ok: false, reason: `the JSON secret has no field "${segment}" at ${at}` };
    }
    current = (current as Record<string, unknown>)[segment];
    walked.push(segment);
  }
  if (typeof current === 'string') return { ok: true, value: current };
  // JSON.parse rounds an integer beyond 2^53 (a project number, say) and turns 1e400 into Infinity: refused
  // rather than passed on changed.
  if (typeof current === 'number' && (!Number.isFinite(current) || !isExactInteger(current))) {
    return {
      ok: false,
      reason: `field "${field}" is a number too large to be read exactly; store it in the JSON as a string`,
    };
  }
  if (typeof current === 'number' || typeof current === 'boolean')
    return { ok: true, value: String(current) };
  return {
    ok: false,
    reason: `field "${field}" is ${current === null ? 'null' : 'an object or array'}, not a string`,
  };
}

/** False for an integer beyond `Number.MAX_SAFE_INTEGER`, which JSON.parse may have rounded. */
function isExactInteger(value: number): boolean {
  return !Number.isInteger(value) || Number.isSafeInteger(value);
}
