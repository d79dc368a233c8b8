// Every ordinary way of copying, walking or printing an object that holds secrets — the config object and any
// secretFields() object — with random high-entropy secrets: none of them shows a secret.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { secretFields } from './config-object.ts';
import { defineSchema, group, variable } from './dsl.ts';
import { databaseFragment, environmentVariable, googleOAuthFragment } from './fragments.ts';
import { loadConfig } from './load.ts';
import { text } from './values.ts';

const schema = defineSchema({
  environment: environmentVariable(),
  apiToken: variable({
    name: 'API_TOKEN',
    schema: text(),
    description: 'Token.',
    sensitive: true,
    required: true,
  }),
  db: databaseFragment(),
  oauth: googleOAuthFragment(),
  deep: group({
    inner: group({
      key: variable({
        name: 'DEEP_KEY',
        schema: text(),
        description: 'Key.',
        sensitive: true,
        required: true,
      }),
      label: variable({ name: 'DEEP_LABEL', schema: text(), description: 'Label.', default: 'visible' }),
    }),
  }),
});

function captureConsole(...values: unknown[]): string {
  let out = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      out += String(chunk);
      callback();
    },
  });
  new Console({ stdout: stream, stderr: stream }).log(...values);
  return out;
}

/** Everything reachable through own properties, ignoring every custom method (what a naive walker sees). */
function rawDump(value: unknown): string {
  return inspect(value, {
    customInspect: false,
    showHidden: true,
    depth: Number.POSITIVE_INFINITY,
    getters: true,
  });
}

/** A deep walk by Reflect.ownKeys, reading each key (what a generic "sanitize" helper does). */
function ownKeysWalk(value: unknown, seen = new Set<unknown>()): unknown {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string') out[key] = ownKeysWalk((value as Record<string, unknown>)[key], seen);
  }
  return out;
}

