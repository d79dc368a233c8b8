import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import { describe, expect, test } from 'vitest';
import { type ReportedIssue, toGithubAnnotations, toMarkdown, toSarif } from './report.ts';

const issues: ReportedIssue[] = [
  {
    severity: 'error',
    code: 'manifest-cloudsql-missing',
    key: 'database.host',
    variable: 'DATABASE_HOST',
    message:
      'DATABASE_HOST is the Cloud SQL socket of acme:europe-west1:db, but deploy.sh does not attach it.',
    hint: 'Add --add-cloudsql-instances=acme:europe-west1:db to the deploy command.',
    file: 'infra/deploy.sh',
    line: 12,
  },
  {
    severity: 'warning',
    code: 'unresolved-flags',
    variable: '',
    message: "the deploy command's $FLAGS is set outside the script | 100%",
    hint: 'Write those flags in the script.\nThen re-run.',
    file: 'infra/deploy.sh',
    line: 14,
  },
  {
    severity: 'error',
    code: 'missing',
    variable: 'JWT_SECRET_STAGING',
    message: 'JWT_SECRET_STAGING is required.',
    hint: 'Set it.',
  },
];

// The SARIF 2.1.0 JSON schema as Microsoft ships it in an npm package (draft-04).
const schemaPath = createRequire(import.meta.url).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);
const validate = new Ajv({
  allErrors: true,
  strict: false,
  validateFormats: false,
  unicodeRegExp: false,
}).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

describe('SARIF', () => {
  test('validates against the SARIF 2.1.0 schema; one rule per code; results at file:line', () => {
    const log = toSarif(issues, { toolVersion: '1.2.3', helpUri: 'https://example.invalid/README.md' });
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules!.map((rule) => rule.id)).toEqual([
      'manifest-cloudsql-missing',
      'missing',
      'unresolved-flags',
    ]);
    expect(
      run.results!.map((result) => [
        result.ruleId,
        result.level,
        result.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
        result.locations?.[0]?.physicalLocation?.region?.startLine,
      ]),
    ).toEqual([
      ['manifest-cloudsql-missing', 'error', 'infra/deploy.sh', 12],
      ['unresolved-flags', 'warning', 'infra/deploy.sh', 14],
      ['missing', 'error', undefined, undefined],
    ]);
    expect(run.results![0]!.ruleIndex).toBe(0);
  });

  test('an empty log validates too', () => {
    expect(validate(toSarif([]))).toBe(true);
  });

  test('the schema check can fail: a result without a message is refused', () => {
    const log = toSarif(issues) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete log.runs[0]!.results[0]!.message;
    expect(validate(log)).toBe(false);
  });
});

describe('GitHub workflow commands', () => {
  test('one command a line, located, escaped as the runner reads them', () => {
    expect(toGithubAnnotations(issues)).toMatchInlineSnapshot(`
      "::error file=infra/deploy.sh,line=12,title=manifest-cloudsql-missing DATABASE_HOST::DATABASE_HOST is the Cloud SQL socket of acme:europe-west1:db, but deploy.sh does not attach it. Add --add-cloudsql-instances=acme:europe-west1:db to the deploy command.
      ::warning file=infra/deploy.sh,line=14,title=unresolved-flags::the deploy command's $FLAGS is set outside the script | 100%25 Write those flags in the script.%0AThen re-run.
      ::error title=missing JWT_SECRET_STAGING::JWT_SECRET_STAGING is required. Set it.
      "
    `);
  });
});

describe('markdown', () => {
  test('counts, then a table row per issue with | escaped', () => {
    expect(toMarkdown(issues, { title: 'check staging' })).toMatchInlineSnapshot(`
      "### check staging: ❌ 2 errors, 1 warning

      | | code | variable | where | problem | fix |
      |---|---|---|---|---|---|
      | ❌ | \`manifest-cloudsql-missing\` | \`DATABASE_HOST\` | infra/deploy.sh:12 | DATABASE_HOST is the Cloud SQL socket of acme:europe-west1:db, but deploy.sh does not attach it. | Add --add-cloudsql-instances=acme:europe-west1:db to the deploy command. |
      | ⚠️ | \`unresolved-flags\` |  | infra/deploy.sh:14 | the deploy command's $FLAGS is set outside the script \\| 100% | Write those flags in the script.<br>Then re-run. |
      | ❌ | \`missing\` | \`JWT_SECRET_STAGING\` |  | JWT_SECRET_STAGING is required. | Set it. |
      "
    `);
    expect(toMarkdown([])).toBe('### netra-verify: ✅ 0 errors, 0 warnings\n\nNo issues.\n');
  });
});
