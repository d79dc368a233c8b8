/**
 * `netra-verify codegen python`: one standard-library Python (≥ 3.9) module that loads a service's configuration
 * exactly as `safeLoadConfig` does — generated from `portableSchema()`, the core's description of the schema as
 * data (names, defaults, bindings, the value helpers' and policies' parameters and patterns), never from a copy of
 * one service's rules. What the description cannot carry (a custom rule, a custom zod schema, a pattern Python
 * cannot match the same way) is listed as not checked in Python, at the top of the module and by the command.
 */
import {
  type ConfigSchema,
  type PortableField,
  type PortableGroup,
  type PortableSchema,
  portableSchema,
} from '@netra/config-schema';
import { toPythonRegex, UntranslatableRegex } from './python-regex';
import { PYTHON_RUNTIME } from './python-runtime';

/** The generated module and what it does not check. */
export interface GeneratedModule {
  source: string;
  /** One line per part of the schema the module does not check, e.g. `billingDb.host: rule my-rule (qa, staging)`. */
  notChecked: string[];
}

/** Options of {@link generatePython}. */
export interface GeneratePythonOptions {
  /** How the schema was named (`--schema` or netra.config), for the module's header. */
  schemaSpec: string;
}

const PYTHON_KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'match',
  'case',
]);

/** `jwtSecret` → `jwt_secret`, `apiBaseURL` → `api_base_url`, `class` → `class_`. */
export function snakeCase(key: string): string {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
  const identifier = /^[0-9]/.test(snake) ? `_${snake}` : snake;
  return PYTHON_KEYWORDS.has(identifier) ? `${identifier}_` : identifier;
}

