import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineSchema, variable } from './dsl.ts';
import { databaseFragment, environmentVariable } from './fragments.ts';
import { minStrength, noPlaceholder } from './policies.ts';
import { portableSchema } from './portable.ts';
import { expecting, text } from './values.ts';

describe('portableSchema', () => {
  test('a policy spread with another severity stays portable; a replaced check, a custom rule or schema does not', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      token: variable({
        name: 'TOKEN',
        schema: text(),
        description: 'A token.',
        sensitive: true,
        rules: [
          { ...minStrength(20), severity: 'warning' },
          { ...noPlaceholder(), check: () => undefined },
          { id: 'custom', description: 'custom', check: () => undefined },
        ],
      }),
      count: variable({ name: 'COUNT', schema: z.coerce.number().multipleOf(2), description: 'A count.' }),
      size: variable({ name: 'SIZE', schema: z.coerce.number().int().gt(0), description: 'A size.' }),
      plain: variable({
        name: 'PLAIN',
        schema: expecting(z.string().min(3), 'three or more'),
        description: 'Plain.',
      }),
      database: databaseFragment({ prefix: 'APP_DB_' }),
    });
    const portable = portableSchema(schema);
    const token = portable.byEnvironment['staging']!.variables.find((variable) => variable.key === 'token')!;
    expect(token.rules.map((rule) => [rule.id, rule.severity, rule.check?.policy ?? null])).toEqual([
      ['min-strength-20', 'warning', 'min-strength'],
      ['no-placeholder', 'error', null],
      ['custom', 'error', null],
    ]);
    expect(portable.unportable.map((part) => `${part.key}: ${part.what}`)).toEqual([
      'token: rule custom',
      'count: value schema',
      'plain: value schema',
      'token: rule no-placeholder', // applies in staging and production only
    ]);
    expect(portable.tree.find((node) => node.key === 'count')).toMatchObject({
      type: 'unknown',
      optional: true,
    });
    // A coerced number with integer and bound checks is data (zod's messages are reproduced from it).
    expect(
      portable.byEnvironment['test']!.variables.find((variable) => variable.key === 'size')?.value,
    ).toEqual({
      type: 'number',
      checks: [{ check: 'int' }, { check: 'min', value: 0, inclusive: false, text: '0' }],
    });
    expect(portable.tree.find((node) => node.key === 'size')).toMatchObject({ type: 'integer' });
  });
});
