import { PassThrough } from 'node:stream';
import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema } from '@netra/config-schema';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { testConfig } from '../test/support/fixtures.ts';
import { loggerOptions, REDACTED, sensitiveLogPaths } from './logging.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('sensitiveLogPaths', () => {
  test('covers every sensitive key and every name of it in every environment, from describeSchema', () => {
    const paths = new Set(sensitiveLogPaths());
    let sensitive = 0;
    for (const environment of Object.keys(netraBackendSchema.environments)) {
      for (const variable of describeSchema(netraBackendSchema, environment)) {
        if (!variable.sensitive) {
          expect(paths.has(variable.variable)).toBe(false);
          continue;
        }
        sensitive++;
        for (const name of [variable.key, variable.variable, ...variable.otherNames]) {
          expect(paths.has(name)).toBe(true);
          expect(paths.has(`*.${name}`)).toBe(true);
        }
      }
    }
    expect(sensitive).toBeGreaterThan(0);
    expect(paths.has('JWT_SECRET_STAGING')).toBe(true);
    expect(paths.has('database.password')).toBe(true);
  });
});

describe('the Fastify logger', () => {
  test('redacts secrets logged by key, by variable name, nested one level, and in the config object', async () => {
    const config = testConfig({
      JWT_SECRET: 'jwt-secret-value-that-must-not-appear-0001',
      DATABASE_PASSWORD: 'database-password-value-0002',
      REDIS_PASSWORD: 'redis-password-value-0003',
    });
    const out = capture();
    const app = Fastify({ logger: loggerOptions({ level: 'info', stream: out.stream }) });
    app.log.info({ config }, 'config object');
    app.log.info(
      {
        env: {
          JWT_SECRET_STAGING: 'staging-jwt-value-0004',
          DATABASE_PASSWORD: 'database-password-value-0002',
        },
        jwtSecret: config.jwtSecret,
        redis: { password: 'redis-password-value-0003' },
        FERNET_KEY: 'fernet-value-0005',
      },
      'plain objects',
    );
    await app.close();
    const text = out.text();
    for (const secret of [
      'jwt-secret-value-that-must-not-appear-0001',
      'database-password-value-0002',
      'redis-password-value-0003',
      'staging-jwt-value-0004',
      'fernet-value-0005',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
    expect(text).toContain('"host":"127.0.0.1"'); // not everything is redacted
  });

  test('request URLs are logged without their query string', async () => {
    const out = capture();
    const app = Fastify({ logger: loggerOptions({ level: 'info', stream: out.stream }) });
    app.get('/auth/callback', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/auth/callback?code=one-time-code-0006&state=abc' });
    await app.close();
    expect(out.text()).toContain('"url":"/auth/callback"');
    expect(out.text()).not.toContain('one-time-code-0006');
  });
});
