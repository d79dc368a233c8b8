import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { netraBackendSchema } from '@netra/backend-schema';
import { type ConfigSchema, portableSchema, safeLoadConfig } from '@netra/config-schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// The worker's schema as its own file (examples/worker is a service, not a package with exports); imported here
// so that it shares this test's @netra/config-schema, whose built-ins portableSchema() recognises.
import { workerSchema } from '../../../../examples/worker/schema.ts';
import {
  type ConformanceCase,
  environmentsOf,
  errorPairs,
  type LoaderAnswer,
  runPython,
} from '../../test/conformance/conformance';
import { generatePython } from './python';

/** The schemas whose generated modules must agree with the TypeScript loader, with their shared corpus. */
const schemas: { name: string; schema: ConfigSchema; corpus: string }[] = [
  { name: 'backend', schema: netraBackendSchema, corpus: 'backend.corpus.json' },
  { name: 'worker', schema: workerSchema, corpus: 'worker.corpus.json' },
];

interface CorpusCase extends ConformanceCase {
  name: string;
  ok: boolean;
  errors: string[];
}

function typescript(schema: ConfigSchema, { env, environment }: ConformanceCase): LoaderAnswer {
  const result = safeLoadConfig(schema, { env, ...(environment !== undefined ? { environment } : {}) });
  return { ok: result.ok, issues: result.ok ? result.warnings : result.issues };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-python-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(schemas)(
  'the generated Python module agrees with the TypeScript loader: $name',
  ({ name, schema, corpus }) => {
    let modulePath: string;
    beforeAll(async () => {
      modulePath = join(work, `${name}_config.py`);
      await writeFile(modulePath, generatePython(schema, { schemaSpec: name }).source);
    });

    test('on the shared corpus: ok and every error (VARIABLE:code) as recorded, and the same issues word for word', () => {
      const { cases } = JSON.parse(
        readFileSync(new URL(`../../test/conformance/${corpus}`, import.meta.url), 'utf8'),
      ) as { cases: CorpusCase[] };
      expect(cases.length).toBeGreaterThanOrEqual(30);
      const python = runPython(modulePath, cases);
      cases.forEach((corpusCase, index) => {
        const ours = typescript(schema, corpusCase);
        const expected = { ok: corpusCase.ok, errors: corpusCase.errors };
        expect({ ok: ours.ok, errors: errorPairs(ours) }, `TypeScript: ${corpusCase.name}`).toEqual(expected);
        expect(
          { ok: python[index]!.ok, errors: errorPairs(python[index]!) },
          `Python: ${corpusCase.name}`,
        ).toEqual(expected);
        expect(python[index], `issues of ${corpusCase.name}`).toEqual(ours);
      });
    });

    test('issue 18: credentials masked, secrets never quoted, credential shapes fingerprinted, values over 64 KiB refused — word for word', () => {
      const pw = 'Xk9pQ2vLm7RtZ4wNq8Lp';
      const cases: ConformanceCase[] = [
        { env: { ENVIRONMENT: 'development', DATABASE_HOST: `netra:${pw}@10.0.0.5` } },
        { env: { ENVIRONMENT: 'development', REDIS_HOST: `:${pw}@10.0.0.6` } },
        { env: { ENVIRONMENT: 'development', DATABASE_HOST: `https:\\\\u:${pw}@db` } },
        { env: { ENVIRONMENT: 'development', GOOGLE_OAUTH_CLIENT_ID: `GOCSPX-${pw}` } },
        { env: { ENVIRONMENT: 'development', JWT_SECRET: `${pw}${pw}`, LOG_LEVEL: `${pw}${pw}` } },
        { env: { ENVIRONMENT: 'development', DATABASE_PASSWORD: pw, DATABASE_PORT: pw } },
        { env: { ENVIRONMENT: pw, JWT_SECRET: pw } },
        { env: { ENVIRONMENT: `AIza${pw}` } },
        { env: { ENVIRONMENT: 'development', DATABASE_HOST: `localhost?password=${pw}` } },
        { env: { ENVIRONMENT: 'development', LOG_LEVEL: `sk_live_${pw}` } },
        { env: { ENVIRONMENT: 'development', LOG_LEVEL: 'x'.repeat(64 * 1024 + 1) } },
        { env: { ENVIRONMENT: 'development', GEMINI_API_KEY: '€'.repeat(21_846) } },
      ];
      const python = runPython(modulePath, cases);
      cases.forEach((generated, index) => {
        const ours = typescript(schema, generated);
        expect(JSON.stringify(ours)).not.toContain(pw);
        expect(python[index], `case ${index}`).toEqual(ours);
      });
    });

    test('on random environments built from the schema (property)', async () => {
      const portable = portableSchema(schema);
      await fc.assert(
        fc.asyncProperty(
          fc.array(environmentsOf(portable), { minLength: 20, maxLength: 30 }),
          async (cases) => {
            const python = runPython(modulePath, cases);
            // The first disagreement alone, with its case: a batch's report would bury it.
            const index = cases.findIndex(
              (generated, at) => !isDeepStrictEqual(python[at], typescript(schema, generated)),
            );
            if (index >= 0) {
              expect({ case: cases[index], python: python[index] }).toEqual({
                case: cases[index],
                python: typescript(schema, cases[index]!),
              });
            }
          },
        ),
        // Shrinking re-runs python3 per attempt: bounded, and an interrupted run still reports its counterexample.
        { numRuns: 15, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true },
      );
    }, 120_000);
  },
);
