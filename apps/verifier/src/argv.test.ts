import { describe, expect, test } from 'vitest';
import { typedFlagValues } from './argv';

const flags = new Set(['thread', 'envFile', 'project']);

describe('typedFlagValues', () => {
  test.each<[string[], Record<string, Array<string | true>>]>([
    [['--thread', '007'], { thread: ['007'] }],
    [['--thread=0x10'], { thread: ['0x10'] }],
    [['--project', ''], { project: [''] }],
    [['--project=', 'p1'], { project: ['p1'] }],
    [['--project', '--json'], { project: [true] }],
    [['--project'], { project: [true] }],
    [['--env-file', '010', '--env-file=2', 'x', '--json'], { envFile: ['010', '2'] }],
    [['--thread', '1', '--', '--thread', '2'], { thread: ['1'] }],
    [['--count', '3', 'positional'], {}],
  ])('%j', (args, expected) => {
    expect(Object.fromEntries(typedFlagValues(args, flags))).toEqual(expected);
  });
});
