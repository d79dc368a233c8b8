/**
 * Reports where CI shows them: SARIF 2.1.0 for code scanning, GitHub workflow commands for annotations on a pull
 * request's diff, and a markdown summary for `$GITHUB_STEP_SUMMARY` or a comment. Each takes the issues of any
 * check (`file`/`line` where the issue comes from a place in an input); none prints a value.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';

/** The part of an issue a report shows. */
export interface ReportedIssue {
  severity: 'error' | 'warning';
  code: string;
  key?: string;
  variable: string;
  message: string;
  hint: string;
  file?: string;
  line?: number;
}

/** Options of {@link toSarif}. */
export interface SarifOptions {
  /** The tool's name. @default 'netra-verify' */
  toolName?: string;
  /** The tool's version. */
  toolVersion?: string;
  /** Where the rules are documented (one anchor per code is appended: `#CODE`). */
  helpUri?: string;
  /** A short description per code, for the rules; the code itself otherwise. */
  ruleDescriptions?: Readonly<Record<string, string>>;
}

/**
 * A SARIF 2.1.0 log: one run, one rule per issue code, one result per issue located at its file and line
 * (paths relative to the repository root, as code scanning expects).
 *
 * @example
 * writeFileSync('netra.sarif', JSON.stringify(toSarif(issues, { toolVersion: '1.0.0' })));
 */
export function toSarif(issues: readonly ReportedIssue[], options: SarifOptions = {}): Log {
  const codes = [...new Set(issues.map((issue) => issue.code))].sort();
  const rules: ReportingDescriptor[] = codes.map((code) => ({
    id: code,
    name: code.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()),
    shortDescription: { text: options.ruleDescriptions?.[code] ?? code },
    ...(options.helpUri === undefined ? {} : { helpUri: `${options.helpUri}#${code}` }),
  }));
  const results: Result[] = issues.map((issue) => ({
    ruleId: issue.code,
    ruleIndex: codes.indexOf(issue.code),
    level: issue.severity === 'error' ? 'error' : 'warning',
    message: { text: `${issue.message} ${issue.hint}`.trim() },
    ...(issue.file === undefined
      ? {}
      : {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(issue.file) },
                ...(issue.line === undefined ? {} : { region: { startLine: issue.line } }),
              },
            },
          ],
        }),
    ...(issue.variable === ''
      ? {}
      : { properties: { variable: issue.variable, ...(issue.key ? { key: issue.key } : {}) } }),
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? 'netra-verify',
            ...(options.toolVersion === undefined ? {} : { version: options.toolVersion }),
            rules,
          },
        },
        results,
      },
    ],
  };
}

function toUri(file: string): string {
  return file
    .replaceAll('\\', '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}

// Workflow command escaping (actions/toolkit's command.ts): data escapes % CR LF; properties also : and ,.
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * GitHub Actions workflow commands, one a line: `::error file=F,line=N,title=CODE::message hint` (warnings as
 * `::warning`), which the runner turns into annotations on the pull request's diff.
 */
export function toGithubAnnotations(issues: readonly ReportedIssue[]): string {
  return issues
    .map((issue) => {
      const properties = [
        ...(issue.file === undefined ? [] : [`file=${escapeProperty(issue.file)}`]),
        ...(issue.line === undefined ? [] : [`line=${issue.line}`]),
        `title=${escapeProperty(issue.variable === '' ? issue.code : `${issue.code} ${issue.variable}`)}`,
      ];
      return `::${issue.severity} ${properties.join(',')}::${escapeData(`${issue.message} ${issue.hint}`.trim())}\n`;
    })
    .join('');
}

function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

/** Options of {@link toMarkdown}. */
export interface MarkdownOptions {
  /** The heading. @default 'netra-verify' */
  title?: string;
}

/**
 * A markdown summary: a heading with the counts, then one table row per issue (severity, code, variable,
 * where, message and fix), for `$GITHUB_STEP_SUMMARY` or a pull-request comment.
 */
export function toMarkdown(issues: readonly ReportedIssue[], options: MarkdownOptions = {}): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const warnings = issues.length - errors;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  const lines = [`### ${options.title ?? 'netra-verify'}: ${errors === 0 ? '✅' : '❌'} ${counts}`, ''];
  if (issues.length === 0) return `${lines.join('\n')}\nNo issues.\n`;
  lines.push('| | code | variable | where | problem | fix |', '|---|---|---|---|---|---|');
  for (const issue of issues) {
    const where =
      issue.file === undefined ? '' : `${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}`;
    lines.push(
      `| ${issue.severity === 'error' ? '❌' : '⚠️'} | \`${issue.code}\` | ${issue.variable === '' ? '' : `\`${issue.variable}\``} | ${cell(where)} | ${cell(issue.message)} | ${cell(issue.hint)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
