// The billing worker's settings: written with @netra/config-schema's public API alone, as any team would.
import {
  databaseFragment,
  defineSchema,
  environmentVariable,
  minStrength,
  noPlaceholder,
  oneOf,
  text,
  variable,
} from '@netra/config-schema';
import { z } from 'zod';

export const workerSchema = defineSchema(
  {
    environment: environmentVariable(),
    // The same PostgreSQL fragment the backend uses, under the worker's own prefix: BILLING_DB_HOST, …
    billingDb: databaseFragment({ prefix: 'BILLING_DB_' }),
    // Issued by the payment provider, one key per environment: PAYMENTS_API_KEY in development and test,
    // PAYMENTS_API_KEY_QA / _STAGING / _PRODUCTION where deployed, each bound to its own secret.
    paymentsApiKey: variable({
      name: 'PAYMENTS_API_KEY',
      suffixed: ['deployed'],
      schema: text(),
      description: "The payment provider's secret API key for this environment.",
      sensitive: true,
      required: ['deployed'],
      secret: 'payments-api-key-{env}',
      obtain: { copyFrom: "the payment provider's dashboard (Developers → API keys)" },
      rules: [minStrength(24), noPlaceholder()],
    }),
    batchSize: variable({
      name: 'BILLING_BATCH_SIZE',
      schema: z.coerce.number().int().min(1).max(1000),
      description: 'Invoices per batch.',
      example: '100',
      default: '100',
    }),
    logLevel: variable({
      name: 'LOG_LEVEL',
      schema: oneOf(['error', 'warn', 'info', 'debug']),
      description: 'Log level.',
      example: 'info',
      default: 'info',
    }),
  },
  {
    title: 'Billing worker',
    environments: {
      development: 'local',
      test: 'local',
      qa: 'deployed',
      staging: 'deployed',
      production: 'deployed',
    },
  },
);

/** @alias the same schema as a default export, for a spec without #NAME (apps/verifier/test/worker.test.ts). */
export default workerSchema;
