import fc from 'fast-check';
import { quote } from 'shell-quote';
import { describe, expect, test } from 'vitest';
import { InputError } from '../errors';
import { logicalLines, parseDeployScript } from './gcloud';
import { splitGcloudDict, splitGcloudList } from './gcloud-lists';

const noFiles = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

function parse(script: string, files: Record<string, string> = {}) {
  return parseDeployScript(script, {
    file: 'deploy.sh',
    readRelativeFile: (path) => files[path] ?? noFiles(path),
  });
}

function literals(script: string, files?: Record<string, string>) {
  return Object.fromEntries(parse(script, files).literals);
}

function secrets(script: string) {
  return Object.fromEntries(parse(script).secrets);
}

describe('gcloud list syntax (gcloud topic escaping)', () => {
  test.each([
    ['A=1,B=2', ['A=1', 'B=2']],
    ['^@^A=1,2@B=3', ['A=1,2', 'B=3']],
    ['^:^a,b:c,d', ['a,b', 'c,d']],
    ['^--^a-,b--c', ['a-,b', 'c']],
    ['^a,b,c', ['^a', 'b', 'c']],
    ['', []],
  ])('%s', (value, expected) => {
    expect(splitGcloudList(value)).toEqual(expected);
  });

  test('a dictionary item splits at the first "="', () => {
    expect(splitGcloudDict('URL=https://x/?a=b,FLAG')).toEqual([
      ['URL', 'https://x/?a=b'],
      ['FLAG', undefined],
    ]);
  });

  test('property: any values without the delimiter survive ^@^ joining', () => {
    const value = fc.string({ minLength: 1 }).filter((s) => !s.includes('@') && !s.includes('^'));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (values) => {
        expect(splitGcloudList(`^@^${values.join('@')}`)).toEqual(values);
      }),
    );
  });
});

