import leven from 'leven';

/**
 * The candidate closest to `input` by edit distance (case-insensitive), when it is close enough to be a likely
 * typo: at most a third of the longer name's length, and at least 2 edits (a swap of two letters) allowed.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toUpperCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = leven(needle, candidate.toUpperCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}
