"""Runs a generated module's safe_load over cases read as JSON from stdin: [{"env": {...}, "environment": ...}].

Prints [{"ok": bool, "issues": [...]}] — what the conformance tests compare with the TypeScript loader.
Usage: python3 python-runner.py GENERATED_MODULE.py < cases.json
"""

import importlib.util
import json
import sys

spec = importlib.util.spec_from_file_location("generated_config", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
results = []
for case in json.load(sys.stdin):
    ok, config, issues = module.safe_load(case["env"], case.get("environment"))
    if ok != (config is not None):
        raise SystemExit("ok and config disagree")
    results.append({"ok": ok, "issues": issues})
json.dump(results, sys.stdout)
