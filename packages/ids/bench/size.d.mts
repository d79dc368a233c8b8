export function measure(
  entry: string,
  platform?: 'neutral' | 'browser' | 'node',
): { minified: number; gzipped: number; inputs: string[] };
