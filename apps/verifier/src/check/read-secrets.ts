import type { Issue } from '@netra/config-schema';
import { UsageError } from '../errors';
import type { SecretReadout, SecretToRead } from './check';

/**
 * Reads the deployment's secrets from Secret Manager (the emulator when SECRET_MANAGER_EMULATOR_HOST is set) with
 * the official client, one client per location (global secrets, and each location's regional secrets at its
 * endpoint). Each variable is read on its own, so one missing secret does not
 * hide the values of the others. `@netra/secrets-loader` (and with it gRPC) is imported only here.
 */
export async function readSecrets(
  secrets: readonly SecretToRead[],
  options: {
    project: string;
    environment: string;
    env: Record<string, string | undefined>;
    /** A client for global secrets (not closed). @default one created here */
    client?: SecretManagerClient;
  },
): Promise<SecretReadout> {
  if (secrets.length === 0) return { values: {}, issues: [] };
  const { accessSecrets } = await import('@netra/secrets-loader');
  // One client per location ('' = global): a regional secret is served by its location's endpoint.
  const clients = new Map<string, SecretManagerClient>();
  if (options.client) clients.set('', options.client);
  const clientFor = async (location: string | undefined) => {
    const existing = clients.get(location ?? '');
    if (existing) return existing;
    const client = await openSecretManagerClient(options.env, location);
    clients.set(location ?? '', client);
    return client;
  };
  try {
    for (const secret of secrets) await clientFor(secret.location);
    const results = await Promise.all(
      secrets.map(async (secret) =>
        accessSecrets(
          [
            {
              variable: secret.variable,
              key: secret.key,
              project: secret.project ?? options.project,
              ...(secret.location === undefined ? {} : { location: secret.location }),
              secret: secret.secret,
              version: secret.version,
              ...(secret.field === undefined ? {} : { field: secret.field }),
            },
          ],
          { client: await clientFor(secret.location), environment: options.environment, env: options.env },
        ),
      ),
    );
    const values: Record<string, string> = {};
    const issues: Issue[] = [];
    for (const result of results) {
      if (result.ok) Object.assign(values, result.values);
      else issues.push(...result.issues);
    }
    return { values, issues };
  } finally {
    for (const client of clients.values()) {
      if (client !== options.client) await client.close().catch(() => {});
    }
  }
}

/** The official Secret Manager client, as the verifier's commands open it. */
export type SecretManagerClient = Awaited<
  ReturnType<typeof import('@netra/secrets-loader').createSecretManagerClient>
>;

/**
 * Opens a Secret Manager client: the emulator when SECRET_MANAGER_EMULATOR_HOST is set in `env`, a location's
 * endpoint for regional secrets. A malformed SECRET_MANAGER_EMULATOR_HOST is a {@link UsageError} (exit 2) whose
 * message names the variable. `@netra/secrets-loader`'s client (and gRPC) is imported only here.
 */
export async function openSecretManagerClient(
  env: Record<string, string | undefined>,
  location?: string,
): Promise<SecretManagerClient> {
  const { createSecretManagerClient } = await import('@netra/secrets-loader');
  const emulatorHost = env.SECRET_MANAGER_EMULATOR_HOST;
  try {
    return await createSecretManagerClient({
      ...(emulatorHost !== undefined && emulatorHost !== '' ? { emulatorHost } : {}),
      ...(location === undefined ? {} : { location }),
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'EmulatorHostError')
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
}
