import { z } from 'zod';
import { CLOUD_SQL_SOCKET_SOURCE } from './hosts.ts';
import { markPortable } from './portable-marks.ts';

// Human descriptions of what a value schema expects ("an integer from 1 to 65535"): used in messages
// instead of zod's wording, and in the docs. Keyed by schema object so any zod schema can carry one.
const expectations = new WeakMap<object, string>();

// Direct parsers for the helpers' schemas, equivalent to the zod schema they are registered with (a property
// test checks that): loading calls them instead of zod's safeParse, which is most of a load's cost.
/** Returned by a direct parser for a value its schema rejects. */
export const PARSE_FAILED: unique symbol = Symbol('parse-failed');
type FastParse = (value: string) => unknown;
const fastParsers = new WeakMap<object, FastParse>();

/** The direct parser registered for a helper's schema, if any. */
export function fastParserOf(schema: z.ZodType): FastParse | undefined {
  return fastParsers.get(schema);
}

function withFastParse<S extends z.ZodType>(schema: S, parse: FastParse): S {
  fastParsers.set(schema, parse);
  return schema;
}

function matching(regex: RegExp, map: (value: string) => unknown = (value) => value): FastParse {
  return (value) => (regex.test(value) ? map(value) : PARSE_FAILED);
}

/** What a value schema expects, in words, if known. */
export function expectationOf(schema: z.ZodType): string | undefined {
  return expectations.get(schema);
}

/**
 * Attaches a human description of the expected value to a zod schema (used in messages and docs).
 *
 * @example
 * const region = expecting(z.string().regex(/^[a-z]+-[a-z]+\d$/), 'a Google Cloud region such as europe-west1');
 */
export function expecting<S extends z.ZodType>(schema: S, expectation: string): S {
  expectations.set(schema, expectation);
  return schema;
}

const PORT = /^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/;

/**
 * A TCP port: an integer from 1 to 65535 written without sign or leading zeros.
 *
 * @example
 * variable({ name: 'PORT', schema: port(), default: '8080', description: 'HTTP port' });
 */
export function port(): z.ZodType<number, string> {
  return markPortable(
    withFastParse(
      expecting(z.string().regex(PORT).transform(Number), 'an integer from 1 to 65535'),
      matching(PORT, Number),
    ),
    { type: 'port' },
  );
}

const BOOLEAN_TRUE = ['true', '1', 'yes', 'on'];
const BOOLEAN_VALUES = [...BOOLEAN_TRUE, 'false', '0', 'no', 'off'] as const;

/**
 * A boolean written `true`/`false`, `1`/`0`, `yes`/`no` or `on`/`off` (lower case).
 *
 * @example
 * variable({ name: 'REDIS_TLS', schema: boolean(), default: 'false', description: 'TLS to Redis' });
 */
export function boolean(): z.ZodType<boolean, string> {
  const values = new Set<string>(BOOLEAN_VALUES);
  const schema = withFastParse(
    expecting(
      z.enum(BOOLEAN_VALUES).transform((value) => BOOLEAN_TRUE.includes(value)),
      'true or false (also 1/0, yes/no, on/off)',
    ),
    (value) => (values.has(value) ? BOOLEAN_TRUE.includes(value) : PARSE_FAILED),
  );
  return markPortable(schema, {
    type: 'boolean',
    true: BOOLEAN_TRUE,
    false: BOOLEAN_VALUES.filter((value) => !BOOLEAN_TRUE.includes(value)),
  }) as unknown as z.ZodType<boolean, string>;
}

/**
 * One of a fixed list of strings.
 *
 * @example
 * variable({ name: 'LOG_LEVEL', schema: oneOf(['info', 'debug']), default: 'info', description: 'Log level' });
 */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodType<T[number], string> {
  const allowed = new Set<string>(values);
  const schema = withFastParse(expecting(z.enum(values), `one of ${values.join(', ')}`), (value) =>
    allowed.has(value) ? value : PARSE_FAILED,
  );
  return markPortable(schema, { type: 'one-of', values: [...values] }) as unknown as z.ZodType<
    T[number],
    string
  >;
}

/**
 * Any non-empty string (empty strings never reach a schema: they count as not set).
 *
 * @example
 * variable({ name: 'DATABASE_USER', schema: text(), description: 'Database user' });
 */
