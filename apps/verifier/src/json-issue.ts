import type { Issue } from '@netra/config-schema';

/** An issue as every command's `--json` prints it (DESIGN.md). */
export type JsonIssue = Pick<Issue, 'severity' | 'code' | 'key' | 'variable' | 'message' | 'hint'>;

/**
 * An issue in the `--json` shape: exactly `severity, code, key, variable, message, hint`, in this order. Issues of
 * other packages carry more (`file`, `secret`, `project`, `status`); the JSON contract is these six.
 *
 * @example
 * JSON.stringify({ ok, environment, issues: issues.map(jsonIssue) });
 */
export function jsonIssue({ severity, code, key, variable, message, hint }: Issue): JsonIssue {
  return { severity, code, key, variable, message, hint };
}
