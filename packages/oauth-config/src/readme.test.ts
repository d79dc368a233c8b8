// The README's derived configurations and its "register in the Google console" table, checked literally
// against configs loaded through the real @netra/config-schema: the README claims nothing untested.
import { readFileSync } from 'node:fs';
import { netraBackendSchema } from '@netra/backend-schema';
import { type Environment, loadConfig } from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { PRODUCTION_ENV, STAGING_ENV } from '../test/fixtures/envs.ts';
import { getOAuthConfig } from './oauth-config.ts';
import { redirectUrisToRegister } from './register.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's `jsonc` block: one object per `// environment` comment. */
function readmeJson(): Map<string, Record<string, unknown>> {
  const block = /```jsonc\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const objects = new Map<string, Record<string, unknown>>();
  for (const part of block.split(/^\/\/ /m).filter(Boolean)) {
    const environment = part.slice(0, part.indexOf(' ') === -1 ? undefined : part.search(/[\s(]/));
    objects.set(environment, JSON.parse(part.slice(part.indexOf('\n'))));
  }
  return objects;
}

// The README's sample: the development values are the schema's defaults, the client IDs are the README's.
const SECRET = 'GOCSPX-readmeSampleSecret0000';
const envs: Record<'development' | 'staging' | 'production', Record<string, string>> = {
  development: {
    ENVIRONMENT: 'development',
    GOOGLE_OAUTH_CLIENT_ID: '123456789012-dev0abc.apps.googleusercontent.com',
    GOOGLE_OAUTH_CLIENT_SECRET: SECRET,
  },
  staging: {
    ...STAGING_ENV,
    GOOGLE_OAUTH_CLIENT_ID_STAGING: '123456789012-stg0abc.apps.googleusercontent.com',
    GOOGLE_OAUTH_CLIENT_SECRET_STAGING: SECRET,
  },
  production: {
    ...PRODUCTION_ENV,
    GOOGLE_OAUTH_CLIENT_ID_PRODUCTION: '123456789012-prd0abc.apps.googleusercontent.com',
    GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION: SECRET,
  },
};
const oauthOf = (environment: keyof typeof envs) =>
  getOAuthConfig(loadConfig(netraBackendSchema, { env: envs[environment] }));

describe('README', () => {
  test('the derived configurations are what getOAuthConfig returns, as JSON', () => {
    const documented = readmeJson();
    expect([...documented.keys()]).toEqual(['development', 'staging', 'production']);
    for (const environment of ['development', 'staging', 'production'] as const) {
      expect(JSON.parse(JSON.stringify(oauthOf(environment)))).toEqual(documented.get(environment));
    }
  });

  test('the Google console table is what redirectUrisToRegister returns', () => {
    const registered = redirectUrisToRegister(
      (['development', 'staging', 'production'] as const).map((environment) => oauthOf(environment)),
    );
    for (const entry of registered) {
      const row = `| ${entry.environment as Environment} `;
      const line = readme.split('\n').find((text) => text.startsWith(row) && text.includes('callback'));
      expect(line, `a table row for ${entry.environment}`).toBeDefined();
      const cells = line!.split('|').map((cell) => cell.trim().replace(/`/g, ''));
      expect(cells.slice(1, 4)).toEqual([
        entry.environment,
        entry.redirectUris.join(', '),
        entry.javascriptOrigins.join(', '),
      ]);
    }
  });
});
