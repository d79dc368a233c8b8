import { describe, expect, test } from 'vitest';
import { readDeployment, readDeployments } from './registry.ts';

const noFiles = () => {
  throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
};
const read = (text: string, file = 'cloudbuild.yaml', service?: string) =>
  readDeployment(text, { file, service, readRelativeFile: noFiles });

describe('cloudbuild', () => {
  test('the gcloud builder with args: substitutions unknown with their defaults, built-ins unknown, lines of each arg', async () => {
    const deployment = await read(`substitutions:
  _REGION: europe-west1
  _DB_HOST: 10.0.0.5
steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - api
      - --region=\${_REGION}
      - --image=gcr.io/$PROJECT_ID/api:$SHORT_SHA
      - --set-env-vars=DATABASE_HOST=$_DB_HOST,LOG_LEVEL=info,PRICE=$$5
      - --set-secrets=JWT_SECRET=jwt:3
      - --add-cloudsql-instances=p:r:db
`);
    expect(deployment.format).toBe('cloudbuild');
    expect(deployment.service).toBe('api');
    expect(deployment.line).toBe(5);
    expect(deployment.variables).toEqual([
      {
        name: 'DATABASE_HOST',
        kind: 'unknown',
        expression: '$_DB_HOST',
        default: '10.0.0.5',
        file: 'cloudbuild.yaml',
        line: 13,
      },
      { name: 'LOG_LEVEL', kind: 'literal', value: 'info', file: 'cloudbuild.yaml', line: 13 },
      { name: 'PRICE', kind: 'literal', value: '$5', file: 'cloudbuild.yaml', line: 13 },
      {
        name: 'JWT_SECRET',
        kind: 'secret',
        secret: { name: 'jwt', version: '3' },
        file: 'cloudbuild.yaml',
        line: 14,
      },
    ]);
    expect(deployment.cloudSqlInstances).toEqual(['p:r:db']);
    // $_REGION has a default under substitutions: that is the region, unless a trigger overrides it (as for the service).
    expect(deployment.region).toBe('europe-west1');
    expect(deployment.image).toBeUndefined();
  });

  test('bash -c scripts go to the shell reader: $$VAR is the shell variable, the step env and lines inside the script', async () => {
    const deployment = await read(`steps:
- name: gcr.io/cloud-builders/gcloud
  entrypoint: bash
  env:
    - 'TIER=$_TIER'
  args:
    - -c
    - |
      SERVICE="api-$$TIER"
      gcloud run deploy "$$SERVICE" \\
        --set-env-vars="ENVIRONMENT=$$TIER,COMMIT=$COMMIT_SHA" \\
        --set-env-vars=CACHE_HOST="\${CACHE_HOST:-localhost}"
substitutions:
  _TIER: staging
`);
    // The name comes from a substitution with a default: that default, unless a trigger overrides it.
    expect(deployment.service).toBe('api-staging');
    expect(deployment.line).toBe(10);
    expect(deployment.variables).toEqual([
      {
        name: 'ENVIRONMENT',
        kind: 'unknown',
        expression: '$_TIER',
        default: 'staging',
        file: 'cloudbuild.yaml',
        line: 11,
      },
      { name: 'COMMIT', kind: 'unknown', expression: '$COMMIT_SHA', file: 'cloudbuild.yaml', line: 11 },
      // ${CACHE_HOST:-localhost} is not a substitution pattern ($NAME or ${NAME}): it reaches bash as written.
      {
        name: 'CACHE_HOST',
        kind: 'unknown',
        expression: '${CACHE_HOST:-localhost}',
        default: 'localhost',
        file: 'cloudbuild.yaml',
        line: 12,
      },
    ]);
  });

  test('a secretEnv value passed on as a plain variable is a plaintext secret; bound as a secret it is fine', async () => {
    const deployment = await read(`steps:
  - name: gcr.io/cloud-builders/gcloud
    entrypoint: sh
    secretEnv: [DB_PASSWORD]
    args: ['-c', 'gcloud run deploy api --set-env-vars=DATABASE_PASSWORD=$$DB_PASSWORD --set-secrets=JWT=jwt:1']
availableSecrets:
  secretManager:
    - versionName: projects/p/secrets/db-password/versions/4
      env: DB_PASSWORD
`);
    expect(deployment.variables[0]).toMatchObject({ name: 'DATABASE_PASSWORD', kind: 'unknown', line: 5 });
    expect(deployment.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'manifest-plaintext-secret',
        variable: 'DATABASE_PASSWORD',
        hint: 'Bind the secret instead: --update-secrets=DATABASE_PASSWORD=projects/p/secrets/db-password:4.',
        line: 5,
      }),
    ]);
  });

  test('a service named by a user substitution is its default: --service picks it by that name', async () => {
    const text = `substitutions:
  _SERVICE: api-staging
steps:
  - name: gcr.io/cloud-builders/gcloud
    args: [run, deploy, $_SERVICE, --set-env-vars=A=1]
  - name: gcr.io/cloud-builders/gcloud
    entrypoint: bash
    args: ['-c', 'gcloud run deploy worker-\${_SERVICE} --set-env-vars=B=2']
`;
    const all = await readDeployments(text, { file: 'cloudbuild.yaml', readRelativeFile: noFiles });
    expect(all.map((deployment) => [deployment.service, deployment.serviceExpression])).toEqual([
      ['api-staging', '$_SERVICE'],
      ['worker-api-staging', 'worker-${_SERVICE}'],
    ]);
    await expect(read(text)).rejects.toThrow(
      'cloudbuild.yaml: deploys 2 services (api-staging, worker-api-staging); pick one with --service NAME',
    );
    expect((await read(text, 'cloudbuild.yaml', 'api-staging')).variables[0]).toMatchObject({
      name: 'A',
      value: '1',
    });
    // Without a default the name is not known: the deploy is listed by its line.
    const bare = await readDeployments(
      'steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: [run, deploy, $_NAME, --set-env-vars=A=1]\n',
      { file: 'cloudbuild.yaml', readRelativeFile: noFiles },
    );
    expect(bare[0]).toMatchObject({ serviceExpression: '$_NAME' });
    // Region, project and Cloud SQL from substitutions with defaults are those defaults; without one, unknown.
    const placed = await read(`substitutions:
  _REGION: europe-west1
steps:
  - name: gcr.io/cloud-builders/gcloud
    args: [run, deploy, api, --region=$_REGION, --project=$PROJECT_ID, '--add-cloudsql-instances=acme:\${_REGION}:db,$_OTHER']
`);
    expect(placed).toMatchObject({ region: 'europe-west1', cloudSqlInstances: ['acme:europe-west1:db'] });
    expect(placed.project).toBeUndefined();
    expect(placed.issues).toEqual([
      expect.objectContaining({
        code: 'unresolved-flags',
        message: expect.stringContaining('attaches $_OTHER'),
      }),
    ]);
    expect(bare[0]!.service).toBeUndefined();
  });

  test('a step script (no substitution in it) and several deploys: --service picks', async () => {
    const text = `{
  "steps": [
    { "name": "gcr.io/cloud-builders/gcloud", "script": "gcloud run deploy web --set-env-vars=A=1" },
    { "name": "gcr.io/cloud-builders/gcloud", "args": ["run", "deploy", "worker", "--set-env-vars=B=2"] }
  ]
}`;
    const all = await readDeployments(text, { file: 'cloudbuild.json', readRelativeFile: noFiles });
    expect(all.map((deployment) => [deployment.service, deployment.line])).toEqual([
      ['web', 3],
      ['worker', 4],
    ]);
    await expect(read(text, 'cloudbuild.json')).rejects.toMatchObject({ code: 'several-services' });
    expect((await read(text, 'cloudbuild.json', 'worker')).variables[0]).toMatchObject({
      name: 'B',
      value: '2',
    });
  });

  test.each([
    [
      'no deploy step',
      'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, .]\n',
      "cloudbuild.yaml: no step runs gcloud run deploy (as the gcloud builder's args, in a bash -c script or a step's script); --manifest takes a Cloud Build config whose steps deploy to Cloud Run",
    ],
    [
      'a $VAR Cloud Build refuses',
      'steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: [run, deploy, api, --set-env-vars=HOME=$HOME]\n',
      "cloudbuild.yaml:3: $HOME is neither a built-in substitution nor one of substitutions:; Cloud Build refuses the build. For the shell's own variable write $$HOME; for a substitution, name it _HOME and give it a value under substitutions:",
    ],
    ['malformed YAML', 'steps:\n  - name: [unclosed\n', 'cloudbuild.yaml:3: malformed YAML'],
  ])('%s: exit 2 naming the file and line', async (_, text, message) => {
    await expect(read(text)).rejects.toThrow(message);
  });

  test('ALLOW_LOOSE makes an unknown $VAR empty, as Cloud Build does', async () => {
    const deployment = await read(
      'options:\n  substitutionOption: ALLOW_LOOSE\nsteps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: [run, deploy, api, "--set-env-vars=A=x$NOPE"]\n',
    );
    expect(deployment.variables[0]).toMatchObject({ name: 'A', kind: 'literal', value: 'x' });
  });
});
