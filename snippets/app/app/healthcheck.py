"""Container health check: `python -m app.healthcheck` exits 0 when /health answers 200.

Slim base images ship no curl or wget, so the Dockerfile and compose.yaml use this instead.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def healthy(port: int, timeout: float = 2.0) -> bool:
    """Return True when http://127.0.0.1:<port>/health answers 200 within the timeout."""
    url = f"http://127.0.0.1:{port}/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # a fixed loopback URL
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    """Check the port from PORT (default 3000) and return the process exit status."""
    return 0 if healthy(int(os.environ.get("PORT", "3000"))) else 1


if __name__ == "__main__":
    sys.exit(main())
