/**
 * The list-filter grammar, from the filtering page of the Secret Manager docs
 * (https://cloud.google.com/secret-manager/docs/filtering) and AIP-160 (https://google.aip.dev/160).
 */
import { expect, test } from 'vitest';
import { parseFilter } from './filter.ts';

const secret = (id: string, labels: Record<string, string> = {}, seconds = 1700000000) => ({
  name: `projects/1/secrets/${id}`,
  labels,
  createTime: { seconds: String(seconds), nanos: 0 },
});

test.each([
  ['', 'anything', true],
  ['name:app', 'my-app-key', true],
  ['name:app*', 'my-app-key', true],
  ['name:APIKEY*production', 'APIKEY-payments-production', true],
  ['name:APIKEY*production', 'APIKEY-payments-staging', false],
  ['name=my-*', 'my-app-key', true],
  ['name=app*', 'my-app-key', false],
  ['name=my-app-key', 'my-app-key', true],
  ['name=my-app', 'my-app-key', false],
  ['name!=my-app', 'my-app-key', true],
  ['name:a OR name:zzz', 'abc', true],
  ['name:a name:zzz', 'abc', false],
  ['name:a AND -name:zzz', 'abc', true],
  ['NOT name:a', 'abc', false],
  ['name:"abc"', 'abc', true],
  ['(name:zzz OR name:b) AND name:c', 'abc', true],
  ['name:(zzz OR abc)', 'abc', true],
])('secrets filter %j on %s → %s', (filter, id, expected) => {
  expect(parseFilter(filter, 'secrets')(secret(id))).toBe(expected);
});

test('labels, create_time, expire_time, replication', () => {
  const labelled = secret('a', { env: 'prod' }, 1700000000);
  expect(parseFilter('labels.env=prod', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('labels.env=dev', 'secrets')(labelled)).toBe(false);
  expect(parseFilter('labels.env:*', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('labels.team:*', 'secrets')(labelled)).toBe(false);
  expect(parseFilter('labels:env', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('labels:*', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('labels:*', 'secrets')(secret('b'))).toBe(false);
  expect(parseFilter('create_time<2024-01-01T00:00:00Z', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('create_time>2024-01-01T00:00:00Z', 'secrets')(labelled)).toBe(false);

  const expiring = { ...secret('e'), expireTime: { seconds: '1800000000', nanos: 0 } };
  expect(parseFilter('expire_time:*', 'secrets')(expiring)).toBe(true);
  expect(parseFilter('expire_time:*', 'secrets')(secret('f'))).toBe(false);
  expect(parseFilter('expire_time<2030-01-01', 'secrets')(expiring)).toBe(true);

  const automatic = { ...secret('g'), replication: { automatic: {} } };
  const userManaged = {
    ...secret('h'),
    replication: { userManaged: { replicas: [{ location: 'us-east1' }, { location: 'europe-west1' }] } },
  };
  expect(parseFilter('replication.automatic:*', 'secrets')(automatic)).toBe(true);
  expect(parseFilter('replication.automatic:*', 'secrets')(userManaged)).toBe(false);
  expect(
    parseFilter(
      'replication.user_managed.replicas.location:* AND NOT replication.user_managed.replicas.location:(us-central1 OR us-east1)',
      'secrets',
    )(userManaged),
  ).toBe(false);
  expect(parseFilter('replication.user_managed.replicas.location=europe-west1', 'secrets')(userManaged)).toBe(
    true,
  );
});

test('versions filter on state, with a list of alternatives', () => {
  const states = ['ENABLED', 'DISABLED', 'DESTROYED'].map((state) => ({ name: 'x', state }));
  const pick = (filter: string) =>
    states.filter((version) => parseFilter(filter, 'versions')(version)).map((version) => version.state);
  expect(pick('state:ENABLED')).toEqual(['ENABLED']);
  expect(pick('state=DISABLED')).toEqual(['DISABLED']);
  expect(pick('state:(ENABLED OR DISABLED)')).toEqual(['ENABLED', 'DISABLED']);
  expect(pick('NOT state:DESTROYED')).toEqual(['ENABLED', 'DISABLED']);
});

test.each([
  ['colour:red', 'secrets', /Invalid filter field "colour"/],
  ['state:ENABLED', 'secrets', /Invalid filter field "state"/],
  ['labels.env:*', 'versions', /Invalid filter field "labels.env"/],
  ['OR name:a', 'secrets', /Invalid filter/],
  ['name:a OR', 'secrets', /Invalid filter/],
  ['justtext', 'secrets', /"justtext" is not a restriction/],
  ['create_time<yesterday', 'secrets', /"yesterday" is not an RFC 3339 timestamp/],
  ['name<a', 'secrets', /operator "<" applies to timestamps only/],
  ['(name:a', 'secrets', /parenthesis is not closed/],
  ['name:"abc', 'secrets', /unterminated quoted string/],
] as const)('rejects %j for %s', (filter, kind, message) => {
  expect(() => parseFilter(filter, kind)({ name: 'projects/1/secrets/a' })).toThrow(message);
});
