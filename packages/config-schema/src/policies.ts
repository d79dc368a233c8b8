import type { Rule, RuleContext } from './dsl.ts';
import { LOOPBACK_HOST_SOURCE } from './hosts.ts';
import { markPortable } from './portable-marks.ts';
import type { EnvironmentSelector } from './types.ts';

// Every policy checks with the very regular expression it exports as JSON Schema (compiled with the `u`
// flag, as ajv does), so the JSON Schema and the loader cannot drift apart.

const DEPLOYED: readonly EnvironmentSelector[] = ['deployed'];

/** A policy's rule, with what it does recorded for the code generators (keyed by its `check`). */
function portableRule(meta: Parameters<typeof markPortable>[1], rule: Rule): Rule {
  markPortable(rule.check, meta);
  return rule;
}

/** `ci('ab')` → `[aA][bB]`: case-insensitive patterns without flags, which JSON Schema does not have. */
function ci(word: string): string {
  return [...word]
    .map((char) => {
      const lower = char.toLowerCase();
      const upper = char.toUpperCase();
      if (lower !== upper) return `[${lower}${upper}]`;
      return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
}

const LOOPBACK_HOST = LOOPBACK_HOST_SOURCE;
const LOOPBACK_HOST_PATTERN = `^${LOOPBACK_HOST}$`;
const LOOPBACK_URL_PATTERN = `^[hH][tT][tT][pP][sS]?://${LOOPBACK_HOST}([:/?#]|$)`;

/** Options of the environment policies. */
export interface PolicyOptions {
  /** Where the policy applies. @default ['deployed'] */
  environments?: readonly EnvironmentSelector[];
}

/**
 * Refuses loopback hosts (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`, `0.0.0.0`); a Cloud SQL socket
 * `/cloudsql/PROJECT:REGION:INSTANCE` is allowed. With `url: true` it checks the host of a URL.
 * Code `loopback-host`.
 *
 * @example
 * variable({ name: 'DATABASE_HOST', schema: host(), rules: [notLoopbackHost()], description: '…' });
 */
export function notLoopbackHost(options: PolicyOptions & { url?: boolean } = {}): Rule {
  const pattern = options.url ? LOOPBACK_URL_PATTERN : LOOPBACK_HOST_PATTERN;
  const regex = new RegExp(pattern, 'u');
  return portableRule(
    { policy: 'not-loopback', url: options.url ?? false, pattern },
    {
      id: options.url ? 'not-loopback-url' : 'not-loopback-host',
      description: options.url
        ? 'its host is not loopback (localhost, 127.0.0.0/8, ::1, 0.0.0.0)'
        : 'not loopback (localhost, 127.0.0.0/8, ::1, 0.0.0.0); /cloudsql/ sockets allowed',
      environments: options.environments ?? DEPLOYED,
      check(value, context) {
        if (!regex.test(value)) return undefined;
        const where = options.url ? `points at a loopback host` : `is a loopback address (${value})`;
        return {
          code: 'loopback-host',
          message: `${context.variable} ${where}; in ${context.environment} nothing listens there`,
          hint: options.url
            ? `Set ${context.variable} to the public https URL of the ${context.environment} deployment.`
            : `Set ${context.variable} to the ${context.environment} server's private IP or host name (for Cloud SQL: /cloudsql/PROJECT:REGION:INSTANCE).`,
        };
      },
      jsonSchema: { not: { pattern } },
    },
  );
}

const HTTPS_PATTERN = '^[hH][tT][tT][pP][sS]://';

/**
 * Requires an `https://` URL. Code `invalid`.
 *
 * @example
 * variable({ name: 'CALLBACK_URL', schema: httpUrl(), rules: [httpsUrl()], description: '…' });
 */
export function httpsUrl(options: PolicyOptions = {}): Rule {
  const regex = new RegExp(HTTPS_PATTERN, 'u');
  return portableRule(
    { policy: 'https-url', pattern: HTTPS_PATTERN },
    {
      id: 'https-url',
      description: 'https',
      environments: options.environments ?? DEPLOYED,
      check(value, context) {
        if (regex.test(value)) return undefined;
        return {
          code: 'invalid',
          message: `${context.variable} is not an https URL; ${context.environment} serves only https`,
          hint: `Use the https:// URL of the ${context.environment} deployment.`,
        };
      },
      jsonSchema: { pattern: HTTPS_PATTERN },
    },
  );
}

/** Values that are known placeholders, compared case-insensitively. */
export const PLACEHOLDERS: readonly string[] = [
  'changeme',
  'change-me',
  'change_me',
  'replaceme',
  'replace-me',
  'replace_me',
  'secret',
  'password',
  'passw0rd',
  'default',
  'dev',
  'development',
  'test',
  'testing',
  'example',
  'placeholder',
  'dummy',
  'fake',
  'todo',
  'tbd',
  'xxx',
  'none',
  'null',
  'undefined',
  'admin',
  'postgres',
  'redis',
  '123456',
];

const PLACEHOLDER_PATTERN = [
  `^(${PLACEHOLDERS.map(ci).join('|')})$`, // a known placeholder word
  '^<[\\s\\S]*>$', // <secure-staging-api-token>, the report's own template
  '^\\$\\{[\\s\\S]*\\}$', // ${API_TOKEN}, an unexpanded shell variable
  '^\\{\\{[\\s\\S]*\\}\\}$', // {{ api_token }}, an unrendered template
  `^${ci('your')}[-_]`, // your-secret-here
  `${ci('changeme')}|${ci('change-me')}|${ci('change_me')}|${ci('replace-me')}|${ci('replace_me')}`,
].join('|');

const LONGEST_PLACEHOLDER = Math.max(...PLACEHOLDERS.map((word) => word.length));

/**
 * A cheap necessary condition for PLACEHOLDER_PATTERN (which is slow on long values): a short value, a
 * template's first character, or one of the substrings the unanchored alternatives look for.
 */
function mayBePlaceholder(value: string): boolean {
  if (value.length <= LONGEST_PLACEHOLDER) return true;
  const first = value.charCodeAt(0);
  // '<', '$', '{', 'y', 'Y'
  if (first === 0x3c || first === 0x24 || first === 0x7b || first === 0x79 || first === 0x59) return true;
  return CHANGE_OR_REPLACE.test(value);
}

const CHANGE_OR_REPLACE = /[cC][hH][aA][nN][gG][eE]|[rR][eE][pP][lL][aA][cC][eE]/;

/**
 * Refuses placeholder values: known words (`changeme`, `secret`, `password`…), templates (`<…>`, `${…}`,
 * `{{…}}`, `your-…`), and the variable's own development/test default. Code `placeholder`.
 *
 * @example
 * variable({ name: 'API_TOKEN', schema: text(), sensitive: true, rules: [noPlaceholder()], description: '…' });
 */
export function noPlaceholder(options: PolicyOptions = {}): Rule {
  const regex = new RegExp(PLACEHOLDER_PATTERN, 'u');
  return portableRule(
    { policy: 'no-placeholder', pattern: PLACEHOLDER_PATTERN },
    {
      id: 'no-placeholder',
      description: 'not a placeholder (changeme, secret, <…>, the development default…)',
      environments: options.environments ?? DEPLOYED,
      check(value, context) {
        const isDefault = context.developmentDefaults.includes(value);
        if (!isDefault && !mayBePlaceholder(value)) return undefined;
        if (!isDefault && !regex.test(value)) return undefined;
        return {
          code: 'placeholder',
          message: isDefault
            ? `${context.variable} is the development default, which is public`
            : `${context.variable} is a placeholder, not a real value`,
          hint: placeholderHint(context),
        };
      },
      jsonSchema: (context) => placeholderJsonSchema(context.developmentDefaults),
    },
  );
}

function placeholderHint(context: RuleContext): string {
  if (!context.sensitive) return `Set ${context.variable} to the real ${context.environment} value.`;
  return obtainHint(context);
}

/**
 * How to replace a sensitive value, fitted to where real values come from: generated ones with their command
 * piped into a new secret version (without the trailing newline), provider-issued ones copied from the provider.
 * A hint that ends in a command has no full stop (it would be copied with the command).
 */
function obtainHint(context: RuleContext): string {
  const secret = context.secret?.secret;
  const obtain = context.obtain;
  if (obtain && 'generate' in obtain) {
    return secret
      ? `Generate a new value and store it as a new version of ${secret}: ${obtain.generate} | tr -d '\\n' | gcloud secrets versions add ${secret} --data-file=-`
      : `Generate a new value (${obtain.generate}) and set ${context.variable} to it.`;
  }
  const store = secret
    ? `store it as a new version of ${secret}: printf '%s' "$VALUE" | gcloud secrets versions add ${secret} --data-file=-`
    : `set ${context.variable} to it.`;
  if (obtain) return `Copy the real value from ${obtain.copyFrom} and ${store}`;
  return `Take the real ${context.environment} value of ${context.variable} and ${store}`;
}

// The development defaults are exact strings; the rest is the same pattern.
function placeholderJsonSchema(developmentDefaults: readonly string[]): Record<string, unknown> {
  if (developmentDefaults.length === 0) return { not: { pattern: PLACEHOLDER_PATTERN } };
  return { not: { anyOf: [{ pattern: PLACEHOLDER_PATTERN }, { enum: [...developmentDefaults] }] } };
}

/** Length in code points, as JSON Schema's minLength counts (without allocating an array). */
function codePoints(value: string): number {
  let count = value.length;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < value.length) {
      const next = value.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        index++;
      }
    }
  }
  return count;
}

