import { describe, expect, test } from 'vitest';
import { selectField } from './reference.ts';

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
