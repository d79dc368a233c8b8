// @netra/config-schema: not yet implemented (see its issue).
export {};
