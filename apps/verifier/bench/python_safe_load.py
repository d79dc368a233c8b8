"""safe_load of the healthy staging env with the generated module (examples/python-service/netra_config.py), timed
with timeit, beside an anchor in the same process: a JSON round trip of the same variables (json.dumps + loads, C
code), so a slow or loaded machine shows in both. Issue 19's target: under 1 ms per call.

    python3 apps/verifier/bench/python_safe_load.py
"""

import json
import os
import platform
import sys
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "examples", "python-service"))
import netra_config  # noqa: E402

env = {}
with open(os.path.join(HERE, "healthy-staging.env")) as lines:
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value

ok, config, issues = netra_config.safe_load(env)
if not ok or issues:
    sys.exit("bench: the healthy staging env must load without issues: %r" % [i["code"] for i in issues])


def per_call_us(function, number=2000, repeat=7):
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number * 1e6


load_us = per_call_us(lambda: netra_config.safe_load(env))
anchor_us = per_call_us(lambda: json.loads(json.dumps(env)))
print("CPython %s" % platform.python_version())
print("safe_load(staging)        %7.1f us per call (target < 1000 us)" % load_us)
print("anchor: JSON round trip   %7.1f us per call" % anchor_us)
print("ratio                     %7.1fx the anchor" % (load_us / anchor_us))
