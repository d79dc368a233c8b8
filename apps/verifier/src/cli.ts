#!/usr/bin/env node
process.stderr.write('@netra/verifier: not yet implemented\n');
process.exitCode = 2;
