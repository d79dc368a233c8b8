/**
 * Resource-name parsing for `projects/{project}[/locations/{location}]/secrets/{secret}[/versions/{version}]`,
 * global and regional, as the v1 API's resource patterns (resources.proto) define them.
 */

/** Secret IDs the real API accepts (its documented rule). */
const SECRET_ID_PATTERN: RegExp = /^[A-Za-z0-9_-]{1,255}$/;
/** A project ID (lenient: any ID-like token, including `domain:project`) or a project number. */
const PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** A Google Cloud location ID such as `europe-west1`. */
const LOCATION_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** A version number, `latest`, or a version alias (a letter, then up to 62 letters, digits, `-`, `_`). */
const VERSION_PATTERN = /^(latest|[1-9][0-9]{0,17}|[A-Za-z][A-Za-z0-9_-]{0,62})$/;

/** `projects/{project}` or `projects/{project}/locations/{location}`. */
export interface ParentName {
  project: string;
  /** The location of a regional parent; absent for global secrets. */
  location?: string;
}
export interface SecretName extends ParentName {
  secret: string;
}
export interface VersionName extends SecretName {
  /** A version number as a string, `latest`, or an alias. */
  version: string;
}

/** Why a name did not parse; the server turns it into INVALID_ARGUMENT. */
export class NameError extends Error {
  readonly code = 'INVALID_NAME' as const;
  constructor(message: string) {
    super(message);
    this.name = 'NameError';
  }
}

const PARENT = 'projects/([^/]+)(?:/locations/([^/]+))?';

function checkParent(
  field: string,
  value: string,
  project: string,
  location: string | undefined,
): ParentName {
  if (!PROJECT_PATTERN.test(project)) {
    throw new NameError(`${field} "${value}" has an invalid project "${project}".`);
  }
  if (location === undefined) return { project };
  if (!LOCATION_PATTERN.test(location)) {
    throw new NameError(
      `${field} "${value}" has an invalid location "${location}": expected a location ID such as europe-west1.`,
    );
  }
  return { project, location };
}

/** Checks a secret ID against `[A-Za-z0-9_-]{1,255}`; returns an error message or undefined. */
export function secretIdProblem(secretId: string): string | undefined {
  if (SECRET_ID_PATTERN.test(secretId)) return undefined;
  return `Secret ID "${secretId.length > 300 ? `${secretId.slice(0, 300)}…` : secretId}" is invalid: it must be 1 to 255 characters of letters, digits, underscores (_) and hyphens (-).`;
}

/** `projects/{project}` or `projects/{project}/locations/{location}`. */
export function parseParentName(field: string, value: string): ParentName {
  const match = new RegExp(`^${PARENT}$`).exec(value);
  if (!match) {
    throw new NameError(
      `${field} "${value}" does not match the pattern projects/{project} or projects/{project}/locations/{location}.`,
    );
  }
  return checkParent(field, value, match[1]!, match[2]);
}

/** `projects/{project}[/locations/{location}]/secrets/{secret}`. */
export function parseSecretName(field: string, value: string): SecretName {
  const match = new RegExp(`^${PARENT}/secrets/([^/]+)$`).exec(value);
  if (!match) {
    throw new NameError(
      `${field} "${value}" does not match the pattern projects/{project}/secrets/{secret} or projects/{project}/locations/{location}/secrets/{secret}.`,
    );
  }
  const parent = checkParent(field, value, match[1]!, match[2]);
  const problem = secretIdProblem(match[3]!);
  if (problem) throw new NameError(`${field} "${value}": ${problem}`);
  return { ...parent, secret: match[3]! };
}

/** `projects/{project}[/locations/{location}]/secrets/{secret}/versions/{version|latest|alias}`. */
export function parseVersionName(field: string, value: string): VersionName {
  const match = new RegExp(`^${PARENT}/secrets/([^/]+)/versions/([^/]+)$`).exec(value);
  if (!match) {
    throw new NameError(
      `${field} "${value}" does not match the pattern projects/{project}[/locations/{location}]/secrets/{secret}/versions/{version}.`,
    );
  }
  const parent = checkParent(field, value, match[1]!, match[2]);
  const problem = secretIdProblem(match[3]!);
  if (problem) throw new NameError(`${field} "${value}": ${problem}`);
  if (!VERSION_PATTERN.test(match[4]!)) {
    throw new NameError(
      `${field} "${value}" has an invalid version "${match[4]}": expected a version number (1, 2, …), "latest" or a version alias.`,
    );
  }
  return { ...parent, secret: match[3]!, version: match[4]! };
}

/**
 * The location a regional endpoint serves: `secretmanager.europe-west1.rep.googleapis.com[:443]` →
 * `europe-west1`; anything else (the emulator's own address, the global endpoint) → undefined.
 */
export function endpointLocation(authority: string): string | undefined {
  return /^secretmanager\.([a-z][a-z0-9-]*)\.rep\.[a-z0-9.-]+(?::\d+)?$/.exec(authority)?.[1];
}
