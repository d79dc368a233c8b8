// @netra/sample-service: not yet implemented (see its issue).
export {};
