import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ManifestError } from './errors.ts';
import type { Deployment } from './model.ts';
import { loadDeployment, readDeployment } from './registry.ts';

const service = (name: string, env: string) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
  namespace: acme-staging
spec:
  template:
    metadata:
      annotations:
        run.googleapis.com/cloudsql-instances: acme-staging:europe-west1:db
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme/api:1
          env:
${env}
`;

const options = { file: 'service.yaml', readRelativeFile: () => '' };
const summary = (deployment: Deployment) =>
  deployment.variables.map((v) => [v.name, v.kind, v.value ?? v.secret?.name, v.line]);

describe('cloud-run-yaml', () => {
  test('env literals and secretKeyRef bindings, each at its line; Cloud SQL; project from the namespace', async () => {
    const deployment = await readDeployment(
      service(
        'api',
        `            - name: LOG_LEVEL
              value: info
            - name: JWT_SECRET_STAGING
              valueFrom:
                secretKeyRef:
                  name: jwt-secret-staging
                  key: '3'`,
      ),
      options,
    );
    expect(deployment).toMatchObject({
      format: 'cloud-run-yaml',
      service: 'api',
      project: 'acme-staging',
      image: 'europe-docker.pkg.dev/acme/api:1',
      cloudSqlInstances: ['acme-staging:europe-west1:db'],
      update: 'replace',
    });
    expect(summary(deployment)).toEqual([
      ['LOG_LEVEL', 'literal', 'info', 15],
      ['JWT_SECRET_STAGING', 'secret', 'jwt-secret-staging', 17],
    ]);
    expect(deployment.variables[1]!.secret!.version).toBe('3');
  });

  test('several documents: a ConfigMap before the Service is skipped; two Services need --service', async () => {
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n';
    const one = `${configMap}---\n${service('api', '            - name: A\n              value: "1"')}`;
    const deployment = await readDeployment(one, options);
    expect(deployment.service).toBe('api');
    expect(summary(deployment)).toEqual([['A', 'literal', '1', 22]]);

    const two = `${one}---\n${service('worker', '            - name: B\n              value: "2"')}`;
    await expect(readDeployment(two, options)).rejects.toMatchObject({
      code: 'several-services',
      services: ['api', 'worker'],
    });
    const worker = await readDeployment(two, { ...options, service: 'worker' });
    expect(summary(worker)).toEqual([['B', 'literal', '2', 39]]);
    await expect(readDeployment(two, { ...options, service: 'web' })).rejects.toThrow(
      /service\.yaml: no deploy of service "web"; it deploys api, worker/,
    );
  });

  test.each([
    [
      'malformed YAML, with its line',
      'kind: Service\nspec:\n  a: [1, 2\n',
      'malformed',
      /^service\.yaml:\d+: malformed YAML/,
    ],
    [
      'no Service',
      'apiVersion: v1\nkind: ConfigMap\n',
      'no-deploy',
      /not a Cloud Run service \(kind: ConfigMap\)/,
    ],
    [
      'a Service without containers',
      service('api', '').replace(/containers:[\s\S]*/, 'containers: []\n'),
      'malformed',
      /containers is empty/,
    ],
  ])('%s', async (_name, text, code, message) => {
    const error = await readDeployment(text, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code, file: 'service.yaml' });
    expect((error as Error).message).toMatch(message);
  });

  test('an unreadable input: unreadable, naming it', async () => {
    await expect(loadDeployment('no/such/service.yaml')).rejects.toMatchObject({
      code: 'unreadable',
      message: 'cannot read no/such/service.yaml: no such file',
    });
  });
});

describe("the examples' readings", () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const shape = (deployment: Deployment) => ({
    service: deployment.service,
    project: deployment.project,
    cloudSql: deployment.cloudSqlInstances,
    vpcEgress: deployment.vpcEgress,
    mounts: deployment.mounts.map((mount) => `${mount.path}=${mount.secret.name}:${mount.secret.version}`),
    variables: Object.fromEntries(
      deployment.variables.map((v) => [
        v.name,
        v.kind === 'literal' ? v.value : `${v.kind} ${v.secret?.name}:${v.secret?.version}`,
      ]),
    ),
    issues: deployment.issues.map((issue) => issue.code),
  });

  test('examples/staging: the script and the service YAML give the same revision (FERNET_KEY bound vs mounted)', async () => {
    const script = shape(await loadDeployment('examples/staging/deploy.sh', { cwd: root }));
    const yaml = shape(await loadDeployment('examples/staging/service.yaml', { cwd: root }));
    const { FERNET_KEY, ...scriptRest } = script.variables;
    const { FERNET_KEY_FILE, ...yamlRest } = yaml.variables;
    expect(FERNET_KEY).toBe('secret fernet-key-staging:latest');
    expect(FERNET_KEY_FILE).toBe('file fernet-key-staging:latest');
    expect(scriptRest).toEqual(yamlRest);
    expect(script.cloudSql).toEqual(yaml.cloudSql);
    expect(script).toMatchSnapshot();
    expect(yaml).toMatchSnapshot();
  });

  test('examples/staging-incident/deploy.sh', async () => {
    expect(
      shape(await loadDeployment('examples/staging-incident/deploy.sh', { cwd: root })),
    ).toMatchSnapshot();
  });
});
