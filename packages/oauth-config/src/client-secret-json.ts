import { ClientSecretJsonError } from './errors.ts';
import { GOOGLE_ISSUER, type OAuthConfig } from './oauth-config.ts';
import { redacting } from './redact.ts';

/** Google's certificate URL, as written in every downloaded `client_secret.json`. */
export const GOOGLE_X509_CERT_URL = 'https://www.googleapis.com/oauth2/v1/certs';

/** The `web` client of a Google `client_secret.json`, camel-cased. `clientSecret` is redacted in JSON/inspect/String. */
export interface GoogleClientSecret {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly projectId: string | undefined;
  readonly authUri: string | undefined;
  readonly tokenUri: string | undefined;
  readonly authProviderX509CertUrl: string | undefined;
  readonly redirectUris: string[];
  readonly javascriptOrigins: string[];
}

/** Options of {@link toGoogleClientSecretJson}. */
export interface ToGoogleClientSecretJsonOptions {
  /**
   * The Google Cloud project that owns the client (`project_id`).
   * @default omitted
   * @example { projectId: 'netra-staging' }
   */
  projectId?: string;
}

/**
 * Writes the configuration in the format of Google's downloaded `client_secret.json` (a `web` client).
 * The result CONTAINS the client secret: write it only where the secret belongs (a Secret Manager version).
 *
 * @example
 * toGoogleClientSecretJson(oauth, { projectId: 'netra-staging' });
 * // '{"web":{"client_id":"…apps.googleusercontent.com","project_id":"netra-staging",…}}'
 */
export function toGoogleClientSecretJson(
  oauth: OAuthConfig,
  options: ToGoogleClientSecretJsonOptions = {},
): string {
  return JSON.stringify({
    web: {
      client_id: oauth.clientId,
      ...(options.projectId === undefined ? {} : { project_id: options.projectId }),
      auth_uri: oauth.authorizationEndpoint,
      token_uri: oauth.tokenEndpoint,
      ...(oauth.issuer === GOOGLE_ISSUER ? { auth_provider_x509_cert_url: GOOGLE_X509_CERT_URL } : {}),
      client_secret: oauth.clientSecret,
      redirect_uris: [oauth.redirectUri],
      javascript_origins: [...oauth.javascriptOrigins],
    },
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a Google `client_secret.json` of a "Web application" client. Throws {@link ClientSecretJsonError}
 * for text that is not JSON, has no `web` client (an `installed` desktop client is rejected with how to
 * create a web one) or lacks `client_id` / `client_secret`. Error messages never quote the text.
 *
 * @example
 * const { clientId, clientSecret, redirectUris } = parseGoogleClientSecretJson(readFileSync('client_secret.json', 'utf8'));
 */
export function parseGoogleClientSecretJson(text: string): GoogleClientSecret {
  let parsed: unknown;
  try {
    // A byte order mark (an editor on Windows saved the file) is not JSON; it is not part of the content.
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // No { cause }: V8's SyntaxError quotes the text, which holds the client secret.
    throw new ClientSecretJsonError(
      'The client_secret.json text is not valid JSON. Download it again from Google Cloud console → APIs & Services → Credentials.',
    );
  }
  if (!isRecord(parsed)) {
    throw new ClientSecretJsonError('The client_secret.json text is not a JSON object with a "web" key.');
  }
  if (!isRecord(parsed.web)) {
    if (isRecord(parsed.installed)) {
      throw new ClientSecretJsonError(
        'This client_secret.json belongs to an "installed" (Desktop app) OAuth client, but a web backend needs a ' +
          '"Web application" client, which can have redirect URIs and JavaScript origins. Create one in Google Cloud ' +
          'console → APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Web application", ' +
          'and download its JSON (top-level key "web").',
      );
    }
    const keys = Object.keys(parsed);
    throw new ClientSecretJsonError(
      `The client_secret.json has no "web" client (top-level keys: ${keys.length ? keys.map((key) => JSON.stringify(key)).join(', ') : 'none'}). ` +
        'Download the JSON of a "Web application" OAuth client from Google Cloud console → APIs & Services → Credentials.',
    );
  }
  const web = parsed.web;
  const problems: string[] = [];
  const requiredString = (field: string): string => {
    const value = web[field];
    if (typeof value !== 'string' || value === '')
      problems.push(`"web.${field}" is missing or not a non-empty string`);
    return typeof value === 'string' ? value : '';
  };
  const optionalString = (field: string): string | undefined => {
    const value = web[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') problems.push(`"web.${field}" is not a string`);
    return typeof value === 'string' ? value : undefined;
  };
  const stringList = (field: string): string[] => {
    const value = web[field];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      problems.push(`"web.${field}" is not a list of strings`);
      return [];
    }
    return [...value];
  };
  const result: GoogleClientSecret = {
    clientId: requiredString('client_id'),
    clientSecret: requiredString('client_secret'),
    projectId: optionalString('project_id'),
    authUri: optionalString('auth_uri'),
    tokenUri: optionalString('token_uri'),
    authProviderX509CertUrl: optionalString('auth_provider_x509_cert_url'),
    redirectUris: stringList('redirect_uris'),
    javascriptOrigins: stringList('javascript_origins'),
  };
  if (problems.length > 0) {
    throw new ClientSecretJsonError(
      `The client_secret.json is not a usable web client: ${problems.join('; ')}.`,
    );
  }
  return redacting<GoogleClientSecret>('GoogleClientSecret', ['clientSecret'], result);
}