describe('environment variables', () => {
  test.each<[string, string, Record<string, string>]>([
    ['--set-env-vars=K=V', 'gcloud run deploy api --set-env-vars=A=1,B=2', { A: '1', B: '2' }],
    ['--set-env-vars K=V (space)', 'gcloud run deploy api --set-env-vars A=1,B=2', { A: '1', B: '2' }],
    [
      'repeated --set-env-vars merge',
      'gcloud run deploy api --set-env-vars=A=1 --set-env-vars=B=2',
      { A: '1', B: '2' },
    ],
    ['later value wins', 'gcloud run deploy api --set-env-vars=A=1 --set-env-vars=A=2', { A: '2' }],
    [
      '--update-env-vars',
      'gcloud run deploy api --update-env-vars=A=1 --update-env-vars B=2',
      { A: '1', B: '2' },
    ],
    [
      // gcloud run deploy --help: "If both are specified, --remove-env-vars will be applied first".
      '--remove-env-vars is applied before --update-env-vars',
      'gcloud run deploy api --update-env-vars=A=1,B=2 --remove-env-vars=B',
      { A: '1', B: '2' },
    ],
    [
      'alternate delimiter keeps commas',
      "gcloud run deploy api --set-env-vars='^@^ORIGINS=a,b@C=3'",
      { ORIGINS: 'a,b', C: '3' },
    ],
    ['value with "="', 'gcloud run deploy api --set-env-vars=URL=https://x/?a=b', { URL: 'https://x/?a=b' }],
    ['double quotes', 'gcloud run deploy api --set-env-vars="A=hello world"', { A: 'hello world' }],
    ['single quotes keep $', "gcloud run deploy api --set-env-vars='A=$HOME'", { A: '$HOME' }],
    [
      'line continuations',
      'gcloud run deploy api \\\n  --region=europe-west1 \\\n  --set-env-vars=A=1 \\\n  --set-env-vars=B=2',
      { A: '1', B: '2' },
    ],
    [
      'script variables are substituted',
      'REGION_HOST=10.0.0.5\ngcloud run deploy api --set-env-vars=H=$REGION_HOST',
      { H: '10.0.0.5' },
    ],
    [
      'braced and exported variables',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
      'export ENV_NAME="staging"\ngcloud run deploy api --set-env-vars=ENVIRONMENT=${ENV_NAME}',
      { ENVIRONMENT: 'staging' },
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
    ['unknown variables stay visible', 'gcloud run deploy api --set-env-vars=H=$UNSET', { H: '${UNSET}' }],
    ['gcloud beta and global flags', 'gcloud --project p beta run deploy api --set-env-vars=A=1', { A: '1' }],
    ['after && on one line', 'cd app && gcloud run deploy api --set-env-vars=A=1 # deploy', { A: '1' }],
    ['--clear-env-vars alone', 'gcloud run deploy api --clear-env-vars', {}],
  ])('%s', (_name, script, expected) => {
    expect(literals(script)).toEqual(expected);
  });

  test('the continuation case really spans lines', () => {
    const manifest = parse(
      '# deploy\n\ngcloud run deploy api \\\n  --update-env-vars=A=1 \\\n  --update-env-vars=B=2\n',
    );
    expect(manifest.line).toBe(3);
    expect(manifest.service).toBe('api');
  });

  test('--env-vars-file reads a YAML file next to the script', () => {
    expect(
      literals('gcloud run deploy api --env-vars-file=env/staging.yaml', {
        'env/staging.yaml': 'ENVIRONMENT: staging\nDATABASE_PORT: 5432\nREDIS_TLS: true\n',
      }),
    ).toEqual({ ENVIRONMENT: 'staging', DATABASE_PORT: '5432', REDIS_TLS: 'true' });
  });

  test.each([
    [
      'unreadable --env-vars-file',
      'gcloud run deploy api --env-vars-file=missing.yaml',
      {},
      /cannot read --env-vars-file missing.yaml \(ENOENT\)/,
    ],
    [
      'malformed --env-vars-file',
      'gcloud run deploy api --env-vars-file=a.yaml',
      { 'a.yaml': 'A: [1,\n' },
      /a.yaml: --env-vars-file is not valid YAML/,
    ],
    [
      '--env-vars-file that is a list',
      'gcloud run deploy api --env-vars-file=a.yaml',
      { 'a.yaml': '- A\n' },
      /must be a YAML mapping/,
    ],
    ['item without "="', 'gcloud run deploy api --set-env-vars=A', {}, /item "A" has no "="/],
    [
      '--set-env-vars with --update-env-vars',
      'gcloud run deploy api --set-env-vars=A=1 --update-env-vars=B=2',
      {},
      /gcloud refuses --set-env-vars together with --update-env-vars/,
    ],
    [
      '--env-vars-file with --set-env-vars',
      'gcloud run deploy api --set-env-vars=A=1 --env-vars-file=a.yaml',
      {},
      /gcloud refuses/,
    ],
    [
      'no deploy command',
      'echo "gcloud run deploy is not run here"\ngcloud run services list',
      {},
      /no `gcloud run deploy` command found/,
    ],
    [
      'two deploy commands',
      'gcloud run deploy a\ngcloud run deploy b',
      {},
      /2 `gcloud run deploy` commands \(lines 1, 2\)/,
    ],
    ['flag without a value', 'gcloud run deploy api --set-env-vars', {}, /--set-env-vars needs a value/],
  ])('%s → InputError', (_name, script, files, message) => {
    expect(() => parse(script, files)).toThrow(InputError);
    expect(() => parse(script, files)).toThrow(message);
  });
});

describe('secrets', () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      'ENV=SECRET:VERSION',
      'gcloud run deploy api --set-secrets=JWT=jwt-secret:3',
      { JWT: { secret: 'jwt-secret', version: '3' } },
    ],
    [
      'latest',
      'gcloud run deploy api --set-secrets=JWT=jwt-secret:latest',
      { JWT: { secret: 'jwt-secret', version: 'latest' } },
    ],
    [
      'projects/N/secrets/S:V',
      'gcloud run deploy api --set-secrets=JWT=projects/123/secrets/jwt:2',
      { JWT: { project: '123', secret: 'jwt', version: '2' } },
    ],
    [
      'repeated --set-secrets merge',
      'gcloud run deploy api --set-secrets=A=a:1 --set-secrets=B=b:2',
      { A: { secret: 'a', version: '1' }, B: { secret: 'b', version: '2' } },
    ],
    [
      // gcloud run deploy --help: "If both are specified, --remove-secrets will be applied first".
      '--remove-secrets is applied before --update-secrets',
      'gcloud run deploy api --update-secrets=A=a:1,B=b:1 --remove-secrets=A',
      { A: { secret: 'a', version: '1' }, B: { secret: 'b', version: '1' } },
    ],
    [
      'alternate delimiter',
      "gcloud run deploy api --set-secrets='^;^A=a:1;B=b:2'",
      { A: { secret: 'a', version: '1' }, B: { secret: 'b', version: '2' } },
    ],
    ['--clear-secrets', 'gcloud run deploy api --clear-secrets', {}],
  ])('%s', (_name, script, expected) => {
    expect(secrets(script)).toEqual(expected);
  });

  test('/mount/path=SECRET:VERSION mounts a file, not a variable', () => {
    const manifest = parse(
      'gcloud run deploy api --set-secrets=/secrets/jwt=jwt-secret:4,JWT_SECRET_FILE=x:1',
    );
    expect(Object.fromEntries(manifest.files)).toEqual({
      '/secrets/jwt': { secret: 'jwt-secret', version: '4' },
    });
    expect([...manifest.secrets.keys()]).toEqual(['JWT_SECRET_FILE']);
  });

  test.each([
    ['no secret', 'gcloud run deploy api --set-secrets=A=', /item "A" has no secret/],
    ['not a secret name', 'gcloud run deploy api --set-secrets=A=projects/p/x', /is not a secret reference/],
    [
      '--set-secrets with --update-secrets',
      'gcloud run deploy api --set-secrets=A=a:1 --update-secrets=B=b:1',
      /gcloud refuses/,
    ],
  ])('%s → InputError', (_name, script, message) => {
    expect(() => parse(script)).toThrow(message);
  });
});

