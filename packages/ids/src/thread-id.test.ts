import { validate, version } from 'uuid';
import { expect, test } from 'vitest';
import { generateRunId, generateThreadId, parseRunId } from './index.ts';

test('a thread ID is a UUIDv7, valid in a run ID, and later ones sort after earlier ones', () => {
  const threadIds = Array.from({ length: 200 }, () => generateThreadId());
  for (const threadId of threadIds) {
    expect(validate(threadId)).toBe(true);
    expect(version(threadId)).toBe(7);
    expect(parseRunId(generateRunId(threadId)).threadId).toBe(threadId);
  }
  expect(new Set(threadIds).size).toBe(threadIds.length);
  expect([...threadIds].sort()).toEqual(threadIds);
  // The first 48 bits are the creation time in milliseconds.
  const ms = Number.parseInt(threadIds[0]!.replaceAll('-', '').slice(0, 12), 16);
  expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
});
