import { GOOGLE_ISSUER, type OAuthConfig } from './oauth-config.ts';
import { ENVIRONMENTS, type Environment } from './schema.ts';

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
 * console: one entry per environment and client, in environment order (development, test, staging,
 * production). `null` entries (OAuth disabled) are skipped.
 *
 * @example
 * redirectUrisToRegister([stagingOAuth, productionOAuth]);
 * // [{ environment: 'staging', clientId: '…', issuer: 'https://accounts.google.com',
 * //    redirectUris: ['https://api.staging.example.com/auth/callback'], javascriptOrigins: ['https://app.staging.example.com'] }, …]
 */
export function redirectUrisToRegister(
  oauthConfigs: readonly (OAuthConfig | null | undefined)[],
): RedirectRegistration[] {
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
  const rank = (environment: Environment): number => ENVIRONMENTS.indexOf(environment);
  return [...byClient.values()]
    .sort(
      (a, b) =>
        rank(a.environment) - rank(b.environment) ||
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