const COMMON_WORDS = [
  'password',
  'passw0rd',
  'qwerty',
  'letmein',
  'admin',
  'welcome',
  'iloveyou',
  'postgres',
  'redis',
  'secret',
  'changeme',
  'abc',
];
// Repetitions of a short unit (aaaa…, abcabc…), only digits, or a common word repeated with digits after it.
const GUESSABLE_PATTERN = [
  '^([\\s\\S]{1,8})\\1+$',
  '^[0-9]+$',
  `^(${COMMON_WORDS.map(ci).join('|')})+[0-9!@#$%.]*$`,
].join('|');

/**
 * Minimum strength: at least `minLength` characters and not guessable (a repeated short unit, digits only,
 * a common word plus digits). Code `weak-secret`.
 *
 * @example
 * variable({ name: 'SESSION_SECRET', schema: text(), sensitive: true, rules: [minStrength(32)], description: '…' });
 */
export function minStrength(minLength: number, options: PolicyOptions = {}): Rule {
  const regex = new RegExp(GUESSABLE_PATTERN, 'u');
  return portableRule(
    { policy: 'min-strength', minLength, pattern: GUESSABLE_PATTERN },
    {
      id: `min-strength-${minLength}`,
      description: `at least ${minLength} characters, not guessable`,
      environments: options.environments ?? DEPLOYED,
      check(value, context) {
        const length = codePoints(value);
        // A provider-issued value is not generated here: a short one was cut off when it was copied.
        const issued = context.obtain && 'copyFrom' in context.obtain ? obtainHint(context) : undefined;
        const generate = `openssl rand -base64 ${Math.ceil((minLength * 3) / 4) + 3}`;
        if (length < minLength) {
          return {
            code: 'weak-secret',
            message: `${context.variable} is ${length} characters long; ${context.environment} needs at least ${minLength}`,
            hint: issued ?? `Generate one: ${generate} and store it in ${context.variable}'s secret.`,
          };
        }
        if (regex.test(value)) {
          return {
            code: 'weak-secret',
            message: `${context.variable} is guessable (a repeated pattern, only digits, or a common word)`,
            hint: issued ?? `Generate a random value: ${generate}.`,
          };
        }
        return undefined;
      },
      jsonSchema: { minLength, not: { pattern: GUESSABLE_PATTERN } },
    },
  );
}

