/** A parsed `sm://` reference: which secret version to read, and optionally which JSON field of it. */
export interface SecretReference {
  /** Google Cloud project ID (`my-project`) or number (`123456789012`). */
  project: string;
  /**
   * The location of a regional secret (`sm://PROJECT/locations/LOCATION/SECRET`), e.g. `europe-west1`; absent
   * for a global secret. Regional secrets are read through `secretmanager.LOCATION.rep.googleapis.com`.
   */
  location?: string;
  /** Secret ID, e.g. `jwt-secret-staging`. */
  secret: string;
  /** `latest` or a version number, e.g. `3`. @default 'latest' */
  version: string;
  /** Dotted path into a JSON secret, e.g. `web.client_id`; absent for a plain secret. */
  field?: string;
}

/** The outcome of {@link explainSecretReference}: the reference, or why the text is not one. */
export type SecretReferenceParse = { ok: true; reference: SecretReference } | { ok: false; reason: string };

const PREFIX = 'sm://';
// Project IDs are lowercase letters, digits and hyphens (domain-scoped ones add `.` and `:`, e.g.
// `example.com:my-project`); project numbers are digits. Only the shape is checked here — whether the project
// exists is Secret Manager's to say, as berglas leaves it.
const PROJECT_ID = /^[a-z0-9](?:[a-z0-9.:-]{0,98}[a-z0-9])?$/;
// Secret IDs: 1–255 of letters, digits, `-` and `_` (Secret Manager's rule).
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const VERSION = /^(?:latest|[1-9][0-9]{0,18})$/;
// Location IDs: lowercase letters, digits and hyphens, starting with a letter (`europe-west1`).
const LOCATION_ID = /^[a-z][a-z0-9-]{0,62}$/;
const FIELD_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The syntax, as shown in error messages. */
export const SECRET_REFERENCE_SYNTAX = 'sm://PROJECT/[locations/LOCATION/]SECRET[#VERSION][?field=a.b]';

/** True when a value is meant as a reference (starts with `sm://`), well-formed or not. */
export function isSecretReference(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * Parses an `sm://` reference and says what is wrong when it is not one. Accepts berglas' syntax
 * `sm://PROJECT/SECRET[#VERSION]`, regional secrets as `sm://PROJECT/locations/LOCATION/SECRET[#VERSION]`, and
 * this package's `?field=a.b` for a field of a JSON secret, with the query before or after the `#VERSION`
 * fragment (berglas writes `?…#…`).
 *
 * @example
 * explainSecretReference('sm://acme-prod/oauth-client#3?field=web.client_id');
 * // { ok: true, reference: { project: 'acme-prod', secret: 'oauth-client', version: '3', field: 'web.client_id' } }
 * explainSecretReference('sm://acme-prod/locations/europe-west1/jwt#2');
 * // { ok: true, reference: { project: 'acme-prod', location: 'europe-west1', secret: 'jwt', version: '2' } }
 */
export function explainSecretReference(value: string): SecretReferenceParse {
  if (!value.startsWith(PREFIX)) return { ok: false, reason: `it does not start with ${PREFIX}` };
  let rest = value.slice(PREFIX.length);
  let version: string | undefined;
  let query: string | undefined;

  // Split off `#VERSION` and `?QUERY` in either order; each at most once.
  const hash = rest.indexOf('#');
  const question = rest.indexOf('?');
  if (hash !== -1 && rest.includes('#', hash + 1)) return { ok: false, reason: 'it has more than one #' };
  if (question !== -1 && rest.includes('?', question + 1))
    return { ok: false, reason: 'it has more than one ?' };
  if (hash !== -1 && question !== -1) {
    if (hash < question) {
      version = rest.slice(hash + 1, question);
      query = rest.slice(question + 1);
    } else {
      query = rest.slice(question + 1, hash);
      version = rest.slice(hash + 1);
    }
    rest = rest.slice(0, Math.min(hash, question));
  } else if (hash !== -1) {
    version = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  } else if (question !== -1) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }

  const parts = rest.split('/');
  let location: string | undefined;
  if (parts.length === 4 && parts[1] === 'locations') {
    location = parts[2] ?? '';
    if (!LOCATION_ID.test(location)) {
      return {
        ok: false,
        reason: `"${location}" is not a location ID (lowercase letters, digits and hyphens, e.g. europe-west1)`,
      };
    }
    parts.splice(1, 2);
  }
  if (parts.length !== 2) {
    return {
      ok: false,
      reason: 'expected exactly PROJECT/SECRET or PROJECT/locations/LOCATION/SECRET after sm://',
    };
  }
  const [project = '', secret = ''] = parts;
  if (!PROJECT_ID.test(project)) {
    return {
      ok: false,
      reason: `"${project}" is not a project ID or number (lowercase letters, digits, hyphens; domain-scoped IDs also . and :)`,
    };
  }
  if (!SECRET_ID.test(secret)) {
    return { ok: false, reason: `"${secret}" is not a secret ID (1–255 letters, digits, - and _)` };
  }
  if (version !== undefined && !VERSION.test(version)) {
    return { ok: false, reason: `version "${version}" is not "latest" or a version number` };
  }

  const reference: SecretReference =
    location === undefined
      ? { project, secret, version: version ?? 'latest' }
      : { project, location, secret, version: version ?? 'latest' };
  if (query !== undefined) {
    const eq = query.indexOf('=');
    const name = eq === -1 ? query : query.slice(0, eq);
    if (name !== 'field' || eq === -1) {
      return {
        ok: false,
        reason: `unsupported option "${name}" (only ?field=a.b is supported; berglas' destination is not)`,
      };
    }
    const field = query.slice(eq + 1);
    if (field.includes('&')) return { ok: false, reason: 'only one option (?field=a.b) is supported' };
    if (!field.split('.').every((segment) => FIELD_SEGMENT.test(segment))) {
      return { ok: false, reason: `field "${field}" is not a dotted path of letters, digits, - and _` };
    }
    reference.field = field;
  }
  return { ok: true, reference };
}

/**
 * Parses `sm://PROJECT/[locations/LOCATION/]SECRET[#VERSION][?field=a.b]`; `null` when the value is not a well-formed reference.
 * Use {@link explainSecretReference} to learn why.
 *
 * @example
 * parseSecretReference('sm://acme-staging/jwt-secret-staging');
 * // { project: 'acme-staging', secret: 'jwt-secret-staging', version: 'latest' }
 */
export function parseSecretReference(value: string): SecretReference | null {
  const result = explainSecretReference(value);
  return result.ok ? result.reference : null;
}

/**
 * Writes a reference back as text (`#VERSION` only when not `latest`); `parseSecretReference` reads it back.
 *
 * @example
 * formatSecretReference({ project: 'acme', secret: 'oauth', version: '2', field: 'web.client_id' });
 * // 'sm://acme/oauth#2?field=web.client_id'
 * formatSecretReference({ project: 'acme', location: 'europe-west1', secret: 'jwt', version: 'latest' });
 * // 'sm://acme/locations/europe-west1/jwt'
 */
export function formatSecretReference(reference: SecretReference): string {
  const version = reference.version === 'latest' ? '' : `#${reference.version}`;
  const field = reference.field === undefined ? '' : `?field=${reference.field}`;
  const location = reference.location === undefined ? '' : `locations/${reference.location}/`;
  return `${PREFIX}${reference.project}/${location}${reference.secret}${version}${field}`;
}