function pascalCase(path: readonly string[]): string {
  return path
    .flatMap((segment) => snakeCase(segment).split('_'))
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A JSON-like value as a Python literal; strings as JSON writes them, which Python reads the same. */
function py(value: unknown, indent = ''): string {
  const compact = pyCompact(value);
  if (compact.length + indent.length <= 110 || value === null || typeof value !== 'object') return compact;
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${py(item, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${py(item, inner)},`).join('\n')}\n${indent}}`;
}

function pyCompact(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyCompact).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${JSON.stringify(key)}: ${pyCompact(item)}`)
    .join(', ')}}`;
}

interface Translated {
  data: Record<string, unknown>;
  notChecked: Map<string, Set<string>>;
  /** Every distinct Python pattern; the data refers to them by index. */
  patterns: string[];
}

/** The portable description with Python patterns; parts whose pattern cannot be translated become unchecked. */
function translate(portable: PortableSchema): Translated {
  const notChecked = new Map<string, Set<string>>();
  const note = (what: string, environment: string) => {
    const environments = notChecked.get(what) ?? new Set<string>();
    environments.add(environment);
    notChecked.set(what, environments);
  };
  for (const part of portable.unportable) {
    for (const environment of part.environments) note(`${part.key || '(schema)'}: ${part.what}`, environment);
  }
  const patterns: string[] = [];
  const patternIndex = (source: string, flags: string): number => {
    const python = toPythonRegex(source, flags);
    const index = patterns.indexOf(python);
    return index >= 0 ? index : patterns.push(python) - 1;
  };
  const data: Record<string, unknown> = {};
  for (const [environment, described] of Object.entries(portable.byEnvironment)) {
    const variables = described.variables.map((variable) => {
      let value: Record<string, unknown> | null = variable.value ? { ...variable.value } : null;
      if (value && (value['type'] === 'pattern' || value['type'] === 'host')) {
        try {
          value['python'] = patternIndex(String(value['pattern']), String(value['flags'] ?? ''));
        } catch (error) {
          if (!(error instanceof UntranslatableRegex)) throw error;
          note(`${variable.key}: value schema (${error.message} has no Python equivalent)`, environment);
          value = null;
        }
        if (value) {
          delete value['pattern'];
          delete value['flags'];
        }
      }
      const rules: Record<string, unknown>[] = [];
      for (const rule of variable.rules) {
        if (!rule.check) continue; // listed from portable.unportable
        const check: Record<string, unknown> = { ...rule.check };
        if ('pattern' in check) {
          try {
            check['python'] = patternIndex(String(check['pattern']), 'u');
          } catch (error) {
            if (!(error instanceof UntranslatableRegex)) throw error;
            note(`${variable.key}: rule ${rule.id} (${error.message} has no Python equivalent)`, environment);
            continue;
          }
          delete check['pattern'];
        }
        rules.push({ id: rule.id, severity: rule.severity, exclusive: rule.exclusive, check });
      }
      const entry: Record<string, unknown> = {
        key: variable.key,
        name: variable.name,
        otherNames: variable.otherNames,
        foreignNames: variable.foreignNames,
        required: variable.required,
        sensitive: variable.sensitive,
        isEnvironment: variable.isEnvironment,
        value,
        rules,
        developmentDefaults: variable.developmentDefaults,
      };
      if (variable.example !== undefined) entry['example'] = variable.example;
      entry['expectation'] = variable.expectation ?? null;
      if (variable.default) {
        entry['default'] = variable.default.dynamic
          ? { value: variable.default.value, dynamic: variable.default.dynamic }
          : { value: variable.default.value };
      }
      if (variable.secret) entry['secret'] = variable.secret;
      if (variable.obtain) entry['obtain'] = variable.obtain;
      return entry;
    });
    data[environment] = {
      variables,
      crossRules: described.crossRules
        .filter((rule) => rule.check)
        .map((rule) => ({
          id: rule.id,
          severity: rule.severity,
          groupPath: rule.groupPath,
          keys: rule.keys,
          check: rule.check,
        })),
      notAllowed: described.notAllowed,
      allNames: described.allNames,
      prefixes: described.prefixes,
    };
  }
  return { data, notChecked, patterns };
}

interface ClassDraft {
  name: string;
  path: string[];
  fields: { attribute: string; annotation: string; sensitive: boolean }[];
}

/** The dataclasses (innermost first, so each is defined before it is used) and the tree `_build` walks. */
function classesOf(tree: PortableSchema['tree']): { classes: ClassDraft[]; root: string } {
  const classes: ClassDraft[] = [];
  const names = new Set<string>();
  const visit = (nodes: readonly (PortableField | PortableGroup)[], path: string[]): string => {
    let name = `${pascalCase(path)}Config`;
    for (let n = 2; names.has(name); n++) name = `${pascalCase(path)}Config${n}`;
    names.add(name);
    const draft: ClassDraft = { name, path, fields: [] };
    const children: string[] = [];
    const attributes = new Map<string, string>();
    for (const node of nodes) {
      const attribute = snakeCase(node.segment);
      const clash = attributes.get(attribute);
      if (clash !== undefined) {
        throw new Error(
          `keys ${clash} and ${node.key} are both '${attribute}' in snake_case; rename one of them in the schema`,
        );
      }
      attributes.set(attribute, node.key);
      if (node.kind === 'group') {
        const child = visit(node.children, [...path, node.segment]);
        draft.fields.push({ attribute, annotation: child, sensitive: false });
        children.push(`(${JSON.stringify(attribute)}, ${child}_TREE)`);
      } else {
        const base = { string: 'str', integer: 'int', number: 'float', boolean: 'bool', unknown: 'object' }[
          node.type
        ];
        draft.fields.push({
          attribute,
          annotation: node.optional ? `Optional[${base}]` : base,
          sensitive: node.sensitive,
        });
        children.push(`(${JSON.stringify(attribute)}, ${JSON.stringify(node.key)})`);
      }
    }
    (draft as ClassDraft & { tree: string }).tree = `(${name}, [${children.join(', ')}])`;
    classes.push(draft);
    return name;
  };
  const root = visit(tree, []);
  return { classes, root };
}

function classSource(draft: ClassDraft & { tree?: string }, title: string): string {
  const sensitive = draft.fields.filter((field) => field.sensitive).map((field) => field.attribute);
  const where = draft.path.length > 0 ? `'${draft.path.join('.')}'` : `the ${title} configuration`;
  const lines = [
    '@dataclass(frozen=True, repr=False)',
    `class ${draft.name}:`,
    `    """${draft.path.length > 0 ? 'The settings of ' : ''}${where}${draft.path.length > 0 ? '' : ' (frozen)'}.${sensitive.length > 0 ? ' Sensitive fields print as [redacted].' : ''}"""`,
    '',
    ...draft.fields.map((field) => `    ${field.attribute}: ${field.annotation}`),
    '',
    '    def __repr__(self):',
    `        return _redacted_repr(self, ${pyCompact(sensitive)})`,
    '',
    '    __str__ = __repr__',
    '',
    '',
    `${draft.name}_TREE = ${draft.tree}`,
  ];
  return lines.join('\n');
}

/**
 * The Python module for `schema`.
 *
 * @example
 * const { source, notChecked } = generatePython(schema, { schemaSpec: '@netra/backend-schema#netraBackendSchema' });
 */
export function generatePython(schema: ConfigSchema, options: GeneratePythonOptions): GeneratedModule {
  const portable = portableSchema(schema);
  const { data, notChecked, patterns } = translate(portable);
  const notCheckedLines = [...notChecked].map(
    ([what, environments]) =>
      `${what} (${portable.environments.filter((environment) => environments.has(environment)).join(', ')})`,
  );
  const { classes, root } = classesOf(portable.tree);
  const header = [
    `"""${portable.title}: configuration loader generated from the schema by netra-verify. Do not edit.`,
    '',
    'Regenerate with:',
    `    netra-verify codegen python --schema ${options.schemaSpec} --out <this file>`,
    '',
    'It reads, checks and reports exactly as @netra/config-schema does (the same issues: severity, code, key,',
    'variable, message, hint; never a value), with the Python standard library only (3.9+):',
    '',
    '    ok, config, issues = safe_load()          # os.environ, ENVIRONMENT',
    '    config = load()                           # raises ConfigError (.issues) when invalid',
    '',
    notCheckedLines.length === 0
      ? 'Not checked in Python: nothing (every rule of the schema is translated).'
      : 'Not checked in Python (custom code the generator cannot translate; the TypeScript loader checks them):',
    ...notCheckedLines.map((line) => `  - ${line}`),
    '"""',
    '',
    'import hashlib',
    'import json',
    'import math',
    'import os',
    'import re',
    'import sys',
    'import unicodedata',
    'from dataclasses import dataclass',
    'from typing import Optional',
    '',
    `__all__ = ["ConfigError", "NOT_CHECKED_IN_PYTHON", "format_issues", "load", "safe_load", "summarize_issues", ${pyCompact(root)}]`,
    '',
    `NOT_CHECKED_IN_PYTHON = ${py(notCheckedLines)}`,
    '',
    `_ENVIRONMENTS = ${pyCompact(portable.environments)}`,
    `_ENVIRONMENT_ALIASES = ${py(portable.environmentAliases)}`,
    '',
  ].join('\n');
  const body = [
    header,
    PYTHON_RUNTIME.trim(),
    '',
    '',
    ...classes.map((draft) => `${classSource(draft, portable.title)}\n\n`),
    `_ROOT = ${root}_TREE`,
    '',
    `_PATTERNS = ${py(patterns)}`,
    '',
    `_COMPILED = {environment: _compile(environment, data) for environment, data in ${py(data)}.items()}`,
    '',
  ].join('\n');
  return { source: body, notChecked: notCheckedLines };
}
