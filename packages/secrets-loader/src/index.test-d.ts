import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { netraBackendSchema } from '@netra/backend-schema';
import type { Issue } from '@netra/config-schema';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AccessSecretsResult,
  accessSecrets,
  auditSecrets,
  createSecretManagerClient,
  loadSecrets,
  type PushPlan,
  pushSecrets,
  resolveSecretReferences,
  type SecretSource,
  type SecretsError,
  safeLoadSecrets,
} from './index.ts';

describe('public types', () => {
  test('loadSecrets returns plain strings and their sources', () => {
    expectTypeOf(loadSecrets(netraBackendSchema, { environment: 'staging' })).resolves.toMatchTypeOf<{
      values: Record<string, string>;
      sources: Record<string, SecretSource>;
      warnings: Issue[];
    }>();
    // @ts-expect-error environment is required
    void loadSecrets(netraBackendSchema, {});
    // Environments are the schema's, checked at run time (an unknown-environment issue, see load.test.ts).
    void loadSecrets(netraBackendSchema, { environment: 'prod' });
  });

  test('safeLoadSecrets narrows on ok', async () => {
    const result = await safeLoadSecrets(netraBackendSchema, { environment: 'production', projectId: 'p' });
    if (result.ok) expectTypeOf(result.values).toEqualTypeOf<Record<string, string>>();
    else {
      expectTypeOf(result.issues).toEqualTypeOf<Issue[]>();
      // @ts-expect-error no values on failure
      void result.values;
    }
  });

  test('SecretSource is a discriminated union', () => {
    const describe = (source: SecretSource): string => {
      switch (source.kind) {
        case 'env':
          return 'env';
        case 'reference':
          return source.reference;
        case 'file':
          return source.path;
        case 'secret-manager':
          return `${source.project}/${source.secret}#${source.version}`;
      }
    };
    expectTypeOf(describe).returns.toBeString();
  });

  test('the rest of the API', () => {
    expectTypeOf(resolveSecretReferences).returns.resolves.toEqualTypeOf<Record<string, string>>();
    expectTypeOf(accessSecrets).returns.resolves.toEqualTypeOf<AccessSecretsResult>();
    expectTypeOf(createSecretManagerClient).returns.resolves.toEqualTypeOf<SecretManagerServiceClient>();
    expectTypeOf(pushSecrets).returns.resolves.toEqualTypeOf<PushPlan>();
    expectTypeOf(auditSecrets)
      .parameter(1)
      .toHaveProperty('serviceAccount')
      .toEqualTypeOf<string | undefined>();
    expectTypeOf<SecretsError['code']>().toEqualTypeOf<'SECRETS_UNAVAILABLE'>();
    expectTypeOf<SecretsError['issues']>().toEqualTypeOf<Issue[]>();
    // @ts-expect-error a request needs a project
    void accessSecrets([{ variable: 'A', secret: 's', version: 'latest' }]);
  });
});