export function text(): z.ZodType<string, string> {
  return markPortable(
    withFastParse(expecting(z.string(), 'a string'), (value) => value),
    { type: 'text' },
  );
}

const HTTP_URL =
  /^[hH][tT][tT][pP][sS]?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:[0-9]{1,5})?([/?#][^\s]*)?$/;

/**
 * An absolute `http://` or `https://` URL without credentials or whitespace. (A regular expression rather
 * than `new URL()`, so the exported JSON Schema checks exactly the same thing.)
 *
 * @example
 * variable({ name: 'PUBLIC_URL', schema: httpUrl(), description: 'Public URL of the API' });
 */
export function httpUrl(): z.ZodType<string, string> {
  return markPortable(
    withFastParse(
      expecting(z.string().regex(HTTP_URL), 'an absolute http(s) URL such as https://api.example.com'),
      matching(HTTP_URL),
    ),
    { type: 'pattern', pattern: HTTP_URL.source, flags: HTTP_URL.flags },
  );
}

// A host variable holds where to connect and nothing else: a host name, an IPv4 or an (unbracketed) IPv6
// address, or for PostgreSQL a Cloud SQL socket directory. No port (`127.0.0.1:5432`), scheme (`http://db`) or
// brackets (`[::1]`): drivers would look those up as names and fail. Built as one regular expression so the
// exported JSON Schema `pattern` checks exactly the same thing.
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const IPV6 = (() => {
  const forms = [`(${H16}:){7}${H16}`, `(${H16}:){6}${IPV4}`];
  // `::` standing for one or more zero groups, with `left` groups before it; an IPv4 tail counts as two.
  for (let left = 0; left <= 7; left++) {
    const before = left === 0 ? '' : `${H16}(:${H16}){${left - 1}}`;
    forms.push(left === 7 ? `${before}::` : `${before}::(${H16}(:${H16}){0,${6 - left}})?`);
    if (left <= 5) forms.push(`${before}::(${H16}:){0,${5 - left}}${IPV4}`);
  }
  return `(${forms.join('|')})`;
})();
const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
// A name made only of digits and dots is an IPv4 address or nothing (`999.1.1.1`, `10.0.0`).
const HOST_NAME = `(?![0-9.]+$)${LABEL}(\\.${LABEL})*\\.?`;
const CLOUD_SQL = CLOUD_SQL_SOCKET_SOURCE;
const NETWORK_HOST = new RegExp(`^(${IPV4}|${IPV6}|${HOST_NAME})$`);
const HOST = new RegExp(`^(${CLOUD_SQL}|${IPV4}|${IPV6}|${HOST_NAME})$`);
// The same verdicts, checked one alternative at a time: V8 compiles a regular expression on its first use, and
// the IPv6 alternation makes the whole pattern cost milliseconds (twice at start-up, for each host default),
// while a host name, an IPv4 address or a socket directory is decided by a small one. Only a value with a `:`
// can be an IPv6 address, so only then is the whole pattern needed.
const HOST_NAME_ONLY = new RegExp(`^(${HOST_NAME})$`);
const IPV4_ONLY = new RegExp(`^(${IPV4})$`);
const CLOUD_SQL_ONLY = new RegExp(`^(${CLOUD_SQL})$`);

function hostMatcher(cloudSql: boolean): (value: string) => boolean {
  const whole = cloudSql ? HOST : NETWORK_HOST;
  return (value) =>
    HOST_NAME_ONLY.test(value) ||
    IPV4_ONLY.test(value) ||
    (cloudSql && CLOUD_SQL_ONLY.test(value)) ||
    (value.includes(':') && whole.test(value));
}

/** Options of {@link host}. */
export interface HostOptions {
  /**
   * Whether a Cloud SQL unix-socket directory `/cloudsql/PROJECT:REGION:INSTANCE` is accepted (PostgreSQL
   * only: Redis has no such socket).
   * @default true
   */
  cloudSql?: boolean;
  /**
   * The variable that holds the port, named in the hint of a rejected value (`127.0.0.1:5432` → "put the port in
   * DATABASE_PORT").
   * @default undefined (the hint says only that a host holds no port)
   */
  portVariable?: string;
}

// Hints for a rejected value more precise than "set it to <expectation>", keyed by schema like expectations.
const invalidHints = new WeakMap<object, (name: string, value: string) => string | undefined>();

/** A hint for a value a helper's schema rejects, if the helper knows better than its expectation. */
export function invalidHintOf(schema: z.ZodType, name: string, value: string): string | undefined {
  return invalidHints.get(schema)?.(name, value);
}

const HOST_AND_PORT = /^\[?([^\s[\]]*?)\]?:([0-9]+)$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s]*)/;

