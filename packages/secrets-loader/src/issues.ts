import type { Issue } from '@netra/config-schema';

/** gRPC status names by number (the codes are fixed by gRPC; google-gax's `Status` enum has the same values). */
const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export function statusName(code: unknown): string {
  return typeof code === 'number' ? (STATUS_NAMES[code] ?? `status ${code}`) : 'UNKNOWN';
}

/** What one fetch is about: enough to name it in an issue. */
export interface SecretTarget {
  variable: string;
  key?: string;
  project: string;
  /** The location of a regional secret. */
  location?: string | undefined;
  secret: string;
  version: string;
}

function base(target: SecretTarget, severity: Issue['severity'] = 'error') {
  return {
    severity,
    key: target.key ?? '',
    variable: target.variable,
    secret: target.secret,
    project: target.project,
  };
}

function describe(target: SecretTarget): string {
  const location = target.location === undefined ? '' : `, location ${target.location}`;
  return `secret ${target.secret} (version ${target.version}, project ${target.project}${location})`;
}

/** The gcloud flags that name the secret's project (and location, for a regional secret). */
function gcloudWhere(target: SecretTarget): string {
  return target.location === undefined
    ? `--project ${target.project}`
    : `--project ${target.project} --location ${target.location}`;
}

/** A short, value-free description of a gRPC error: its status name and the server's detail line. */
export function describeGrpcError(error: unknown): { status: string; detail: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const raw = (error as { details?: unknown; message?: unknown } | null) ?? {};
  const detailText =
    typeof raw.details === 'string' && raw.details !== '' ? raw.details : String(raw.message ?? '');
  // google-gax appends every earlier try's message after " : Previous errors"; keep the first line only.
  const detail = detailText.split(' : Previous errors')[0]?.split('\n')[0]?.slice(0, 200) ?? '';
  return { status: statusName(code), detail };
}

/** The issue for a failed AccessSecretVersion call, by gRPC status. */
export function accessFailureIssue(target: SecretTarget, error: unknown): Issue {
  const { status, detail } = describeGrpcError(error);
  const where = gcloudWhere(target);
  const replication = target.location === undefined ? ' --replication-policy=automatic' : '';
  const because = detail ? ` (${status}: ${detail})` : ` (${status})`;
  switch (status) {
    case 'NOT_FOUND':
      return {
        ...base(target),
        code: 'secret-not-found',
        status,
        message: `${target.variable}: ${describe(target)} does not exist${because}.`,
        hint:
          target.version === 'latest'
            ? `Create it: printf '%s' "$VALUE" | gcloud secrets create ${target.secret} ${where}${replication} --data-file=-` +
              ` (or add a version: gcloud secrets versions add ${target.secret} ${where} --data-file=-).`
            : `Version ${target.version} does not exist: bind an existing version (gcloud secrets versions list ${target.secret} ${where}) or add one.`,
      };
    case 'UNAUTHENTICATED':
      // The caller's credentials, not the secret's grants: no IAM binding fixes this.
      return {
        ...base(target),
        code: 'secret-permission-denied',
        status,
        message: `${target.variable}: Secret Manager refused the client's credentials, so ${describe(target)} could not be read${because}.`,
        hint:
          'Check the credentials the client runs with: locally `gcloud auth application-default login` (or ' +
          'GOOGLE_APPLICATION_CREDENTIALS naming a valid key), on Cloud Run the service account the service runs as.',
      };
    case 'PERMISSION_DENIED':
      return {
        ...base(target),
        code: 'secret-permission-denied',
        status,
        message: `${target.variable}: the runtime account may not read ${describe(target)}${because}.`,
        hint:
          `Grant roles/secretmanager.secretAccessor to the service's runtime account: gcloud secrets add-iam-policy-binding ` +
          `${target.secret} ${where} --member=serviceAccount:RUNTIME_SA --role=roles/secretmanager.secretAccessor`,
      };
    case 'FAILED_PRECONDITION':
      return {
        ...base(target),
        code: 'secret-disabled',
        status,
        message: `${target.variable}: ${describe(target)} is disabled or destroyed${because}.`,
        hint:
          `Enable it (gcloud secrets versions enable ${target.version} --secret ${target.secret} ${where}) or add a new ` +
          `version (gcloud secrets versions add ${target.secret} ${where} --data-file=-).`,
      };
    case 'DEADLINE_EXCEEDED':
    case 'UNAVAILABLE':
    case 'RESOURCE_EXHAUSTED':
    case 'CANCELLED':
      return {
        ...base(target),
        code: 'secret-deadline',
        status,
        message: `${target.variable}: ${describe(target)} could not be read before the deadline${because}.`,
        hint: 'Check that Secret Manager is reachable from the service (network egress, SECRET_MANAGER_EMULATOR_HOST in development) or raise deadlineMs.',
      };
    default:
      return {
        ...base(target),
        code: 'secret-access-failed',
        status,
        message: `${target.variable}: reading ${describe(target)} failed${because}.`,
        hint: 'Check the secret name and project in the binding; retry once Secret Manager answers normally.',
      };
  }
}

