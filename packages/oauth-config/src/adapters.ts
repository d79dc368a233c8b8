import type { Configuration } from 'openid-client';
import { OAuthConfigError } from './errors.ts';
import { GOOGLE_ISSUER, isLoopbackUrl, type OAuthConfig } from './oauth-config.ts';
import { redacting } from './redact.ts';

/**
 * Options for google-auth-library's `new OAuth2Client(options)` (10.x). `clientSecret` is redacted in the
 * object's JSON/inspect/string forms. `endpoints` is set only for a non-Google issuer (development/test).
 */
export interface GoogleAuthLibraryOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly endpoints?: { readonly oauth2AuthBaseUrl: string; readonly oauth2TokenUrl: string };
}

/**
 * Options for google-auth-library's `OAuth2Client`. Needs no network and loads nothing.
 *
 * @example
 * import { OAuth2Client } from 'google-auth-library';
 * const client = new OAuth2Client(googleAuthLibraryOptions(oauth));
 * const url = client.generateAuthUrl({ scope: oauth.scopes, state, code_challenge, code_challenge_method: CodeChallengeMethod.S256 });
 */
export function googleAuthLibraryOptions(oauth: OAuthConfig): GoogleAuthLibraryOptions {
  const options: GoogleAuthLibraryOptions = {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    redirectUri: oauth.redirectUri,
    ...(oauth.issuer === GOOGLE_ISSUER
      ? {}
      : {
          endpoints: { oauth2AuthBaseUrl: oauth.authorizationEndpoint, oauth2TokenUrl: oauth.tokenEndpoint },
        }),
  };
  return redacting<GoogleAuthLibraryOptions>('GoogleAuthLibraryOptions', ['clientSecret'], options);
}

/** Options of {@link openidClientConfiguration}. */
export interface OpenidClientConfigurationOptions {
  /**
   * Seconds the discovery request may take.
   * @default 30 (openid-client's default)
   * @example { timeout: 5 }
   */
  timeout?: number;
}

/**
 * Discovers the issuer with openid-client 6 and returns its `Configuration` for this client
 * (client_secret_post authentication, our redirect URI as client metadata). openid-client is `import()`ed
 * here, on first use. Plain-http requests are allowed only for a loopback issuer in development and test;
 * anything else must be https (openid-client refuses http otherwise).
 *
 * @example
 * import * as client from 'openid-client';
 * const configuration = await openidClientConfiguration(oauth);
 * const url = client.buildAuthorizationUrl(configuration, { redirect_uri: oauth.redirectUri, scope: oauth.scopes.join(' '),
 *   code_challenge, code_challenge_method: 'S256', state });
 */
export async function openidClientConfiguration(
  oauth: OAuthConfig,
  options: OpenidClientConfigurationOptions = {},
): Promise<Configuration> {
  const issuer = new URL(oauth.issuer);
  const insecure = issuer.protocol === 'http:';
  const deployed = oauth.environment === 'staging' || oauth.environment === 'production';
  if (insecure && (deployed || !isLoopbackUrl(issuer))) {
    throw new OAuthConfigError([
      {
        severity: 'error',
        code: 'invalid',
        key: 'oauth.issuerUrl',
        variable: 'OAUTH_ISSUER_URL',
        message: `The issuer ${issuer.href} is plain http; ${oauth.environment} may talk to an issuer without TLS only on loopback in development and test.`,
        hint: 'Use an https issuer.',
      },
    ]);
  }
  const client = await import('openid-client');
  return client.discovery(
    issuer,
    oauth.clientId,
    { redirect_uris: [oauth.redirectUri], response_types: ['code'] },
    client.ClientSecretPost(oauth.clientSecret),
    {
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    },
  );
}
