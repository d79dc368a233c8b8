import { type CompiledVariable, compile } from './compile.ts';
import type { ConfigSchema } from './dsl.ts';
import { listWords } from './format.ts';
import { checkedEnvironment } from './load.ts';
import type { Environment } from './types.ts';
import { expectationOf } from './values.ts';

const GENERATED = (title: string) =>
  `<!-- Generated from the ${title} schema by @netra/config-schema (renderDocs). Do not edit: run \`npm run docs\`. -->`;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function defaultText(variable: CompiledVariable): string {
  if (variable.default === undefined) return '—';
  if (variable.sensitive) return 'a built-in development-only value';
  return typeof variable.default === 'string' ? code(variable.default) : cell(variable.default.description);
}

function rulesText(variable: CompiledVariable): string {
  const parts: string[] = [];
  const expectation = expectationOf(variable.schema);
  if (expectation) parts.push(expectation);
  for (const rule of variable.rules) {
    parts.push(rule.severity === 'warning' ? `${rule.description} (warning)` : rule.description);
  }
  parts.push('no leading/trailing whitespace');
  return cell(parts.join('; '));
}

function requirement(variable: CompiledVariable): string {
  if (variable.reserved) return 'set by the platform';
  if (variable.required) return variable.isEnvironment ? 'required' : '**required**';
  return variable.default === undefined ? 'optional' : 'defaulted';
}