describe('Cloud SQL and VPC egress', () => {
  test.each<[string, string, string[]]>([
    [
      '--add-cloudsql-instances',
      'gcloud run deploy api --add-cloudsql-instances=p:r:a,p:r:b',
      ['p:r:a', 'p:r:b'],
    ],
    [
      '--set-cloudsql-instances repeated',
      'gcloud run deploy api --set-cloudsql-instances p:r:a --set-cloudsql-instances p:r:b',
      ['p:r:a', 'p:r:b'],
    ],
    ['none', 'gcloud run deploy api', []],
  ])('%s', (_name, script, expected) => {
    expect(parse(script).cloudsqlInstances).toEqual(expected);
  });

  test.each<[string, string, boolean]>([
    ['--vpc-connector', 'gcloud run deploy api --vpc-connector=conn --vpc-egress=private-ranges-only', true],
    ['--network (Direct VPC egress)', 'gcloud run deploy api --network=default --subnet=default', true],
    ['--clear-vpc-connector', 'gcloud run deploy api --vpc-connector=conn --clear-vpc-connector', false],
    ['neither', 'gcloud run deploy api --region=europe-west1', false],
  ])('%s', (_name, script, expected) => {
    expect(parse(script).vpcEgress).toBe(expected);
  });

  test('--vpc-egress is recorded', () => {
    expect(parse('gcloud run deploy api --vpc-connector c --vpc-egress all-traffic').vpcEgressSetting).toBe(
      'all-traffic',
    );
  });
});

describe('logical lines', () => {
  test('a quoted newline stays in the word; a comment with a quote is not a quote', () => {
    expect(logicalLines("# it's a comment\nA='x\ny'\nB=2\n").map((line) => [line.line, line.text])).toEqual([
      [2, "A='x\ny'"],
      [4, 'B=2'],
    ]);
  });

  test('CRLF line endings and continuations', () => {
    expect(literals('gcloud run deploy api \\\r\n  --set-env-vars=A=1\r\n')).toEqual({ A: '1' });
  });

  test('property: any env values survive shell quoting and the ^@^ delimiter', () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/);
    // Backticks are left out: shell-quote's parse keeps the backslash of a \` inside double quotes (bash drops it).
    const value = fc
      .string({ maxLength: 20 })
      .filter((s) => !s.includes('@') && !s.includes('^') && !s.includes('\\') && !s.includes('`'));
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 5 }), (env) => {
        const flag = `--set-env-vars=^@^${Object.entries(env)
          .map(([key, v]) => `${key}=${v}`)
          .join('@')}`;
        const script = `gcloud run deploy api \\\n  ${quote([flag])}\n`;
        expect(literals(script)).toEqual(env);
      }),
    );
  });
});
