import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import {
  boolean,
  expectationOf,
  fastParserOf,
  googleClientId,
  host,
  httpUrl,
  oneOf,
  PARSE_FAILED,
  port,
  text,
} from './values.ts';

const helpers: [string, z.ZodType][] = [
  ['port', port()],
  ['boolean', boolean()],
  ['oneOf', oneOf(['disable', 'require', 'verify-full'])],
  ['text', text()],
  ['httpUrl', httpUrl()],
  ['host', host()],
  // Decided one alternative at a time (name, IPv4, socket, then the whole pattern for a value with a `:`).
  ['host (no Cloud SQL)', host({ cloudSql: false })],
  ['googleClientId', googleClientId()],
];

const interesting = fc.constantFrom(
  '0',
  '1',
  '80',
  '08080',
  '65535',
  '65536',
  '-1',
  '1e3',
  'true',
  'TRUE',
  'no',
  'on',
  'require',
  'https://api.example.com/x?y#z',
  'http://[::1]:8080',
  'https://user@example.com',
  'https://a b',
  'localhost',
  '/cloudsql/p-1:europe-west1:db',
  '/cloudsql/x',
  '10.0.0.1',
  '::1',
  '999.1.1.1',
  '10.0.0.1:5432',
  'fe80::1%eth0',
  '::ffff:10.0.0.1',
  'a::b',
  '[::1]',
  '1-abc.apps.googleusercontent.com',
  'x.apps.googleusercontent.com.evil',
);

describe('value helpers: the direct parser used when loading agrees with the zod schema', () => {
  test.each(helpers)('%s', (_name, schema) => {
    const fast = fastParserOf(schema)!;
    expect(fast).toBeTypeOf('function');
    expect(expectationOf(schema)).toBeTypeOf('string');
    fc.assert(
      fc.property(
        fc.oneof(interesting, fc.string({ maxLength: 40 }), fc.webUrl(), fc.domain(), fc.ipV4(), fc.ipV6()),
        (value) => {
          const zod = schema.safeParse(value);
          const direct = fast(value);
          if (zod.success) expect(direct).toEqual(zod.data);
          else expect(direct).toBe(PARSE_FAILED);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('host(): an IP address is exactly what node:net calls one', () => {
  const schema = host();
  const accepts = (value: string) => schema.safeParse(value).success;
  test('every IPv6 address, unbracketed, in full, compressed and IPv4-tailed forms', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        expect(accepts(address)).toBe(true);
        expect(accepts(`[${address}]`)).toBe(false);
        expect(accepts(`${address}:5432`)).toBe(isIPv6(`${address}:5432`));
      }),
      { numRuns: 1000 },
    );
  });
  test('strings of IP characters are accepted as an address only if node:net agrees', () => {
    const ipish = fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF:.'.split('')),
      maxLength: 45,
    });
    fc.assert(
      fc.property(ipish, (value) => {
        // All digits and dots: an IPv4 address or rejected; with a colon: an IPv6 address or rejected.
        if (/^[0-9.]+$/.test(value) || value.includes(':')) {
          expect(accepts(value)).toBe(isIPv4(value) || isIPv6(value));
        }
      }),
      { numRuns: 3000 },
    );
  });
  test.each([
    '127.0.0.1:5432',
    'host:6379',
    '[::1',
    '[::1]',
    'http://db',
    'db:',
    ':5432',
    '1.2.3',
    '10.0.0.256',
  ])('%s is rejected', (value) => {
    expect(accepts(value)).toBe(false);
  });
  test('the Cloud SQL socket only where asked for', () => {
    expect(accepts('/cloudsql/p-1:europe-west1:db')).toBe(true);
    expect(host({ cloudSql: false }).safeParse('/cloudsql/p-1:europe-west1:db').success).toBe(false);
    expect(host({ cloudSql: false }).safeParse('10.0.0.1').success).toBe(true);
  });
});
