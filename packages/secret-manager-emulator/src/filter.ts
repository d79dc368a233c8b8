import { ApiError, Status } from './status.ts';

/**
 * List filters as Secret Manager documents them (https://cloud.google.com/secret-manager/docs/filtering,
 * the AIP-160 grammar): restrictions `FIELD OP VALUE` with `:` (has / contains, `*` = present),
 * `=`, `!=`, `<`, `<=`, `>`, `>=`; values with `*` wildcards (`name:APIKEY*production`); a list of
 * alternatives as a value (`state:(ENABLED OR DISABLED)`); `AND` (or a space), `OR` (which binds tighter,
 * as in AIP-160), `NOT` / `-`, and parentheses.
 */
export type Filter = (message: Record<string, unknown>) => boolean;

type Node = Filter;

/** The fields a filter may name (snake_case, as in the docs), by list. */
const FIELDS = {
  secrets: [
    'name',
    'labels',
    'annotations',
    'create_time',
    'expire_time',
    'replication',
    'topics',
    'rotation',
    'version_aliases',
    'version_destroy_ttl',
    'customer_managed_encryption',
    'secret_type',
  ],
  versions: ['name', 'state', 'create_time', 'destroy_time', 'scheduled_destroy_time', 'replication_status'],
} as const;

const MAP_FIELDS = new Set(['labels', 'annotations', 'version_aliases']);

const TIME_FIELDS = new Set([
  'create_time',
  'expire_time',
  'destroy_time',
  'scheduled_destroy_time',
  'rotation.next_rotation_time',
]);

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: '(' | ')' }
  | { kind: 'op'; text: string };

function invalid(filter: string, why: string): ApiError {
  return new ApiError(Status.INVALID_ARGUMENT, `Invalid filter "${filter}": ${why}`);
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // Values (after an operator, or in a value list after one) may contain ':' — timestamps do.
  let inValueList = false;
  while (i < filter.length) {
    const char = filter[i]!;
    const previous = tokens.at(-1);
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      if (char === '(' && previous?.kind === 'op') inValueList = true;
      if (char === ')') inValueList = false;
      tokens.push({ kind: char });
      i += 1;
    } else if ((previous?.kind === 'op' || inValueList) && char !== '"') {
      const word = /^[^\s()"]+/.exec(filter.slice(i))![0];
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    } else if (char === '"') {
      const end = filter.indexOf('"', i + 1);
      if (end < 0) throw invalid(filter, 'unterminated quoted string.');
      tokens.push({ kind: 'string', text: filter.slice(i + 1, end) });
      i = end + 1;
    } else {
      const op = /^(<=|>=|!=|=|:|<|>)/.exec(filter.slice(i));
      if (op) {
        tokens.push({ kind: 'op', text: op[1]! });
        i += op[1]!.length;
      } else {
        const word = /^[^\s()"<>=!:]+/.exec(filter.slice(i));
        if (!word) throw invalid(filter, `unexpected character "${char}".`);
        tokens.push({ kind: 'word', text: word[0] });
        i += word[0].length;
      }
    }
  }
  return tokens;
}

/** Walks a dotted snake_case path through a camelCase message; repeated fields fan out. */
function valuesAt(message: unknown, path: string): unknown[] {
  let current: unknown[] = [message];
  for (const part of path.split('.')) {
    const key = part.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      const record = value as Record<string, unknown>;
      // Map keys (labels.KEY) are used as given; message fields by their camelCase name.
      const child = Object.hasOwn(record, part) ? record[part] : record[key];
      if (child === undefined || child === null) continue;
      if (Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    current = next;
  }
  return current;
}

function seconds(value: unknown): number | undefined {
  if (value && typeof value === 'object' && 'seconds' in value) {
    const { seconds: whole, nanos } = value as { seconds: string | number; nanos?: number };
    return Number(whole) + (nanos ?? 0) / 1e9;
  }
  return undefined;
}

function wildcard(pattern: string, anchored: boolean): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(anchored ? `^${body}$` : body);
}

function compare(operator: string, actual: number, bound: number): boolean {
  switch (operator) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '!=':
      return actual !== bound;
    default:
      return actual === bound;
  }
}

