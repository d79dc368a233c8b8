import { expectTypeOf, test } from 'vitest';
import type { GoogleAuthLibraryOptions } from './adapters.ts';
import { getOAuthConfig, type OAuthConfig, type OAuthInput, safeGetOAuthConfig } from './oauth-config.ts';

declare const input: OAuthInput;

test('getOAuthConfig returns a config; safeGetOAuthConfig a result whose oauth may be null', () => {
  expectTypeOf(getOAuthConfig(input)).toEqualTypeOf<OAuthConfig>();
  const result = safeGetOAuthConfig(input);
  if (result.ok) expectTypeOf(result.oauth).toEqualTypeOf<OAuthConfig | null>();
  else expectTypeOf(result.issues).toBeArray();
});

test('OAuthConfig fields', () => {
  expectTypeOf<OAuthConfig['provider']>().toEqualTypeOf<'google'>();
  expectTypeOf<OAuthConfig['clientSecret']>().toEqualTypeOf<string>();
  expectTypeOf<OAuthConfig['scopes']>().toEqualTypeOf<string[]>();
  expectTypeOf<GoogleAuthLibraryOptions>().toHaveProperty('redirectUri').toEqualTypeOf<string>();
});

test('OAuthInput is structural and strict about its fields', () => {
  getOAuthConfig({
    environment: 'staging',
    apiBaseUrl: 'https://api.example.com',
    frontendUrl: 'https://app.example.com',
    oauth: { google: { clientId: undefined, clientSecret: undefined } },
  });
  // Environments are the schema's, checked at run time (an unknown-environment issue).
  getOAuthConfig({ ...input, environment: 'stage' });
  // @ts-expect-error the oauth group is required
  getOAuthConfig({
    environment: 'test',
    apiBaseUrl: 'http://localhost:8080',
    frontendUrl: 'http://localhost:3000',
  });
  // @ts-expect-error callbackPath is a string
  getOAuthConfig(input, { callbackPath: 1 });
  // @ts-expect-error the config is frozen
  getOAuthConfig(input).clientId = 'x';
});