const BASE64URL_CHARS = /^[A-Za-z0-9_=-]*$/u;

/** A shell command that prints `bytes` random bytes as url-safe base64 (`32`: a Fernet key). */
export function base64UrlBytesCommand(bytes: number): string {
  return `python3 -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(${bytes})).decode())"`;
}

/**
 * URL-safe base64 (`A–Z a–z 0–9 - _`, `=` padded) that decodes to exactly `bytes` bytes — a Fernet key is
 * `base64UrlBytes(32)`: 44 characters ending in `=`. Applies in every environment unless told otherwise.
 * Code `invalid`, with the exact fault: standard alphabet (`+`/`/`), missing padding, or the decoded length.
 *
 * @example
 * variable({ name: 'ENCRYPTION_KEY', schema: text(), sensitive: true, rules: [base64UrlBytes(32)], description: '…' });
 */
export function base64UrlBytes(
  bytes: number,
  options: { environments?: readonly EnvironmentSelector[] } = {},
): Rule {
  const length = 4 * Math.ceil(bytes / 3);
  const padding = (3 - (bytes % 3)) % 3;
  const pattern = `^[A-Za-z0-9_-]{${length - padding}}${'='.repeat(padding)}$`;
  const regex = new RegExp(pattern, 'u');
  const generate = base64UrlBytesCommand(bytes);
  return portableRule(
    { policy: 'base64url-bytes', bytes, pattern, command: generate },
    {
      id: `base64url-${bytes}-bytes`,
      description: `url-safe base64 of exactly ${bytes} bytes (${length} characters${padding ? `, ending in ${'='.repeat(padding)}` : ''})`,
      ...(options.environments ? { environments: options.environments } : {}),
      check(value, context) {
        if (regex.test(value)) return undefined;
        const fail = (message: string, hint: string) => ({
          code: 'invalid' as const,
          message: `${context.variable} ${message}`,
          hint,
        });
        if (/[+/]/.test(value)) {
          return fail(
            'uses the standard base64 alphabet (+ or /); it must be url-safe base64',
            `Replace + with - and / with _ (the bytes stay the same), or generate a new key: ${generate}`,
          );
        }
        if (!BASE64URL_CHARS.test(value)) {
          return fail(
            'contains characters outside url-safe base64 (A-Z a-z 0-9 - _ =)',
            `Generate a key: ${generate}`,
          );
        }
        const unpadded = value.replace(/=+$/, '');
        const decoded = Math.floor((unpadded.length * 3) / 4);
        if (decoded === bytes && value.length !== length) {
          return fail(
            `is missing its '=' padding (${value.length} characters, expected ${length})`,
            `Append ${'='.repeat(length - value.length)} or generate a key: ${generate}`,
          );
        }
        return fail(
          `decodes to ${decoded} bytes; expected exactly ${bytes} (${length} characters)`,
          `Generate a key: ${generate}`,
        );
      },
      jsonSchema: { pattern },
    },
  );
}

