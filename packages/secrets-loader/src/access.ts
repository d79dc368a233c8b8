import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { Issue } from '@netra/config-schema';
import {
  createSecretManagerClient,
  EMULATOR_HOST_VARIABLE,
  EmulatorHostError,
  startupCallOptions,
} from './client.ts';
import {
  accessFailureIssue,
  checksumIssue,
  deadlineIssue,
  invalidValueIssue,
  type SecretTarget,
  whitespaceIssue,
} from './issues.ts';
import { decodeUtf8, loadCrc32c, verifyPayloadChecksum } from './payload.ts';
import { secretVersionName, selectField } from './reference.ts';

/** Default bound on concurrent AccessSecretVersion calls. */
export const DEFAULT_CONCURRENCY = 32;
/**
 * Default deadline of one whole load, in milliseconds: connection, retries and reads together. Short, because a
 * service that cannot read its secrets should say so before Cloud Run's start-up probe gives up on it.
 */
export const DEFAULT_DEADLINE_MS = 3_000;
/** The variable that sets the deadline where no `deadlineMs` option is given (the service, the verifier). */
export const DEADLINE_VARIABLE = 'SECRET_MANAGER_DEADLINE_MS';
/** Where the official client connects when no emulator is set. */
const GOOGLE_ADDRESS = 'secretmanager.googleapis.com:443';
const BACKSTOP_MS = 100;
/** Secret Manager's limit on a secret version's payload. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** The longest delay setTimeout honours (2^31 - 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One variable to fill from one Secret Manager version (optionally one field of a JSON secret). */
export interface AccessRequest {
  /** The variable the value is for, e.g. `JWT_SECRET_STAGING`. */
  variable: string;
  /** The schema's logical key, e.g. `jwtSecret`, for issues. @default '' */
  key?: string;
  project: string;
  /**
   * The location of a regional secret (`projects/P/locations/L/secrets/S`), read through
   * `secretmanager.L.rep.googleapis.com`. @default undefined (a global secret)
   */
  location?: string | undefined;
  secret: string;
  /** `latest` or a version number. */
  version: string;
  /** Dotted path into a JSON secret. */
  field?: string;
}

/** Options of {@link accessSecrets}. */
export interface AccessSecretsOptions {
  /**
   * A client to use (it is not closed). Without one, {@link createSecretManagerClient} makes one for this call
   * and closes it afterwards.
   */
  client?: SecretManagerServiceClient;
  /** Most AccessSecretVersion calls in flight at once. @default 32 */
  concurrency?: number;
  /**
   * One deadline for the whole call, retries included: at this point it returns with every unfinished secret
   * named and cancels what is still in flight. @default env.SECRET_MANAGER_DEADLINE_MS, else 3000
   */
  deadlineMs?: number;
  /**
   * The environment being loaded: in `staging` and `production` nothing is fetched while
   * `GOOGLE_SDK_NODE_LOGGING` is set, because the Google client then logs payloads. @default undefined (no check)
   */
  environment?: string;
  /**
   * The environment being loaded: where to look for `GOOGLE_SDK_NODE_LOGGING` besides `process.env`, and whose
   * `SECRET_MANAGER_EMULATOR_HOST` (when set) a client created here follows. @default process.env
   */
  env?: Record<string, string | undefined>;
}

/** All values, or every problem: never a part. */
export type AccessSecretsResult =
  | { ok: true; values: Record<string, string> }
  | { ok: false; issues: Issue[] };

interface Group {
  name: string;
  /** The location of a regional secret; '' for a global one. */
  location: string;
  requests: AccessRequest[];
  state: 'queued' | 'in-flight' | 'done' | 'failed';
  data?: Uint8Array;
  checksum?: unknown;
  error?: unknown;
  cancel?: () => void;
}

type CancellablePromise<T> = Promise<T> & { cancel?: () => void };
type AccessResponse = {
  payload?: { data?: Uint8Array | string | null; dataCrc32c?: unknown } | null;
} | null;

class DeadlineReached extends Error {}

/**
 * Refuses to fetch in staging/production while GOOGLE_SDK_NODE_LOGGING is set: the official client logs every
 * AccessSecretVersion response (the payload) with it.
 */
export function sdkLoggingIssue(
  environment: string | undefined,
  env: Record<string, string | undefined> | undefined,
): Issue | null {
  if (environment !== 'staging' && environment !== 'production') return null;
  const set = [process.env['GOOGLE_SDK_NODE_LOGGING'], env?.['GOOGLE_SDK_NODE_LOGGING']].some(
    (value) => value !== undefined && value !== '',
  );
  if (!set) return null;
  return {
    severity: 'error',
    code: 'invalid',
    key: '',
    variable: 'GOOGLE_SDK_NODE_LOGGING',
    message: `GOOGLE_SDK_NODE_LOGGING is set in ${environment}: the Google client would log secret payloads, so no secret is fetched.`,
    hint: `Unset GOOGLE_SDK_NODE_LOGGING in ${environment}; use it only in development against the emulator.`,
  };
}

