// What `netra-verify` reads when run in this directory (or below) without --schema.
export default {
  schema: './schema.ts#workerSchema',
  service: 'billing-worker',
  projects: { qa: 'acme-billing-qa', staging: 'acme-billing-staging', production: 'acme-billing' },
};
