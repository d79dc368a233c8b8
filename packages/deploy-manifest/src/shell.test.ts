import { describe, expect, test } from 'vitest';
import { ManifestError } from './errors.ts';
import type { Deployment } from './model.ts';
import { readDeployment, readDeployments } from './registry.ts';

const files: Record<string, string> = {
  'env.yaml': 'LOG_LEVEL: info\nDATABASE_PORT: 5432\n',
};
const options = {
  file: 'deploy.sh',
  readRelativeFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return text;
  },
};

const read = (script: string, service?: string) => readDeployment(script, { ...options, service });

/** name → a short form of what the revision gets: `literal:V`, `secret:S@V`, `unknown(EXPR|default)`. */
function env(deployment: Deployment): Record<string, string> {
  return Object.fromEntries(
    deployment.variables.map((variable) => {
      switch (variable.kind) {
        case 'literal':
          return [variable.name, `literal:${variable.value}`];
        case 'secret':
        case 'file':
          return [variable.name, `${variable.kind}:${variable.secret!.name}@${variable.secret!.version}`];
        default:
          return [
            variable.name,
            `unknown(${variable.expression}${variable.default === undefined ? '' : `|${variable.default}`})`,
          ];
      }
    }),
  );
}

const codes = (deployment: Deployment) => deployment.issues.map((issue) => `${issue.code}:${issue.line}`);