/**
 * Fetches these variables' secrets from Secret Manager: concurrently (bounded), each distinct secret version
 * once, checksums verified, within one deadline, all or nothing. Used by the loader and by the verifier for the
 * bindings a manifest declares.
 *
 * @example
 * const result = await accessSecrets(
 *   [{ variable: 'JWT_SECRET_STAGING', project: 'acme-staging', secret: 'jwt-secret-staging', version: 'latest' }],
 *   { deadlineMs: 5000 },
 * );
 * if (!result.ok) console.error(result.issues);
 */
export async function accessSecrets(
  requests: readonly AccessRequest[],
  options: AccessSecretsOptions = {},
): Promise<AccessSecretsResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const fromEnv = options.deadlineMs === undefined ? deadlineFromEnv(options.env) : undefined;
  if (fromEnv && !fromEnv.ok) return { ok: false, issues: [fromEnv.issue] };
  const deadlineMs = options.deadlineMs ?? fromEnv?.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
    throw new RangeError(`deadlineMs must be a positive number of milliseconds, got ${deadlineMs}`);
  }
  // Beyond this, setTimeout fires after 1 ms and every secret would be reported as past the deadline.
  if (deadlineMs > MAX_TIMER_MS) {
    throw new RangeError(`deadlineMs must be at most ${MAX_TIMER_MS} (about 24.8 days), got ${deadlineMs}`);
  }
  if (requests.length === 0) return { ok: true, values: {} };
  const refusal = sdkLoggingIssue(options.environment, options.env);
  if (refusal) return { ok: false, issues: [refusal] };

  const groups = groupRequests(requests);
  const deadlineAt = performance.now() + deadlineMs;
  const controller = new AbortController();
  let onAbort: () => void = () => {};
  const deadlineReached = new Promise<void>((resolve) => {
    onAbort = resolve;
  });
  const timer = setTimeout(() => {
    controller.abort(new DeadlineReached());
    onAbort();
  }, deadlineMs);

  // One client per location the requests name ('' = global): Google serves a regional secret only at its
  // location's endpoint (secretmanager.LOCATION.rep.googleapis.com). A given client serves them all.
  const locations = [...new Set([...groups.values()].map((group) => group.location))];
  const clients = new Map<string, SecretManagerServiceClient>();
  const ownClients: SecretManagerServiceClient[] = [];
  const emulatorHost = options.env?.[EMULATOR_HOST_VARIABLE] || process.env[EMULATOR_HOST_VARIABLE];
  // At the deadline: the address the client never connected to, if so (the retries hide the UNAVAILABLEs).
  let unreachable: string | undefined;
  try {
    if (options.client) {
      for (const location of locations) clients.set(location, options.client);
    } else {
      // The emulator named by the env being loaded wins over process.env's: nothing may fall through to Google.
      const created = Promise.all(
        locations.map((location) =>
          createSecretManagerClient({
            ...(emulatorHost ? { emulatorHost } : {}),
            ...(location === '' ? {} : { location }),
          }),
        ),
      );
      // The clients are closed even when they arrive after the deadline.
      created.then(
        (made) => {
          if (controller.signal.aborted) for (const c of made) void c.close().catch(() => {});
        },
        () => {},
      );
      let made: SecretManagerServiceClient[] | undefined;
      try {
        made = await Promise.race([created, deadlineReached.then(() => undefined)]);
      } catch (error) {
        if (error instanceof EmulatorHostError) return { ok: false, issues: [emulatorHostIssue(error)] };
        throw error;
      }
      if (!made) {
        // Still setting up at the deadline (credentials being looked up): it never reached the address it would use.
        const address = emulatorHost?.trim() || GOOGLE_ADDRESS;
        return {
          ok: false,
          issues: [...groups.values()].flatMap((g) => deadlineIssues(g, deadlineMs, address)),
        };
      }
      ownClients.push(...made);
      for (const [index, location] of locations.entries()) {
        clients.set(location, made[index] as SecretManagerServiceClient);
      }
    }
    const queue = [...groups.values()];
    const worker = async (): Promise<void> => {
      for (let group = queue.shift(); group && !controller.signal.aborted; group = queue.shift()) {
        await fetchGroup(
          clients.get(group.location) as SecretManagerServiceClient,
          group,
          deadlineAt,
          controller.signal,
        );
      }
    };
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, worker);
    await Promise.race([Promise.all(workers), deadlineReached]);
    const unfinished = [...groups.values()].find(
      (group) => group.state === 'queued' || group.state === 'in-flight',
    );
    if (unfinished) {
      unreachable = await unconnectedTarget(clients.get(unfinished.location) as SecretManagerServiceClient);
    }
  } finally {
    clearTimeout(timer);
    for (const group of groups.values()) if (group.state === 'in-flight') group.cancel?.();
    for (const own of ownClients) void own.close().catch(() => {});
  }

  const crc32c = await loadCrc32c();
  const values: Record<string, string> = {};
  const issues: Issue[] = [];
  for (const group of groups.values()) {
    if (group.state === 'queued' || group.state === 'in-flight') {
      issues.push(...deadlineIssues(group, deadlineMs, unreachable));
    } else if (group.state === 'failed') {
      for (const request of group.requests) issues.push(accessFailureIssue(targetOf(request), group.error));
    } else {
      collectValues(crc32c, group, values, issues);
    }
  }
  if (issues.length === 0) return { ok: true, values };
  const failed: AccessSecretsResult = { ok: false, issues };
  partialValues.set(failed, values);
  return failed;
}

