import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  explainSecretReference,
  formatSecretReference,
  parseSecretReference,
  type SecretReference,
  selectField,
} from './reference.ts';

describe('parseSecretReference', () => {
  test.each<[string, SecretReference]>([
    [
      'sm://acme-staging/jwt-secret-staging',
      { project: 'acme-staging', secret: 'jwt-secret-staging', version: 'latest' },
    ],
    ['sm://acme-staging/jwt#latest', { project: 'acme-staging', secret: 'jwt', version: 'latest' }],
    ['sm://acme-staging/jwt#13', { project: 'acme-staging', secret: 'jwt', version: '13' }],
    ['sm://123456789012/DB_PASSWORD', { project: '123456789012', secret: 'DB_PASSWORD', version: 'latest' }],
    ['sm://p/s#3', { project: 'p', secret: 's', version: '3' }],
    [
      'sm://example.com:acme-prod/jwt',
      { project: 'example.com:acme-prod', secret: 'jwt', version: 'latest' },
    ],
    [
      'sm://acme-prod/oauth?field=web.client_id',
      { project: 'acme-prod', secret: 'oauth', version: 'latest', field: 'web.client_id' },
    ],
    // ours: #VERSION before ?field …
    [
      'sm://acme-prod/oauth#2?field=web.client_id',
      { project: 'acme-prod', secret: 'oauth', version: '2', field: 'web.client_id' },
    ],
    // … and berglas' URL order: ?OPTIONS before #VERSION
    [
      'sm://acme-prod/oauth?field=web.client_id#2',
      { project: 'acme-prod', secret: 'oauth', version: '2', field: 'web.client_id' },
    ],
    [
      'sm://acme-prod/creds?field=a',
      { project: 'acme-prod', secret: 'creds', version: 'latest', field: 'a' },
    ],
  ])('%s', (text, expected) => {
    expect(parseSecretReference(text)).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['projects/acme/secrets/jwt', /does not start with sm:\/\//],
    ['SM://acme-staging/jwt', /does not start/],
    ['sm://acme-staging', /exactly PROJECT\/SECRET/],
    ['sm://acme-staging/', /not a secret ID/],
    ['sm://acme-staging/a/b', /exactly PROJECT\/SECRET/],
    ['sm:///jwt', /not a project ID/],
    ['sm://Acme-Staging/jwt', /not a project ID/],
    ['sm://acme-staging-/jwt', /not a project ID/],
    ['sm://acme_staging/jwt', /not a project ID/],
    ['sm://acme-staging/jwt secret', /not a secret ID/],
    ['sm://acme-staging/jwt#', /version "" is not/],
    ['sm://acme-staging/jwt#0', /version "0" is not/],
    ['sm://acme-staging/jwt#v2', /version "v2" is not/],
    ['sm://acme-staging/jwt#1#2', /more than one #/],
    ['sm://acme-staging/jwt?field=a?field=b', /more than one \?/],
    ['sm://acme-staging/jwt?destination=tempfile', /unsupported option "destination"/],
    ['sm://acme-staging/jwt?field', /unsupported option "field"/],
    ['sm://acme-staging/jwt?field=', /field "" is not a dotted path/],
    ['sm://acme-staging/jwt?field=a..b', /not a dotted path/],
    ['sm://acme-staging/jwt?field=a&x=1', /only one option/],
  ])('rejects %s', (text, reason) => {
    expect(parseSecretReference(text)).toBeNull();
    const result = explainSecretReference(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

const projectArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
  fc.stringMatching(/^[1-9][0-9]{0,15}$/),
  fc.stringMatching(/^[a-z]{1,10}\.com:[a-z][a-z0-9-]{4,20}[a-z0-9]$/),
);
const referenceArb: fc.Arbitrary<SecretReference> = fc
  .record({
    project: projectArb,
    secret: fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/),
    version: fc.oneof(fc.constant('latest'), fc.integer({ min: 1, max: 1_000_000 }).map(String)),
    field: fc.option(fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 4 }), {
      nil: undefined,
    }),
  })
  .map(({ field, ...rest }) => (field === undefined ? rest : { ...rest, field: field.join('.') }));

describe('properties', () => {
  test('format then parse is the identity', () => {
    fc.assert(
      fc.property(referenceArb, (reference) => {
        expect(parseSecretReference(formatSecretReference(reference))).toEqual(reference);
      }),
    );
  });

  test("berglas' order (?field before #version) parses to the same reference", () => {
    fc.assert(
      fc.property(referenceArb, (reference) => {
        const query = reference.field === undefined ? '' : `?field=${reference.field}`;
        const text = `sm://${reference.project}/${reference.secret}${query}#${reference.version}`;
        expect(parseSecretReference(text)).toEqual(reference);
      }),
    );
  });

  test('never throws, and anything accepted formats back to an equivalent reference', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `sm://${s}`),
        ),
        (text) => {
          const parsed = parseSecretReference(text);
          if (parsed !== null) expect(parseSecretReference(formatSecretReference(parsed))).toEqual(parsed);
        },
      ),
    );
  });
});

