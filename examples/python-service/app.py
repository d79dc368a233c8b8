"""A Python service's start-up: load the configuration with the generated module, or stop with exit 78.

    ENVIRONMENT=development python3 examples/python-service/app.py
    netra-verify run --env staging --env-file staging.env --project my-proj -- python3 examples/python-service/app.py
"""

import sys

from netra_config import ConfigError, load


def main():
    try:
        config = load()  # os.environ; ENVIRONMENT names the environment
    except ConfigError as error:
        print(error, file=sys.stderr)  # every problem, each with its variable, rule and fix; never a value
        return 78  # EX_CONFIG: the platform sees a failed start, not a service answering 503
    print("starting in %s on port %d, database %s" % (config.environment, config.port, config.database.host))
    print(config)  # sensitive fields print as [redacted]
    return 0


if __name__ == "__main__":
    sys.exit(main())
