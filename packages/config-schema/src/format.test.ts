import { describe, expect, test } from 'vitest';
import { fingerprint, formatIssues } from './format.ts';
import type { Issue } from './types.ts';

const issues: Issue[] = [
  {
    severity: 'error',
    code: 'missing',
    key: 'fernetKey',
    variable: 'FERNET_KEY',
    message: 'FERNET_KEY is not set; staging requires it',
    hint: 'Bind it.',
  },
  {
    severity: 'warning',
    code: 'unknown-variable',
    key: '',
    variable: 'DATABSE_HOST',
    message: 'DATABSE_HOST is not a setting',
    hint: 'Rename it.',
  },
  {
    severity: 'error',
    code: 'whitespace',
    key: 'fernetKey',
    variable: 'FERNET_KEY',
    message: 'FERNET_KEY has a trailing newline',
    hint: 'Strip it.',
  },
];

describe('formatIssues', () => {
  test('groups by variable, summary line, no colour by default', () => {
    expect(formatIssues(issues, { title: 'Configuration for staging' })).toMatchInlineSnapshot(`
      "Configuration for staging

      FERNET_KEY
        error    missing  FERNET_KEY is not set; staging requires it
                 → Bind it.
        error    whitespace  FERNET_KEY has a trailing newline
                 → Strip it.

      DATABSE_HOST
        warning  unknown-variable  DATABSE_HOST is not a setting
                 → Rename it.

      2 errors, 1 warning"
    `);
  });

  test('colour only when asked', () => {
    expect(formatIssues(issues)).not.toContain('\u001b[');
    expect(formatIssues(issues, { color: true })).toContain('\u001b[31m');
  });

  test('no issues', () => {
    expect(formatIssues([])).toBe('no problems');
  });
});

describe('fingerprint', () => {
  test('first 8 hex chars of SHA-256', () => {
    expect(fingerprint('hunter2')).toBe('f52fbd32');
    expect(fingerprint('')).toBe('e3b0c442');
  });
});

describe('formatIssues with a file and without a variable', () => {
  test('names the file next to the variable; issues without one are general', () => {
    const text = formatIssues([
      { ...issues[0]!, file: 'deploy/staging.env' },
      { severity: 'warning', code: 'probe-failed', key: '', variable: '', message: 'm', hint: '' },
    ]);
    expect(text).toContain('FERNET_KEY  (deploy/staging.env)');
    expect(text).toContain('(general)\n  warning  probe-failed  m\n');
    expect(text.endsWith('1 error, 1 warning')).toBe(true);
  });
});
