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
        fc.oneof(interesting, fc.string({ maxLength: 40 }), fc.webUrl(), fc.domain(), fc.ipV4()),
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
