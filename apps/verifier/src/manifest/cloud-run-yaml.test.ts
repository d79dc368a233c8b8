import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../errors';
import { parseManifest } from './load';

const service = (templateAnnotations: string, spec: string) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: netra-backend-staging
  namespace: '123456789'
  labels:
    cloud.googleapis.com/location: europe-west1
spec:
  template:
    metadata:
      annotations:
${templateAnnotations}
    spec:
${spec}
`;

const containers = (body: string) => `      containers:
      - image: europe-docker.pkg.dev/p/r/netra-backend:1.2.3
        ports:
        - containerPort: 8080
          name: http1
${body}`;

function parse(text: string, file = 'service.yaml') {
  return parseManifest(text, { file, readRelativeFile: () => '' });
}

describe('Cloud Run service YAML', () => {
  test('env values and secretKeyRef bindings', () => {
    const manifest = parse(
      service(
        "        autoscaling.knative.dev/maxScale: '10'",
        containers(`        env:
        - name: ENVIRONMENT
          value: staging
        - name: DATABASE_PORT
          value: 5432
        - name: JWT_SECRET_STAGING
          valueFrom:
            secretKeyRef:
              key: '3'
              name: jwt-secret-staging
        - name: FERNET_KEY
          valueFrom:
            secretKeyRef:
              key: latest
              name: projects/999/secrets/fernet-key-staging
`),
      ),
    );
    expect(manifest.kind).toBe('cloud-run-yaml');
    expect(manifest.service).toBe('netra-backend-staging');
    expect(Object.fromEntries(manifest.literals)).toEqual({ ENVIRONMENT: 'staging', DATABASE_PORT: '5432' });
    expect(Object.fromEntries(manifest.secrets)).toEqual({
      JWT_SECRET_STAGING: { secret: 'jwt-secret-staging', version: '3' },
      FERNET_KEY: { project: '999', secret: 'fernet-key-staging', version: 'latest' },
    });
    expect(manifest.vpcEgress).toBe(false);
    expect(manifest.cloudsqlInstances).toEqual([]);
  });

  test('secret volumes: each item is a file under the mount path', () => {
    const manifest = parse(
      service(
        "        run.googleapis.com/secrets: 'oauth:projects/other/secrets/google-oauth-client-secret-staging'",
        `${containers(`        volumeMounts:
        - mountPath: /secrets/jwt
          name: jwt
        - mountPath: /secrets/oauth
          name: oauth
`)}      volumes:
      - name: jwt
        secret:
          secretName: jwt-secret-staging
          items:
          - key: '2'
            path: value
      - name: oauth
        secret:
          secretName: oauth
`,
      ),
    );
    expect(Object.fromEntries(manifest.files)).toEqual({
      '/secrets/jwt/value': { secret: 'jwt-secret-staging', version: '2' },
      '/secrets/oauth/oauth': {
        project: 'other',
        secret: 'google-oauth-client-secret-staging',
        version: 'latest',
      },
    });
  });

  test.each<[string, string, { cloudsql: string[]; vpc: boolean; egress?: string }]>([
    [
      'cloudsql-instances annotation',
      '        run.googleapis.com/cloudsql-instances: p:europe-west1:db,p:europe-west1:replica',
      { cloudsql: ['p:europe-west1:db', 'p:europe-west1:replica'], vpc: false },
    ],
    [
      'VPC connector',
      '        run.googleapis.com/vpc-access-connector: projects/p/locations/europe-west1/connectors/c\n        run.googleapis.com/vpc-access-egress: private-ranges-only',
      { cloudsql: [], vpc: true, egress: 'private-ranges-only' },
    ],
    [
      'Direct VPC egress',
      `        run.googleapis.com/network-interfaces: '[{"network":"default","subnetwork":"default"}]'`,
      { cloudsql: [], vpc: true },
    ],
    ['no annotations', "        autoscaling.knative.dev/maxScale: '3'", { cloudsql: [], vpc: false }],
  ])('%s', (_name, annotations, expected) => {
    const manifest = parse(service(annotations, containers('')));
    expect(manifest.cloudsqlInstances).toEqual(expected.cloudsql);
    expect(manifest.vpcEgress).toBe(expected.vpc);
    expect(manifest.vpcEgressSetting).toBe(expected.egress);
  });

  test('with sidecars, the container with a port is the service', () => {
    const manifest = parse(
      service(
        "        a: 'b'",
        `      containers:
      - image: sidecar
        env:
        - name: SIDECAR_ONLY
          value: x
      - image: app
        ports:
        - containerPort: 8080
        env:
        - name: ENVIRONMENT
          value: staging
