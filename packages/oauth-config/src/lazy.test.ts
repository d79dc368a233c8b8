// Importing the package must not load openid-client or google-auth-library; the adapter loads openid-client
// on first use and passes allowInsecureRequests only for a loopback http issuer.
import { afterEach, expect, test, vi } from 'vitest';

const loaded = vi.hoisted(() => new Set<string>());
const discovery = vi.hoisted(() => vi.fn(async (..._args: unknown[]) => ({ discovered: true })));
const allowInsecureRequests = vi.hoisted(() => () => {});

vi.mock('openid-client', () => {
  loaded.add('openid-client');
  return { discovery, allowInsecureRequests, ClientSecretPost: (secret: string) => ({ post: secret }) };
});
// node:net's isIP cost ~3.5 ms on its first call on the start-up path; URL hostnames need no IP parser.
vi.mock('node:net', async (importOriginal) => {
  loaded.add('node:net');
  return importOriginal();
});
vi.mock('google-auth-library', () => {
  loaded.add('google-auth-library');
  return {};
});

afterEach(() => discovery.mockClear());

test('importing the package loads neither library (nor node:net); the openid-client adapter loads it on use', async () => {
  const { getOAuthConfig, googleAuthLibraryOptions, openidClientConfiguration } = await import('./index.ts');
  expect([...loaded]).toEqual([]);

  const local = getOAuthConfig({
    environment: 'test',
    apiBaseUrl: 'http://127.0.0.1:8080',
    frontendUrl: 'http://localhost:3000',
    oauth: {
      google: { clientId: 'a.apps.googleusercontent.com', clientSecret: 'GOCSPX-s' },
      issuerUrl: 'http://127.0.0.1:4000',
    },
  });
  googleAuthLibraryOptions(local);
  expect([...loaded]).toEqual([]);

  await expect(openidClientConfiguration(local, { timeout: 5 })).resolves.toEqual({ discovered: true });
  expect([...loaded]).toEqual(['openid-client']);
  expect(discovery).toHaveBeenCalledWith(
    new URL('http://127.0.0.1:4000'),
    'a.apps.googleusercontent.com',
    { redirect_uris: ['http://127.0.0.1:8080/auth/callback'], response_types: ['code'] },
    { post: 'GOCSPX-s' },
    { execute: [allowInsecureRequests], timeout: 5 },
  );

  const production = getOAuthConfig({
    environment: 'production',
    apiBaseUrl: 'https://api.netra.example',
    frontendUrl: 'https://netra.example',
    oauth: { google: { clientId: 'p.apps.googleusercontent.com', clientSecret: 'GOCSPX-p' } },
  });
  await openidClientConfiguration(production);
  expect(discovery).toHaveBeenLastCalledWith(
    new URL('https://accounts.google.com'),
    'p.apps.googleusercontent.com',
    { redirect_uris: ['https://api.netra.example/auth/callback'], response_types: ['code'] },
    { post: 'GOCSPX-p' },
    {},
  );
  expect([...loaded]).toEqual(['openid-client']);
});