describe('selectField', () => {
  const clientSecretJson = JSON.stringify({
    web: {
      client_id: 'abc.apps.googleusercontent.com',
      client_secret: 's3cr3t',
      redirect_uris: ['x'],
      port: 8080,
    },
  });
  test.each<[string, ReturnType<typeof selectField>]>([
    ['web.client_id', { ok: true, value: 'abc.apps.googleusercontent.com' }],
    ['web.port', { ok: true, value: '8080' }],
    ['web.missing', { ok: false, reason: 'the JSON secret has no field "missing" at "web"' }],
    [
      'installed.client_id',
      { ok: false, reason: 'the JSON secret has no field "installed" at the top level' },
    ],
    ['web', { ok: false, reason: 'field "web" is an object or array, not a string' }],
    [
      'web.redirect_uris',
      { ok: false, reason: 'field "web.redirect_uris" is an object or array, not a string' },
    ],
    ['web.client_id.x', { ok: false, reason: 'the JSON secret has no field "x" at "web.client_id"' }],
    ['web.redirect_uris.0', { ok: true, value: 'x' }],
    // An array's own `length` is not a field of the JSON, nor is an index past its end.
    [
      'web.redirect_uris.length',
      { ok: false, reason: 'the JSON secret has no field "length" at "web.redirect_uris"' },
    ],
    ['web.redirect_uris.1', { ok: false, reason: 'the JSON secret has no field "1" at "web.redirect_uris"' }],
  ])('%s', (field, expected) => {
    expect(selectField(clientSecretJson, field)).toEqual(expected);
  });

  test.each(['12345678901234567890', '9007199254740993', '1e400'])(
    'a number JSON.parse cannot hold exactly (%s) is refused, not silently changed, and not shown',
    (number) => {
      const result = selectField(`{"web":{"project_number":${number}}}`, 'web.project_number');
      expect(result).toEqual({
        ok: false,
        reason:
          'field "web.project_number" is a number too large to be read exactly; store it in the JSON as a string',
      });
    },
  );

  test.each([
    ['9007199254740991', '9007199254740991'],
    ['-42', '-42'],
    ['1.5', '1.5'],
    ['true', 'true'],
  ])('a number or boolean that reads exactly (%s) is its text', (json, value) => {
    expect(selectField(`{"a":${json}}`, 'a')).toEqual({ ok: true, value });
  });

  test('a secret that is not JSON', () => {
    expect(selectField('plain-password', 'a')).toEqual({
      ok: false,
      reason: 'the secret is not JSON, so ?field= cannot select from it',
    });
  });

  test('does not walk the prototype chain', () => {
    expect(selectField('{}', 'constructor').ok).toBe(false);
    expect(selectField('{"a":{}}', 'a.toString').ok).toBe(false);
  });
});
