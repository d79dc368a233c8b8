// @netra/secrets-loader: not yet implemented (see its issue).
export {};
