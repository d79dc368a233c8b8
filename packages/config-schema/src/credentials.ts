import { REDACTED } from './config-object.ts';
import { fingerprint } from './format.ts';
import type { Issue } from './types.ts';

/*
 * The one implementation of "a message never quotes a credential", used by the loader, the secrets loader, the
 * verifier and the service (through formatIssues and redactIssues):
 * - URL and host userinfo (`netra:PASSWORD@10.0.0.5`, `:PASSWORD@host`, `https:\\user:pw@host`) and
 *   `password=`-style query parts are masked: `netra:****@10.0.0.5`, `?password=****`;
 * - a value equal to (or containing) a sensitive setting's value in the same input is never quoted;
 * - values of known credential shapes — `GOCSPX-`, `AIza`, `sk_live_`, PEM blocks, JWTs, long random-looking
 *   strings — are shown as a fingerprint.
 */

/** What a masked credential part reads as. */
export const MASK = '****';

interface Shape {
  label: string;
  /** Matches the whole value; `text` (global) finds it inside a message. */
  value: RegExp;
  text: RegExp;
}

const SHAPES: readonly Shape[] = [
  {
    label: 'a PEM private key',
    value: /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
    text: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  {
    label: 'a Google OAuth client secret (GOCSPX-…)',
    value: /^GOCSPX-[A-Za-z0-9_-]{8,}$/,
    text: /GOCSPX-[A-Za-z0-9_-]{8,}/g,
  },
  { label: 'a Google API key (AIza…)', value: /^AIza[0-9A-Za-z_-]{16,}$/, text: /AIza[0-9A-Za-z_-]{16,}/g },
  {
    label: 'a live or test API key (sk_live_…)',
    value: /^(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}$/,
    text: /(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}/g,
  },
  {
    label: 'a JWT',
    value: /^eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/,
    text: /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  },
  {
    label: 'an access token',
    value:
      /^(?:ya29\.[0-9A-Za-z_-]{16,}|gh[pousr]_[0-9A-Za-z]{20,}|xox[abprs]-[0-9A-Za-z-]{10,}|AKIA[0-9A-Z]{16})$/,
    text: /ya29\.[0-9A-Za-z_-]{16,}|gh[pousr]_[0-9A-Za-z]{20,}|xox[abprs]-[0-9A-Za-z-]{10,}|AKIA[0-9A-Z]{16}/g,
  },
];

/** Bits per character of `value`'s character distribution. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const TOKEN = /^[A-Za-z0-9+/=_.~-]+$/;

/** A long random-looking string: a key, a password or a token, whatever its provider. */
function looksRandom(value: string): boolean {
  if (value.length < 20 || !TOKEN.test(value)) return false;
  // Host names, URLs' parts and words joined by dots or dashes are not random: judge the longest run between them.
  const longest = value.split(/[.~-]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length < 20) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(longest)).length;
  if (/^[0-9a-f]{32,}$/i.test(longest)) return true;
  return classes === 3 && entropy(longest) >= 3.5;
}

/** The kind of credential `value` looks like, or `undefined`. */
export function credentialShape(value: string): string | undefined {
  const trimmed = value.trim();
  for (const shape of SHAPES) if (shape.value.test(trimmed)) return shape.label;
  return looksRandom(trimmed) ? 'a long random-looking value' : undefined;
}