/**
 * The values a failed call did read (the other secrets of the call), for the start-up verdict to judge them in
 * the same run; kept out of the result object so that no log of it can show a value.
 */
const partialValues = new WeakMap<object, Record<string, string>>();

/** The values read by a call that failed for other secrets (see {@link partialValues}); internal. */
export function valuesReadBesideFailures(result: object): Record<string, string> {
  return partialValues.get(result) ?? {};
}

/** Records the values read beside failures on a result of this package's own; internal. */
export function keepValuesReadBesideFailures(result: object, values: Record<string, string>): void {
  partialValues.set(result, values);
}

/** `SECRET_MANAGER_DEADLINE_MS` of the env being loaded (else of process.env), when set. */
function deadlineFromEnv(
  env: Record<string, string | undefined> | undefined,
): { ok: true; deadlineMs: number } | { ok: false; issue: Issue } | undefined {
  const raw = (env?.[DEADLINE_VARIABLE] || process.env[DEADLINE_VARIABLE])?.trim();
  if (!raw) return undefined;
  const deadlineMs = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (deadlineMs >= 1 && deadlineMs <= MAX_TIMER_MS) return { ok: true, deadlineMs };
  return {
    ok: false,
    issue: {
      severity: 'error',
      code: 'invalid',
      key: '',
      variable: DEADLINE_VARIABLE,
      message: `${DEADLINE_VARIABLE} is not a whole number of milliseconds from 1 to ${MAX_TIMER_MS}.`,
      hint: `Set ${DEADLINE_VARIABLE}=${DEFAULT_DEADLINE_MS} (the default), or unset it.`,
    },
  };
}

function emulatorHostIssue(error: EmulatorHostError): Issue {
  return {
    severity: 'error',
    code: 'invalid',
    key: '',
    variable: EMULATOR_HOST_VARIABLE,
    message: error.message.split('. ')[0] ?? error.message,
    hint: 'Set it to the address the emulator printed (host:port), or unset it to use Google Secret Manager.',
  };
}

function targetOf(request: AccessRequest): SecretTarget {
  return {
    variable: request.variable,
    key: request.key ?? '',
    project: request.project,
    ...(request.location === undefined ? {} : { location: request.location }),
    secret: request.secret,
    version: request.version,
  };
}

function groupRequests(requests: readonly AccessRequest[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const request of requests) {
    const name = secretVersionName(request);
    const group = groups.get(name);
    if (group) group.requests.push(request);
    else groups.set(name, { name, location: request.location ?? '', requests: [request], state: 'queued' });
  }
  return groups;
}

function deadlineIssues(group: Group, deadlineMs: number, unreachable?: string): Issue[] {
  return group.requests.map((request) => deadlineIssue(targetOf(request), deadlineMs, unreachable));
}

/** gRPC's READY connectivity state. */
const READY = 2;

/**
 * The address of the client's gRPC channel when it is not connected (nothing listens there, or it cannot be
 * reached), else `undefined`. Read through the generated client's stub; any surprise there means "unknown".
 */
export async function unconnectedTarget(client: SecretManagerServiceClient): Promise<string | undefined> {
  try {
    // Only a stub that already exists: waiting for one still being created (credentials being looked up)
    // would overrun the deadline this runs at.
    const pending = (client as { secretManagerServiceStub?: Promise<unknown> }).secretManagerServiceStub;
    const stub = (await Promise.race([
      pending,
      new Promise<undefined>((resolve) => setImmediate(resolve, undefined)),
    ])) as
      | { getChannel?: () => { getConnectivityState(connect: boolean): number; getTarget(): string } }
      | undefined;
    const channel = stub?.getChannel?.();
    if (!channel || channel.getConnectivityState(false) === READY) return undefined;
    return channel.getTarget().replace(/^dns:(?:\/\/\/)?/, '');
  } catch {
    return undefined;
  }
}

