// The differential test of issue 24: `netra-verify check` says what start-up will say. Generated configurations
// (fast-check, seeded) of a healthy base — settings dropped, emptied, renamed across environments, in another case
// or misspelt, loopback hosts in every spelling, bad ports, URLs and keys, `NAME_FILE` variants, `sm://` references —
// each go through check's code path (`runCheck` over an env file, in this process, `--project` to read what start-up
// reads) and through the service's start-up function in this process (the sample service's `loadSettings` for the
// backend, `safeLoadStartup` for the billing worker, which has no service of its own here). Both must give the same
// verdict, and when both refuse, the same set of (variable, code) errors. Both read Secret Manager from the
// emulator, over gRPC, on loopback.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { netraBackendSchema } from '@netra/backend-schema';
import type { ConfigSchema, Environment, Issue } from '@netra/config-schema';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { createSecretManagerClient, safeLoadStartup } from '@netra/secrets-loader';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { workerSchema } from '../../../examples/worker/schema.ts';
import { loadSettings } from '../../sample-service/src/settings.ts';
import { runCheck } from '../src/commands/check';
import { type CommandContext, loadCommandContext } from '../src/context';
import type { Io } from '../src/io';

/** Cases per environment per run (the issue asks at least 1,000); `DIFFERENTIAL_RUNS` for a longer run. */
const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 1000);
/** The seed; a failure prints it with the case, so `DIFFERENTIAL_SEED=… npx vitest run test/differential.test.ts` replays it. */
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20261207);

const STAGING_PROJECT = 'netra-staging';
const WORKER_PROJECT = 'acme-billing-qa';
/** What the emulator holds: every secret a healthy base reads, plus look-alikes the generator points at. */
const SEED_DATA = {
  [STAGING_PROJECT]: {
    'jwt-secret-staging': 'Iu1Pmnd91kpw0RYViLf14r1z0w9eCQ-z_zNH86MomARp4BCLhHpNxKYYFW7TZLju',
    'database-password-staging': 'KRkfFGWcXCxMyEv-PKRGmA_qy0GXs4ff',
    'redis-password-staging': '162f12246451081f7305fceaf03ab96d',
    'fernet-key-staging': 'xQmlxFtKAkeo-z0NozbSitZC2GVHYzaVOehhW0jzX9s=',
    'gemini-api-key-staging': 'AIzaSysODj5YaQKJh7S6xolK-TdWquTcTNBlT-1',
    'google-oauth-client-id-staging':
      '204517331590-7hq2m0d4v9kq1c8rt4fk2n3k9sd1hq0b.apps.googleusercontent.com',
    'google-oauth-client-secret-staging': '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',
    // Values a reference may lead to that start-up refuses.
    'short-secret': 'short',
    'placeholder-secret': 'changeme',
    'spaced-secret': ' Zq8mWv2kLp9xRt4Yb6nQ2tail-of-the-pass ',
    'newline-secret': 'Zq8mWv2kLp9xRt4Yb6nQ2tail-of-the-pass\n',
  },
  [WORKER_PROJECT]: {
    'payments-api-key-qa': 'pk_qa_7Vb2Lq9Xw3Rt8Yz1Mn4Kp6Hs0Jd5Fg',
    'payments-api-key-development': 'pk_dev_7Vb2Lq9Xw3Rt8Yz1Mn4Kp6Hs0Jd5Fg',
    'billing-db-password-qa': 'Tq3vN8xR2mK9pL4wZ7bY1cJ6',
  },
};

/** A healthy configuration: what the deploy sets, as NAME → value. */
type Config = Record<string, string>;

interface Subject {
  name: string;
  schema: ConfigSchema;
  schemaSpec: string;
  environment: Environment;
  base: Config;
  /** The service's start-up verdict over a process environment. */
  startup(env: Config): Promise<{ ok: boolean; issues: Issue[] }>;
}

