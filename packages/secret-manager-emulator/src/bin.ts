#!/usr/bin/env node
process.stderr.write('@netra/secret-manager-emulator: not yet implemented\n');
process.exitCode = 2;
