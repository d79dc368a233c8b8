// The schema `netra-verify` reads in this repository when no --schema is given (see DESIGN.md, "Choosing the
// schema"): the Netra backend's. examples/worker has its own netra.config.ts.
export default {
  schema: '@netra/backend-schema#netraBackendSchema',
};