/**
 * Refuses a JSON object where a single value belongs — above all a whole Google `client_secret.json` pasted
 * into a client ID or secret variable — and says which `?field=` to bind instead; for the JSON of an
 * `installed` (Desktop app) client, that a web backend needs a "Web application" client. Exclusive: no other
 * message for the variable. Code `invalid`.
 *
 * @example
 * variable({ name: 'GOOGLE_OAUTH_CLIENT_ID', rules: [notJsonDocument({ field: 'client_id' })], … });
 */
export function notJsonDocument(options: {
  field: string;
  environments?: readonly EnvironmentSelector[];
}): Rule {
  return portableRule(
    { policy: 'not-json-document', field: options.field },
    {
      id: 'not-json-document',
      description: `a single value, not a JSON document (bind one field with ?field=web.${options.field})`,
      ...(options.environments ? { environments: options.environments } : {}),
      exclusive: true,
      check(value, context) {
        if (!value.startsWith('{')) return undefined;
        const kind = googleClientJsonKind(value);
        const reference = `${context.variable}=sm://PROJECT/SECRET?field=web.${options.field}`;
        if (kind === 'installed') {
          // Like @netra/oauth-config's parseGoogleClientSecretJson: a desktop client cannot serve a web backend
          // (no redirect URIs or JavaScript origins), so binding one of its fields would only fail later.
          return {
            code: 'invalid',
            message: `${context.variable} holds a whole Google client_secret.json of an "installed" (Desktop app) OAuth client; a web backend needs a "Web application" client`,
            hint: `Create a "Web application" OAuth client (Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Web application"), store its client_secret.json in Secret Manager and set ${reference}, or store its ${options.field} alone in its own secret.`,
          };
        }
        return {
          code: 'invalid',
          message: kind
            ? `${context.variable} holds a whole Google client_secret.json (a "web" client), not the ${options.field}`
            : `${context.variable} holds a JSON document, not a single value`,
          hint: `Set ${reference} to take the one field from the JSON secret, or store the ${options.field} alone in its own secret.`,
        };
      },
      jsonSchema: { not: { pattern: '^\\{' } },
    },
  );
}

function googleClientJsonKind(value: string): 'web' | 'installed' | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || typeof parsed !== 'object') return undefined;
    if (Object.hasOwn(parsed, 'web')) return 'web';
    if (Object.hasOwn(parsed, 'installed')) return 'installed';
  } catch {
    // Not JSON at all: still a document-shaped value, reported generically.
  }
  return undefined;
}
