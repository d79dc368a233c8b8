import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { classifyHost, cloudSqlInstanceOf, type HostClass, isLoopbackHost, isPrivateHost } from './hosts.ts';
import { notLoopbackHost } from './policies.ts';
import { host } from './values.ts';

describe('classifyHost', () => {
  test.each<[string, HostClass['kind']]>([
    ['localhost', 'loopback'],
    ['LOCALHOST.', 'loopback'],
    ['api.localhost', 'loopback'],
    ['127.0.0.1', 'loopback'],
    ['127.255.3.4', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['ip6-localhost', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['100.64.0.5', 'private'],
    ['100.127.255.254', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['[fc00::1]', 'private'],
    ['redis-vm.europe-west1-b.c.acme.internal', 'other'],
    ['172.15.0.1', 'other'],
    ['172.32.0.1', 'other'],
    ['100.63.255.255', 'other'],
    ['100.128.0.1', 'other'],
    ['10.0.0.256', 'other'],
    ['8.8.8.8', 'other'],
    ['db.example.com', 'other'],
    ['fe80::1', 'other'],
    ['/cloudsql/acme:europe-west1:netra-db', 'cloud-sql-socket'],
    ['/cloudsql/example.com:acme:europe-west1:db', 'cloud-sql-socket'],
    ['/cloudsql/acme:europe-west1', 'other'],
  ])('%s is %s', (value, kind) => {
    expect(classifyHost(value).kind).toBe(kind);
  });

  test('a socket names its instance', () => {
    expect(cloudSqlInstanceOf('/cloudsql/acme:europe-west1:netra-db')).toBe('acme:europe-west1:netra-db');
    expect(cloudSqlInstanceOf('/cloudsql/example.com:acme:europe-west1:db')).toBe(
      'example.com:acme:europe-west1:db',
    );
    expect(cloudSqlInstanceOf('10.0.0.5')).toBeUndefined();
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet);

describe('properties', () => {
  test('an IPv4 address is private exactly when it is in 10/8, 172.16/12, 192.168/16 or 100.64/10', () => {
    fc.assert(
      fc.property(ipv4, ([a, b, c, d]) => {
        const value = `${a}.${b}.${c}.${d}`;
        const number = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
        const inRange = (base: number, bits: number) => number >>> (32 - bits) === base >>> (32 - bits);
        const expected =
          inRange(0x0a000000, 8) ||
          inRange(0xac100000, 12) ||
          inRange(0xc0a80000, 16) ||
          inRange(0x64400000, 10);
        expect(isPrivateHost(value)).toBe(expected);
        expect(isLoopbackHost(value)).toBe(a === 127 || (a === 0 && b === 0 && c === 0 && d === 0));
      }),
    );
  });

  test('the loopback policy refuses exactly what the classifier calls loopback', () => {
    const rule = notLoopbackHost();
    const context = { variable: 'DATABASE_HOST', environment: 'staging' } as Parameters<typeof rule.check>[1];
    fc.assert(
      fc.property(
        fc.oneof(
          ipv4.map((parts) => parts.join('.')),
          fc.constantFrom('localhost', 'db.localhost', '::1', '[::1]', 'db.internal', 'db.example.com', '0'),
          fc.string(),
        ),
        (value) => {
          expect(rule.check(value, context) !== undefined).toBe(isLoopbackHost(value));
        },
      ),
    );
  });

  test('every Cloud SQL socket the host schema accepts names its instance, and only those', () => {
    const schema = host();
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    fc.assert(
      fc.property(
        fc.option(fc.constant('example.com'), { nil: undefined }),
        name,
        name,
        name,
        (domain, p, r, i) => {
          const instance = `${domain === undefined ? '' : `${domain}:`}${p}:${r}:${i}`;
          const value = `/cloudsql/${instance}`;
          expect(schema.safeParse(value).success).toBe(true);
          expect(cloudSqlInstanceOf(value)).toBe(instance);
          expect(cloudSqlInstanceOf(`${value}/.s.PGSQL.5432`)).toBeUndefined();
        },
      ),
    );
  });
});