function environmentPage(schema: ConfigSchema, environment: Environment): string {
  const compiled = compile(schema, environment);
  const lines = [
    GENERATED(schema.title),
    '',
    `# ${schema.title} configuration: ${environment}`,
    '',
    `Every variable ${schema.title} reads when \`ENVIRONMENT=${environment}\`. An empty value counts as not set.`,
    'Sensitive values are never printed: they show as `[redacted]` or an 8-character fingerprint.',
    '',
    '| Variable | Key | Requirement | Default | Secret Manager | Rules |',
    '|---|---|---|---|---|---|',
  ];
  for (const variable of compiled.variables) {
    const secret = variable.secret ? code(`${variable.secret.secret}:${variable.secret.version}`) : '—';
    const name = variable.sensitive ? `${code(variable.name)} (sensitive)` : code(variable.name);
    lines.push(
      `| ${name} | ${code(variable.key)} | ${requirement(variable)} | ${defaultText(variable)} | ${secret} | ${rulesText(variable)} |`,
    );
  }
  lines.push('', '## Variables', '');
  for (const variable of compiled.variables) {
    lines.push(`### ${variable.name}`, '', variable.description, '');
    if (variable.example !== undefined && !variable.sensitive)
      lines.push(`Example: ${code(variable.example)}`, '');
    if (variable.obtain) {
      lines.push(
        'generate' in variable.obtain
          ? `A real value is generated: ${code(variable.obtain.generate)}.`
          : `A real value is issued by its provider, not generated: copy it from ${variable.obtain.copyFrom}.`,
        '',
      );
    }
    if (variable.otherNames.length > 0) {
      lines.push(
        `Other environments name it ${listWords(variable.otherNames.map(code))}; setting one of those here is a \`wrong-name\` issue.`,
        '',
      );
    }
  }
  const crossRules = compiled.crossRules;
  if (crossRules.length > 0) {
    lines.push('## Cross-variable rules', '');
    for (const { rule, groupPath } of crossRules) {
      const names = rule.keys.map((key) => compiled.byKey.get([...groupPath, key].join('.'))?.name ?? key);
      lines.push(
        `- ${names.map(code).join(', ')}: ${rule.description}${rule.severity === 'warning' ? ' (warning)' : ''}`,
      );
    }
    lines.push('');
  }
  const notAllowed = [...compiled.notAllowed.keys()].filter((name) => !compiled.byName.has(name));
  if (notAllowed.length > 0) {
    lines.push('## Not allowed here', '');
    for (const name of notAllowed) {
      const { key, allowedIn } = compiled.notAllowed.get(name)!;
      lines.push(
        `- ${code(name)} (${code(key)}): only in ${listWords(allowedIn)}; setting it is a \`not-allowed\` error.`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function indexPage(schema: ConfigSchema): string {
  const environments = Object.keys(schema.environments);
  const inTier = (tier: string) => environments.filter((env) => schema.environments[env] === tier);
  const local = inTier('local');
  const deployed = inTier('deployed');
  const tiers = [
    local.length > 0 ? `In ${listWords(local)} everything has a default or is optional` : '',
    deployed.length > 0
      ? `${listWords(deployed)} never default${deployed.length === 1 ? 's' : ''} a secret, a host or a URL`
      : '',
  ].filter(Boolean);
  const tierWords = `${tiers.join('; ')}.`;
  const perEnvironment = new Map(environments.map((env) => [env, compile(schema, env)]));
  const keys: string[] = [];
  for (const compiled of perEnvironment.values()) {
    for (const variable of compiled.variables) if (!keys.includes(variable.key)) keys.push(variable.key);
  }
  const lines = [
    GENERATED(schema.title),
    '',
    `# ${schema.title} configuration`,
    '',
    'One definition of every setting, per environment. The environment comes from `ENVIRONMENT`',
    `(never \`NODE_ENV\`). ${tierWords.charAt(0).toUpperCase()}${tierWords.slice(1)}`,
    '',
    `Per environment: ${environments.map((env) => `[${env}](./${env}.md)`).join(' · ')}`,
    '',
    '**bold** = required, _italic_ = has a default, plain = optional, — = not allowed; 🔒 = from Secret Manager.',
    '',
    `| Key | Description | ${environments.join(' | ')} |`,
    `|---|---|${environments.map(() => '---').join('|')}|`,
  ];
  for (const key of keys) {
    let description = '';
    const cells = environments.map((env) => {
      const variable = perEnvironment.get(env)!.byKey.get(key);
      if (!variable) return '—';
      description ||= variable.description;
      const name = code(variable.name);
      const styled = variable.required ? `**${name}**` : variable.default !== undefined ? `_${name}_` : name;
      return variable.secret ? `${styled} 🔒` : styled;
    });
    lines.push(`| ${code(key)} | ${cell(description)} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    '## Issue codes',
    '',
    'Loading reports every problem at once as `{ severity, code, key, variable, message, hint }`:',
    '`unknown-environment`, `missing`, `invalid`, `wrong-name`, `loopback-host`, `weak-secret`, `placeholder`,',
    '`whitespace`, `unknown-variable`, `not-allowed`.',
    '',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The markdown pages of `docs/config`: `index.md` (every key in every environment) and one page per
 * environment the schema declares (`qa.md` for a schema with a qa environment). Deterministic, so a test can compare them with the committed files.
 *
 * @example
 * for (const [file, text] of Object.entries(renderDocs(schema))) writeFileSync(`docs/config/${file}`, text);
 */
export function renderDocs(schema: ConfigSchema): Record<string, string> {
  const pages: Record<string, string> = { 'index.md': indexPage(schema) };
  for (const env of Object.keys(schema.environments)) pages[`${env}.md`] = environmentPage(schema, env);
  return pages;
}

/**
 * A commented `.env.example` for one environment: required variables uncommented (sensitive ones empty, with
 * their Secret Manager binding), optional and defaulted ones commented out.
 *
 * @example
 * writeFileSync('.env.staging.example', renderEnvExample(schema, 'staging'));
 */
export function renderEnvExample(schema: ConfigSchema, environment: Environment): string {
  const compiled = compile(schema, checkedEnvironment(environment, schema));
  // Author-written text may span lines; each must stay a comment line, or a .env parser reads it as a setting.
  const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ');
  const lines = [
    `# ${schema.title}: .env example for ${environment}. Generated by @netra/config-schema; never commit real secrets.`,
    '# An empty value counts as not set.',
  ];
  for (const variable of compiled.variables) {
    const flags = [requirement(variable).replace(/\*/g, '')];
    if (variable.sensitive) flags.push('sensitive');
    lines.push('', `# ${variable.name} (${flags.join(', ')}): ${oneLine(variable.description)}`);
    const expectation = expectationOf(variable.schema);
    const rules = [expectation, ...variable.rules.map((rule) => rule.description)].filter(Boolean);
    if (rules.length > 0) lines.push(`#   Rule: ${oneLine(rules.join('; '))}`);
    if (variable.obtain) {
      lines.push(
        'generate' in variable.obtain
          ? `#   Generate: ${oneLine(variable.obtain.generate)}`
          : `#   Issued by its provider, not generated: copy it from ${oneLine(variable.obtain.copyFrom)}`,
      );
    }
    if (variable.secret) {
      const binding = `${variable.secret.secret}:${variable.secret.version}`;
      lines.push(
        `#   From Secret Manager secret ${binding} (or ${variable.name}=sm://PROJECT/${variable.secret.secret})`,
      );
    }
    // A sensitive default is public by design, but printing it invites copying it somewhere it must not go.
    const fallback =
      variable.default === undefined
        ? undefined
        : variable.sensitive
          ? ''
          : typeof variable.default === 'string'
            ? variable.default
            : variable.default.value;
    if (variable.sensitive && variable.default !== undefined) {
      lines.push('#   Defaults to a built-in development-only value.');
    }
    if (variable.isEnvironment) lines.push(`${variable.name}=${environment}`);
    else if (variable.reserved) lines.push(`# ${variable.name}=${fallback ?? ''}`);
    else if (variable.required) {
      // Left empty (an empty value counts as not set): an example copied as-is must not pass for real.
      if (!variable.sensitive && variable.example !== undefined)
        lines.push(`#   e.g. ${oneLine(variable.example)}`);
      lines.push(`${variable.name}=`);
    } else if (fallback !== undefined) lines.push(`# ${variable.name}=${oneLine(fallback)}`);
    else lines.push(`# ${variable.name}=${variable.sensitive ? '' : oneLine(variable.example ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}
