export function measure(
  entry: string,
  platform?: 'neutral' | 'browser' | 'node',
  only?: string[],
): { minified: number; gzipped: number; inputs: string[] };
