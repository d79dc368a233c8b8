import { describe, expect, test } from 'vitest';
import { cloudSqlInstanceOf, isPrivateAddress } from './addresses';

describe('isPrivateAddress', () => {
  test.each([
    ['10.0.0.1', true],
    ['10.255.255.255', true],
    ['172.16.0.0', true],
    ['172.31.255.255', true],
    ['172.15.255.255', false],
    ['172.32.0.0', false],
    ['192.168.0.1', true],
    ['192.169.0.1', false],
    ['fc00::1', true],
    ['fdff:ffff::1', true],
    ['[fd12::5]', true],
    ['fe80::1', false],
    ['2001:db8::1', false],
    ['127.0.0.1', false],
    ['8.8.8.8', false],
    ['redis.internal', false],
    ['/cloudsql/p:r:i', false],
  ])('%s → %s', (host, expected) => {
    expect(isPrivateAddress(host)).toBe(expected);
  });
});

describe('cloudSqlInstanceOf', () => {
  test.each([
    ['/cloudsql/netra:us-central1:db', 'netra:us-central1:db'],
    ['/cloudsql/netra:us-central1:db/', 'netra:us-central1:db'],
    ['/cloudsql/netra:us-central1:db/.s.PGSQL.5432', 'netra:us-central1:db'],
    ['/cloudsql/netra-db', undefined],
    ['10.0.0.5', undefined],
  ])('%s → %s', (host, expected) => {
    expect(cloudSqlInstanceOf(host)).toBe(expected);
  });
});
