import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { shellWord, toCloudRunYaml, toGcloudCommand } from './generate.ts';
import type { Deployment } from './model.ts';
import { readDeployment } from './registry.ts';

const base = (variables: Deployment['variables']): Deployment => ({
  format: 'gcloud',
  file: 'generated',
  line: 1,
  service: 'api',
  project: 'acme-staging',
  region: 'europe-west1',
  containers: [],
  variables,
  mounts: [
    {
      path: '/secrets/fernet/key',
      secret: { name: 'fernet-key-staging', version: '2' },
      file: 'generated',
      line: 1,
    },
  ],
  cloudSqlInstances: ['acme-staging:europe-west1:db'],
  vpcEgress: false,
  update: 'replace',
  issues: [],
});
const lit = (name: string, value: string) => ({
  name,
  kind: 'literal' as const,
  value,
  file: 'generated',
  line: 1,
});

/** What a revision gets, independent of where it was written. */
const meaning = (deployment: Deployment) => ({
  service: deployment.service,
  project: deployment.project,
  cloudSql: deployment.cloudSqlInstances,
  mounts: deployment.mounts.map((m) => [m.path, m.secret]),
  variables: deployment.variables.map((v) => [v.name, v.kind, v.value, v.secret]),
});

describe('toGcloudCommand', () => {
  test('readable: no \\=, \\: or \\, escapes; quotes only where the shell needs them', () => {
    const command = toGcloudCommand(
      base([
        lit('ENVIRONMENT', 'staging'),
        lit('API_BASE_URL', 'https://api.example.com'),
        {
          name: 'JWT_SECRET_STAGING',
          kind: 'secret',
          secret: { name: 'jwt-secret-staging', version: '3' },
          file: 'g',
          line: 1,
        },
      ]),
    );
    expect(command).toMatchInlineSnapshot(`
      "gcloud run deploy api \\
        --project=acme-staging \\
        --region=europe-west1 \\
        --set-env-vars=ENVIRONMENT=staging,API_BASE_URL=https://api.example.com \\
        --set-secrets=JWT_SECRET_STAGING=jwt-secret-staging:3,/secrets/fernet/key=fernet-key-staging:2 \\
        --set-cloudsql-instances=acme-staging:europe-west1:db
      "
    `);
    expect(command).not.toMatch(/\\[=:,]/);
  });

  test('a value with a comma switches to ^@^; one with a space or quote is single-quoted', () => {
    const command = toGcloudCommand(
      base([lit('ORIGINS', 'https://a,https://b'), lit('GREETING', "it's me")]),
    );
    expect(command).toContain("--set-env-vars='^@^ORIGINS=https://a,https://b@GREETING=it'\\''s me'");
  });

  test('round trip: any literals and bindings read back to the same deployment', async () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/);
    const value = fc.string({
      unit: fc.constantFrom(...'ab1,=:@~;|#!*\'" $`\\\n{}()&<>?[]%^-./'.split('')),
      maxLength: 20,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 6 }),
        async (pairs) => {
          const deployment = base(pairs.map(([n, v]) => lit(n, v)));
          let command: string;
          try {
            command = toGcloudCommand(deployment);
          } catch {
            return; // every delimiter taken: the caller uses --env-vars-file
          }
          if (!pairs.some(([, v]) => v.includes('\\'))) expect(command).not.toMatch(/\\[=:,]/);
          const read = await readDeployment(command, { file: 'generated', readRelativeFile: () => '' });
          expect(meaning(read)).toEqual(meaning(deployment));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('toCloudRunYaml', () => {
  test('round trip through the service YAML reader', async () => {
    const deployment = base([
      lit('ENVIRONMENT', 'staging'),
      lit('FERNET_KEY_FILE', '/secrets/fernet/key'),
      {
        name: 'JWT_SECRET_STAGING',
        kind: 'secret',
        secret: { name: 'jwt-secret-staging', version: '3' },
        file: 'g',
        line: 1,
      },
    ]);
    const read = await readDeployment(toCloudRunYaml(deployment), {
      file: 'service.yaml',
      readRelativeFile: () => '',
    });
    expect(meaning(read)).toEqual({
      ...meaning(deployment),
      variables: [
        ['ENVIRONMENT', 'literal', 'staging', undefined],
        ['FERNET_KEY_FILE', 'file', '/secrets/fernet/key', { name: 'fernet-key-staging', version: '2' }],
        ['JWT_SECRET_STAGING', 'secret', undefined, { name: 'jwt-secret-staging', version: '3' }],
      ],
    });
  });
});

test('shellWord', () => {
  expect(shellWord('a=b,c:d')).toBe('a=b,c:d');
  expect(shellWord('')).toBe("''");
  expect(shellWord('$HOME')).toBe("'$HOME'");
});

test('options: ingress, labels, service account and VPC egress are written in both forms and read back', async () => {
  const deployment = { ...base([lit('A', '1')]), vpcEgress: true, vpcEgressSetting: 'private-ranges-only' };
  const options = {
    ingress: 'all' as const,
    labels: { 'netra-environment': 'staging' },
    serviceAccount: 'run@acme.iam.gserviceaccount.com',
  };
  const command = toGcloudCommand(deployment, { ...options, vpcConnector: 'conn' });
  expect(command).toContain('  --ingress=all \\\n  --labels=netra-environment=staging \\\n');
  expect(command).toContain('  --vpc-connector=conn \\\n  --vpc-egress=private-ranges-only\n');
  const yaml = toCloudRunYaml(deployment, { ...options, network: 'default', subnet: 'sub' });
  expect(yaml).toContain('run.googleapis.com/ingress: all');
  expect(yaml).toContain('netra-environment: staging');
  expect(yaml).toContain(
    'run.googleapis.com/network-interfaces: \'[{"network":"default","subnetwork":"sub"}]\'',
  );
  for (const [text, file] of [
    [command, 'deploy.sh'],
    [yaml, 'service.yaml'],
  ] as const) {
    const read = await readDeployment(text, { file, readRelativeFile: () => '' });
    expect(meaning(read)).toEqual(meaning(deployment));
    expect(read.vpcEgress).toBe(true);
  }
});
