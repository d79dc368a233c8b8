import leven from 'leven';

/**
 * The one did-you-mean of the project (exported as `didYouMean`): the closest candidate within an edit distance
 * that grows with the name's length (1 for short names, 2 up to 15 characters, then 3), case-insensitively and
 * after NFKC normalisation; `undefined` when none is that close. Deterministic: ties go to the earlier candidate.
 *
 * @example
 * didYouMean('SERVICE_URLL', ['SERVICE_URL', 'CALLBACK_URL']); // 'SERVICE_URL'
 */
export function closest(target: string, candidates: Iterable<string>): string | undefined {
  // NFKC folds full-width and other compatibility look-alikes (ＲＥＤＩＳ → REDIS) before measuring.
  const upper = target.normalize('NFKC').toUpperCase();
  const maxDistance = upper.length <= 4 ? 1 : upper.length <= 15 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  const counts = letterCounts(upper);
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - upper.length) > maxDistance) continue;
    const other = candidate.toUpperCase();
    // A cheap lower bound of the edit distance first: a process environment holds dozens of names that are no
    // setting's (HOME, PATH, K_SERVICE…), and each is compared with every name of the schema on the first load.
    if (counts !== undefined && bagDistance(counts, upper.length, other) >= bestDistance) continue;
    const distance = leven(upper, other, { maxDistance: bestDistance });
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Counts of each character of an ASCII string (indexed by char code); undefined when it is not ASCII. */
function letterCounts(text: string): Int16Array | undefined {
  const counts = new Int16Array(128);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128) return undefined;
    counts[code]! += 1;
  }
  return counts;
}

/**
 * The bag distance of two strings — the larger of the characters of one not matched in the other, counted with
 * multiplicity — which is never more than their edit distance (each edit fixes at most one unmatched character
 * on each side). `counts` are the first string's {@link letterCounts}, left as they were.
 */
function bagDistance(counts: Int16Array, length: number, other: string): number {
  let matched = 0;
  const used = new Int16Array(128);
  for (let index = 0; index < other.length; index++) {
    const code = other.charCodeAt(index);
    if (code >= 128) return 0;
    if (used[code]! < counts[code]!) matched++;
    used[code]! += 1;
  }
  return Math.max(length - matched, other.length - matched);
}