`,
      ),
    );
    expect([...manifest.literals.keys()]).toEqual(['ENVIRONMENT']);
  });

  test.each([
    [
      'malformed YAML',
      'apiVersion: v1\nkind: [Service\n',
      'service.yaml',
      /service.yaml: malformed YAML at line \d/,
    ],
    [
      'another kind',
      'apiVersion: v1\nkind: ConfigMap\nspec: {}\n',
      'cm.yaml',
      /not a Cloud Run service \(kind: ConfigMap\)/,
    ],
    ['a YAML list', '- a\n- b\n', 'list.yml', /not a Cloud Run service/],
    ['no template', 'kind: Service\nspec:\n  traffic: []\n', 's.yaml', /spec.template.spec is missing/],
    ['no containers', service("        a: 'b'", '      containers: []\n'), 's.yaml', /containers is empty/],
    [
      'secretKeyRef without name',
      service(
        "        a: 'b'",
        containers(
          '        env:\n        - name: X\n          valueFrom:\n            secretKeyRef:\n              key: latest\n',
        ),
      ),
      's.yaml',
      /valueFrom needs secretKeyRef with name and key/,
    ],
    [
      'plain text',
      'hello, this is a README\n',
      'notes.txt',
      /neither a Cloud Run service YAML nor a shell script/,
    ],
    [
      'script without deploy',
      '#!/bin/sh\ngcloud run services list\n',
      'list.sh',
      /no `gcloud run deploy` command found/,
    ],
  ])('%s → InputError', (_name, text, file, message) => {
    expect(() => parse(text, file)).toThrow(InputError);
    expect(() => parse(text, file)).toThrow(message);
  });

  test('a script without an extension or shebang is still recognised', () => {
    const manifest = parse('gcloud run deploy api --set-env-vars=A=1\n', 'deploy');
    expect(manifest.kind).toBe('gcloud-deploy');
  });
});

describe('round trip', () => {
  test('property: any env literals and bindings written as service YAML are read back', () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/);
    const secret = fc.record({
      secret: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      version: fc.oneof(fc.constant('latest'), fc.integer({ min: 1, max: 999 }).map(String)),
    });
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ maxLength: 40 }), { maxKeys: 8 }),
        fc.dictionary(name, secret, { maxKeys: 8 }),
        (literals, secrets) => {
          const secretNames = Object.keys(secrets).filter((key) => !(key in literals));
          const env = [
            ...Object.entries(literals).map(([key, value]) => ({ name: key, value })),
            ...secretNames.map((key) => ({
              name: key,
              valueFrom: { secretKeyRef: { name: secrets[key]!.secret, key: secrets[key]!.version } },
            })),
          ];
          const text = stringify({
            apiVersion: 'serving.knative.dev/v1',
            kind: 'Service',
            metadata: { name: 'api' },
            spec: { template: { spec: { containers: [{ image: 'i', env }] } } },
          });
          const manifest = parse(text);
          expect(Object.fromEntries(manifest.literals)).toEqual(literals);
          expect(Object.fromEntries(manifest.secrets)).toEqual(
            Object.fromEntries(secretNames.map((key) => [key, secrets[key]])),
          );
        },
      ),
    );
  });
});
