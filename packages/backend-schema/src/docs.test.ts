import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defineSchema,
  describeSchema,
  environmentVariable,
  renderDocs,
  renderEnvExample,
  safeLoadConfig,
  text,
  variable,
} from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { netraBackendSchema } from './schema.ts';

const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/config');

describe('docs/config', () => {
  test('the committed pages are exactly renderDocs(netraBackendSchema)', () => {
    const pages = renderDocs(netraBackendSchema);
    const committed = readdirSync(DOCS).filter((file) => file.endsWith('.md'));
    expect(committed.sort(), 'docs/config has other pages than renderDocs: run `npm run docs`').toEqual(
      Object.keys(pages).sort(),
    );
    for (const [file, text] of Object.entries(pages)) {
      expect(
        readFileSync(join(DOCS, file), 'utf8'),
        `docs/config/${file} is stale: run \`npm run docs\``,
      ).toBe(text);
    }
  });

  test('one page per environment plus the index, linking them', () => {
    const pages = renderDocs(netraBackendSchema);
    expect(Object.keys(pages)).toEqual(['index.md', ...ENVIRONMENTS.map((env) => `${env}.md`)]);
    for (const env of ENVIRONMENTS) expect(pages['index.md']).toContain(`(./${env}.md)`);
  });

  test('pages name each environment’s variables and bindings', () => {
    const pages = renderDocs(netraBackendSchema);
    expect(pages['staging.md']).toContain(
      '| `JWT_SECRET_STAGING` (sensitive) | `jwtSecret` | **required** | — | `jwt-secret-staging:latest` |',
    );
    expect(pages['production.md']).toContain('`JWT_SECRET_PRODUCTION`');
    expect(pages['staging.md']).toContain(
      '- `OAUTH_ISSUER_URL` (`oauth.issuerUrl`): only in development and test',
    );
    expect(pages['development.md']).toContain('| `OAUTH_ISSUER_URL` | `oauth.issuerUrl` | optional |');
    expect(pages['staging.md']).toContain('require (disable for /cloudsql/ sockets)');
    expect(pages['staging.md']).toContain(
      '`DATABASE_USER`, `DATABASE_PASSWORD`: the password differs from the user name',
    );
  });

  test('each secret says whether it is generated (with the command) or copied from its provider', () => {
    const page = renderDocs(netraBackendSchema)['staging.md']!;
    const section = (name: string) => page.slice(page.indexOf(`### ${name}\n`)).split('\n### ')[0];
    expect(section('JWT_SECRET_STAGING')).toContain('A real value is generated: `openssl rand -base64 48`.');
    expect(section('FERNET_KEY')).toContain('urlsafe_b64encode(os.urandom(32))');
    expect(section('GOOGLE_OAUTH_CLIENT_SECRET_STAGING')).toMatchInlineSnapshot(`
      "### GOOGLE_OAUTH_CLIENT_SECRET_STAGING

      Google OAuth client secret of the same client.

      A real value is issued by its provider, not generated: copy it from the Google Cloud console (APIs & Services → Credentials → the "Web application" OAuth client).

      Other environments name it \`GOOGLE_OAUTH_CLIENT_SECRET\` and \`GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION\`; setting one of those here is a \`wrong-name\` issue.
      "
    `);
    for (const name of ['GEMINI_API_KEY', 'REDIS_PASSWORD', 'GOOGLE_OAUTH_CLIENT_SECRET_STAGING']) {
      expect(section(name)).toContain('issued by its provider, not generated: copy it from');
      expect(section(name)).not.toMatch(/openssl|urandom/);
    }
  });

  test('no sensitive default or value appears in any page', () => {
    const all = Object.values(renderDocs(netraBackendSchema)).join('\n');
    expect(all).not.toContain('netra-development-only-jwt-secret');
    expect(all).not.toContain('bmV0cmEtZGV2ZWxvcG1lbnQtb25seS1mZXJuZXQtayE=');
  });

  test('a change to the schema changes the pages (the staleness check can fail)', () => {
    const other = defineSchema({
      environment: environmentVariable(),
      region: variable({ name: 'REGION', schema: text(), description: 'Where it runs.', default: 'eu' }),
    });
    expect(renderDocs(other)['index.md']).not.toBe(renderDocs(netraBackendSchema)['index.md']);
    expect(renderDocs(other)['staging.md']).toContain('| `REGION` | `region` | defaulted | `eu` |');
  });
});

describe('renderEnvExample', () => {
  test.each(ENVIRONMENTS)('%s: every variable once; the file parses and names the environment', (env) => {
    const example = renderEnvExample(netraBackendSchema, env);
    const assignments = example
      .split('\n')
      .filter((line) => /^#? ?[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => line.replace(/^# /, '').split('=')[0]);
    expect(new Set(assignments).size).toBe(assignments.length);
    expect(example).toContain(`ENVIRONMENT=${env}\n`);
  });

  test('staging: secrets empty with their binding, defaults commented out, PORT not set', () => {
    const example = renderEnvExample(netraBackendSchema, 'staging');
    expect(example).toContain(
      '#   From Secret Manager secret jwt-secret-staging:latest (or JWT_SECRET_STAGING=sm://PROJECT/jwt-secret-staging)\nJWT_SECRET_STAGING=\n',
    );
    expect(example).toContain('\n# PORT=8080\n');
    expect(example).toContain('\n# LOG_LEVEL=info\n');
    expect(example).toContain('\n#   e.g. netra_app\nDATABASE_USER=\n');
    expect(example).toContain('\n#   Generate: openssl rand -base64 48\n');
    expect(example).toContain(
      '\n#   Issued by its provider, not generated: copy it from the Google Cloud console (APIs & Services → Credentials → the "Web application" OAuth client)\n',
    );
    expect(example).not.toContain('OAUTH_ISSUER_URL');
  });

  test.each(['staging', 'production'] as const)(
    '%s: the example as written fails with every required variable missing',
    (env) => {
      const example = renderEnvExample(netraBackendSchema, env);
      const set = Object.fromEntries(
        example
          .split('\n')
          .filter((line) => /^[A-Z]/.test(line))
          .map((line) => line.split('=') as [string, string]),
      );
      const result = safeLoadConfig(netraBackendSchema, { env: set });
      const required = describeSchema(netraBackendSchema, env).filter(
        (v) => v.required && v.key !== 'environment',
      );
      expect(!result.ok && result.issues.map((issue) => `${issue.code} ${issue.variable}`)).toEqual(
        required.map((v) => `missing ${v.variable}`),
      );
    },
  );

  test('development: nothing but ENVIRONMENT uncommented, and the file as written loads', () => {
    const example = renderEnvExample(netraBackendSchema, 'development');
    const set = example.split('\n').filter((line) => /^[A-Z]/.test(line));
    expect(set).toEqual(['ENVIRONMENT=development']);
    const env = Object.fromEntries(set.map((line) => line.split('=') as [string, string]));
    expect(safeLoadConfig(netraBackendSchema, { env }).ok).toBe(true);
    expect(example).not.toContain('netra-development-only-jwt-secret');
  });
});
