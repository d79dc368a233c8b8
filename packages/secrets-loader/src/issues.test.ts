import { describe, expect, test } from 'vitest';
import { accessFailureIssue, describeGrpcError, statusName, whitespaceIssue } from './issues.ts';

describe('whitespaceIssue', () => {
  test.each<[string, string | null]>([
    ['Zq9-clean', null],
    ['Zq9 inner space', null],
    ['Zq9-s3cret\n', 'ends with a newline'],
    ['Zq9-s3cret\r\n', 'ends with a newline'],
    ['Zq9-s3cret ', 'ends with whitespace'],
    ['Zq9-s3cret\t', 'ends with whitespace'],
    [' Zq9-s3cret', 'starts with whitespace'],
    [' Zq9-s3cret ', 'starts and ends with whitespace'],
    ['\u00a0Zq9-s3cret', 'starts with whitespace'],
  ])('%j', (value, what) => {
    const issue = whitespaceIssue('JWT_SECRET', 'jwtSecret', value, { kind: 'env' });
    if (what === null) expect(issue).toBeNull();
    else {
      expect(issue).toMatchObject({
        severity: 'error',
        code: 'whitespace',
        variable: 'JWT_SECRET',
        key: 'jwtSecret',
      });
      expect(issue?.message).toContain(what);
      expect(JSON.stringify(issue)).not.toContain('Zq9');
    }
  });

  test('names the file or the secret it came from, with the fix', () => {
    expect(
      whitespaceIssue('FERNET_KEY', 'fernetKey', 'k\n', { kind: 'file', path: '/secrets/fernet' }),
    ).toMatchObject({
      file: '/secrets/fernet',
      hint: expect.stringContaining("printf '%s'"),
    });
    expect(
      whitespaceIssue('FERNET_KEY', 'fernetKey', 'k\n', {
        kind: 'secret',
        project: 'acme-staging',
        secret: 'fernet-key-staging',
        version: 'latest',
      }),
    ).toMatchObject({
      secret: 'fernet-key-staging',
      project: 'acme-staging',
      hint: expect.stringContaining('gcloud secrets versions add fernet-key-staging --project acme-staging'),
    });
  });
});

describe('gRPC errors', () => {
  const target = {
    variable: 'JWT_SECRET_STAGING',
    key: 'jwtSecret',
    project: 'p-123456',
    secret: 'jwt',
    version: 'latest',
  };
  test.each<[number, string, string]>([
    [5, 'NOT_FOUND', 'secret-not-found'],
    [7, 'PERMISSION_DENIED', 'secret-permission-denied'],
    [16, 'UNAUTHENTICATED', 'secret-permission-denied'],
    [9, 'FAILED_PRECONDITION', 'secret-disabled'],
    [4, 'DEADLINE_EXCEEDED', 'secret-deadline'],
    [14, 'UNAVAILABLE', 'secret-deadline'],
    [8, 'RESOURCE_EXHAUSTED', 'secret-deadline'],
    [13, 'INTERNAL', 'secret-access-failed'],
  ])('status %i → %s → %s', (code, name, issueCode) => {
    const issue = accessFailureIssue(
      target,
      Object.assign(new Error(`${code} ${name}: detail`), { code, details: 'detail' }),
    );
    expect(issue).toMatchObject({
      code: issueCode,
      status: name,
      variable: 'JWT_SECRET_STAGING',
      secret: 'jwt',
      project: 'p-123456',
    });
    expect(issue.message).toContain(`${name}: detail`);
  });

  test('hints carry the fix', () => {
    expect(accessFailureIssue(target, { code: 5 }).hint).toContain(
      'gcloud secrets create jwt --project p-123456',
    );
    expect(accessFailureIssue(target, { code: 7 }).hint).toContain('roles/secretmanager.secretAccessor');
    expect(accessFailureIssue(target, { code: 9 }).hint).toContain(
      'gcloud secrets versions enable latest --secret jwt',
    );
  });

  test("google-gax's accumulated retry messages are cut to the first", () => {
    expect(
      describeGrpcError({ code: 4, message: 'Total timeout exceeded : Previous errors : [{message: a}]' }),
    ).toEqual({ status: 'DEADLINE_EXCEEDED', detail: 'Total timeout exceeded' });
    expect(statusName(99)).toBe('status 99');
    expect(statusName('x')).toBe('UNKNOWN');
  });
});
