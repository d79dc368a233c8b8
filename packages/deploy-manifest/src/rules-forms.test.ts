import {
  databaseFragment,
  defineSchema,
  describeSchema,
  environmentVariable,
  redisFragment,
  validateValue,
} from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { readDeployment } from './registry.ts';
import { checkDeployment } from './rules.ts';

// The same broken deploy in every form: REDIS_PASSWORD as a plain value, DATABASE_USER missing, a Cloud SQL host
// whose instance is not attached, a private Redis host without VPC egress. The rules must say the same in each.
const schema = defineSchema({
  environment: environmentVariable(),
  database: databaseFragment(),
  redis: redisFragment(),
});

const FORMS: Array<[string, string, Record<string, number>]> = [
  [
    'cloudbuild.yaml',
    `steps:
  - name: gcr.io/cloud-builders/gcloud
    args:
      - run
      - deploy
      - api
      - --set-env-vars=ENVIRONMENT=staging,DATABASE_NAME=app,DATABASE_HOST=/cloudsql/acme:europe-west1:db
      - --set-env-vars=REDIS_HOST=10.0.0.3,REDIS_PASSWORD=hunter2hunter2hunter2
      - --set-secrets=DATABASE_PASSWORD=database-password-staging:3
`,
    {
      'manifest-missing DATABASE_USER': 2,
      'manifest-plaintext-secret REDIS_PASSWORD': 8,
      'manifest-cloudsql-missing DATABASE_HOST': 7,
      'manifest-no-vpc-egress REDIS_HOST': 8,
    },
  ],
  [
    '.github/workflows/deploy.yml',
    `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          env_vars: |
            ENVIRONMENT=staging
            DATABASE_NAME=app
            DATABASE_HOST=/cloudsql/acme:europe-west1:db
            REDIS_HOST=10.0.0.3
            REDIS_PASSWORD=hunter2hunter2hunter2
          secrets: DATABASE_PASSWORD=database-password-staging:3
`,
    {
      'manifest-missing DATABASE_USER': 6,
      'manifest-plaintext-secret REDIS_PASSWORD': 14,
      'manifest-cloudsql-missing DATABASE_HOST': 12,
      'manifest-no-vpc-egress REDIS_HOST': 13,
    },
  ],
  [
    'main.tf',
    `resource "google_cloud_run_v2_service" "api" {
  name = "api"
  template {
    containers {
      env {
        name  = "ENVIRONMENT"
        value = "staging"
      }
      env {
        name  = "DATABASE_NAME"
        value = "app"
      }
      env {
        name  = "DATABASE_HOST"
        value = "/cloudsql/acme:europe-west1:db"
      }
      env {
        name  = "REDIS_HOST"
        value = "10.0.0.3"
      }
      env {
        name  = "REDIS_PASSWORD"
        value = "hunter2hunter2hunter2"
      }
      env {
        name = "DATABASE_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = "database-password-staging"
            version = "3"
          }
        }
      }
    }
  }
}
`,
    {
      'manifest-missing DATABASE_USER': 1,
      'manifest-plaintext-secret REDIS_PASSWORD': 22,
      'manifest-cloudsql-missing DATABASE_HOST': 14,
      'manifest-no-vpc-egress REDIS_HOST': 18,
    },
  ],
];

describe('the deploy rules hold across forms, at the line of the setting', () => {
  test.each(FORMS)('%s', async (file, text, expected) => {
    const deployment = await readDeployment(text, { file, readRelativeFile: () => '' });
    const issues = checkDeployment({
      deployment,
      environment: 'staging',
      deployed: true,
      variables: describeSchema(schema, 'staging'),
      validate: (variable, value) => validateValue(schema, { environment: 'staging', variable, value }),
    });
    const found = Object.fromEntries(
      issues
        .filter((issue) => issue.code !== 'unresolved-value')
        .map((issue) => [`${issue.code} ${issue.variable}`, issue.line]),
    );
    expect(found).toEqual(expected);
    expect(issues.every((issue) => issue.file === file)).toBe(true);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });
});

test('a Cloud Build secretEnv passed on as a plain variable is reported once: the plaintext error, no unresolved-value', async () => {
  const deployment = await readDeployment(
    `steps:
  - name: gcr.io/cloud-builders/gcloud
    entrypoint: bash
    secretEnv: [DB_PASSWORD]
    args: ['-c', 'gcloud run deploy api --set-env-vars=ENVIRONMENT=staging,DATABASE_PASSWORD=$$DB_PASSWORD,DATABASE_HOST=$_DB_HOST']
availableSecrets:
  secretManager:
    - versionName: projects/p/secrets/db-password/versions/4
      env: DB_PASSWORD
`,
    { file: 'cloudbuild.yaml', readRelativeFile: () => '' },
  );
  const issues = checkDeployment({
    deployment,
    environment: 'staging',
    deployed: true,
    variables: describeSchema(schema, 'staging'),
  });
  expect(issues.filter((issue) => issue.variable === 'DATABASE_PASSWORD').map((issue) => issue.code)).toEqual(
    ['manifest-plaintext-secret'],
  );
  // Other unknown values still warn.
  expect(issues.filter((issue) => issue.variable === 'DATABASE_HOST').map((issue) => issue.code)).toEqual([
    'unresolved-value',
  ]);
});

test('a Cloud SQL instance named from outside the script (no default): manifest-cloudsql-missing is a warning, not an error', async () => {
  const read = (instances: string) =>
    readDeployment(
      `gcloud run deploy api --set-env-vars=ENVIRONMENT=staging,DATABASE_HOST=/cloudsql/acme:europe-west1:db --add-cloudsql-instances=${instances}\n`,
      { file: 'deploy.sh', readRelativeFile: () => '' },
    );
  const cloudSql = async (instances: string) =>
    checkDeployment({
      deployment: await read(instances),
      environment: 'staging',
      deployed: true,
      variables: describeSchema(schema, 'staging'),
    })
      .filter((issue) => issue.code === 'manifest-cloudsql-missing')
      .map((issue) => issue.severity);
  expect(await cloudSql('"$INSTANCE"')).toEqual(['warning']);
  expect(await cloudSql('"acme:$REGION:db"')).toEqual(['warning']);
  expect(await cloudSql('"acme:${REGION:-europe-west1}:db"')).toEqual([]);
  expect(await cloudSql('acme:us-east1:db')).toEqual(['error']);
});