// A token holding an `@`: the userinfo is what precedes its last `@`.
// (ASCII whitespace spelled out: the generated Python loader must match the same characters.)
const AT_TOKEN = /[^ \t\n\r\f\v'"`()<>,]*@[^ \t\n\r\f\v'"`()<>,]*/g;
// `NAME=` before it (a hint's `Set X=…`), then a scheme followed by slashes or backslashes.
const LEAD = /^(?:[A-Za-z_][A-Za-z0-9_]*=)?(?:[A-Za-z][A-Za-z0-9+.-]*:[\\/]+)?/;
const HAS_SCHEME = /^(?:[A-Za-z_][A-Za-z0-9_]*=)?[A-Za-z][A-Za-z0-9+.-]*:[\\/]+$/;
// `password=…`-style parts of a query or a connection string.
const SECRET_PARAMETER =
  /([?&;])((?:[A-Za-z0-9_.-]*?)(?:pass(?:word)?|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|auth|credentials?|sig(?:nature)?))=([^&;# \t\n\r\f\v'"`]*)/gi;

function maskUserinfo(token: string): string {
  const at = token.lastIndexOf('@');
  const head = token.slice(0, at);
  const lead = LEAD.exec(head)?.[0] ?? '';
  const userinfo = head.slice(lead.length);
  if (userinfo === '' || userinfo === REDACTED || userinfo === MASK) return token;
  const colon = userinfo.indexOf(':');
  // `user@host` without a scheme is an e-mail address (a service account), not a credential.
  if (colon < 0) return HAS_SCHEME.test(lead) ? `${lead}${MASK}${token.slice(at)}` : token;
  if (userinfo.slice(colon + 1) === MASK) return token;
  return `${lead}${userinfo.slice(0, colon)}:${MASK}${token.slice(at)}`;
}

/**
 * `text` with URL/host userinfo and `password=`-style query parts masked.
 *
 * @example
 * maskCredentials('netra:hunter2@10.0.0.5');        // 'netra:****@10.0.0.5'
 * maskCredentials('localhost?password=hunter2&x=1'); // 'localhost?password=****&x=1'
 */
export function maskCredentials(text: string): string {
  return text.replace(AT_TOKEN, maskUserinfo).replace(SECRET_PARAMETER, `$1$2=${MASK}`);
}

/** Options of {@link displayValue} and {@link redactText}. */
export interface RedactOptions {
  /** Values of the sensitive settings in the same input: never quoted, wherever they appear. @default [] */
  secrets?: Iterable<string>;
}

const PRINTABLE = /^[\x20-\x7e]{1,60}$/;

/**
 * How a message may show `value`: quoted (`'10.0.0.5'`, credentials masked), as a fingerprint when it looks like a
 * credential, `[redacted]` when it is (or contains) a sensitive setting's value, or `undefined` when it is too long
 * or not printable (say what is expected instead).
 *
 * @example
 * displayValue('netra:hunter2@10.0.0.5');          // "'netra:****@10.0.0.5'"
 * displayValue('GOCSPX-abcdefghijklmnop');          // 'a Google OAuth client secret (GOCSPX-…) (fingerprint 1a2b3c4d)'
 * displayValue('hunter2', { secrets: ['hunter2'] }); // '[redacted] (the value of a sensitive setting)'
 */
export function displayValue(value: string, options: RedactOptions = {}): string | undefined {
  for (const secret of options.secrets ?? []) {
    if (secret !== '' && (value === secret || (secret.length >= 4 && value.includes(secret)))) {
      return `${REDACTED} (the value of a sensitive setting)`;
    }
  }
  // Printable first: a PEM block or a long JWT is not shown at all.
  if (!PRINTABLE.test(value)) return undefined;
  const shape = credentialShape(value);
  if (shape) return `${shape} (fingerprint ${fingerprint(value)})`;
  const masked = maskCredentials(value).replace(
    /^((?:pass(?:word)?|pwd|secret|token)=)[^&; \t\n\r\f\v]*/i,
    `$1${MASK}`,
  );
  return `'${masked}'`;
}

// Shorter secrets cannot be told from the words of a message when they are not quoted.
const BARE_SECRET_MIN_LENGTH = 8;

/**
 * `text` (a message or hint) with every sensitive value of the input replaced by `[redacted]`, credentials masked
 * ({@link maskCredentials}) and credential-shaped strings shown as a fingerprint.
 */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  const secrets = [...new Set(options.secrets ?? [])]
    .filter((s) => s !== '')
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    // Quoted at any length; bare only when long enough not to be a word of the message.
    out = out.replaceAll(`'${secret}'`, REDACTED).replaceAll(`"${secret}"`, REDACTED);
    if (secret.length >= BARE_SECRET_MIN_LENGTH) out = out.replaceAll(secret, REDACTED);
  }
  for (const shape of SHAPES) {
    out = out.replace(shape.text, (match) => `[${shape.label}, fingerprint ${fingerprint(match)}]`);
  }
  return maskCredentials(out);
}

/** Issues with {@link redactText} applied to every message and hint (the other fields are names, not values). */
export function redactIssues<I extends Pick<Issue, 'message' | 'hint'>>(
  issues: readonly I[],
  options: RedactOptions = {},
): I[] {
  return issues.map((issue) => {
    const message = redactText(issue.message, options);
    const hint = redactText(issue.hint, options);
    return message === issue.message && hint === issue.hint ? issue : { ...issue, message, hint };
  });
}
