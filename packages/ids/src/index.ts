// @netra/ids: not yet implemented (see its issue).
export {};
