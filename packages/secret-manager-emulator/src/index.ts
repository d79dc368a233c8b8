// @netra/secret-manager-emulator: not yet implemented (see its issue).
export {};
