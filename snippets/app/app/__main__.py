"""Entry point: `python -m app` reads the environment, starts the server, exits 0 after SIGTERM."""

from __future__ import annotations

import sys

from . import config, logs, server


def main() -> int:
    """Load the configuration, serve until asked to stop and return the exit status."""
    try:
        settings = config.load()
    except config.ConfigError as err:
        logs.setup("error").error("invalid configuration", extra={"error": str(err)})
        return 2
    logger = logs.setup(settings.log_level)
    service = server.Service(settings, logger)
    server.serve(service, server.make_server(service))
    return 0


if __name__ == "__main__":
    sys.exit(main())