async function fetchGroup(
  client: SecretManagerServiceClient,
  group: Group,
  deadlineAt: number,
  signal: AbortSignal,
): Promise<void> {
  group.state = 'in-flight';
  try {
    // The client's own deadline is a backstop a little after ours, so that ours decides and cancels.
    const callOptions = await startupCallOptions(deadlineAt - performance.now() + BACKSTOP_MS);
    if (signal.aborted) return;
    // Wrapped in an object: awaiting the cancellable promise itself would wait for the call.
    const { call } = await startAccess(client, group.name, callOptions);
    group.cancel = () => call.cancel?.();
    if (signal.aborted) {
      group.cancel();
      return;
    }
    const [response] = (await call) as [AccessResponse];
    if (signal.aborted) return;
    const data = response?.payload?.data;
    group.data = typeof data === 'string' ? Buffer.from(data, 'base64') : (data ?? new Uint8Array());
    group.checksum = response?.payload?.dataCrc32c;
    group.state = 'done';
  } catch (error) {
    // After the deadline the only error left is the CANCELLED of our own cancel(): not worth naming.
    if (signal.aborted) return;
    group.error = error;
    group.state = 'failed';
  }
}

/**
 * Starts AccessSecretVersion through the client's own call machinery (retries, timeouts) in a way that keeps
 * the call cancellable: the client's public method wraps the cancellable promise in `.then()`, which drops
 * `cancel()`, so the generated client's `innerApiCalls` entry is used with the routing header the public
 * method would add. Falls back to the public method for clients without it.
 */
async function startAccess(
  client: SecretManagerServiceClient,
  name: string,
  callOptions: Awaited<ReturnType<typeof startupCallOptions>>,
): Promise<{ call: CancellablePromise<unknown> }> {
  await client.initialize();
  const innerApiCalls = (client as { innerApiCalls?: Record<string, unknown> }).innerApiCalls;
  const inner = innerApiCalls?.['accessSecretVersion'];
  if (typeof inner !== 'function') return { call: client.accessSecretVersion({ name }, callOptions) };
  const { routingHeader } = await import('google-gax');
  const options = {
    ...callOptions,
    otherArgs: { headers: { 'x-goog-request-params': routingHeader.fromParams({ name }) } },
  };
  return {
    call: (inner as (request: unknown, options: unknown) => CancellablePromise<unknown>)({ name }, options),
  };
}

function collectValues(
  crc32c: (data: Uint8Array) => number,
  group: Group,
  values: Record<string, string>,
  issues: Issue[],
): void {
  const data = group.data ?? new Uint8Array();
  // Secret Manager stores at most 64 KiB; anything larger (a misbehaving server or proxy) is refused unparsed.
  if (data.byteLength > MAX_PAYLOAD_BYTES) {
    for (const request of group.requests) {
      issues.push(
        invalidValueIssue(
          targetOf(request),
          `the payload is larger than 64 KiB (${data.byteLength} bytes; Secret Manager stores at most ${MAX_PAYLOAD_BYTES})`,
          'Check what answers at the Secret Manager address: Secret Manager itself never returns more.',
        ),
      );
    }
    return;
  }
  if (verifyPayloadChecksum(crc32c, data, group.checksum as string | undefined) === 'mismatch') {
    for (const request of group.requests) issues.push(checksumIssue(targetOf(request)));
    return;
  }
  const text = decodeUtf8(data);
  if (text === null) {
    for (const request of group.requests) {
      issues.push(
        invalidValueIssue(
          targetOf(request),
          'the payload is not UTF-8 text',
          'Store the value as UTF-8 text (binary secrets cannot be passed as environment variables).',
        ),
      );
    }
    return;
  }
  for (const request of group.requests) {
    let value = text;
    if (request.field !== undefined) {
      const selected = selectField(text, request.field);
      if (!selected.ok) {
        issues.push(
          invalidValueIssue(
            targetOf(request),
            `?field=${request.field}: ${selected.reason}`,
            'Point ?field= at a string field of the JSON secret, or drop ?field= for a plain secret.',
          ),
        );
        continue;
      }
      value = selected.value;
    }
    const whitespace = whitespaceIssue(request.variable, request.key ?? '', value, {
      kind: 'secret',
      project: request.project,
      location: request.location,
      secret: request.secret,
      version: request.version,
    });
    if (whitespace) {
      issues.push(whitespace);
      continue;
    }
    values[request.variable] = value;
  }
}