function forIn(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/** The paths of issue 18, and the printed forms: each turned into text. */
export function everyPath(object: object, nested: object): Record<string, string> {
  const error = new Error('start-up failed', { cause: object });
  const paths: Record<string, () => unknown> = {
    spread: () => ({ ...object }),
    'spread of a group': () => ({ ...nested }),
    structuredClone: () => structuredClone(object),
    'structuredClone of a group': () => structuredClone(nested),
    'Object.entries': () => Object.entries(object),
    'Object.values': () => Object.values(object),
    'Object.assign': () => Object.assign({}, object),
    'Object.fromEntries': () => Object.fromEntries(Object.entries(object)),
    'for…in': () => forIn(object),
    'Map of entries': () => new Map(Object.entries(object)),
    'Reflect.ownKeys': () => ownKeysWalk(object),
    'Object.getOwnPropertyDescriptors': () => Object.getOwnPropertyDescriptors(object),
    'Object.getOwnPropertyNames': () => Object.getOwnPropertyNames(object).map((k) => (object as never)[k]),
  };
  const texts: Record<string, string> = {};
  for (const [name, copy] of Object.entries(paths)) {
    const value = copy();
    texts[name] = `${rawDump(value)}\n${JSON.stringify(value instanceof Map ? [...value] : value)}`;
  }
  texts['JSON.stringify'] = JSON.stringify(object) + JSON.stringify({ wrapped: [object, nested] });
  texts.inspect = inspect(object, { depth: Number.POSITIVE_INFINITY }) + inspect(nested);
  texts['inspect showHidden'] = inspect(object, { showHidden: true, depth: Number.POSITIVE_INFINITY });
  texts.format = format('%s %o %O %j %s', object, object, object, object, nested);
  texts.String = String(object) + String(nested);
  texts.template = `${object} ${nested}`;
  texts['console.log'] = captureConsole(object, { nested });
  texts['Error cause'] = `${inspect(error)}\n${String(error.stack)}\n${captureConsole(error)}`;
  return texts;
}

// Random high-entropy secrets, and the credential shapes of issue 18.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const randomSecret = fc
  .tuple(
    fc.constantFrom('', 'GOCSPX-', 'AIza', 'sk_live_', 'Zq'),
    fc.array(fc.constantFrom(...alphabet), { minLength: 32, maxLength: 64 }),
  )
  .map(([prefix, chars]) => `${prefix}${chars.join('')}`);

describe('no copy, walk or printed form shows a secret', () => {
  test('the config object: every path, random secrets', () => {
    fc.assert(
      fc.property(fc.array(randomSecret, { minLength: 4, maxLength: 4 }), (secrets) => {
        const env = {
          ENVIRONMENT: 'development',
          API_TOKEN: secrets[0]!,
          DATABASE_PASSWORD: secrets[1]!,
          GOOGLE_OAUTH_CLIENT_ID: '123-abc.apps.googleusercontent.com',
          GOOGLE_OAUTH_CLIENT_SECRET: secrets[2]!,
          DEEP_KEY: secrets[3]!,
        };
        const config = loadConfig(schema, { env });
        // The application reads each secret in one obvious way.
        expect([
          config.apiToken,
          config.db.password,
          config.oauth.google.clientSecret,
          config.deep.inner.key,
        ]).toEqual(secrets);
        const texts = everyPath(config, config.db);
        Object.assign(texts, everyPath(config.oauth.google, config.deep.inner));
        for (const [path, text] of Object.entries(texts)) {
          for (const secret of secrets) {
            // Any 16 characters of it: a partial leak is a leak.
            expect(text.includes(secret.slice(0, 16)) || text.includes(secret.slice(-16)), path).toBe(false);
          }
        }
        // Non-sensitive settings are still there for copies.
        expect({ ...config.db }.host).toBe('127.0.0.1');
        expect(JSON.stringify({ ...config.deep.inner })).toBe('{"label":"visible"}');
      }),
      { numRuns: 60 },
    );
  });

  test('secretFields objects: every path, random secrets', () => {
    fc.assert(
      fc.property(randomSecret, randomSecret, (secret, other) => {
        const oauth = secretFields(
          'OAuthConfig',
          { clientId: 'id', clientSecret: secret, scopes: ['openid'] },
          ['clientSecret'],
        );
        const holder = secretFields('Holder', { name: 'x', token: other, oauth }, ['token']);
        expect(oauth.clientSecret).toBe(secret);
        expect(holder.token).toBe(other);
        for (const [path, text] of Object.entries(everyPath(holder, oauth))) {
          expect(text.includes(secret.slice(0, 16)), path).toBe(false);
          expect(text.includes(other.slice(0, 16)), path).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('config objects of one schema share one prototype, and it holds no secret', () => {
    const env = (token: string) => ({
      ENVIRONMENT: 'development',
      API_TOKEN: token,
      DATABASE_PASSWORD: `db-${token}`,
      DEEP_KEY: `deep-${token}`,
    });
    const first = loadConfig(schema, { env: env('first-token-value-000000') });
    const second = loadConfig(schema, { env: env('second-token-value-11111') });
    // One hidden class per layout (issue 13's load-time fix); each object still reads its own secrets.
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
    expect(Object.getPrototypeOf(first.db)).toBe(Object.getPrototypeOf(second.db));
    expect([first.apiToken, second.apiToken]).toEqual([
      'first-token-value-000000',
      'second-token-value-11111',
    ]);
    expect([first.deep.inner.key, second.db.password]).toEqual([
      'deep-first-token-value-000000',
      'db-second-token-value-11111',
    ]);
    const prototype = Object.getPrototypeOf(first) as Record<string, unknown>;
    expect(prototype.apiToken).toBeUndefined();
    expect(inspect(prototype, { showHidden: true, getters: true, customInspect: false })).not.toContain(
      'token-value',
    );
    expect(() => {
      (first as { apiToken: string }).apiToken = 'x';
    }).toThrow(TypeError);
  });

  test('the printed forms keep the shape and say [redacted]', () => {
    const oauth = secretFields(
      'OAuthConfig',
      { clientId: 'id', clientSecret: 'GOCSPX-abc', scopes: ['openid'] },
      ['clientSecret'],
    );
    expect(JSON.stringify(oauth)).toBe('{"clientId":"id","clientSecret":"[redacted]","scopes":["openid"]}');
    expect(inspect(oauth).replace(/\s+/g, ' ')).toBe(
      "OAuthConfig { clientId: 'id', clientSecret: '[redacted]', scopes: [ 'openid' ] }",
    );
    expect(String(oauth)).toBe(
      'OAuthConfig {"clientId":"id","clientSecret":"[redacted]","scopes":["openid"]}',
    );
    expect({ ...oauth }).toEqual({ clientId: 'id', scopes: ['openid'] });
    expect(Object.isFrozen(oauth)).toBe(true);
  });
});
