// `pnpm bench` (vitest 5's `bench` fixture, compared in one run; nothing asserted about time): the cost of deriving and checking the OAuth config, against an anchor that does the least any
// derivation must (parse the two URLs), measured in the same run.
import { test } from 'vitest';
import { parseGoogleClientSecretJson, toGoogleClientSecretJson } from './client-secret-json.ts';
import { getOAuthConfig, type OAuthInput, safeGetOAuthConfig } from './oauth-config.ts';

const staging: OAuthInput = {
  environment: 'staging',
  apiBaseUrl: 'https://api.staging.netra.example',
  frontendUrl: 'https://app.staging.netra.example',
  oauth: {
    google: { clientId: '1234-staging.apps.googleusercontent.com', clientSecret: 'GOCSPX-bench-secret' },
  },
};
const broken: OAuthInput = { ...staging, apiBaseUrl: 'http://localhost:8080', oauth: { google: {} } };
const oauth = getOAuthConfig(staging);
const json = toGoogleClientSecretJson(oauth);

test('derive', async ({ bench }) => {
  await bench.compare(
    bench('anchor: new URL(apiBaseUrl) + new URL(frontendUrl)', () => {
      new URL(staging.apiBaseUrl);
      new URL(staging.frontendUrl);
    }),
    bench('getOAuthConfig (valid staging config)', () => {
      getOAuthConfig(staging);
    }),
    bench('safeGetOAuthConfig (4 issues)', () => {
      safeGetOAuthConfig(broken);
    }),
  );
});

test('client_secret.json', async ({ bench }) => {
  await bench.compare(
    bench('anchor: JSON.parse', () => {
      JSON.parse(json);
    }),
    bench('parseGoogleClientSecretJson', () => {
      parseGoogleClientSecretJson(json);
    }),
  );
});
