import { z } from 'zod';

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
  return withFastParse(
    expecting(z.string().regex(PORT).transform(Number), 'an integer from 1 to 65535'),
    matching(PORT, Number),
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
  return withFastParse(
    expecting(
      z.enum(BOOLEAN_VALUES).transform((value) => BOOLEAN_TRUE.includes(value)),
      'true or false (also 1/0, yes/no, on/off)',
    ),
    (value) => (values.has(value) ? BOOLEAN_TRUE.includes(value) : PARSE_FAILED),
  ) as unknown as z.ZodType<boolean, string>;
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
  return withFastParse(expecting(z.enum(values), `one of ${values.join(', ')}`), (value) =>
    allowed.has(value) ? value : PARSE_FAILED,
  ) as unknown as z.ZodType<T[number], string>;
}

/**
 * Any non-empty string (empty strings never reach a schema: they count as not set).
 *
 * @example
 * variable({ name: 'DATABASE_USER', schema: text(), description: 'Database user' });
 */
export function text(): z.ZodType<string, string> {
  return withFastParse(expecting(z.string(), 'a string'), (value) => value);
}

const HTTP_URL =
  /^[hH][tT][tT][pP][sS]?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:[0-9]{1,5})?([/?#][^\s]*)?$/;

/**
 * An absolute `http://` or `https://` URL without credentials or whitespace. (A regular expression rather
 * than `new URL()`, so the exported JSON Schema checks exactly the same thing.)
 *
 * @example
 * variable({ name: 'API_BASE_URL', schema: httpUrl(), description: 'Public URL of the API' });
 */
export function httpUrl(): z.ZodType<string, string> {
  return withFastParse(
    expecting(z.string().regex(HTTP_URL), 'an absolute http(s) URL such as https://api.example.com'),
    matching(HTTP_URL),
  );
}

const HOST =
  /^(\/cloudsql\/[A-Za-z0-9._-]+:[A-Za-z0-9-]+:[A-Za-z0-9-]+|\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9._-]+)$/;

/**
 * A host name, IP address, or Cloud SQL unix-socket directory `/cloudsql/PROJECT:REGION:INSTANCE`.
 *
 * @example
 * variable({ name: 'DATABASE_HOST', schema: host(), description: 'PostgreSQL host' });
 */
export function host(): z.ZodType<string, string> {
  return withFastParse(
    expecting(z.string().regex(HOST), 'a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE'),
    matching(HOST),
  );
}

const GOOGLE_CLIENT_ID = /^[A-Za-z0-9-]+\.apps\.googleusercontent\.com$/;

/**
 * A Google OAuth client ID: `<digits>-<id>.apps.googleusercontent.com`.
 *
 * @example
 * variable({ name: 'GOOGLE_OAUTH_CLIENT_ID', schema: googleClientId(), description: 'OAuth client' });
 */
export function googleClientId(): z.ZodType<string, string> {
  return withFastParse(
    expecting(z.string().regex(GOOGLE_CLIENT_ID), 'a Google client ID ending in .apps.googleusercontent.com'),
    matching(GOOGLE_CLIENT_ID),
  );
}