let emulator: Emulator;
let client: Awaited<ReturnType<typeof createSecretManagerClient>>;
let dir: string;
const contexts = new Map<string, CommandContext>();

const backendStartup = async (env: Config) => {
  const result = await loadSettings({ env, secretManagerClient: client });
  return result.ok ? { ok: true, issues: result.warnings } : { ok: false, issues: result.issues };
};
const workerStartup = async (env: Config) => {
  const result = await safeLoadStartup(workerSchema, { env, client });
  return result.ok ? { ok: true, issues: result.warnings } : { ok: false, issues: result.issues };
};

const ref = (project: string, secret: string) => `sm://${project}/${secret}`;
const SUBJECTS: Subject[] = [
  {
    name: 'backend',
    schema: netraBackendSchema,
    schemaSpec: '@netra/backend-schema#netraBackendSchema',
    environment: 'staging',
    base: {
      ENVIRONMENT: 'staging',
      GCP_PROJECT_ID: STAGING_PROJECT,
      JWT_SECRET_STAGING: ref(STAGING_PROJECT, 'jwt-secret-staging'),
      DATABASE_HOST: '/cloudsql/netra-staging:us-central1:netra-db',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'netra',
      DATABASE_USER: 'netra_app',
      DATABASE_PASSWORD: ref(STAGING_PROJECT, 'database-password-staging'),
      REDIS_HOST: '10.20.0.3',
      REDIS_PORT: '6378',
      REDIS_TLS: 'true',
      REDIS_PASSWORD: ref(STAGING_PROJECT, 'redis-password-staging'),
      FERNET_KEY: ref(STAGING_PROJECT, 'fernet-key-staging'),
      GEMINI_API_KEY: ref(STAGING_PROJECT, 'gemini-api-key-staging'),
      GOOGLE_OAUTH_CLIENT_ID_STAGING: ref(STAGING_PROJECT, 'google-oauth-client-id-staging'),
      GOOGLE_OAUTH_CLIENT_SECRET_STAGING: ref(STAGING_PROJECT, 'google-oauth-client-secret-staging'),
      API_BASE_URL: 'https://api.staging.netra.example',
      FRONTEND_URL: 'https://app.staging.netra.example',
      LOG_LEVEL: 'info',
    },
    startup: backendStartup,
  },
  {
    name: 'backend',
    schema: netraBackendSchema,
    schemaSpec: '@netra/backend-schema#netraBackendSchema',
    environment: 'development',
    base: {
      ENVIRONMENT: 'development',
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: '5432',
      DATABASE_USER: 'postgres',
      REDIS_HOST: 'localhost',
      JWT_SECRET: 'dev-Iu1Pmnd91kpw0RYViLf14r1z0w9eCQ-z_zNH86MomARp4BCLhHpN',
      API_BASE_URL: 'http://localhost:8000',
      FRONTEND_URL: 'http://localhost:3000',
      GOOGLE_OAUTH_CLIENT_ID: '204517331590-7hq2m0d4v9kq1c8rt4fk2n3k9sd1hq0b.apps.googleusercontent.com',
      GOOGLE_OAUTH_CLIENT_SECRET: ref(STAGING_PROJECT, 'google-oauth-client-secret-staging'),
      LOG_LEVEL: 'debug',
    },
    startup: backendStartup,
  },
  {
    name: 'worker',
    schema: workerSchema,
    schemaSpec: 'examples/worker/schema.ts#workerSchema',
    environment: 'qa',
    base: {
      ENVIRONMENT: 'qa',
      GCP_PROJECT_ID: WORKER_PROJECT,
      BILLING_DB_HOST: '/cloudsql/acme-billing-qa:europe-west1:billing-db',
      BILLING_DB_NAME: 'billing',
      BILLING_DB_USER: 'billing_worker',
      BILLING_DB_PASSWORD: ref(WORKER_PROJECT, 'billing-db-password-qa'),
      BILLING_BATCH_SIZE: '50',
      // PAYMENTS_API_KEY_QA: read at start-up through the schema's binding payments-api-key-qa (GCP_PROJECT_ID).
    },
    startup: workerStartup,
  },
  {
    name: 'worker',
    schema: workerSchema,
    schemaSpec: 'examples/worker/schema.ts#workerSchema',
    environment: 'development',
    base: {
      ENVIRONMENT: 'development',
      BILLING_DB_HOST: '127.0.0.1',
      BILLING_DB_USER: 'postgres',
      BILLING_DB_NAME: 'postgres',
      PAYMENTS_API_KEY: ref(WORKER_PROJECT, 'payments-api-key-development'),
      LOG_LEVEL: 'debug',
    },
    startup: workerStartup,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The mutations.

/** A setting's value, as the generator may set it. */
const BAD_VALUES = [
  // Loopback hosts in every spelling.
  'localhost',
  'LOCALHOST',
  'localhost.',
  '127.0.0.1',
  '127.1',
  '127.0.0.53',
  '::1',
  '[::1]',
  '0.0.0.0',
  '0:0:0:0:0:0:0:1',
  '::ffff:127.0.0.1',
  // Ports.
  '0',
  '65536',
  '-1',
  'abc',
  '5432x',
  '1e3',
  // URLs.
  'http://localhost:8000',
  'ftp://api.example',
  'not a url',
  'https://',
  'https://api.staging.netra.example/',
  // Keys and secrets.
  'short',
  'changeme',
  'your-secret-here',
  'x'.repeat(64),
  'Zq8mWv2kLp9xRt4Yb6nQ2tail-of-the-pass',
  ' padded-Zq8mWv2kLp9xRt4Yb6nQ2tail ',
  'true',
  'false',
  'yes',
  'info',
  'verbose',
  '10.20.0.3',
  '100.64.0.5',
  '/cloudsql/netra-staging:us-central1:netra-db',
  // sm:// references the loader refuses, and ones that lead nowhere or to bad values.
  'sm://',
  'sm://project',
  'sm://Netra-Staging/jwt-secret-staging',
  'sm://netra-staging/jwt-secret-staging#0',
  'sm://netra-staging/jwt-secret-staging#abc',
  'sm://netra-staging/jwt.secret',
  'sm://netra-staging/jwt-secret-staging ',
  'sm://netra-staging/jwt-secret-staging?colour=blue',
  'sm://netra-staging/jwt-secret-staging/extra',
  'sm://netra-staging/no-such-secret',
  'sm://netra-staging/short-secret',
  'sm://netra-staging/placeholder-secret',
  'sm://netra-staging/spaced-secret',
  'sm://netra-staging/newline-secret',
  'sm://netra-staging/jwt-secret-staging#1',
  'sm://netra-staging/jwt-secret-staging#2',
];

/** What a `NAME_FILE` file may hold, or where it may point. */
const FILE_VARIANTS = [
  'value',
  'value+newline',
  'value+crlf',
  'value+2newlines',
  'value+space',
  'empty',
  'newline-only',
  'changeme',
  'missing',
  'directory',
  'relative',
] as const;

type Mutation =
  | { op: 'drop'; name: string }
  | { op: 'empty'; name: string }
  | { op: 'rename'; name: string; to: string }
  | { op: 'set'; name: string; value: string }
  | { op: 'file'; name: string; variant: (typeof FILE_VARIANTS)[number] };

/** Other names a setting goes by: other environments' suffixes, case, look-alikes and typos. */
function otherNames(name: string, environments: readonly string[]): string[] {
  const suffixes = environments.map((environment) => `_${environment.toUpperCase().replace(/-/g, '_')}`);
  const bare = suffixes.reduce(
    (current, suffix) => (current.endsWith(suffix) ? current.slice(0, -suffix.length) : current),
    name,
  );
  const names = new Set<string>([bare, ...suffixes.map((suffix) => `${bare}${suffix}`)]);
  names.add(name.toLowerCase());
  names.add(name.replace(/O/g, '0'));
  names.add(name.replace(/_/g, '-'));
  if (name.length > 3) {
    names.add(name.slice(0, -1)); // a character dropped
    names.add(`${name.slice(0, 1)}${name.slice(2, 3)}${name.slice(1, 2)}${name.slice(3)}`); // two swapped
  }
  names.add(`${name}S`);
  names.add(`${name}_FILE_`);
  names.delete(name);
  return [...names].filter((candidate) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(candidate));
}

function mutationArbitrary(subject: Subject, environments: readonly string[]): fc.Arbitrary<Mutation[]> {
  const names = Object.keys(subject.base);
  const settable = names.filter((name) => name !== 'ENVIRONMENT');
  const name = fc.constantFrom(...settable);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    name.map((n) => ({ op: 'drop' as const, name: n })),
    fc.constantFrom(...names).map((n) => ({ op: 'empty' as const, name: n })),
    name.chain((n) =>
      fc.constantFrom(...otherNames(n, environments)).map((to) => ({ op: 'rename' as const, name: n, to })),
    ),
    fc.record({ op: fc.constant('set' as const), name, value: fc.constantFrom(...BAD_VALUES) }),
    fc.record({ op: fc.constant('file' as const), name, variant: fc.constantFrom(...FILE_VARIANTS) }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

/** The value a reference in the base leads to (what a mounted file of that secret holds). */
function resolved(value: string): string {
  const match = /^sm:\/\/([^/]+)\/([^#?]+)$/.exec(value);
  if (!match) return value;
  const project = SEED_DATA[match[1] as keyof typeof SEED_DATA] as Record<string, string> | undefined;
  return project?.[match[2]!] ?? value;
}

let fileCounter = 0;
/** Applies the mutations to the base: the process environment a deploy would give the service. */
function apply(base: Config, mutations: readonly Mutation[]): Config {
  const env: Config = { ...base };
  for (const mutation of mutations) {
    const current = env[mutation.name];
    if (mutation.op === 'drop') delete env[mutation.name];
    else if (mutation.op === 'empty') env[mutation.name] = '';
    else if (mutation.op === 'rename') {
      if (current === undefined) continue;
      delete env[mutation.name];
      env[mutation.to] = current;
    } else if (mutation.op === 'set') env[mutation.name] = mutation.value;
    else {
      if (current === undefined) continue;
      const value = resolved(current);
      const path = join(dir, `file-${++fileCounter}`);
      const contents: Record<string, string | undefined> = {
        value,
        'value+newline': `${value}\n`,
        'value+crlf': `${value}\r\n`,
        'value+2newlines': `${value}\n\n`,
        'value+space': `${value} `,
        empty: '',
        'newline-only': '\n',
        changeme: 'changeme',
        relative: value,
      };
      delete env[mutation.name];
      if (mutation.variant === 'missing') env[`${mutation.name}_FILE`] = join(dir, 'no-such-file');
      else if (mutation.variant === 'directory') env[`${mutation.name}_FILE`] = dir;
      else {
        writeFileSync(path, contents[mutation.variant]!);
        env[`${mutation.name}_FILE`] = mutation.variant === 'relative' ? relative(process.cwd(), path) : path;
      }
    }
  }
  return env;
}

/** An env file that dotenv reads back as `env` (the quoting the verifier's README documents). */
function envFileText(env: Config): string {
  return `${Object.entries(env)
    .map(([name, value]) => {
      if (/^[A-Za-z0-9_\-.:/@+=,%~]*$/.test(value)) return `${name}=${value}`;
      if (!value.includes("'") && !value.includes('\n')) return `${name}='${value}'`;
      return `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`;
    })
    .join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// The two sides.

interface Verdict {
  ok: boolean;
  /** Errors as `VARIABLE code`, sorted. */
  errors: string[];
}

const errorsOf = (issues: readonly Issue[]) =>
  [
    ...new Set(
      issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.variable} ${issue.code}`),
    ),
  ].sort();

async function checkVerdict(subject: Subject, env: Config, project: string): Promise<Verdict> {
  const file = join(dir, `case-${++fileCounter}.env`);
  writeFileSync(file, envFileText(env));
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address, NO_COLOR: '1' },
    cwd: process.cwd(),
  };
  const context = contexts.get(subject.schemaSpec)!;
  const code = await runCheck(
    {
      environment: subject.environment,
      envFiles: [file],
      project,
      format: 'json',
      secretManagerClient: client,
    },
    io,
    context,
  );
  rmSync(file);
  if (stderr !== '') throw new Error(`check wrote to stderr: ${stderr}`);
  const report = JSON.parse(stdout) as { ok: boolean; issues: Issue[] };
  expect(code === 0).toBe(report.ok);
  return { ok: report.ok, errors: errorsOf(report.issues) };
}

async function startupVerdict(subject: Subject, env: Config): Promise<Verdict> {
  const result = await subject.startup(env);
  return { ok: result.ok, errors: errorsOf(result.issues) };
}

const projectOf = (subject: Subject) => (subject.name === 'worker' ? WORKER_PROJECT : STAGING_PROJECT);

async function compare(subject: Subject, env: Config): Promise<{ refused: boolean; disagreement?: string }> {
  const [check, startup] = [
    await checkVerdict(subject, env, projectOf(subject)),
    await startupVerdict(subject, env),
  ];
  if (check.ok === startup.ok && JSON.stringify(check.errors) === JSON.stringify(startup.errors))
    return { refused: !startup.ok };
  const shown = Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      value.startsWith('sm://') || name.endsWith('_FILE') ? value : `(${value.length} chars)`,
    ]),
  );
  return {
    refused: !startup.ok,
    disagreement: `check ${check.ok ? 'ok' : 'refuses'} [${check.errors.join(', ')}] / start-up ${startup.ok ? 'ok' : 'refuses'} [${startup.errors.join(', ')}] for ${JSON.stringify(shown)}`,
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: SEED_DATA });
  client = await createSecretManagerClient({ emulatorHost: emulator.address });
  dir = mkdtempSync(join(tmpdir(), 'netra-differential-'));
  mkdirSync(join(dir, 'sub'));
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: {},
    cwd: process.cwd().endsWith('verifier') ? join(process.cwd(), '..', '..') : process.cwd(),
  };
  for (const spec of new Set(SUBJECTS.map((subject) => subject.schemaSpec)))
    contexts.set(spec, await loadCommandContext({ schema: spec }, io));
});

