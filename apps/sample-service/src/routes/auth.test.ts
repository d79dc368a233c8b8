import { netraBackendSchema } from '@netra/backend-schema';
import { safeGetOAuthConfig } from '@netra/oauth-config';
import type { FastifyInstance } from 'fastify';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testConfig, testDependencies } from '../../test/support/fixtures.ts';
import { loginAtProvider, startOidcProvider, type TestProvider } from '../../test/support/oidc-provider.ts';
import { freePort } from '../../test/support/redis-server.ts';
import { buildApp } from '../app.ts';
import { connectRedis, createPostgresPool, createRedisClient } from '../dependencies.ts';

const API_BASE_URL = 'http://127.0.0.1:8080';

let provider: TestProvider;
let app: FastifyInstance;
let deps: Awaited<ReturnType<typeof testDependencies>>;
let jwtSecret: string;

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUri: `${API_BASE_URL}/auth/callback` });
  const config = testConfig({
    API_BASE_URL,
    OAUTH_ISSUER_URL: provider.issuer,
    GOOGLE_OAUTH_CLIENT_ID: provider.clientId,
    GOOGLE_OAUTH_CLIENT_SECRET: provider.clientSecret,
  });
  jwtSecret = config.jwtSecret;
  const oauth = safeGetOAuthConfig(config, { schema: netraBackendSchema });
  if (!oauth.ok || !oauth.oauth) throw new Error(`OAuth config failed: ${JSON.stringify(oauth)}`);
  deps = await testDependencies(config);
  app = buildApp({ config, oauth: oauth.oauth, ...deps, oauthStateTtlSeconds: 120, logger: false });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await deps?.cleanup();
  await provider?.stop();
});

async function login(): Promise<URL> {
  const response = await app.inject({ method: 'GET', url: '/auth/login' });
  expect(response.statusCode).toBe(302);
  return new URL(response.headers.location as string);
}

function callbackPath(redirect: URL): string {
  return `/auth/callback${redirect.search}`;
}

describe('OAuth login against a real OpenID provider', () => {
  test('/auth/login redirects to the provider with state and S256 PKCE, the state kept in Redis with a TTL', async () => {
    const url = await login();
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('client_id')).toBe(provider.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${API_BASE_URL}/auth/callback`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const state = url.searchParams.get('state')!;
    const key = `${deps.keyPrefix}oauth-state:${state}`;
    const stored = JSON.parse((await deps.redis.get(key))!);
    expect(stored.codeVerifier).toEqual(expect.any(String));
    expect(await deps.redis.ttl(key)).toBeGreaterThan(0);
    expect(await deps.redis.ttl(key)).toBeLessThanOrEqual(120);
  });

  test('the flow completes: the callback returns a session token signed with the JWT secret', async () => {
    const redirect = await loginAtProvider((await login()).href, 'alice');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${API_BASE_URL}/auth/callback`);
    const response = await app.inject({ method: 'GET', url: callbackPath(redirect) });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      subject: 'alice',
      email: 'alice@example.test',
    });
    const { payload, protectedHeader } = await jwtVerify(body.token, new TextEncoder().encode(jwtSecret), {
      issuer: API_BASE_URL,
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'alice', email: 'alice@example.test' });

    // The state was single-use: replaying the same callback is rejected.
    const replay = await app.inject({ method: 'GET', url: callbackPath(redirect) });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'invalid-state' });
  });

  test('a forged state is rejected with 400 invalid-state, and the real one still works after', async () => {
    const redirect = await loginAtProvider((await login()).href, 'mallory');
    const forged = new URL(redirect);
    forged.searchParams.set('state', 'forged-state-0123456789abcdefghijklmnop');
    const response = await app.inject({ method: 'GET', url: callbackPath(forged) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid-state' });
    expect((await app.inject({ method: 'GET', url: callbackPath(redirect) })).statusCode).toBe(200);
  });

  test('a wrong authorization code with a valid state is 400 invalid-code, not 500', async () => {
    const url = await login();
    const state = url.searchParams.get('state')!;
    const response = await app.inject({
      method: 'GET',
      url: `/auth/callback?state=${state}&code=not-a-real-code&iss=${encodeURIComponent(provider.issuer)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid-code' });
  });

  test('a provider error (user denied) is 400 authorization-denied', async () => {
    const state = (await login()).searchParams.get('state')!;
    const response = await app.inject({
      method: 'GET',
      url: `/auth/callback?state=${state}&error=access_denied`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'authorization-denied' });
  });

  test.each([
    ['/auth/callback', 'no state'],
    ['/auth/callback?state=short&code=x', 'a malformed state'],
  ])('%s (%s) is 400 invalid-request', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid-request' });
  });
});

test('an OpenID provider that does not answer: /auth/login is 503 naming it, and works once it answers', async () => {
  const config = testConfig({
    API_BASE_URL,
    OAUTH_ISSUER_URL: `http://127.0.0.1:${await freePort()}`,
    GOOGLE_OAUTH_CLIENT_ID: provider.clientId,
    GOOGLE_OAUTH_CLIENT_SECRET: provider.clientSecret,
  });
  const oauth = safeGetOAuthConfig(config, { schema: netraBackendSchema });
  if (!oauth.ok || !oauth.oauth) throw new Error('OAuth config failed');
  let discoveries = 0;
  const redis = createRedisClient(config);
  await connectRedis(redis);
  const offline = buildApp({
    config,
    oauth: oauth.oauth,
    postgres: createPostgresPool(config),
    redis,
    keyPrefix: deps.keyPrefix,
    logger: false,
    // The first discovery goes to the dead issuer; the next to the live provider (discovery is retried).
    openidConfiguration: async (settings) => {
      const { openidClientConfiguration } = await import('@netra/oauth-config');
      discoveries++;
      return openidClientConfiguration(
        discoveries === 1 ? settings : { ...settings, issuer: provider.issuer },
      );
    },
  });
  try {
    const response = await offline.inject({ method: 'GET', url: '/auth/login' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'dependency-unavailable', dependency: 'oauth-provider' });
    expect((await offline.inject({ method: 'GET', url: '/auth/login' })).statusCode).toBe(302);
  } finally {
    await offline.close(); // closes its own pools
  }
});