function restriction(filter: string, field: string, operator: string, value: string): Node {
  if (TIME_FIELDS.has(field) && value !== '*') {
    const bound = Date.parse(value) / 1000;
    if (Number.isNaN(bound)) throw invalid(filter, `"${value}" is not an RFC 3339 timestamp or date.`);
    if (operator === ':') throw invalid(filter, `use <, <=, >, >=, = or != with ${field}.`);
    return (message) =>
      valuesAt(message, field).some((actual) => {
        const time = seconds(actual);
        return time !== undefined && compare(operator, time, bound);
      });
  }
  if (value === '*' && operator === ':') {
    // Presence: a set field (even an empty message, like replication.automatic {}); a map with entries.
    return (message) =>
      valuesAt(message, field).some((actual) =>
        MAP_FIELDS.has(field) && typeof actual === 'object'
          ? Object.keys(actual as object).length > 0
          : actual !== '',
      );
  }
  if (operator === '<' || operator === '>' || operator === '<=' || operator === '>=') {
    throw invalid(filter, `operator "${operator}" applies to timestamps only, not to ${field}.`);
  }
  // A map field itself (labels:KEY) asks whether the key is there.
  if (MAP_FIELDS.has(field) && operator === ':') {
    return (message) =>
      valuesAt(message, field).some(
        (map) => typeof map === 'object' && map !== null && Object.hasOwn(map, value),
      );
  }
  const pattern = wildcard(value, operator !== ':');
  const matches = (actual: unknown): boolean => {
    if (typeof actual !== 'string' && typeof actual !== 'number') return false;
    let text = String(actual);
    // Names are matched from the secret ID on (`name:mysecret`), as the docs' examples do.
    if (field === 'name') text = text.slice(text.lastIndexOf('/secrets/') + 9);
    return pattern.test(text);
  };
  if (operator === '!=') return (message) => !valuesAt(message, field).some(matches);
  return (message) => valuesAt(message, field).some(matches);
}

/**
 * Compiles a filter for `ListSecrets` (`kind` secrets) or `ListSecretVersions` (`kind` versions).
 *
 * @throws ApiError INVALID_ARGUMENT naming the problem.
 */
export function parseFilter(filter: string, kind: 'secrets' | 'versions'): Filter {
  const tokens = tokenize(filter);
  const fields: readonly string[] = FIELDS[kind];
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isWord = (token: Token | undefined, text: string): boolean =>
    token?.kind === 'word' && token.text === text;

  function value(): string {
    const token = tokens[position];
    if (token?.kind === 'word' || token?.kind === 'string') {
      position += 1;
      return token.text;
    }
    throw invalid(filter, 'a value is missing after an operator.');
  }

  function primary(): Node {
    const token = peek();
    if (token?.kind === '(') {
      position += 1;
      const inner = expression();
      if (peek()?.kind !== ')') throw invalid(filter, 'a parenthesis is not closed.');
      position += 1;
      return inner;
    }
    if (token?.kind !== 'word') throw invalid(filter, 'expected a field name.');
    position += 1;
    const field = token.text;
    const operator = peek();
    if (operator?.kind !== 'op') throw invalid(filter, `"${field}" is not a restriction (FIELD:VALUE).`);
    position += 1;
    const root = field.split('.')[0]!;
    if (!fields.includes(root)) {
      throw new ApiError(
        Status.INVALID_ARGUMENT,
        `Invalid filter field "${field}": supported fields are ${fields.join(', ')}.`,
      );
    }
    if (peek()?.kind === '(') {
      // A list of alternative values: state:(ENABLED OR DISABLED).
      position += 1;
      const alternatives: Node[] = [restriction(filter, field, operator.text, value())];
      while (isWord(peek(), 'OR')) {
        position += 1;
        alternatives.push(restriction(filter, field, operator.text, value()));
      }
      if (peek()?.kind !== ')') throw invalid(filter, 'a parenthesis is not closed.');
      position += 1;
      return (message) => alternatives.some((node) => node(message));
    }
    return restriction(filter, field, operator.text, value());
  }

  function factor(): Node {
    const token = peek();
    if (isWord(token, 'NOT')) {
      position += 1;
      const inner = factor();
      return (message) => !inner(message);
    }
    if (token?.kind === 'word' && token.text.startsWith('-') && token.text.length > 1) {
      tokens[position] = { kind: 'word', text: token.text.slice(1) };
      const inner = factor();
      return (message) => !inner(message);
    }
    return primary();
  }

  function disjunction(): Node {
    const alternatives = [factor()];
    while (isWord(peek(), 'OR')) {
      position += 1;
      alternatives.push(factor());
    }
    return alternatives.length === 1
      ? alternatives[0]!
      : (message) => alternatives.some((node) => node(message));
  }

  function expression(): Node {
    const terms = [disjunction()];
    for (;;) {
      const token = peek();
      if (token === undefined || token.kind === ')') break;
      if (isWord(token, 'AND')) position += 1;
      terms.push(disjunction());
    }
    return (message) => terms.every((node) => node(message));
  }

  if (tokens.length === 0) return () => true;
  if (isWord(tokens[0], 'OR') || isWord(tokens[0], 'AND'))
    throw invalid(filter, 'it starts with an operator.');
  const root = expression();
  if (position < tokens.length) throw invalid(filter, 'unbalanced parentheses.');
  return root;
}
