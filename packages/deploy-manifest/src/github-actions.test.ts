import { describe, expect, test } from 'vitest';
import { matrixCombinations, parseActionKeyValues } from './github-actions.ts';
import { readDeployment, readDeployments } from './registry.ts';

const files: Record<string, string> = {
  '../../deploy/service.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: from-metadata
spec:
  template:
    spec:
      containers:
        - image: gcr.io/p/api
          env:
            - name: A
              value: "1"
`,
};
const readRelativeFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return text;
};
const file = '.github/workflows/deploy.yml';
const read = (text: string, service?: string) => readDeployment(text, { file, service, readRelativeFile });

describe('github-actions', () => {
  test('deploy-cloudrun v2: multi-line env_vars and secrets (overwrite), ${{ env.X }} literals, flags read by the gcloud reader', async () => {
    const deployment = await read(`on: push
env:
  REGION: europe-west1
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      DB_HOST: 10.1.0.4
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          region: \${{ env.REGION }}
          project_id: \${{ vars.PROJECT }}
          image: gcr.io/p/api:\${{ github.sha }}
          env_vars_update_strategy: overwrite
          env_vars: |

            DATABASE_HOST=\${{ env.DB_HOST }}
            GREETING=hello\\, world
            TOKEN=\${{ secrets.TOKEN }}
          secrets_update_strategy: overwrite
          secrets: |-
            JWT_SECRET=jwt:3
            /secrets/key=fernet:2
          flags: '--add-cloudsql-instances=p:r:db --vpc-connector=conn'
`);
    expect(deployment).toMatchObject({
      format: 'github-actions',
      service: 'api',
      region: 'europe-west1',
      line: 10,
      cloudSqlInstances: ['p:r:db'],
      vpcEgress: true,
    });
    expect(deployment.project).toBeUndefined();
    expect(deployment.variables).toEqual([
      { name: 'DATABASE_HOST', kind: 'literal', value: '10.1.0.4', file, line: 19 },
      { name: 'GREETING', kind: 'literal', value: 'hello, world', file, line: 20 },
      { name: 'TOKEN', kind: 'unknown', expression: '${{ secrets.TOKEN }}', file, line: 21 },
      { name: 'JWT_SECRET', kind: 'secret', secret: { name: 'jwt', version: '3' }, file, line: 24 },
    ]);
    expect(deployment.mounts).toEqual([
      { path: '/secrets/key', secret: { name: 'fernet', version: '2' }, file, line: 25 },
    ]);
  });

  test('v1 comma form; merge (the default) is --update-*: the deploy keeps what the service has', async () => {
    const deployment = await read(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v1
        with:
          service: api
          image: gcr.io/p/api
          env_vars: A=1,B=x\\,y,C=3
`);
    expect(deployment.update).toBe('merge');
    expect(deployment.variables.map((variable) => [variable.name, variable.value, variable.line])).toEqual([
      ['A', '1', 10],
      ['B', 'x,y', 10],
      ['C', '3', 10],
    ]);
  });

  test('a matrix deploys several services: --service picks one, matrix values are literals', async () => {
    const text = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        tier: [web, worker]
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api-\${{ matrix.tier }}
          env_vars: TIER=\${{ matrix.tier }}
`;
    const all = await readDeployments(text, { file, readRelativeFile });
    expect(all.map((deployment) => deployment.service)).toEqual(['api-web', 'api-worker']);
    await expect(read(text)).rejects.toMatchObject({
      code: 'several-services',
      services: ['api-web', 'api-worker'],
    });
    expect((await read(text, 'api-worker')).variables).toEqual([
      { name: 'TIER', kind: 'literal', value: 'worker', file, line: 12 },
    ]);
  });

  test('run: steps with gcloud run deploy: the shell reader with the workflow, job and step env', async () => {
    const deployment = await read(`on: push
env:
  PROJECT: p1
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      SERVICE: api
    steps:
      - run: echo building
      - name: Deploy
        env:
          LOG: debug
          SHA: \${{ github.sha }}
        run: |
          gcloud run deploy "$SERVICE" --project="$PROJECT" \\
            --set-env-vars="LOG_LEVEL=$LOG,VERSION=$SHA,REGION=\${{ env.PROJECT }}"
`);
    expect(deployment).toMatchObject({ service: 'api', project: 'p1', line: 16 });
    expect(deployment.variables).toEqual([
      { name: 'LOG_LEVEL', kind: 'literal', value: 'debug', file, line: 17 },
      { name: 'VERSION', kind: 'unknown', expression: '${{ github.sha }}', file, line: 17 },
      { name: 'REGION', kind: 'literal', value: 'p1', file, line: 17 },
    ]);
  });

  test('metadata: the service YAML it points at (relative to the repository root)', async () => {
    const deployment = await read(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          metadata: deploy/service.yaml
`);
    expect(deployment).toMatchObject({ service: 'from-metadata', file: 'deploy/service.yaml' });
    expect(deployment.variables).toEqual([
      { name: 'A', kind: 'literal', value: '1', file: 'deploy/service.yaml', line: 11 },
    ]);
  });

  test('flags are split as the action splits them (quotes, no shell); an expression there may add any flags', async () => {
    const deployment = await read(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          flags: |
            --set-env-vars "GREETING=hello world"
            \${{ vars.EXTRA_FLAGS }}
`);
    expect(deployment.variables).toEqual([
      { name: 'GREETING', kind: 'literal', value: 'hello world', file, line: 10 },
    ]);
    expect(deployment.vpcEgress).toBe('unknown');
    expect(deployment.issues).toEqual([
      expect.objectContaining({
        code: 'unresolved-flags',
        line: 11,
        message: expect.stringContaining('${{ vars.EXTRA_FLAGS }}'),
      }),
    ]);
  });

  test('an env_vars item the action refuses (no "=", no value): exit 2 at its line', async () => {
    await expect(
      read(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          env_vars: |
            A=1
            # a comment is an item too
`),
    ).rejects.toThrow(
      '.github/workflows/deploy.yml:11: env_vars item "# a comment is an item too" has no value',
    );
  });

  test('a workflow with no Cloud Run deploy: exit 2 naming the file', async () => {
    await expect(
      read('on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n'),
    ).rejects.toMatchObject({
      code: 'no-deploy',
      message:
        '.github/workflows/deploy.yml: no step deploys to Cloud Run (google-github-actions/deploy-cloudrun, or a run: step with gcloud run deploy); --manifest takes a workflow that deploys',
    });
  });

  test.each<[string, Array<[string, string | undefined, number]>]>([
    [
      'A=1,B=2',
      [
        ['A', '1', 0],
        ['B', '2', 0],
      ],
    ],
    [
      'A=1\nB=two words\n\n C = x\\,y ',
      [
        ['A', '1', 0],
        ['B', 'two words', 1],
        ['C', 'x,y', 3],
      ],
    ],
    [
      'A=a\\,b,B=line\\\nnext',
      [
        ['A', 'a,b', 0],
        ['B', 'line\nnext', 0],
      ],
    ],
    // No quoting: the action splits inside quotes too, and the second half has no "=".
    [
      'A="x,y"',
      [
        ['A', '"x', 0],
        ['y"', undefined, 0],
      ],
    ],
  ])('parseActionKeyValues(%j)', (text, expected) => {
    expect(parseActionKeyValues(text).map((item) => [item.key, item.value, item.row])).toEqual(expected);
  });

  test('matrixCombinations: product, exclude, include', () => {
    expect(
      matrixCombinations({
        a: [1, 2],
        b: ['x'],
        exclude: [{ a: 2 }],
        include: [{ a: 1, c: 'extra' }, { a: 3 }],
      }),
    ).toEqual([{ a: 1, b: 'x', c: 'extra' }, { a: 3 }]);
    expect(matrixCombinations(undefined)).toEqual([{}]);
  });
});

test('parseActionKeyValues reads back what a comma list with \\, escapes says (property)', async () => {
  const fc = await import('fast-check');
  const key = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/);
  const value = fc
    .stringMatching(/^[a-z0-9 ,=.:/-]{1,12}$/)
    .filter((text) => text.trim() === text && text !== '');
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(key, value), { selector: ([name]) => name, maxLength: 6 }),
      (pairs) => {
        const text = pairs.map(([name, item]) => `${name}=${item.replaceAll(',', '\\,')}`).join(',');
        expect(parseActionKeyValues(text).map((entry) => [entry.key, entry.value])).toEqual(pairs);
      },
    ),
  );
});
