/** Resource-name parsing for `projects/{project}/secrets/{secret}[/versions/{version}]`, as the real API checks it. */

/** Secret IDs the real API accepts (its documented rule). */
export const SECRET_ID_PATTERN: RegExp = /^[A-Za-z0-9_-]{1,255}$/;
/** A project ID (lenient: any ID-like token, including `domain:project`) or a project number. */
const PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** A version number, `latest`, or a version alias (a letter, then up to 62 letters, digits, `-`, `_`). */
const VERSION_PATTERN = /^(latest|[1-9][0-9]{0,17}|[A-Za-z][A-Za-z0-9_-]{0,62})$/;

export interface SecretName {
  project: string;
  secret: string;
}
export interface VersionName extends SecretName {
  /** A version number as a string, or `latest`. */
  version: string;
}

/** Why a name did not parse; the server turns it into INVALID_ARGUMENT (or UNIMPLEMENTED for regional names). */
export class NameError extends Error {
  readonly code: 'INVALID_NAME' | 'REGIONAL_UNSUPPORTED';
  constructor(message: string, code: NameError['code'] = 'INVALID_NAME') {
    super(message);
    this.name = 'NameError';
    this.code = code;
  }
}

function rejectRegional(field: string, value: string): void {
  if (/^projects\/[^/]+\/locations\//.test(value)) {
    throw new NameError(
      `${field} "${value}" names a regional secret (projects/*/locations/*); this emulator serves global secrets only.`,
      'REGIONAL_UNSUPPORTED',
    );
  }
}

function checkProject(field: string, value: string, project: string): void {
  if (!PROJECT_PATTERN.test(project)) {
    throw new NameError(`${field} "${value}" has an invalid project "${project}".`);
  }
}

/** Checks a secret ID against `[A-Za-z0-9_-]{1,255}`; returns an error message or undefined. */
export function secretIdProblem(secretId: string): string | undefined {
  if (SECRET_ID_PATTERN.test(secretId)) return undefined;
  return `Secret ID "${secretId.length > 300 ? `${secretId.slice(0, 300)}…` : secretId}" is invalid: it must be 1 to 255 characters of letters, digits, underscores (_) and hyphens (-).`;
}

/** `projects/{project}` → the project token (ID or number). */
export function parseProjectName(field: string, value: string): string {
  rejectRegional(field, value);
  const match = /^projects\/([^/]+)$/.exec(value);
  if (!match) throw new NameError(`${field} "${value}" does not match the pattern projects/{project}.`);
  checkProject(field, value, match[1]!);
  return match[1]!;
}

/** `projects/{project}/secrets/{secret}`. */
export function parseSecretName(field: string, value: string): SecretName {
  rejectRegional(field, value);
  const match = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(value);
  if (!match) {
    throw new NameError(
      `${field} "${value}" does not match the pattern projects/{project}/secrets/{secret}.`,
    );
  }
  checkProject(field, value, match[1]!);
  const problem = secretIdProblem(match[2]!);
  if (problem) throw new NameError(`${field} "${value}": ${problem}`);
  return { project: match[1]!, secret: match[2]! };
}

/** `projects/{project}/secrets/{secret}/versions/{version|latest}`. */
export function parseVersionName(field: string, value: string): VersionName {
  rejectRegional(field, value);
  const match = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/.exec(value);
  if (!match) {
    throw new NameError(
      `${field} "${value}" does not match the pattern projects/{project}/secrets/{secret}/versions/{version}.`,
    );
  }
  checkProject(field, value, match[1]!);
  const problem = secretIdProblem(match[2]!);
  if (problem) throw new NameError(`${field} "${value}": ${problem}`);
  if (!VERSION_PATTERN.test(match[3]!)) {
    throw new NameError(
      `${field} "${value}" has an invalid version "${match[3]}": expected a version number (1, 2, …), "latest" or a version alias.`,
    );
  }
  return { project: match[1]!, secret: match[2]!, version: match[3]! };
}
