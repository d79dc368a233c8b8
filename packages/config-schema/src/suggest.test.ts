import fc from 'fast-check';
import leven from 'leven';
import { describe, expect, test } from 'vitest';
import { closest as didYouMean } from './suggest.ts';

/** The definition, without the shortcuts: the first candidate at the smallest edit distance within the bound. */
function reference(target: string, candidates: readonly string[]): string | undefined {
  const upper = target.normalize('NFKC').toUpperCase();
  const maxDistance = upper.length <= 4 ? 1 : upper.length <= 15 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = leven(upper, candidate.toUpperCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

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

  test('the same answer as the plain definition (the bag-distance shortcut skips no closer name)', () => {
    const edit = fc
      .tuple(
        fc.constantFrom(...NAMES, 'HOME', 'K_SERVICE', 'PATH', 'REDIS_PORT'),
        fc.array(fc.nat(), { maxLength: 3 }),
      )
      .map(([name, positions]) => {
        let text = name;
        for (const position of positions) {
          const at = position % (text.length + 1);
          const op = position % 3;
          const letter = 'AEST_Xé'[position % 7]!;
          text =
            op === 0
              ? text.slice(0, at) + letter + text.slice(at)
              : op === 1
                ? text.slice(0, at) + text.slice(at + 1)
                : text.slice(0, at) + letter + text.slice(at + 1);
        }
        return text;
      });
    const candidates = [...NAMES, 'REDIS_PORT', 'DATABASE_PORT', 'DATABASE_USER', 'GEMINI_API_KEY', 'HOST'];
    fc.assert(
      fc.property(fc.oneof(edit, fc.string({ maxLength: 20 })), (name) => {
        expect(didYouMean(name, candidates)).toBe(reference(name, candidates));
      }),
      { numRuns: 3000 },
    );
  });
});
