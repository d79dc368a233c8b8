import { ApiError, Status } from './status.ts';

/** A compiled list filter over a Secret or SecretVersion message. */
export type Filter = (message: Record<string, unknown>) => boolean;

type Atom = (message: Record<string, unknown>) => boolean;

const SECRET_FIELDS = ['name', 'labels', 'annotations', 'create_time', 'createTime'];
const VERSION_FIELDS = ['name', 'state', 'create_time', 'createTime'];

function fieldValue(message: Record<string, unknown>, field: string): unknown {
  const [head, ...rest] = field.split('.');
  const key = head === 'create_time' ? 'createTime' : head!;
  let value: unknown = message[key];
  for (const part of rest) {
    value =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

function timestampSeconds(value: unknown): number | undefined {
  if (typeof value === 'object' && value !== null && 'seconds' in value) {
    const { seconds, nanos } = value as { seconds: string; nanos?: number };
    return Number(seconds) + (nanos ?? 0) / 1e9;
  }
  return undefined;
}

function unquote(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1) : value;
}

/** `name:abc` has-substring (trailing `*` = prefix), `labels.env=prod`, `labels.env:*`, `state:ENABLED`, `create_time>…`. */
function compileAtom(text: string, fields: string[]): Atom {
  const match = /^(-|NOT\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(<=|>=|!=|=|:|<|>)\s*(.+)$/.exec(text);
  if (!match) throw new ApiError(Status.INVALID_ARGUMENT, `Invalid filter term "${text}".`);
  const [, negation, field, operator, rawValue] = match as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
  ];
  const root = field.split('.')[0]!;
  if (!fields.includes(root)) {
    throw new ApiError(
      Status.INVALID_ARGUMENT,
      `Invalid filter field "${field}": supported fields are ${fields.filter((f) => f !== 'createTime').join(', ')}.`,
    );
  }
  const value = unquote(rawValue.trim());
  let atom: Atom;
  if (root === 'create_time' || root === 'createTime') {
    const bound = Date.parse(value) / 1000;
    if (Number.isNaN(bound))
      throw new ApiError(Status.INVALID_ARGUMENT, `Invalid timestamp "${value}" in filter.`);
    atom = (message) => {
      const seconds = timestampSeconds(message['createTime']) ?? 0;
      switch (operator) {
        case '<':
          return seconds < bound;
        case '<=':
          return seconds <= bound;
        case '>':
          return seconds > bound;
        case '>=':
          return seconds >= bound;
        case '!=':
          return seconds !== bound;
        default:
          return seconds === bound;
      }
    };
  } else {
    atom = (message) => {
      const actual = fieldValue(message, field);
      if (operator === ':' && value === '*') return actual !== undefined && actual !== '';
      if (typeof actual !== 'string') return false;
      // Names are matched from the secret ID on, as in the docs' `name:my-secret`.
      const target = root === 'name' ? actual.slice(actual.lastIndexOf('/secrets/') + 9) : actual;
      switch (operator) {
        case ':':
          return value.endsWith('*') ? target.startsWith(value.slice(0, -1)) : target.includes(value);
        case '=':
          return target === value;
        case '!=':
          return target !== value;
        default:
          throw new ApiError(
            Status.INVALID_ARGUMENT,
            `Operator "${operator}" is not supported for ${field}.`,
          );
      }
    };
  }
  return negation ? (message) => !atom(message) : atom;
}

/**
 * A subset of the list filter syntax (AIP-160, as Secret Manager documents it): terms joined by spaces or
 * `AND`, alternatives joined by `OR` (which binds tighter, as in AIP-160), `-`/`NOT` negation.
 */
export function parseFilter(filter: string, kind: 'secrets' | 'versions'): Filter {
  const fields = kind === 'secrets' ? SECRET_FIELDS : VERSION_FIELDS;
  const tokens = filter.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const conjunction: Atom[][] = [];
  let expectAlternative = false;
  let negateNext = false;
  for (const token of tokens) {
    if (token === 'AND') continue;
    if (token === 'OR') {
      if (conjunction.length === 0)
        throw new ApiError(Status.INVALID_ARGUMENT, `Invalid filter "${filter}".`);
      expectAlternative = true;
      continue;
    }
    if (token === 'NOT') {
      negateNext = true;
      continue;
    }
    const atom = compileAtom(negateNext ? `-${token}` : token, fields);
    negateNext = false;
    if (expectAlternative) conjunction.at(-1)!.push(atom);
    else conjunction.push([atom]);
    expectAlternative = false;
  }
  if (expectAlternative || negateNext)
    throw new ApiError(Status.INVALID_ARGUMENT, `Invalid filter "${filter}".`);
  return (message) => conjunction.every((alternatives) => alternatives.some((atom) => atom(message)));
}
