import type { ConfigSchema } from '@netra/config-schema';
import { GOOGLE_ISSUER, type OAuthConfig } from './oauth-config.ts';
import type { Environment } from './schema.ts';

/** Options of {@link redirectUrisToRegister}. */
export interface RedirectRegistrationOptions {
  /**
   * The schema whose environment order sorts the entries.
   * @default development, test, staging, production; other environments after them, by name
   * @example { schema: workerSchema }
   */
  schema?: ConfigSchema;
}

const DEFAULT_ORDER: readonly Environment[] = ['development', 'test', 'staging', 'production'];

/** What one environment's OAuth client needs registered with its provider. */
export interface RedirectRegistration {
  environment: Environment;
  clientId: string;
  /** `https://accounts.google.com`: register in Google Cloud console. Anything else: a local test provider. */
  issuer: string;
  /** "Authorized redirect URIs", sorted, without duplicates. */
  redirectUris: string[];
  /** "Authorized JavaScript origins", sorted, without duplicates. */
  javascriptOrigins: string[];
}

/**
 * From the OAuth configs of one or more environments, what each client needs registered in the Google
 * console: one entry per environment and client, in the schema's environment order (by default development,
 * test, staging, production). `null` entries (OAuth disabled) are skipped.
 *
 * @example
 * redirectUrisToRegister([stagingOAuth, productionOAuth]);
 * // [{ environment: 'staging', clientId: '…', issuer: 'https://accounts.google.com',
 * //    redirectUris: ['https://api.staging.example.com/auth/callback'], javascriptOrigins: ['https://app.staging.example.com'] }, …]
 */
export function redirectUrisToRegister(
  oauthConfigs: readonly (OAuthConfig | null | undefined)[],
  options: RedirectRegistrationOptions = {},
): RedirectRegistration[] {
  const order = options.schema ? Object.keys(options.schema.environments) : DEFAULT_ORDER;
  const byClient = new Map<
    string,
    {
      environment: Environment;
      clientId: string;
      issuer: string;
      redirectUris: Set<string>;
      javascriptOrigins: Set<string>;
    }
  >();
  for (const oauth of oauthConfigs) {
    if (!oauth) continue;
    const groupKey = JSON.stringify([oauth.environment, oauth.issuer, oauth.clientId]);
    let group = byClient.get(groupKey);
    if (!group) {
      group = {
        environment: oauth.environment,
        clientId: oauth.clientId,
        issuer: oauth.issuer,
        redirectUris: new Set(),
        javascriptOrigins: new Set(),
      };
      byClient.set(groupKey, group);
    }
    group.redirectUris.add(oauth.redirectUri);
    for (const origin of oauth.javascriptOrigins) group.javascriptOrigins.add(origin);
  }
  const rank = (environment: Environment): number => {
    const index = order.indexOf(environment);
    return index < 0 ? order.length : index;
  };
  return [...byClient.values()]
    .sort(
      (a, b) =>
        rank(a.environment) - rank(b.environment) ||
        (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0) ||
        Number(b.issuer === GOOGLE_ISSUER) - Number(a.issuer === GOOGLE_ISSUER) ||
        a.clientId.localeCompare(b.clientId),
    )
    .map((group) => ({
      environment: group.environment,
      clientId: group.clientId,
      issuer: group.issuer,
      redirectUris: [...group.redirectUris].sort(),
      javascriptOrigins: [...group.javascriptOrigins].sort(),
    }));
}
