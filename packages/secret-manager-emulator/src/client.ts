import { createRequire } from 'node:module';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { ClientOptions } from 'google-gax';

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

/**
 * Options for the official `SecretManagerServiceClient` that make it talk plaintext gRPC to the emulator at
 * `address`, without credentials and without probing the GCE metadata server. The credentials object comes from
 * the google-gax that @google-cloud/secret-manager uses (loaded on first call), so the client's `instanceof`
 * checks pass.
 *
 * @throws EmulatorAddressError when `address` is not `host:port`.
 * @example
 * const client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
 */
export function emulatorClientOptions(address: string): ClientOptions {
  const { host, port } = parseEmulatorAddress(address);
  const clientRequire = createRequire(require.resolve('@google-cloud/secret-manager'));
  const gax = clientRequire('google-gax') as typeof import('google-gax');
  return {
    apiEndpoint: host,
    port,
    sslCreds: gax.grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  };
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
): Promise<SecretManagerServiceClient> {
  const target = address ?? env[EMULATOR_HOST_VARIABLE];
  if (!target) {
    throw new EmulatorAddressError('', {
      cause: new Error(`Neither an address nor ${EMULATOR_HOST_VARIABLE} was given.`),
    });
  }
  const options = emulatorClientOptions(target);
  const { SecretManagerServiceClient: Client } = await import('@google-cloud/secret-manager');
  return new Client(options);
}