afterAll(async () => {
  await client?.close();
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(SUBJECTS.map((subject) => [`${subject.name} in ${subject.environment}`, subject] as const))(
  'check and start-up agree: %s',
  (_title, subject) => {
    test('the healthy base starts, and check passes it', async () => {
      expect(await startupVerdict(subject, subject.base)).toEqual({ ok: true, errors: [] });
      expect(await checkVerdict(subject, subject.base, projectOf(subject))).toEqual({ ok: true, errors: [] });
    });

    test(`${RUNS} generated variations: the same verdict and the same errors`, async () => {
      const environments = contexts.get(subject.schemaSpec)!.environments;
      const cases = fc.sample(mutationArbitrary(subject, environments), { numRuns: RUNS, seed: SEED });
      const disagreements: string[] = [];
      let refused = 0;
      for (const [index, mutations] of cases.entries()) {
        const env = apply(subject.base, mutations);
        const found = await compare(subject, env);
        if (found.disagreement)
          disagreements.push(`#${index} ${JSON.stringify(mutations)}: ${found.disagreement}`);
        if (found.refused) refused++;
      }
      // The generator must reach refusals, or the agreement says little.
      expect(refused, 'cases start-up refused').toBeGreaterThan(RUNS / 10);
      expect(disagreements.slice(0, 8), `seed ${SEED}: ${disagreements.length} of ${RUNS} disagree`).toEqual(
        [],
      );
    }, 300_000);
  },
);

// ---------------------------------------------------------------------------------------------------------------
// The issue's eight classes of disagreement, each a named case: start-up's verdict is stated, and check must say it.

const [backendStaging, backendDevelopment] = SUBJECTS as [Subject, Subject, Subject, Subject];

type Edit = (env: Config, files: { write(contents: string): string }) => void;
const REGRESSIONS: Array<[string, Subject, Edit, string[]]> = [
  [
    '1. NAME_FILE naming a missing file',
    backendStaging,
    (env) => {
      delete env.JWT_SECRET_STAGING;
      env.JWT_SECRET_STAGING_FILE = '/run/secrets/missing';
    },
    ['JWT_SECRET_STAGING missing'],
  ],
  [
    '1. NAME_FILE naming an empty file',
    backendStaging,
    (env, files) => {
      delete env.JWT_SECRET_STAGING;
      env.JWT_SECRET_STAGING_FILE = files.write('');
    },
    ['JWT_SECRET_STAGING invalid'],
  ],
  [
    '1. NAME_FILE holding changeme',
    backendStaging,
    (env, files) => {
      delete env.DATABASE_PASSWORD;
      env.DATABASE_PASSWORD_FILE = files.write('changeme');
    },
    ['DATABASE_PASSWORD placeholder', 'DATABASE_PASSWORD weak-secret'],
  ],
  [
    '1. NAME_FILE ending in one newline (as echo writes it): the value without it',
    backendStaging,
    (env, files) => {
      delete env.FERNET_KEY;
      env.FERNET_KEY_FILE = files.write(`${SEED_DATA[STAGING_PROJECT]['fernet-key-staging']}\n`);
    },
    [],
  ],
  [
    '1. NAME_FILE ending in two newlines: whitespace',
    backendStaging,
    (env, files) => {
      delete env.FERNET_KEY;
      env.FERNET_KEY_FILE = files.write(`${SEED_DATA[STAGING_PROJECT]['fernet-key-staging']}\n\n`);
    },
    ['FERNET_KEY whitespace'],
  ],
  [
    '1. NAME_FILE by a relative path: read from the working directory, as start-up does',
    backendStaging,
    (env, files) => {
      delete env.FERNET_KEY;
      env.FERNET_KEY_FILE = relative(
        process.cwd(),
        files.write(SEED_DATA[STAGING_PROJECT]['fernet-key-staging']),
      );
    },
    [],
  ],
  ...(['DATABASE_HOST', 'REDIS_HOST', 'API_BASE_URL', 'GCP_PROJECT_ID', 'FRONTEND_URL'] as const).map(
    (name): [string, Subject, Edit, string[]] => [
      `2. ${name}_FILE: read only for secrets, so ${name} is missing`,
      backendStaging,
      (env, files) => {
        env[`${name}_FILE`] = files.write(env[name]!);
        delete env[name];
      },
      [`${name} missing`],
    ],
  ),
  ...[
    'sm://Netra-Staging/jwt-secret-staging',
    'sm://netra-staging/jwt-secret-staging#0',
    'sm://netra-staging/jwt-secret-staging#abc',
    'sm://netra-staging/jwt.secret',
    'sm://netra-staging/jwt-secret-staging ',
    'sm://netra-staging/jwt-secret-staging?colour=blue',
    'sm://netra-staging/jwt-secret-staging/extra',
    'sm://',
  ].map((reference): [string, Subject, Edit, string[]] => [
    `3. ${JSON.stringify(reference)}: a reference the loader refuses`,
    backendStaging,
    (env) => {
      env.JWT_SECRET_STAGING = reference;
    },
    ['JWT_SECRET_STAGING invalid'],
  ]),
  ...['sm://', 'sm://project'].map((reference): [string, Subject, Edit, string[]] => [
    `3. ${reference} in development`,
    backendDevelopment,
    (env) => {
      env.JWT_SECRET = reference;
    },
    ['JWT_SECRET invalid'],
  ]),
  [
    '4. ENVIRONMENT= (empty): an unknown environment at start-up, not --env',
    backendStaging,
    (env) => {
      env.ENVIRONMENT = '';
    },
    ['ENVIRONMENT unknown-environment'],
  ],
  [
    '5. a wrong-name warning does not hide a missing error (development, the staging name)',
    backendDevelopment,
    (env) => {
      env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING = env.GOOGLE_OAUTH_CLIENT_SECRET!;
      delete env.GOOGLE_OAUTH_CLIENT_SECRET;
    },
    ['GOOGLE_OAUTH_CLIENT_SECRET missing'],
  ],
  [
    '2. a bound secret (GOOGLE_OAUTH_CLIENT_ID_STAGING here) is read from NAME_FILE',
    backendStaging,
    (env, files) => {
      env.GOOGLE_OAUTH_CLIENT_ID_STAGING_FILE = files.write(
        SEED_DATA[STAGING_PROJECT]['google-oauth-client-id-staging'],
      );
      delete env.GOOGLE_OAUTH_CLIENT_ID_STAGING;
    },
    [],
  ],
  [
    '6. empty is unset: JWT_SECRET= beside JWT_SECRET_STAGING in staging',
    backendStaging,
    (env) => {
      env.JWT_SECRET = '';
    },
    [],
  ],
  [
    '7. an empty API_BASE_URL in staging is reported once',
    backendStaging,
    (env) => {
      env.API_BASE_URL = '';
    },
    ['API_BASE_URL missing'],
  ],
  [
    '7. a dropped API_BASE_URL in development (it has a default) beside another error: no spurious invalid',
    backendDevelopment,
    (env) => {
      delete env.API_BASE_URL;
      env.DATABASE_PORT = '70000';
    },
    ['DATABASE_PORT invalid'],
  ],
  [
    '8. a staging secret missing while GCP_PROJECT_ID is set: start-up looks the binding up',
    backendStaging,
    (env) => {
      delete env.GEMINI_API_KEY;
      env.GCP_PROJECT_ID = 'netra-empty-project';
    },
    // Every binding of the empty project is looked up; the references name their own project and are read.
    ['GEMINI_API_KEY secret-not-found'],
  ],
];

describe('the issue’s classes, each a named case', () => {
  test.each(REGRESSIONS.map(([name, subject, edit, errors]) => [name, subject, edit, errors] as const))(
    '%s',
    async (_name, subject, edit, errors) => {
      const env = { ...subject.base };
      edit(env, {
        write: (contents) => {
          const path = join(dir, `named-${++fileCounter}`);
          writeFileSync(path, contents);
          return path;
        },
      });
      const startup = await startupVerdict(subject, env);
      expect(startup).toEqual({ ok: errors.length === 0, errors: [...errors].sort() });
      expect(await checkVerdict(subject, env, projectOf(subject))).toEqual(startup);
    },
  );

  test('without --project, check says how many values it did not read and how to read them', async () => {
    const file = join(dir, 'no-project.env');
    writeFileSync(file, envFileText(backendStaging.base));
    let stdout = '';
    const io: Io = {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: () => true },
      env: { NO_COLOR: '1' },
      cwd: process.cwd(),
    };
    const code = await runCheck(
      { environment: 'staging', envFiles: [file], format: 'text' },
      io,
      contexts.get(backendStaging.schemaSpec)!,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Not read: 7 values (7 sm:// references), counted as provided and not judged; add --project PROJECT to read the secrets.',
    );
  });
});