describe('shell scripts read as bash reads them', () => {
  test('${VAR:-default}, ${VAR-default}, ${VAR:=default} of an unset variable: unknown, with the default', async () => {
    const deployment = await read(`#!/bin/bash
gcloud run deploy api --update-env-vars=DATABASE_HOST=\${DB_HOST:-localhost},REDIS_HOST=\${REDIS-10.0.0.3} \\
  --update-env-vars=LOG_LEVEL=\${LEVEL:=info},API_BASE_URL=$API_URL
echo "$LEVEL"
`);
    expect(env(deployment)).toEqual({
      DATABASE_HOST: 'unknown(${DB_HOST:-localhost}|localhost)',
      REDIS_HOST: 'unknown(${REDIS-10.0.0.3}|10.0.0.3)',
      LOG_LEVEL: 'unknown(${LEVEL:=info}|info)',
      API_BASE_URL: 'unknown($API_URL)',
    });
  });

  test('a variable the script sets is substituted; ${VAR:-d} of a set variable is its value', async () => {
    const deployment = await read(`REGION=europe-west1
DB=/cloudsql/acme:\${REGION}:db
EMPTY=
gcloud run deploy api --region "$REGION" --set-env-vars="DATABASE_HOST=\${DB:-x},NAME=\${EMPTY:-fallback},OTHER=\${EMPTY-kept}"
`);
    expect(deployment.region).toBe('europe-west1');
    expect(env(deployment)).toEqual({
      DATABASE_HOST: 'literal:/cloudsql/acme:europe-west1:db',
      NAME: 'literal:fallback',
      OTHER: 'literal:',
    });
  });

  test('\\-newline inside double quotes joins the line (no stray space before the next name)', async () => {
    const deployment = await read(`gcloud run deploy api --set-env-vars="ENVIRONMENT=staging,\\
API_BASE_URL=https://api.example.com"
`);
    expect(env(deployment)).toEqual({
      ENVIRONMENT: 'literal:staging',
      API_BASE_URL: 'literal:https://api.example.com',
    });
  });

  test('a heredoc that mentions gcloud run deploy is text, not a command', async () => {
    const deployment = await read(`usage() {
  cat <<EOF
Usage: deploy.sh
  runs: gcloud run deploy other --set-env-vars=A=1
  and gcloud run deploy third
EOF
}
gcloud run deploy api --set-env-vars=LOG_LEVEL=info
`);
    expect(deployment.service).toBe('api');
    expect(env(deployment)).toEqual({ LOG_LEVEL: 'literal:info' });
  });

  test('a quote inside $(…) inside double quotes does not break the quoting', async () => {
    const deployment = await read(`BUILD="$(date +"%F")"
gcloud run deploy api --set-env-vars="BUILD=$BUILD,LOG_LEVEL=info" --labels="built=$(date +"%F %T")"
`);
    expect(env(deployment)).toEqual({
      BUILD: 'unknown($BUILD)',
      LOG_LEVEL: 'literal:info',
    });
  });

  test('if/else assigning a value: unknown after the branch (not the last assignment)', async () => {
    const deployment = await read(`if [ "$TARGET" = prod ]; then
  DB_HOST=10.0.0.5
else
  DB_HOST=localhost
fi
gcloud run deploy api --set-env-vars=DATABASE_HOST=$DB_HOST
`);
    expect(env(deployment)).toEqual({ DATABASE_HOST: 'unknown($DB_HOST)' });
  });

  test('an if without else keeps an earlier value as the default; the same value in every branch is known', async () => {
    const deployment = await read(`LEVEL=info
[ -n "$DEBUG" ] && LEVEL=debug
if true; then NAME=netra; else NAME=netra; fi
gcloud run deploy api --set-env-vars=LOG_LEVEL=$LEVEL,DATABASE_NAME=$NAME
`);
    expect(env(deployment)).toEqual({ LOG_LEVEL: 'unknown($LEVEL)', DATABASE_NAME: 'literal:netra' });
  });

  test('$FLAGS, ${EXTRA}, "$@" and arrays are unresolved-flags warnings, never the service name', async () => {
    const deployment = await read(`gcloud run deploy \\
  $FLAGS \\
  \${EXTRA} \\
  api \\
  "$@" \\
  "\${ARGS[@]}" \\
  --set-env-vars=GCP_PROJECT_ID=\${GCP_PROJECT_ID}
`);
    expect(deployment.service).toBe('api');
    expect(codes(deployment)).toEqual(['unresolved-flags:2']);
    expect(deployment.issues[0]!.message).toContain('$FLAGS, ${EXTRA}, $@, ${ARGS[@]}');
    expect(env(deployment)).toEqual({ GCP_PROJECT_ID: 'unknown(${GCP_PROJECT_ID})' });
    expect(deployment.vpcEgress).toBe('unknown');
  });

  test('a known unquoted $FLAGS is split into words, as the shell does', async () => {
    const deployment =
      await read(`FLAGS="--region=europe-west1 --set-env-vars=LOG_LEVEL=info --vpc-connector=conn"
gcloud run deploy api $FLAGS
`);
    expect(deployment.region).toBe('europe-west1');
    expect(deployment.vpcEgress).toBe(true);
    expect(env(deployment)).toEqual({ LOG_LEVEL: 'literal:info' });
    expect(deployment.issues).toEqual([]);
  });

  test("'#' inside a word is not a comment: gcloud's ^##^ delimiter and values holding #", async () => {
    const deployment = await read(`gcloud run deploy api --set-env-vars=^##^A=1,2##B=x#y # a comment
`);
    expect(env(deployment)).toEqual({ A: 'literal:1,2', B: 'literal:x#y' });
  });

  test('eval of a literal string runs its deploy command', async () => {
    const deployment = await read(`CMD="gcloud run deploy api --set-env-vars=LOG_LEVEL=info"
eval "$CMD --region=europe-west1"
`);
    expect(deployment.region).toBe('europe-west1');
    expect(deployment.line).toBe(2);
    expect(env(deployment)).toEqual({ LOG_LEVEL: 'literal:info' });
  });

  test('several deploy commands: a list of services, --service picks one', async () => {
    const script = `gcloud run deploy api --set-env-vars=LOG_LEVEL=info
gcloud run deploy worker --set-env-vars=LOG_LEVEL=debug
`;
    const all = await readDeployments(script, options);
    expect(all.map((deployment) => deployment.service)).toEqual(['api', 'worker']);
    await expect(read(script)).rejects.toMatchObject({
      code: 'several-services',
      services: ['api', 'worker'],
      message: expect.stringContaining('--service'),
    });
    expect(env(await read(script, 'worker'))).toEqual({ LOG_LEVEL: 'literal:debug' });
    await expect(read(script, 'web')).rejects.toMatchObject({ code: 'no-such-service' });
  });

  test('assignments, quoting styles and a function: each value as bash gives it', async () => {
    const deployment = await read(`#!/usr/bin/env bash
set -euo pipefail
export PROJECT=acme-staging
readonly SVC='api'
deploy() {
  gcloud run deploy "$SVC" --project "$PROJECT" \\
    --update-env-vars 'A=single quoted $NOT' \\
    --update-env-vars=B="double $PROJECT",C=$'tab\\there' \\
    --update-secrets=JWT_SECRET_STAGING=jwt-secret-staging:3,/secrets/fernet/key=fernet-key-staging:2 \\
    --update-env-vars=FERNET_KEY_FILE=/secrets/fernet/key \\
    --add-cloudsql-instances=acme-staging:europe-west1:db
}
deploy
`);
    expect(deployment.service).toBe('api');
    expect(deployment.project).toBe('acme-staging');
    expect(deployment.line).toBe(6);
    expect(deployment.cloudSqlInstances).toEqual(['acme-staging:europe-west1:db']);
    expect(env(deployment)).toEqual({
      A: 'literal:single quoted $NOT',
      B: 'literal:double acme-staging',
      C: 'literal:tab\there',
      JWT_SECRET_STAGING: 'secret:jwt-secret-staging@3',
      FERNET_KEY_FILE: 'file:fernet-key-staging@2',
    });
    expect(deployment.issues).toEqual([]);
  });

  test('--env-vars-file: its values, at their lines; a value that is not a YAML string is refused by gcloud', async () => {
    const deployment = await read('gcloud run deploy api --env-vars-file env.yaml\n');
    expect(env(deployment)).toEqual({ LOG_LEVEL: 'literal:info', DATABASE_PORT: 'literal:5432' });
    expect(deployment.variables.find((v) => v.name === 'DATABASE_PORT')).toMatchObject({
      file: 'env.yaml',
      line: 2,
    });
    expect(codes(deployment)).toEqual(['invalid:2']);
  });

  test('--env-vars-file next to a script in a folder is named from the working directory, as the script is', async () => {
    const deployment = await readDeployment('gcloud run deploy api --env-vars-file env.yaml\n', {
      ...options,
      file: 'deploy/staging.sh',
    });
    expect(deployment.variables.map((v) => `${v.name} ${v.file}:${v.line}`)).toEqual([
      'LOG_LEVEL deploy/env.yaml:1',
      'DATABASE_PORT deploy/env.yaml:2',
    ]);
    expect(deployment.issues).toEqual([
      expect.objectContaining({ code: 'invalid', file: 'deploy/env.yaml', line: 2 }),
    ]);
  });

  test('a Cloud SQL instance and region from ${VAR:-default} are the defaults (the check then finds the socket attached)', async () => {
    const deployment = await read(`REGION="\${REGION:-us-central1}"
gcloud run deploy api --region="$REGION" \\
  --add-cloudsql-instances="acme:\${REGION}:db,\${OTHER_INSTANCE}"
`);
    expect(deployment).toMatchObject({ region: 'us-central1', cloudSqlInstances: ['acme:us-central1:db'] });
    // A default with a dash (tree-sitter-bash parses `us-central1` there as a name and a word) is its text.
    const dashed = await read('gcloud run deploy api --set-env-vars=A="${A:-us-central1}",B=${B:-x-y-z}\n');
    expect(dashed.variables.map((variable) => variable.default)).toEqual(['us-central1', 'x-y-z']);
    expect(deployment.issues).toEqual([
      expect.objectContaining({
        code: 'unresolved-flags',
        line: 3,
        message: expect.stringContaining('attaches ${OTHER_INSTANCE}'),
      }),
    ]);
  });

  test('every variable carries its file and line', async () => {
    const deployment = await read(`# deploy
gcloud run deploy api \\
  --set-env-vars=A=1 \\
  --update-secrets=B=b:1
`);
    expect(deployment.variables.map((v) => [v.name, v.file, v.line])).toEqual([
      ['A', 'deploy.sh', 3],
      ['B', 'deploy.sh', 4],
    ]);
  });

  test('a $(…) secret name is unknown; a deploy inside $(…) is read', async () => {
    const deployment =
      await read(`URL=$(gcloud run deploy api --update-secrets=JWT=$(secret-name):1 --format='value(status.url)')
`);
    expect(env(deployment)).toEqual({ JWT: 'unknown($(secret-name):1)' });
  });
});

describe('bad input: one ManifestError naming the file (and line)', () => {
  test.each([
    ['no deploy command', 'echo hello\n', 'no-deploy', /deploy\.sh: no `gcloud run deploy`/],
    ['only a comment', '# gcloud run deploy api\n', 'no-deploy', /no `gcloud run deploy`/],
    [
      'a syntax error',
      'if true; then\n  gcloud run deploy api\n',
      'malformed',
      /deploy\.sh:\d+: shell syntax error/,
    ],
    ['binary', 'gcloud\u0000run', 'malformed', /binary/],
    [
      'an item without =',
      'gcloud run deploy api --set-env-vars=A\n',
      'malformed',
      /deploy\.sh:1: --set-env-vars item "A"/,
    ],
    [
      'an unreadable env-vars file',
      'gcloud run deploy api --env-vars-file=nope.yaml\n',
      'unreadable',
      /nope\.yaml/,
    ],
  ])('%s', async (_name, script, code, message) => {
    const error = await read(script).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code, file: 'deploy.sh' });
    expect((error as Error).message).toMatch(message);
  });
});
