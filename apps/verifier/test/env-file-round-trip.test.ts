// What the user wrote is what gets stored: values of the shapes people use for secrets, written in an env file
// with the quoting the README documents ("Writing values in an env file"), pushed with `secrets push --apply`
// (the built CLI) to the emulator and read back with the official client, are byte-for-byte the values meant.
// Unquoted values that dotenv would cut at '#', a variable set twice, a line that is not NAME=value: refused,
// nothing stored. A --from-file that cannot be read, is not UTF-8 or is too large: exit 2 naming it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatorClient, type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseJson, runCli } from './fixtures/issue8/run-cli';

let emulator: Emulator;
let client: Awaited<ReturnType<typeof createEmulatorClient>>;
let work: string;
let projects = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-round-trip-'));
  emulator = await startEmulator({ port: 0 });
  client = await createEmulatorClient(emulator.address);
});

afterAll(async () => {
  await client?.close();
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

const push = (file: string, project: string, ...extra: string[]) =>
  runCli(
    ['secrets', 'push', '--env', 'staging', '--project', project, '--from-file', file, '--apply', ...extra],
    { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } },
  );

async function stored(project: string, secret: string): Promise<Buffer | undefined> {
  try {
    const [version] = await client.accessSecretVersion({
      name: `projects/${project}/secrets/${secret}/versions/latest`,
    });
    return Buffer.from(version.payload?.data as Uint8Array);
  } catch (error) {
    if ((error as { code?: number }).code === 5) return undefined; // NOT_FOUND
    throw error;
  }
}

/**
 * The README's rule, as a user follows it: no `'` in the value → single quotes (every character as written);
 * a `'` and no backtick → backticks; a multi-line value (a PEM key) → double quotes, its lines as they are.
 */
function quoted(value: string): string {
  if (value.includes('\n')) {
    if (/["\\]/.test(value)) throw new Error('the README gives no quoting for this multi-line value');
    return `"${value}"`;
  }
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  throw new Error('the README gives no quoting for a value holding every quote character');
}

// Secret-shaped characters: the ones env files trip over, letters beyond ASCII, and ordinary ones.
const character = fc.constantFrom(
  ...'#\'"=$;\\ abcxyzABCXYZ0189-_./+:@%&*()[]{}!?~^|<>,éüßñøÅ日本語€ЖΩ'.split(''),
  '\\n', // a backslash and an n: in single quotes or backticks it stays two characters
);
// No space first or last (the schema refuses whitespace around a value), at least 32 characters (every rule), no
// backslash last (the README: an env-file value cannot end with one; the reader reports it).
const secretShaped = fc
  .tuple(
    fc.constantFrom('a', 'Z', '7', 'é', '#', '"', "'", '$', '\\'),
    fc.array(character, { minLength: 30, maxLength: 80 }),
    fc.constantFrom('q', 'Y', '3', 'ß', '#', '"', "'", '=', ';'),
  )
  .map(([first, middle, last]) => `${first}${middle.join('')}${last}`);
const pem = fc
  .array(fc.stringMatching(/^[A-Za-z0-9+/]{64}$/), { minLength: 2, maxLength: 6 })
  .map((lines) => `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----`);

const SECRETS = {
  DATABASE_PASSWORD: 'database-password-staging',
  REDIS_PASSWORD: 'redis-password-staging',
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'google-oauth-client-secret-staging',
  JWT_SECRET_STAGING: 'jwt-secret-staging',
} as const;

describe('secrets push: the documented quoting stores every shape byte-for-byte', {
  timeout: 120_000,
}, () => {
  test('random secret-shaped values and a multi-line PEM, pushed with --apply, read back with the official client', async () => {
    await fc.assert(
      fc.asyncProperty(secretShaped, secretShaped, secretShaped, pem, async (database, redis, oauth, key) => {
        const values: Record<keyof typeof SECRETS, string> = {
          DATABASE_PASSWORD: database,
          REDIS_PASSWORD: redis,
          GOOGLE_OAUTH_CLIENT_SECRET_STAGING: oauth,
          JWT_SECRET_STAGING: key,
        };
        const project = `netra-round-trip-${++projects}`;
        const file = join(work, `${project}.env`);
        const text = Object.entries(values)
          .map(([name, value]) => `${name}=${quoted(value)}`)
          .join('\n');
        await writeFile(file, `# written as the README says\n${text}\n`);
        const result = await push(file, project, '--json');
        expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
        expect(parseJson(result).applied).toBe(true);
        for (const value of Object.values(values)) expect(result.stdout + result.stderr).not.toContain(value);
        for (const [name, secret] of Object.entries(SECRETS)) {
          expect(
            (await stored(project, secret))?.equals(
              Buffer.from(values[name as keyof typeof SECRETS], 'utf8'),
            ),
          ).toBe(true);
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('secrets push refuses what dotenv would read wrong, and stores nothing', {
  timeout: 120_000,
}, () => {
  test('an unquoted value that dotenv cuts at #: exit 1, nothing applied, not in Secret Manager', async () => {
    const alphanumeric = fc.stringMatching(/^[A-Za-z0-9]{8,24}$/);
    await fc.assert(
      fc.asyncProperty(alphanumeric, alphanumeric, async (head, tail) => {
        const project = `netra-cut-${++projects}`;
        const file = join(work, `${project}.env`);
        const value = `${head}#${tail}`;
        await writeFile(
          file,
          `REDIS_PASSWORD='${randomBytes(24).toString('hex')}'\nDATABASE_PASSWORD=${value}\n`,
        );
        const result = await push(file, project, '--json');
        expect(result.code).toBe(1);
        const report = parseJson(result);
        expect(report).toMatchObject({ ok: false, applied: false, actions: [] });
        expect(report.issues).toEqual([
          expect.objectContaining({ code: 'invalid', variable: 'DATABASE_PASSWORD', file, line: 2 }),
        ]);
        expect(result.stdout + result.stderr).not.toContain(head);
        // Nothing at all was written: not the cut value, and not the good one beside it.
        expect(await stored(project, 'database-password-staging')).toBeUndefined();
        expect(await stored(project, 'redis-password-staging')).toBeUndefined();
      }),
      { numRuns: 5 },
    );
  });

  test('the issue of the report, as a user meets it', async () => {
    const project = `netra-cut-${++projects}`;
    const file = join(work, 'secrets.env');
    await writeFile(file, 'DATABASE_PASSWORD=Zq8mWv2kLp9xRt4Yb6nQ2#tail-of-the-password\n');
    const result = await push(file, project);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('secrets push: nothing applied');
    expect(result.stdout).toContain(`DATABASE_PASSWORD in ${file} line 1 has an unquoted '#'`);
    expect(result.stdout).not.toMatch(/Zq8mWv2kLp9xRt4Yb6nQ2|tail-of-the-password/);
    expect(await stored(project, 'database-password-staging')).toBeUndefined();
  });

  test.each([
    [
      'a variable set twice (both lines named)',
      "DATABASE_PASSWORD='first-password-aaaaaaaa'\nREDIS_PASSWORD='redis-password-bbbbbbbb'\nDATABASE_PASSWORD='second-password-cccccccc'\n",
      { variable: 'DATABASE_PASSWORD', line: 1, message: expect.stringContaining('(lines 1 and 3)') },
    ],
    [
      'a line that is not NAME=value',
      "DATABASE_PASSWORD='first-password-aaaaaaaa'\nREDIS_PASSWORD 'redis-password-bbbbbbbb'\n",
      { variable: '', line: 2, message: expect.stringContaining('is not NAME=value') },
    ],
  ])('%s: exit 1, nothing stored', async (_name, text, issue) => {
    const project = `netra-bad-line-${++projects}`;
    const file = join(work, `${project}.env`);
    await writeFile(file, text);
    const result = await push(file, project, '--json');
    expect(result.code).toBe(1);
    expect(parseJson(result)).toMatchObject({ ok: false, applied: false, actions: [] });
    expect(parseJson(result).issues).toEqual([expect.objectContaining({ code: 'invalid', file, ...issue })]);
    expect(result.stdout).not.toMatch(/password-[abc]{8}/);
    expect(await stored(project, 'database-password-staging')).toBeUndefined();
    expect(await stored(project, 'redis-password-staging')).toBeUndefined();
  });

  test('check reports a variable set twice as push refuses it', async () => {
    const file = join(work, 'twice.env');
    await writeFile(
      file,
      "ENVIRONMENT=staging\nDATABASE_PASSWORD='aaaaaaaaaaaaaaaaaaaa1'\nDATABASE_PASSWORD='bbbbbbbbbbbbbbbbbbbb2'\n",
    );
    const result = await runCli(['check', '--env', 'staging', '--env-file', file, '--json']);
    expect(result.code).toBe(1);
    expect(parseJson(result).issues).toContainEqual(
      expect.objectContaining({
        code: 'invalid',
        variable: 'DATABASE_PASSWORD',
        file,
        line: 2,
        message: expect.stringContaining('(lines 2 and 3)'),
      }),
    );
  });
});

describe('a --from-file that cannot be read: exit 2 naming the file, nothing asked of Secret Manager', () => {
  test.each<[string, (file: string) => Promise<void>, RegExp]>([
    ['missing', async () => {}, /: no such file/],
    [
      'not UTF-8',
      (file) => writeFile(file, Buffer.from([0x41, 0x3d, 0x27, 0xc3, 0x28, 0x27, 0x0a])),
      /: it is not UTF-8 text/,
    ],
    [
      'over the size limit',
      (file) => writeFile(file, `DATABASE_PASSWORD='${'x'.repeat(1024 * 1024)}'\n`),
      /more than the 1048576 bytes/,
    ],
  ])('%s', async (name, make, reason) => {
    const file = join(work, `from-file-${name.replace(/\W+/g, '-')}.env`);
    await make(file);
    const result = await push(file, 'netra-unread');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot read --from-file ${file}`);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
