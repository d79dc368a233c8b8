import { describe, expect, test } from 'vitest';
import { GOOGLE_ISSUER, getOAuthConfig, type OAuthInput } from './oauth-config.ts';
import { redirectUrisToRegister } from './register.ts';

const config = (
  environment: OAuthInput['environment'],
  host: string,
  clientId: string,
  issuerUrl?: string,
): OAuthInput => ({
  environment,
  apiBaseUrl: host.startsWith('http') ? host : `https://api.${host}`,
  frontendUrl: host.startsWith('http') ? 'http://localhost:3000' : `https://app.${host}`,
  oauth: { google: { clientId, clientSecret: 'GOCSPX-x' }, issuerUrl },
});

describe('redirectUrisToRegister', () => {
  const production = getOAuthConfig(config('production', 'netra.example', 'p.apps.googleusercontent.com'));
  const staging = getOAuthConfig(config('staging', 'staging.netra.example', 's.apps.googleusercontent.com'));
  const development = getOAuthConfig(
    config('development', 'http://localhost:8080', 'd.apps.googleusercontent.com'),
  );

  test('one entry per environment, in environment order, whatever the input order', () => {
    expect(redirectUrisToRegister([production, null, staging, development])).toEqual([
      {
        environment: 'development',
        clientId: 'd.apps.googleusercontent.com',
        issuer: GOOGLE_ISSUER,
        redirectUris: ['http://localhost:8080/auth/callback'],
        javascriptOrigins: ['http://localhost:3000'],
      },
      {
        environment: 'staging',
        clientId: 's.apps.googleusercontent.com',
        issuer: GOOGLE_ISSUER,
        redirectUris: ['https://api.staging.netra.example/auth/callback'],
        javascriptOrigins: ['https://app.staging.netra.example'],
      },
      {
        environment: 'production',
        clientId: 'p.apps.googleusercontent.com',
        issuer: GOOGLE_ISSUER,
        redirectUris: ['https://api.netra.example/auth/callback'],
        javascriptOrigins: ['https://app.netra.example'],
      },
    ]);
  });

  test('configs of one client merge, sorted and without duplicates', () => {
    const secondCallback = getOAuthConfig(
      config('production', 'netra.example', 'p.apps.googleusercontent.com'),
      {
        callbackPath: '/admin/auth/callback',
      },
    );
    expect(redirectUrisToRegister([production, secondCallback, production])).toEqual([
      {
        environment: 'production',
        clientId: 'p.apps.googleusercontent.com',
        issuer: GOOGLE_ISSUER,
        redirectUris: [
          'https://api.netra.example/admin/auth/callback',
          'https://api.netra.example/auth/callback',
        ],
        javascriptOrigins: ['https://app.netra.example'],
      },
    ]);
  });

  test('different clients of one environment stay apart; a local issuer is marked as such', () => {
    const local = getOAuthConfig(
      config('development', 'http://127.0.0.1:8080', 'd.apps.googleusercontent.com', 'http://127.0.0.1:4000'),
    );
    const entries = redirectUrisToRegister([local, development]);
    expect(entries.map((entry) => [entry.environment, entry.issuer])).toEqual([
      ['development', GOOGLE_ISSUER],
      ['development', 'http://127.0.0.1:4000'],
    ]);
  });

  test('nothing configured: nothing to register', () => {
    expect(redirectUrisToRegister([])).toEqual([]);
    expect(redirectUrisToRegister([null, undefined])).toEqual([]);
  });
});
