import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { defineSchema, group, type InferConfig, variable } from './dsl.ts';
import { environmentVariable } from './fragments.ts';
import { boolean, oneOf, port, text } from './values.ts';

describe('inference from the definition', () => {
  test('required/default per environment decide whether a field can be undefined', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      everywhere: variable({ name: 'A', schema: text(), description: 'a', required: true }),
      defaulted: variable({ name: 'B', schema: port(), description: 'b', default: '1' }),
      coveredPerEnvironment: variable({
        name: 'C',
        schema: boolean(),
        description: 'c',
        required: ['staging', 'production'],
        default: { development: 'true', test: 'false' },
      }),
      gap: variable({
        name: 'D',
        schema: text(),
        description: 'd',
        required: ['staging', 'production'],
        default: { development: 'x' },
      }),
      optional: variable({ name: 'E', schema: oneOf(['a', 'b']), description: 'e' }),
      localOnly: variable({
        name: 'F',
        schema: text(),
        description: 'f',
        default: 'x',
        environments: ['development', 'test'],
      }),
      custom: variable({
        name: 'G',
        schema: z.string().transform((value) => value.split(',')),
        description: 'g',
        default: 'a,b',
      }),
      nested: group({
        deep: group({ value: variable({ name: 'H', schema: port(), description: 'h', required: true }) }),
      }),
    });
    type Config = InferConfig<typeof schema>;
    expectTypeOf<Config['everywhere']>().toEqualTypeOf<string>();
    expectTypeOf<Config['defaulted']>().toEqualTypeOf<number>();
    expectTypeOf<Config['coveredPerEnvironment']>().toEqualTypeOf<boolean>();
    expectTypeOf<Config['gap']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['optional']>().toEqualTypeOf<'a' | 'b' | undefined>();
    expectTypeOf<Config['localOnly']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['custom']>().toEqualTypeOf<string[]>();
    expectTypeOf<Config['nested']['deep']['value']>().toEqualTypeOf<number>();
  });

  test('a sensitive variable may default only in development and test', () => {
    variable({
      name: 'T',
      schema: text(),
      description: 't',
      sensitive: true,
      default: { development: 'x', test: 'y' },
    });
    // @ts-expect-error a default for every environment
    variable({ name: 'T', schema: text(), description: 't', sensitive: true, default: 'x' });
    variable({
      name: 'T',
      schema: text(),
      description: 't',
      sensitive: true,
      // @ts-expect-error a default in staging
      default: { development: 'x', staging: 'y' },
    });
    variable({ name: 'T', schema: text(), description: 't', sensitive: false, default: 'x' });
  });

  test('a variable needs a zod schema and a name', () => {
    // @ts-expect-error schema is required
    variable({ name: 'A', description: 'a' });
    // @ts-expect-error name is required
    variable({ schema: text(), description: 'a' });
    // @ts-expect-error required takes environment or tier names (defineSchema checks them against the schema)
    variable({ name: 'A', schema: text(), description: 'a', required: [1] });
  });
});
