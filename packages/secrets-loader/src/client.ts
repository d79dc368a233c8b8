import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { CallOptions } from 'google-gax';
import { regionalEndpoint } from './reference.ts';

/** The environment variable that points every Secret Manager client of the project at the emulator. */
export const EMULATOR_HOST_VARIABLE = 'SECRET_MANAGER_EMULATOR_HOST';

/** Options of {@link createSecretManagerClient}. */
export interface CreateSecretManagerClientOptions {
  /**
   * `host:port` of a Secret Manager emulator; the client then speaks plaintext gRPC to it without credentials.
   * @default process.env.SECRET_MANAGER_EMULATOR_HOST (Google's endpoint with Application Default Credentials when unset)
   * @example { emulatorHost: '127.0.0.1:8085' }
   */
  emulatorHost?: string;
  /**
   * The location of the regional secrets this client reads (`projects/P/locations/L/…`): the client then talks
   * to the regional endpoint `secretmanager.L.rep.googleapis.com`, or, against an emulator, sends that endpoint
   * as the request's `:authority` so the emulator serves that location. @default undefined (global secrets)
   * @example { location: 'europe-west1' }
   */
  location?: string;
}

/** Error thrown for a malformed `SECRET_MANAGER_EMULATOR_HOST`. */
export class EmulatorHostError extends Error {
  override readonly name = 'EmulatorHostError';
  /** Stable code. */
  readonly code = 'EMULATOR_HOST_INVALID' as const;
}

/** Splits `host:port` / `[::1]:port` into parts; throws {@link EmulatorHostError} naming the variable and the fix. */
export function parseEmulatorHost(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port < 1 || port > 65535) {
    throw new EmulatorHostError(
      `${EMULATOR_HOST_VARIABLE} must be host:port (e.g. 127.0.0.1:8085), got "${address}". ` +
        `Set it to the address the emulator printed, or unset it to use Google's Secret Manager.`,
    );
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

/**
 * The official client (`@google-cloud/secret-manager`), imported on first use. With an emulator host (option or
 * `SECRET_MANAGER_EMULATOR_HOST`) it talks plaintext gRPC to it without looking for credentials: `sslCreds` are
 * insecure and `universeDomain` is fixed so the auth library never asks the metadata server. Close it when done.
 *
 * @example
 * const client = await createSecretManagerClient({ emulatorHost: '127.0.0.1:8085' });
 * const [version] = await client.accessSecretVersion({ name: 'projects/p/secrets/s/versions/latest' });
 * await client.close();
 */
export async function createSecretManagerClient(
  options: CreateSecretManagerClientOptions = {},
): Promise<SecretManagerServiceClient> {
  const emulatorHost = options.emulatorHost ?? nonEmpty(process.env[EMULATOR_HOST_VARIABLE]);
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
  const endpoint = options.location === undefined ? undefined : regionalEndpoint(options.location);
  if (emulatorHost === undefined) {
    return new SecretManagerServiceClient(endpoint === undefined ? {} : { apiEndpoint: endpoint });
  }
  const { host, port } = parseEmulatorHost(emulatorHost);
  const { grpc } = await clientGax();
  return new SecretManagerServiceClient({
    apiEndpoint: host,
    port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
    // The emulator plays the regional endpoint named here (see @netra/secret-manager-emulator).
    ...(endpoint === undefined ? {} : { 'grpc.default_authority': endpoint }),
  });
}

/**
 * The google-gax that @google-cloud/secret-manager itself loads: the insecure credentials must come from its
 * copy of grpc-js, or the client's `instanceof ChannelCredentials` check fails when two copies are installed.
 */
async function clientGax(): Promise<typeof import('google-gax')> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('@google-cloud/secret-manager'))(
    'google-gax',
  ) as typeof import('google-gax');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Backoff between tries at start-up: short, because a service that cannot start is worse than a retry storm. */
const STARTUP_BACKOFF = {
  initialRetryDelayMillis: 100,
  retryDelayMultiplier: 2,
  maxRetryDelayMillis: 1_000,
} as const;

/**
 * Call options for AccessSecretVersion at start-up, within `remainingMs` of the load's deadline.
 *
 * Why not the client's defaults: its config retries AccessSecretVersion on RESOURCE_EXHAUSTED and UNAVAILABLE
 * from 2 s up to 60 s between tries for a total of 600 s. Retry codes must be numbers (`Status.UNAVAILABLE`):
 * google-gax compares with `indexOf(err.code)`, so a string never matches. A supplied `backoffSettings`
 * replaces the default object whole, so every field is given. `maxRetries` is avoided: google-gax 5 deletes
 * `totalTimeoutMillis` when it is set and then refuses calls that carry both.
 */
export async function startupCallOptions(remainingMs: number): Promise<CallOptions> {
  const { Status } = await import('google-gax');
  const budget = Math.max(1, Math.floor(remainingMs));
  return {
    timeout: budget,
    retry: {
      retryCodes: [Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED],
      backoffSettings: {
        ...STARTUP_BACKOFF,
        initialRpcTimeoutMillis: budget,
        rpcTimeoutMultiplier: 1,
        maxRpcTimeoutMillis: budget,
        totalTimeoutMillis: budget,
      },
    },
  };
}
