// The first getOAuthConfig call of a deployed service must not compile schema environments it does not run in
// (the development schema was compiled just to learn the name OAUTH_ISSUER_URL: ~1.5 ms at start-up).
import { describe, expect, test, vi } from 'vitest';

const described = vi.hoisted(() => [] as string[]);
vi.mock('@netra/config-schema', async (importOriginal) => {
  const original = await importOriginal<typeof import('@netra/config-schema')>();
  return {
    ...original,
    describeSchema: (...args: Parameters<typeof original.describeSchema>) => {
      described.push(args[1]);
      return original.describeSchema(...args);
    },
  };
});

describe('environments described by getOAuthConfig', () => {
  test('a valid staging config describes staging only; the issuer name is still right when needed', async () => {
    const { getOAuthConfig, safeGetOAuthConfig } = await import('./oauth-config.ts');
    const staging = {
      environment: 'staging' as const,
      apiBaseUrl: 'https://api.staging.netra.example',
      frontendUrl: 'https://app.staging.netra.example',
      oauth: {
        google: { clientId: '1-a.apps.googleusercontent.com', clientSecret: 'GOCSPX-startupTest00000' },
      },
    };
    getOAuthConfig(staging);
    expect(described).toEqual(['staging']);
    const withIssuer = safeGetOAuthConfig({
      ...staging,
      oauth: { ...staging.oauth, issuerUrl: 'http://127.0.0.1:4000' },
    });
    expect(!withIssuer.ok && withIssuer.issues.map((issue) => issue.variable)).toEqual(['OAUTH_ISSUER_URL']);
  });
});
