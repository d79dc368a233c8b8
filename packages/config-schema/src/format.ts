import { redactText } from './credentials.ts';
import type { Issue } from './types.ts';

// node:crypto is not loaded at start-up in an ESM process, and loading it costs ~2 ms: fetch it on the first
// fingerprint instead of importing it (process.getBuiltinModule: Node ≥ 20.16).
let crypto: typeof import('node:crypto') | undefined;

/**
 * How reports refer to a secret value without showing it: the first 8 hex characters of its SHA-256.
 *
 * @example
 * fingerprint('hunter2'); // 'f52fbd32'
 */
export function fingerprint(value: string): string {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
}

/** Options of {@link formatIssues}. */
export interface FormatIssuesOptions {
  /** ANSI colours (the caller decides, e.g. from `process.stdout.isTTY`). @default false */
  color?: boolean;
  /** A first line, e.g. `Configuration for staging`. @default none */
  title?: string;
}

const ANSI = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  reset: '\u001b[0m',
};

/** `a`, `a and b`, `a, b and c`: a list in a message, right for any count. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** `2 errors, 1 warning` (`no problems` for none). */
export function summarizeIssues(issues: readonly Issue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const warnings = issues.length - errors;
  if (issues.length === 0) return 'no problems';
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

// C0 and C1 control characters: a variable name from the environment may carry terminal escape sequences.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text with control characters written as escapes (`\x1b`, `\n`), so printing it cannot drive a terminal.
 * `keepNewlines` leaves line breaks of a multi-line message as they are.
 */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(CONTROL, (char) =>
    keepNewlines && char === '\n'
      ? char
      : (NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`),
  );
}

/**
 * The one human report: issues grouped by variable (in the order they first appear), each with its code,
 * message and hint, then a summary line (`2 errors, 1 warning`). No colour unless asked.
 *
 * @example
 * formatIssues(result.issues, { title: 'Configuration for staging' });
 * // Configuration for staging
 * //
 * // API_TOKEN_STAGING
 * //   error  wrong-name  API_TOKEN is set, but staging reads API_TOKEN_STAGING
 * //          → Rename API_TOKEN to API_TOKEN_STAGING.
 * //
 * // 1 error
 */
export function formatIssues(issues: readonly Issue[], options: FormatIssuesOptions = {}): string {
  const paint = (code: keyof typeof ANSI, text: string) =>
    options.color ? `${ANSI[code]}${text}${ANSI.reset}` : text;
  const groups = new Map<string, Issue[]>();
  for (const issue of issues) {
    const heading = issue.variable || issue.key || '(general)';
    const list = groups.get(heading);
    if (list) list.push(issue);
    else groups.set(heading, [issue]);
  }
  const lines: string[] = [];
  if (options.title) lines.push(paint('bold', escapeControls(options.title)), '');
  for (const [heading, list] of groups) {
    const file = list[0]?.file;
    lines.push(
      paint('bold', escapeControls(heading)) + (file ? paint('dim', `  (${escapeControls(file)})`) : ''),
    );
    for (const issue of list) {
      const label = issue.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      // Issues from any source (a custom rule, a deploy reader) pass the same credential masking here.
      const message = redactText(issue.message);
      lines.push(`  ${label}  ${escapeControls(issue.code)}  ${escapeControls(message, true)}`);
      if (issue.hint)
        lines.push(`           ${paint('dim', `→ ${escapeControls(redactText(issue.hint), true)}`)}`);
    }
    lines.push('');
  }
  const summary = summarizeIssues(issues);
  const errors = issues.some((issue) => issue.severity === 'error');
  lines.push(paint(errors ? 'red' : issues.length > 0 ? 'yellow' : 'bold', summary));
  return lines.join('\n');
}
