import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  GOOGLE_X509_CERT_URL,
  parseGoogleClientSecretJson,
  toGoogleClientSecretJson,
} from './client-secret-json.ts';
import { ClientSecretJsonError } from './errors.ts';
import { getOAuthConfig, type OAuthConfig } from './oauth-config.ts';

const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8');

const staging = getOAuthConfig({
  environment: 'staging',
  apiBaseUrl: 'https://api.staging.netra.example',
  frontendUrl: 'https://app.staging.netra.example',
  oauth: {
    google: {
      clientId: '1234-staging.apps.googleusercontent.com',
      clientSecret: 'GOCSPX-staging-secret-value',
    },
  },
});

describe('toGoogleClientSecretJson', () => {
  test('writes Google’s web client format', () => {
    expect(JSON.parse(toGoogleClientSecretJson(staging, { projectId: 'netra-staging' }))).toEqual({
      web: {
        client_id: '1234-staging.apps.googleusercontent.com',
        project_id: 'netra-staging',
        auth_uri: 'https://accounts.google.com/o/oauth2/v2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
        auth_provider_x509_cert_url: GOOGLE_X509_CERT_URL,
        client_secret: 'GOCSPX-staging-secret-value',
        redirect_uris: ['https://api.staging.netra.example/auth/callback'],
        javascript_origins: ['https://app.staging.netra.example'],
      },
    });
  });

  test('omits project_id when not given, and the Google cert URL for a local issuer', () => {
    const local = getOAuthConfig({
      environment: 'test',
      apiBaseUrl: 'http://127.0.0.1:8080',
      frontendUrl: 'http://localhost:3000',
      oauth: {
        google: { clientId: 'x.apps.googleusercontent.com', clientSecret: 's' },
        issuerUrl: 'http://127.0.0.1:4000',
      },
    });
    const web = JSON.parse(toGoogleClientSecretJson(local)).web;
    expect(web).not.toHaveProperty('project_id');
    expect(web).not.toHaveProperty('auth_provider_x509_cert_url');
    expect(web.auth_uri).toBe('http://127.0.0.1:4000/auth');
  });
});

describe('parseGoogleClientSecretJson', () => {
  test('reads a downloaded web client file', () => {
    const parsed = parseGoogleClientSecretJson(fixture('client_secret_web.json'));
    expect({ ...parsed }).not.toHaveProperty('clientSecret');
    expect({ ...parsed, clientSecret: parsed.clientSecret }).toEqual({
      clientId: '1234567890-abcdefghijklmnopqrstuv.apps.googleusercontent.com',
      clientSecret: 'GOCSPX-fixtureSecretNotReal0000',
      projectId: 'netra-staging',
      authUri: 'https://accounts.google.com/o/oauth2/auth',
      tokenUri: 'https://oauth2.googleapis.com/token',
      authProviderX509CertUrl: GOOGLE_X509_CERT_URL,
      redirectUris: ['https://api.staging.netra.example/auth/callback'],
      javascriptOrigins: ['https://app.staging.netra.example'],
    });
  });

  test('a file saved with a UTF-8 byte order mark (an editor on Windows) reads the same', () => {
    const text = fixture('client_secret_web.json');
    expect({ ...parseGoogleClientSecretJson(`\ufeff${text}`) }).toEqual({
      ...parseGoogleClientSecretJson(text),
    });
  });

  test('the parsed secret is redacted in JSON, inspect and String', () => {
    const parsed = parseGoogleClientSecretJson(fixture('client_secret_web.json'));
    for (const text of [JSON.stringify(parsed), inspect(parsed), String(parsed)]) {
      expect(text).not.toContain('GOCSPX-fixtureSecretNotReal0000');
      expect(text).toContain('[redacted]');
    }
  });

  test('rejects an installed (desktop) client with how to create a web one', () => {
    expect(() =>
      parseGoogleClientSecretJson(fixture('client_secret_installed.json')),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ClientSecretJsonError: This client_secret.json belongs to an "installed" (Desktop app) OAuth client, but a web backend needs a "Web application" client, which can have redirect URIs and JavaScript origins. Create one in Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Web application", and download its JSON (top-level key "web").]`,
    );
  });

  test.each([
    ['not JSON', '{"web": {"client_secret": "GOCSPX-leak-me"', /not valid JSON/],
    ['an array', '["GOCSPX-leak-me"]', /not a JSON object with a "web" key/],
    ['a bare string (a secret bound where a file was expected)', '"GOCSPX-leak-me"', /not a JSON object/],
    [
      'other keys',
      '{"type":"service_account","private_key":"GOCSPX-leak-me"}',
      /no "web" client \(top-level keys: "type", "private_key"\)/,
    ],
    [
      'no client_secret',
      '{"web":{"client_id":"a.apps.googleusercontent.com"}}',
      /"web.client_secret" is missing/,
    ],
    [
      'wrong types',
      '{"web":{"client_id":1,"client_secret":"GOCSPX-leak-me","redirect_uris":"https://x","project_id":2}}',
      /"web.client_id" is missing or not a non-empty string; "web.project_id" is not a string; "web.redirect_uris" is not a list of strings/,
    ],
  ])('rejects %s without quoting the text', (_, text, message) => {
    let caught: unknown;
    try {
      parseGoogleClientSecretJson(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClientSecretJsonError);
    const error = caught as ClientSecretJsonError;
    expect(error.code).toBe('CLIENT_SECRET_JSON_INVALID');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('GOCSPX-leak-me');
    expect(inspect(error)).not.toContain('GOCSPX-leak-me');
  });

  test('round trip: parse(toGoogleClientSecretJson(oauth)) gives back the config (property)', () => {
    const text = fc.string({ minLength: 1 });
    const url = fc.webUrl({ withQueryParameters: true });
    fc.assert(
      fc.property(
        text,
        text,
        url,
        fc.array(url, { maxLength: 3 }),
        fc.option(text, { nil: undefined }),
        (clientId, clientSecret, redirectUri, origins, projectId) => {
          const oauth = {
            ...staging,
            clientId,
            clientSecret,
            redirectUri,
            javascriptOrigins: origins,
          } as OAuthConfig;
          const parsed = parseGoogleClientSecretJson(
            toGoogleClientSecretJson(oauth, projectId === undefined ? {} : { projectId }),
          );
          expect(parsed).toMatchObject({
            clientId,
            clientSecret,
            projectId,
            redirectUris: [redirectUri],
            javascriptOrigins: origins,
            authUri: staging.authorizationEndpoint,
            tokenUri: staging.tokenEndpoint,
          });
        },
      ),
    );
  });

  test('any text: a result or a ClientSecretJsonError that does not quote it (property)', () => {
    const secretish = fc.string({ minLength: 8 }).map((tail) => `GOCSPX-${tail}`);
    const texts = fc.oneof(
      fc.string(),
      fc.json(),
      secretish.map((secret) => JSON.stringify({ web: { client_secret: secret } })),
      secretish.map((secret) => JSON.stringify({ installed: { client_id: 'a', client_secret: secret } })),
      secretish.map((secret) => `{"web":{"client_id":"a","client_secret":"${secret}"`),
    );
    fc.assert(
      fc.property(texts, (text) => {
        try {
          parseGoogleClientSecretJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ClientSecretJsonError);
          const secret = /GOCSPX-[^"]*/.exec(text)?.[0];
          if (secret) expect((error as Error).message).not.toContain(secret);
        }
      }),
    );
  });
});
