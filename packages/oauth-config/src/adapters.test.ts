import { netraBackendSchema } from '@netra/backend-schema';
import { loadConfig } from '@netra/config-schema';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  followAsBrowser,
  type LocalProvider,
  startLocalProvider,
  TEST_ACCOUNT,
} from '../test/local-provider.ts';
import { googleAuthLibraryOptions, openidClientConfiguration } from './adapters.ts';
import { OAuthConfigError } from './errors.ts';
import {
  GOOGLE_AUTHORIZATION_ENDPOINT,
  GOOGLE_ISSUER,
  getOAuthConfig,
  type OAuthConfig,
  type OAuthInput,
} from './oauth-config.ts';
import { redirectUrisToRegister } from './register.ts';

const CLIENT_ID = 'netra-test-1234.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-local-provider-test-secret';

/** The config the test environment loads (config-schema), with a local issuer in OAUTH_ISSUER_URL. */
function testConfig(issuer: string, overrides: { clientSecret?: string } = {}): OAuthInput {
  return loadConfig(netraBackendSchema, {
    env: {
      ENVIRONMENT: 'test',
      API_BASE_URL: 'http://127.0.0.1:8080',
      GOOGLE_OAUTH_CLIENT_ID: CLIENT_ID,
      GOOGLE_OAUTH_CLIENT_SECRET: overrides.clientSecret ?? CLIENT_SECRET,
      OAUTH_ISSUER_URL: issuer,
    },
  });
}

describe('openid-client against a real oidc-provider on loopback', () => {
  let provider: LocalProvider;
  let oauth: OAuthConfig;

  beforeAll(async () => {
    provider = await startLocalProvider();
    oauth = getOAuthConfig(testConfig(provider.issuer));
    // Register exactly what our config says must be registered.
    const [registration] = redirectUrisToRegister([oauth]);
    provider.register([
      {
        client_id: registration!.clientId,
        client_secret: oauth.clientSecret,
        redirect_uris: registration!.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ]);
  });
  afterAll(() => provider?.close());

  /** Our side of the flow, as a service would run it with openid-client. */
  async function signIn(oauthConfig: OAuthConfig, redirectUri = oauthConfig.redirectUri) {
    const configuration = await openidClientConfiguration(oauthConfig);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: oauthConfig.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
    });
    const browser = await followAsBrowser(authorizationUrl, redirectUri);
    return { configuration, codeVerifier, state, authorizationUrl, browser };
  }

  test('discovery finds the issuer and the endpoints our config derived', async () => {
    const configuration = await openidClientConfiguration(oauth);
    const metadata = configuration.serverMetadata();
    expect(metadata.issuer).toBe(oauth.issuer);
    expect(metadata.authorization_endpoint).toBe(oauth.authorizationEndpoint);
    expect(metadata.token_endpoint).toBe(oauth.tokenEndpoint);
    expect(configuration.clientMetadata()).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uris: [oauth.redirectUri],
    });
  });

  test('authorization code flow with PKCE to our redirect URI returns a verified ID token', async () => {
    const { configuration, codeVerifier, state, authorizationUrl, browser } = await signIn(oauth);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    if (!('callback' in browser))
      throw new Error(`flow stopped: ${browser.stoppedAt.status} ${browser.stoppedAt.body}`);
    expect(browser.callback.origin + browser.callback.pathname).toBe(oauth.redirectUri);
    expect(browser.callback.searchParams.get('code')).toBeTruthy();

    const tokens = await client.authorizationCodeGrant(configuration, browser.callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    });
    expect(tokens.id_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: oauth.issuer, aud: CLIENT_ID, sub: TEST_ACCOUNT.sub });
    const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, TEST_ACCOUNT.sub);
    expect(userInfo).toMatchObject({ email: TEST_ACCOUNT.email, name: TEST_ACCOUNT.name });
  });

  test('PKCE is enforced: the wrong code verifier is refused at the token endpoint', async () => {
    const { configuration, state, browser } = await signIn(oauth);
    if (!('callback' in browser)) throw new Error('flow stopped early');
    await expect(
      client.authorizationCodeGrant(configuration, browser.callback, {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a redirect URI that was not registered fails the flow at the provider', async () => {
    // The config a service would derive with another callback path than the one registered.
    const moved = getOAuthConfig(testConfig(provider.issuer), { callbackPath: '/auth/google/callback' });
    expect(moved.redirectUri).not.toBe(oauth.redirectUri);
    const { browser } = await signIn(moved);
    expect('stoppedAt' in browser).toBe(true);
    if (!('stoppedAt' in browser)) return;
    expect(browser.stoppedAt.status).toBe(400);
    expect(browser.stoppedAt.body).toContain('redirect_uri did not match');
  });

  test('a wrong client secret fails the token exchange with invalid_client', async () => {
    const wrong = getOAuthConfig(
      testConfig(provider.issuer, { clientSecret: 'GOCSPX-not-the-registered-secret' }),
    );
    const { configuration, codeVerifier, state, browser } = await signIn(wrong);
    if (!('callback' in browser))
      throw new Error('the authorization step does not use the secret and must succeed');
    const exchange = client.authorizationCodeGrant(configuration, browser.callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    });
    await expect(exchange).rejects.toBeInstanceOf(client.ResponseBodyError);
    await expect(exchange).rejects.toMatchObject({ error: 'invalid_client' });
  });

  test('google-auth-library drives the same flow against the local issuer through the adapter endpoints', async () => {
    const options = googleAuthLibraryOptions(oauth);
    expect(options.endpoints).toEqual({
      oauth2AuthBaseUrl: oauth.authorizationEndpoint,
      oauth2TokenUrl: oauth.tokenEndpoint,
    });
    const google = new OAuth2Client(options);
    const { codeVerifier, codeChallenge } = await google.generateCodeVerifierAsync();
    const authorizationUrl = google.generateAuthUrl({
      scope: oauth.scopes,
      state: 'state-1',
      code_challenge: codeChallenge!,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const browser = await followAsBrowser(authorizationUrl, oauth.redirectUri);
    if (!('callback' in browser)) throw new Error(`flow stopped: ${browser.stoppedAt.status}`);
    const { tokens } = await google.getToken({
      code: browser.callback.searchParams.get('code')!,
      codeVerifier,
    });
    const [, payload = ''] = (tokens.id_token ?? '').split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      iss: oauth.issuer,
      aud: CLIENT_ID,
      sub: TEST_ACCOUNT.sub,
    });
  });
});