/**
 * The issue for a call that had not finished when the load's deadline passed; `unreachable` is the Secret
 * Manager address the client never connected to, when that is why.
 */
export function deadlineIssue(target: SecretTarget, deadlineMs: number, unreachable?: string): Issue {
  const why = unreachable ? `: the client has no connection to Secret Manager at ${unreachable}` : '';
  return {
    ...base(target),
    code: 'secret-deadline',
    status: 'DEADLINE_EXCEEDED',
    message: `${target.variable}: ${describe(target)} was not read within the load's deadline of ${deadlineMs} ms${why}.`,
    hint: unreachable
      ? `Check that Secret Manager answers at ${unreachable} from here: network egress and DNS (Cloud Run: Private Google Access or a connector's egress), or SECRET_MANAGER_EMULATOR_HOST in development; or raise SECRET_MANAGER_DEADLINE_MS (deadlineMs).`
      : 'Check that Secret Manager is reachable from the service (network egress, SECRET_MANAGER_EMULATOR_HOST in development) or raise SECRET_MANAGER_DEADLINE_MS (deadlineMs).',
  };
}

export function checksumIssue(target: SecretTarget): Issue {
  return {
    ...base(target),
    code: 'secret-checksum',
    status: 'DATA_LOSS',
    message: `${target.variable}: the payload of ${describe(target)} does not match its CRC32C checksum (corrupted in transit or at rest).`,
    hint: 'Retry; if it persists, add a new version of the secret from the original value.',
  };
}

export function invalidValueIssue(target: SecretTarget, reason: string, hint: string): Issue {
  return {
    ...base(target),
    code: 'secret-invalid-value',
    message: `${target.variable}: ${describe(target)}: ${reason}.`,
    hint,
  };
}

/** Where a value came from, for whitespace and other value issues. */
export type ValueOrigin =
  | { kind: 'env' }
  | { kind: 'file'; path: string }
  | { kind: 'secret'; project: string; location?: string | undefined; secret: string; version: string };

const WHITESPACE_AT_START = /^\s/u;
const WHITESPACE_AT_END = /\s$/u;

/**
 * Leading or trailing whitespace (a trailing newline from `echo` most often) is reported, never kept or
 * trimmed silently: a password with a newline fails authentication far from where it was set.
 */
export function whitespaceIssue(
  variable: string,
  key: string,
  value: string,
  origin: ValueOrigin,
): Issue | null {
  const leading = WHITESPACE_AT_START.test(value);
  const trailing = WHITESPACE_AT_END.test(value);
  if (!leading && !trailing) return null;
  const what = value.endsWith('\n')
    ? 'ends with a newline'
    : leading && trailing
      ? 'starts and ends with whitespace'
      : leading
        ? 'starts with whitespace'
        : 'ends with whitespace';
  const base = { severity: 'error' as const, code: 'whitespace', key, variable };
  switch (origin.kind) {
    case 'env':
      return {
        ...base,
        message: `${variable} ${what}; it is neither kept nor trimmed silently.`,
        hint: `Set ${variable} without surrounding whitespace (if it comes from a secret, re-add that secret's value with printf '%s', not echo).`,
      };
    case 'file':
      return {
        ...base,
        file: origin.path,
        message: `${variable}_FILE points at ${origin.path}, whose content ${what}; it is neither kept nor trimmed silently.`,
        hint: `Write the file without it: printf '%s' "$VALUE" > ${origin.path}`,
      };
    case 'secret':
      return {
        ...base,
        secret: origin.secret,
        project: origin.project,
        message: `${variable}: ${describe({ variable, ...origin })} ${what}; it is neither kept nor trimmed silently.`,
        hint: `Add a version without it: printf '%s' "$VALUE" | gcloud secrets versions add ${origin.secret} ${gcloudWhere({ variable, ...origin })} --data-file=-`,
      };
  }
}

/**
 * Orders names by code point. Not `localeCompare`: its first call loads ICU collation data, which costs a
 * start-up that reads only env and files several milliseconds.
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