/**
 * A host name, an IPv4 or IPv6 address (unbracketed) or — unless `cloudSql: false` — a Cloud SQL unix-socket
 * directory `/cloudsql/PROJECT:REGION:INSTANCE`. Never a port, a scheme or brackets: the port has its own
 * variable, named by `portVariable` in the hint of a value such as `127.0.0.1:5432`.
 *
 * @example
 * variable({ name: 'DATABASE_HOST', schema: host({ portVariable: 'DATABASE_PORT' }), description: 'PostgreSQL host' });
 * variable({ name: 'REDIS_HOST', schema: host({ cloudSql: false, portVariable: 'REDIS_PORT' }), description: 'Redis host' });
 */
export function host(options: HostOptions = {}): z.ZodType<string, string> {
  const cloudSql = options.cloudSql ?? true;
  const regex = cloudSql ? HOST : NETWORK_HOST;
  const matches = hostMatcher(cloudSql);
  const expectation = cloudSql
    ? 'a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)'
    : 'a host name or an IP address (no port, scheme or brackets)';
  const schema = markPortable(
    withFastParse(expecting(z.string().regex(regex), expectation), (value) =>
      matches(value) ? value : PARSE_FAILED,
    ),
    {
      type: 'host',
      pattern: regex.source,
      cloudSql,
      expectation,
      ...(options.portVariable ? { portVariable: options.portVariable } : {}),
    },
  );
  const portHint = (name: string, port?: string) =>
    options.portVariable
      ? `put the port in ${options.portVariable}${port ? ` (${options.portVariable}=${port})` : ''}, not in ${name}`
      : `a host variable holds no port`;
  invalidHints.set(schema, (name, value) => {
    const scheme = SCHEME.exec(value);
    if (scheme) {
      const rest = scheme[1] ?? '';
      const [, bare, port] = HOST_AND_PORT.exec(rest) ?? [undefined, rest.replace(/^\[(.*)\]$/, '$1')];
      const hostPart = bare?.replace(/^.*@/, '') ?? '';
      return regex.test(hostPart)
        ? `Set ${name}=${hostPart}: no scheme (${value.slice(0, value.indexOf('://') + 3)})${port ? `; ${portHint(name, port)}` : ''}.`
        : `Set ${name} to ${expectation}, without a scheme; ${portHint(name)}.`;
    }
    const withPort = HOST_AND_PORT.exec(value);
    if (withPort && regex.test(withPort[1] ?? '')) {
      return `Set ${name}=${withPort[1]} and ${portHint(name, withPort[2])}.`;
    }
    const unbracketed = /^\[(.*)\]?$/.exec(value)?.[1]?.replace(/\]$/, '');
    if (unbracketed !== undefined && regex.test(unbracketed)) {
      return `Set ${name}=${unbracketed}: an IPv6 address goes without brackets; ${portHint(name)}.`;
    }
    return undefined;
  });
  return schema;
}

const GOOGLE_CLIENT_ID = /^[A-Za-z0-9-]+\.apps\.googleusercontent\.com$/;

/**
 * A Google OAuth client ID: `<digits>-<id>.apps.googleusercontent.com`.
 *
 * @example
 * variable({ name: 'GOOGLE_OAUTH_CLIENT_ID', schema: googleClientId(), description: 'OAuth client' });
 */
export function googleClientId(): z.ZodType<string, string> {
  return markPortable(
    withFastParse(
      expecting(
        z.string().regex(GOOGLE_CLIENT_ID),
        'a Google client ID ending in .apps.googleusercontent.com',
      ),
      matching(GOOGLE_CLIENT_ID),
    ),
    { type: 'pattern', pattern: GOOGLE_CLIENT_ID.source, flags: GOOGLE_CLIENT_ID.flags },
  );
}