describe('openidClientConfiguration refuses plain http outside loopback development/test', () => {
  test.each([
    ['staging', 'http://127.0.0.1:9'],
    ['production', 'http://127.0.0.1:9'],
    ['development', 'http://auth.internal.example:9'],
  ] as const)('%s with issuer %s', async (environment, issuer) => {
    const base = getOAuthConfig(testConfig('http://127.0.0.1:9'));
    // A hand-built object: getOAuthConfig itself never produces these.
    const forged = { ...base, environment, issuer } as OAuthConfig;
    await expect(openidClientConfiguration(forged)).rejects.toBeInstanceOf(OAuthConfigError);
  });
});

describe('google-auth-library builds the authorization URL from our adapter (no network)', () => {
  const staging = getOAuthConfig({
    environment: 'staging',
    apiBaseUrl: 'https://api.staging.netra.example',
    frontendUrl: 'https://app.staging.netra.example',
    oauth: {
      google: {
        clientId: '1234-staging.apps.googleusercontent.com',
        clientSecret: 'GOCSPX-staging-secret-value',
      },
    },
  });

  test('client_id, redirect_uri and scopes are ours, at Google', () => {
    const options = googleAuthLibraryOptions(staging);
    // The secret is read by name; it is not among the own (copyable) properties.
    expect({ ...options, clientSecret: options.clientSecret }).toEqual({
      clientId: staging.clientId,
      clientSecret: staging.clientSecret,
      redirectUri: 'https://api.staging.netra.example/auth/callback',
    });
    const google = new OAuth2Client(options);
    const url = new URL(
      google.generateAuthUrl({
        scope: staging.scopes,
        access_type: 'online',
        state: 'xyz',
        prompt: 'select_account',
      }),
    );
    expect(staging.issuer).toBe(GOOGLE_ISSUER);
    expect(url.origin + url.pathname).toBe(GOOGLE_AUTHORIZATION_ENDPOINT);
    expect(url.origin + url.pathname).toBe(staging.authorizationEndpoint);
    expect(url.searchParams.get('client_id')).toBe('1234-staging.apps.googleusercontent.com');
    expect(url.searchParams.get('redirect_uri')).toBe('https://api.staging.netra.example/auth/callback');
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.href).not.toContain('GOCSPX');
  });

  test('custom scopes reach the URL', () => {
    const narrow = getOAuthConfig(
      {
        environment: 'production',
        apiBaseUrl: 'https://api.netra.example',
        frontendUrl: 'https://netra.example',
        oauth: {
          google: {
            clientId: '99-prod.apps.googleusercontent.com',
            clientSecret: 'GOCSPX-prod-secret-value',
          },
        },
      },
      { scopes: ['openid', 'email'] },
    );
    const url = new URL(
      new OAuth2Client(googleAuthLibraryOptions(narrow)).generateAuthUrl({ scope: narrow.scopes }),
    );
    expect(url.searchParams.get('scope')).toBe('openid email');
    expect(url.searchParams.get('client_id')).toBe('99-prod.apps.googleusercontent.com');
  });

  test('the options object redacts the secret', () => {
    const options = googleAuthLibraryOptions(staging);
    expect(JSON.stringify(options)).not.toContain('GOCSPX');
    expect(String(options)).not.toContain('GOCSPX');
    expect(options.clientSecret).toBe('GOCSPX-staging-secret-value');
  });
});
