import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// The core knows no service (DESIGN.md, Layout): the Netra backend's settings live in @netra/backend-schema.
// Its own names must not appear in this package's code or its built files — not even in an example.
const BACKEND_NAMES = [
  'netraBackend',
  'NetraBackend',
  'JWT_SECRET',
  'FERNET_KEY',
  'GEMINI_API_KEY',
  'API_BASE_URL',
  'FRONTEND_URL',
  'GCP_PROJECT_ID',
  'DATABASE_PASSWORD',
  'REDIS_PASSWORD',
];

function files(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(keep)
    .map((name) => join(dir, name));
}

describe('the core names no backend setting', () => {
  const root = new URL('..', import.meta.url).pathname;
  const sources = files(join(root, 'src'), (name) => name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(name));
  const built = files(join(root, 'dist'), (name) => /\.(js|d\.ts)$/.test(name));

  test.each([...sources, ...built])('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(BACKEND_NAMES.filter((name) => text.includes(name))).toEqual([]);
  });

  test('the sources were found', () => {
    expect(sources.length).toBeGreaterThan(10);
  });
});
