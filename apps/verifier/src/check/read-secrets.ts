import type { Issue } from '@netra/config-schema';
import { UsageError } from '../errors';
import type { SecretReadout, SecretToRead } from './check';

/**
 * Reads the deployment's secrets from Secret Manager (the emulator when SECRET_MANAGER_EMULATOR_HOST is set) with
 * the official client, one client for all of them. Each variable is read on its own, so one missing secret does not
 * hide the values of the others. `@netra/secrets-loader` (and with it gRPC) is imported only here.
 */
export async function readSecrets(
  secrets: readonly SecretToRead[],
  options: { project: string; environment: string; env: Record<string, string | undefined> },
): Promise<SecretReadout> {
  if (secrets.length === 0) return { values: {}, issues: [] };
  const { accessSecrets, createSecretManagerClient } = await import('@netra/secrets-loader');
  const emulatorHost = options.env.SECRET_MANAGER_EMULATOR_HOST;
  let client: Awaited<ReturnType<typeof createSecretManagerClient>>;
  try {
    client = await createSecretManagerClient(
      emulatorHost !== undefined && emulatorHost !== '' ? { emulatorHost } : {},
    );
  } catch (error) {
    // A malformed SECRET_MANAGER_EMULATOR_HOST is a usage problem with a message that names the variable.
    if (error instanceof Error && error.name === 'EmulatorHostError')
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
  try {
    const results = await Promise.all(
      secrets.map((secret) =>
        accessSecrets(
          [
            {
              variable: secret.variable,
              key: secret.key,
              project: secret.project ?? options.project,
              secret: secret.secret,
              version: secret.version,
              ...(secret.field === undefined ? {} : { field: secret.field }),
            },
          ],
          { client, environment: options.environment, env: options.env },
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
    await client.close().catch(() => {});
  }
}
