// Shared set-up of the in-process tests: a test-environment configuration on loopback, connected pools,
// and per-run names (a table and a Redis key prefix) so parallel test runs never collide.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';
import { describeSchema, type Environment, loadConfig } from '@netra/config-schema';
import { Client } from 'pg';
import {
  connectPostgres,
  connectRedis,
  createPostgresPool,
  createRedisClient,
} from '../../src/dependencies.ts';
import { RunStore } from '../../src/run-store.ts';

export function testConfig(env: Record<string, string> = {}): NetraBackendConfig {
  return loadConfig(netraBackendSchema, {
    env: { ENVIRONMENT: 'test', DATABASE_NAME: 'test', LOG_LEVEL: 'silent', ...env },
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Connected pools for `config`, a fresh runs table and key prefix; `cleanup` drops them. */
export async function testDependencies(config: NetraBackendConfig) {
  const postgres = createPostgresPool(config);
  const redis = createRedisClient(config);
  await Promise.all([connectPostgres(postgres), connectRedis(redis)]);
  const tableName = uniqueName('runs_test');
  const keyPrefix = `netra:sample:${uniqueName('test')}:`;
  await new RunStore({ postgres, redis, tableName, keyPrefix }).ensureSchema();
  return {
    postgres,
    redis,
    tableName,
    keyPrefix,
    async cleanup() {
      await dropTable(tableName);
      const cleaner = createRedisClient(config);
      await connectRedis(cleaner);
      const keys = await cleaner.keys(`${keyPrefix}*`);
      if (keys.length > 0) await cleaner.del(keys);
      await cleaner.close();
    },
  };
}

export async function sql<T extends Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropTable(tableName: string): Promise<void> {
  await sql(`DROP TABLE IF EXISTS "${tableName}"`);
}

/** A fresh database for a spawned service (it creates its `runs` table there); `drop` removes it. */
export async function createTestDatabase(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = uniqueName('netra_sample');
  const admin = async (text: string) => {
    const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}" TEMPLATE template0`);
  return { name, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** An example deployment of the repository's `examples/` (written for the verifier): its env file and seed. */
export function readExample(name: 'staging' | 'staging-incident'): {
  env: Record<string, string>;
  seed: Record<string, Record<string, string>>;
} {
  const directory = new URL(`../../../../examples/${name}/`, import.meta.url);
  const env = parseEnv(readFileSync(new URL('staging.env', directory), 'utf8')) as Record<string, string>;
  const seed = JSON.parse(readFileSync(new URL('secret-manager.seed.json', directory), 'utf8'));
  return { env, seed };
}

/**
 * The same settings under another environment's variable names (JWT_SECRET_STAGING → JWT_SECRET …), found
 * through describeSchema, so a staging example can run as `test` on this machine.
 */
export function translateEnvironment(
  env: Record<string, string>,
  from: Environment,
  to: Environment,
): Record<string, string> {
  const keyOf = new Map(describeSchema(netraBackendSchema, from).map((d) => [d.variable, d.key]));
  const nameOf = new Map(describeSchema(netraBackendSchema, to).map((d) => [d.key, d.variable]));
  const translated: Record<string, string> = {};
  for (const [variable, value] of Object.entries(env)) {
    const key = keyOf.get(variable);
    translated[(key && nameOf.get(key)) ?? variable] = value;
  }
  translated.ENVIRONMENT = to;
  return translated;
}
