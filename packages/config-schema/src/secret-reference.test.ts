import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  explainSecretReference,
  formatSecretReference,
  parseSecretReference,
  type SecretReference,
} from './secret-reference.ts';

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
    // regional secrets: sm://PROJECT/locations/LOCATION/SECRET
    [
      'sm://acme-prod/locations/europe-west1/jwt',
      { project: 'acme-prod', location: 'europe-west1', secret: 'jwt', version: 'latest' },
    ],
    [
      'sm://123456789012/locations/us-central1/oauth#4?field=web.client_id',
      {
        project: '123456789012',
        location: 'us-central1',
        secret: 'oauth',
        version: '4',
        field: 'web.client_id',
      },
    ],
    // a secret may be called "locations"
    ['sm://p/locations', { project: 'p', secret: 'locations', version: 'latest' }],
  ])('%s', (text, expected) => {
    expect(parseSecretReference(text)).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['projects/acme/secrets/jwt', /does not start with sm:\/\//],
    ['SM://acme-staging/jwt', /does not start/],
    ['sm://acme-staging', /exactly PROJECT\/SECRET/],
    ['sm://acme-staging/', /not a secret ID/],
    ['sm://acme-staging/a/b', /exactly PROJECT\/SECRET/],
    [
      'sm://acme-staging/locations/europe-west1',
      /exactly PROJECT\/SECRET or PROJECT\/locations\/LOCATION\/SECRET/,
    ],
    ['sm://acme-staging/locations//jwt', /"" is not a location ID/],
    ['sm://acme-staging/locations/Europe-West1/jwt', /"Europe-West1" is not a location ID/],
    ['sm://acme-staging/regions/europe-west1/jwt', /exactly PROJECT\/SECRET/],
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
    location: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{1,20}$/), { nil: undefined }),
    secret: fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/),
    version: fc.oneof(fc.constant('latest'), fc.integer({ min: 1, max: 1_000_000 }).map(String)),
    field: fc.option(fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 4 }), {
      nil: undefined,
    }),
  })
  .map(({ field, location, ...rest }) => ({
    ...(location === undefined ? {} : { location }),
    ...rest,
    ...(field === undefined ? {} : { field: field.join('.') }),
  }));

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
        const location = reference.location === undefined ? '' : `locations/${reference.location}/`;
        const text = `sm://${reference.project}/${location}${reference.secret}${query}#${reference.version}`;
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
