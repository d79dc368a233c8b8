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
  ['name:app*', 'my-app-key', false],
  ['name:my-*', 'my-app-key', true],
  ['name=my-app-key', 'my-app-key', true],
  ['name=my-app', 'my-app-key', false],
  ['name!=my-app', 'my-app-key', true],
  ['name:a OR name:zzz', 'abc', true],
  ['name:a name:zzz', 'abc', false],
  ['name:a AND -name:zzz', 'abc', true],
  ['NOT name:a', 'abc', false],
  ['name:"abc"', 'abc', true],
])('secrets filter %j on %s → %s', (filter, id, expected) => {
  expect(parseFilter(filter, 'secrets')(secret(id))).toBe(expected);
});

test('labels and create_time', () => {
  const labelled = secret('a', { env: 'prod' }, 1700000000);
  expect(parseFilter('labels.env=prod', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('labels.env=dev', 'secrets')(labelled)).toBe(false);
  expect(parseFilter('labels.env:*', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('labels.team:*', 'secrets')(labelled)).toBe(false);
  expect(parseFilter('create_time<2024-01-01T00:00:00Z', 'secrets')(labelled)).toBe(true);
  expect(parseFilter('create_time>2024-01-01T00:00:00Z', 'secrets')(labelled)).toBe(false);
});

test('versions filter on state', () => {
  expect(parseFilter('state:ENABLED', 'versions')({ name: 'x', state: 'ENABLED' })).toBe(true);
  expect(parseFilter('state:ENABLED', 'versions')({ name: 'x', state: 'DISABLED' })).toBe(false);
});

test.each([
  ['colour:red', 'secrets', /Invalid filter field "colour"/],
  ['state:ENABLED', 'secrets', /Invalid filter field "state"/],
  ['labels.env:*', 'versions', /Invalid filter field "labels.env"/],
  ['OR name:a', 'secrets', /Invalid filter/],
  ['name:a OR', 'secrets', /Invalid filter/],
  ['justtext', 'secrets', /Invalid filter term "justtext"/],
  ['create_time<yesterday', 'secrets', /Invalid timestamp/],
  ['name<a', 'secrets', /Operator "<" is not supported/],
] as const)('rejects %j for %s', (filter, kind, message) => {
  expect(() => parseFilter(filter, kind)({ name: 'projects/1/secrets/a' })).toThrow(message);
});
