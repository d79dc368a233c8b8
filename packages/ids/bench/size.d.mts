export function measure(
  entry: string,
  platform?: 'neutral' | 'browser' | 'node',
  only?: string[],
): { code: string; minified: number; gzipped: number; inputs: string[] };
export const FOUR: string[];
