import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { closest as didYouMean } from './suggest.ts';

const NAMES = ['API_BASE_URL', 'FRONTEND_URL', 'DATABASE_HOST', 'REDIS_HOST', 'JWT_SECRET_STAGING'];

describe('didYouMean', () => {
  test.each<[string, string | undefined]>([
    ['API_BASE_ULR', 'API_BASE_URL'],
    ['api_base_url', 'API_BASE_URL'],
    ['ＲＥＤＩＳ_HOST', 'REDIS_HOST'],
    ['DATABSE_HOST', 'DATABASE_HOST'],
    ['JWT_SECRET_STAGNIG', 'JWT_SECRET_STAGING'],
    ['GEMINI_API_KEY', undefined],
    ['', undefined],
  ])('%s → %s', (input, expected) => {
    expect(didYouMean(input, NAMES)).toBe(expected);
  });

  test('a candidate is its own suggestion, in any case; what it returns is always a candidate', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.string(), (name, noise) => {
        expect(didYouMean(name.toLowerCase(), NAMES)).toBe(name);
        const suggestion = didYouMean(noise, NAMES);
        if (suggestion !== undefined) expect(NAMES).toContain(suggestion);
      }),
    );
  });
});
