// @netra/oauth-config: not yet implemented (see its issue).
export {};
