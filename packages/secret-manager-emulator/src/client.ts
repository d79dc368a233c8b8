import { createRequire } from 'node:module';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { ClientOptions } from 'google-gax';
import { endpointLocation } from './names.ts';

/**
 * The environment variable that points Secret Manager clients at an emulator (`host:port`).
 *
 * @example process.env[EMULATOR_HOST_VARIABLE] = emulator.address;
 */
export const EMULATOR_HOST_VARIABLE = 'SECRET_MANAGER_EMULATOR_HOST';

/**
 * An emulator address that is not `host:port` (or no address at all). `code`: `EMULATOR_ADDRESS_INVALID`.
 *
 * @example if (error instanceof EmulatorAddressError) console.error(error.message);
 */
export class EmulatorAddressError extends Error {
  readonly code = 'EMULATOR_ADDRESS_INVALID' as const;
  constructor(address: string, options?: { cause?: unknown }) {
    super(
      `Invalid Secret Manager emulator address "${address}": expected host:port (e.g. 127.0.0.1:8085, [::1]:8085), ` +
        `as printed by netra-sm-emulator in ${EMULATOR_HOST_VARIABLE}.`,
      options,
    );
    this.name = 'EmulatorAddressError';
  }
}

/**
 * Splits `host:port` / `[v6]:port`.
 *
 * @throws EmulatorAddressError when it is not that.
 * @example parseEmulatorAddress('127.0.0.1:8085') // { host: '127.0.0.1', port: 8085 }
 */
export function parseEmulatorAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) throw new EmulatorAddressError(address);
  return { host: (match[1] ?? match[2])!, port };
}

const require = createRequire(import.meta.url);

/** Options of {@link emulatorClientOptions} and {@link createEmulatorClient}. */
export interface EmulatorClientOptions {
  /**
   * The endpoint the client was built for. A regional one (`secretmanager.LOCATION.rep.googleapis.com`)
   * travels as the request's `:authority`, and the emulator then serves only names in that location, as the
   * regional endpoint does. Without it the emulator serves global and regional names alike.
   * @default undefined (the emulator's own address)
   * @example { apiEndpoint: 'secretmanager.europe-west1.rep.googleapis.com' }
   */
  apiEndpoint?: string;
}

/**
 * Options for the official `SecretManagerServiceClient` that make it talk plaintext gRPC to the emulator at
 * `address`, without credentials and without probing the GCE metadata server. The credentials object comes from
 * the google-gax that @google-cloud/secret-manager uses (loaded on first call), so the client's `instanceof`
 * checks pass. A client for a regional endpoint takes the same options (regional names are served at the same
 * address); pass `apiEndpoint` to keep the endpoint's location binding.
 *
 * @throws EmulatorAddressError when `address` is not `host:port`.
 * @example
 * const client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
 * const regional = new SecretManagerServiceClient(
 *   emulatorClientOptions(emulator.address, { apiEndpoint: 'secretmanager.europe-west1.rep.googleapis.com' }),
 * );
 */
export function emulatorClientOptions(address: string, options: EmulatorClientOptions = {}): ClientOptions {
  return clientOptionsFor(address, options, require.resolve('@google-cloud/secret-manager'));
}

/** The options, with the credentials built by the google-gax that the client package at `clientEntry` uses. */
function clientOptionsFor(
  address: string,
  options: EmulatorClientOptions,
  clientEntry: string,
): ClientOptions {
  const { host, port } = parseEmulatorAddress(address);
  const gax = createRequire(clientEntry)('google-gax') as typeof import('google-gax');
  return {
    apiEndpoint: host,
    servicePath: host,
    port,
    sslCreds: gax.grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
    ...(options.apiEndpoint && endpointLocation(options.apiEndpoint)
      ? { 'grpc.default_authority': options.apiEndpoint }
      : {}),
  };
}

type ClientClass = new (options?: ClientOptions, ...rest: unknown[]) => SecretManagerServiceClient;

/**
 * Makes every `SecretManagerServiceClient` that code under `fromDirectory` constructs from
 * `@google-cloud/secret-manager` (CommonJS `require` or ESM `import`, top-level or `v1.`) talk to the emulator at
 * `address`: the endpoint the code asked for (`secretmanager.europe-west1.rep.googleapis.com`) travels as the
 * `:authority`, so regional clients keep their location. Used by the `register` preload; returns false when
 * the package is not installed there.
 */
export function redirectClients(address: string, fromDirectory: string = process.cwd()): boolean {
  parseEmulatorAddress(address);
  const from = createRequire(`${fromDirectory.replace(/\/$/, '')}/`);
  let entry: string;
  try {
    entry = from.resolve('@google-cloud/secret-manager');
  } catch {
    return false;
  }
  const load = createRequire(entry);
  const top = load(entry) as {
    SecretManagerServiceClient: ClientClass;
    default?: { SecretManagerServiceClient?: ClientClass };
  };
  const inner = load('./v1/secret_manager_service_client.js') as { SecretManagerServiceClient: ClientClass };
  const Original = inner.SecretManagerServiceClient;
  if ((Original as { emulated?: boolean }).emulated) return true;
  class EmulatedSecretManagerServiceClient extends Original {
    static emulated = true;
    constructor(options: ClientOptions = {}, ...rest: unknown[]) {
      const endpoint = options.apiEndpoint ?? options.servicePath;
      super(
        {
          ...options,
          ...clientOptionsFor(address, endpoint === undefined ? {} : { apiEndpoint: endpoint }, entry),
        },
        ...rest,
      );
    }
  }
  inner.SecretManagerServiceClient = EmulatedSecretManagerServiceClient;
  top.SecretManagerServiceClient = EmulatedSecretManagerServiceClient;
  if (top.default) top.default.SecretManagerServiceClient = EmulatedSecretManagerServiceClient;
  return true;
}

/**
 * The official client, pointed at an emulator: `address`, else `SECRET_MANAGER_EMULATOR_HOST` from `env`.
 * Imports @google-cloud/secret-manager on first use.
 *
 * @throws EmulatorAddressError when neither gives a `host:port`.
 * @example
 * const client = await createEmulatorClient(emulator.address);
 * const [version] = await client.accessSecretVersion({ name: 'projects/p/secrets/s/versions/latest' });
 */
export async function createEmulatorClient(
  address?: string,
  env: Record<string, string | undefined> = process.env,
  options: EmulatorClientOptions = {},
): Promise<SecretManagerServiceClient> {
  const target = address ?? env[EMULATOR_HOST_VARIABLE];
  if (!target) {
    throw new EmulatorAddressError('', {
      cause: new Error(`Neither an address nor ${EMULATOR_HOST_VARIABLE} was given.`),
    });
  }
  const clientOptions = emulatorClientOptions(target, options);
  const { SecretManagerServiceClient: Client } = await import('@google-cloud/secret-manager');
  return new Client(clientOptions);
}
