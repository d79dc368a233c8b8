import { type Issue, redactText } from '@netra/config-schema';

/** An issue as every command's `--json` prints it (DESIGN.md). */
export type JsonIssue = Pick<Issue, 'severity' | 'code' | 'key' | 'variable' | 'message' | 'hint'> & {
  file?: string;
  line?: number;
};

/**
 * An issue in the `--json` shape: `severity, code, key, variable, message, hint`, in this order, and `file` and
 * `line` when the issue comes from a place in a file (an env-file line). Issues of other packages carry more
 * (`secret`, `project`, `status`, a `file` without a line); the JSON contract is these.
 *
 * @example
 * JSON.stringify({ ok, environment, issues: issues.map(jsonIssue) });
 */
export function jsonIssue(issue: Issue & { line?: number }): JsonIssue {
  const { severity, code, key, variable, message, hint, file, line } = issue;
  return {
    severity,
    code,
    key,
    variable,
    // The credential masking every output applies (formatIssues does the same for text).
    message: redactText(message),
    hint: redactText(hint),
    ...(file !== undefined && line !== undefined ? { file, line } : {}),
  };
}
