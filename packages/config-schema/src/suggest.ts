import leven from 'leven';

/**
 * The one did-you-mean of the project (exported as `didYouMean`): the closest candidate within an edit distance
 * that grows with the name's length (1 for short names, 2 up to 15 characters, then 3), case-insensitively and
 * after NFKC normalisation; `undefined` when none is that close. Deterministic: ties go to the earlier candidate.
 *
 * @example
 * didYouMean('API_BASE_ULR', ['API_BASE_URL', 'FRONTEND_URL']); // 'API_BASE_URL'
 */
export function closest(target: string, candidates: Iterable<string>): string | undefined {
  // NFKC folds full-width and other compatibility look-alikes (ＲＥＤＩＳ → REDIS) before measuring.
  const upper = target.normalize('NFKC').toUpperCase();
  const maxDistance = upper.length <= 4 ? 1 : upper.length <= 15 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - upper.length) > maxDistance) continue;
    const distance = leven(upper, candidate.toUpperCase(), { maxDistance: bestDistance });
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
