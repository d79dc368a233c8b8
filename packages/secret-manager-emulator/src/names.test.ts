import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { NameError, parseProjectName, parseSecretName, parseVersionName, secretIdProblem } from './names.ts';

describe('parseVersionName', () => {
  test.each([
    ['projects/my-project/secrets/s/versions/1', { project: 'my-project', secret: 's', version: '1' }],
    [
      'projects/123456789012/secrets/A_b-9/versions/latest',
      { project: '123456789012', secret: 'A_b-9', version: 'latest' },
    ],
    [
      'projects/example.com:p/secrets/s/versions/stable',
      { project: 'example.com:p', secret: 's', version: 'stable' },
    ],
  ])('parses %s', (name, expected) => {
    expect(parseVersionName('name', name)).toEqual(expected);
  });

  test.each([
    'projects/p/secrets/s/versions/0',
    'projects/p/secrets/s/versions/01',
    'projects/p/secrets/s/versions/1a',
    'projects/p/secrets/s/versions/',
    'projects/p/secrets/s/versions/1/extra',
    'projects/p/secrets/s',
    'projects/p/secrets/bad id/versions/1',
    '/projects/p/secrets/s/versions/1',
    'projects/-p/secrets/s/versions/1',
  ])('rejects %s', (name) => {
    expect(() => parseVersionName('name', name)).toThrow(NameError);
  });

  test('regional names are a separate error', () => {
    expect(() => parseVersionName('name', 'projects/p/locations/l/secrets/s/versions/1')).toThrow(
      expect.objectContaining({ code: 'REGIONAL_UNSUPPORTED' }),
    );
  });

  test('the message names the field and the expected pattern', () => {
    expect(() => parseSecretName('parent', 'projects/p')).toThrowErrorMatchingInlineSnapshot(
      `[NameError: parent "projects/p" does not match the pattern projects/{project}/secrets/{secret}.]`,
    );
    expect(() => parseProjectName('parent', 'project/p')).toThrowErrorMatchingInlineSnapshot(
      `[NameError: parent "project/p" does not match the pattern projects/{project}.]`,
    );
  });
});

describe('secret IDs', () => {
  test('any 1–255 characters of [A-Za-z0-9_-] are valid and round-trip through a name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/), (id) => {
        expect(secretIdProblem(id)).toBeUndefined();
        expect(parseSecretName('name', `projects/p/secrets/${id}`).secret).toBe(id);
      }),
    );
  });

  test('anything with another character, or of another length, is invalid', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /[^A-Za-z0-9_-]/.test(s)),
        (id) => {
          expect(secretIdProblem(id)).toMatch(/letters, digits, underscores/);
        },
      ),
    );
    expect(secretIdProblem('')).toBeDefined();
    expect(secretIdProblem('a'.repeat(256))).toBeDefined();
  });
});
