import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  endpointLocation,
  NameError,
  parseParentName,
  parseSecretName,
  parseVersionName,
  secretIdProblem,
} from './names.ts';

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

  test.each([
    [
      'projects/p/locations/europe-west1/secrets/s/versions/2',
      { project: 'p', location: 'europe-west1', secret: 's', version: '2' },
    ],
    [
      'projects/123/locations/us-central1/secrets/s/versions/latest',
      { project: '123', location: 'us-central1', secret: 's', version: 'latest' },
    ],
  ])('parses the regional name %s', (name, expected) => {
    expect(parseVersionName('name', name)).toEqual(expected);
  });

  test.each([
    'projects/p/locations//secrets/s/versions/1',
    'projects/p/locations/Europe/secrets/s/versions/1',
    'projects/p/locations/l/x/secrets/s/versions/1',
  ])('rejects the malformed regional name %s', (name) => {
    expect(() => parseVersionName('name', name)).toThrow(NameError);
  });

  test('the message names the field and the expected pattern', () => {
    expect(() => parseSecretName('parent', 'projects/p')).toThrowErrorMatchingInlineSnapshot(
      `[NameError: parent "projects/p" does not match the pattern projects/{project}/secrets/{secret} or projects/{project}/locations/{location}/secrets/{secret}.]`,
    );
    expect(() => parseParentName('parent', 'project/p')).toThrowErrorMatchingInlineSnapshot(
      `[NameError: parent "project/p" does not match the pattern projects/{project} or projects/{project}/locations/{location}.]`,
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

describe('parseParentName and endpointLocation', () => {
  test('a parent is a project, or a project and a location', () => {
    expect(parseParentName('parent', 'projects/p')).toEqual({ project: 'p' });
    expect(parseParentName('parent', 'projects/p/locations/asia-east1')).toEqual({
      project: 'p',
      location: 'asia-east1',
    });
  });

  test.each([
    ['secretmanager.europe-west1.rep.googleapis.com', 'europe-west1'],
    ['secretmanager.us-central1.rep.googleapis.com:443', 'us-central1'],
    ['secretmanager.googleapis.com', undefined],
    ['127.0.0.1:8085', undefined],
    ['localhost', undefined],
  ])('the endpoint %s serves location %s', (authority, location) => {
    expect(endpointLocation(authority)).toBe(location);
  });
});
