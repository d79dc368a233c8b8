// @netra/verifier: not yet implemented (see its issue).
export {};
