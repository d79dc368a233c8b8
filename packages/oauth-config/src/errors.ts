import { formatIssues, type Issue } from './schema.ts';

/**
 * The OAuth client configuration is invalid. `issues` lists every problem (errors and warnings);
 * the message is the formatted report. Never contains a secret value.
 *
 * @example
 * try { getOAuthConfig(config) } catch (error) {
 *   if (error instanceof OAuthConfigError) for (const issue of error.issues) console.error(issue.variable, issue.message);
 * }
 */
export class OAuthConfigError extends Error {
  override readonly name = 'OAuthConfigError';
  readonly code = 'OAUTH_CONFIG_INVALID' as const;
  readonly issues: Issue[];
  constructor(issues: Issue[], options?: { cause?: unknown }) {
    super(formatIssues(issues, { title: 'Invalid OAuth client configuration' }), options);
    this.issues = issues;
  }
}

/**
 * A `client_secret.json` text could not be used: not JSON, not a Google client file, or not a web client.
 * The message never quotes the text (it holds the client secret).
 *
 * @example
 * try { parseGoogleClientSecretJson(text) } catch (error) {
 *   if (error instanceof ClientSecretJsonError) console.error(error.message);
 * }
 */
export class ClientSecretJsonError extends Error {
  override readonly name = 'ClientSecretJsonError';
  readonly code = 'CLIENT_SECRET_JSON_INVALID' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
