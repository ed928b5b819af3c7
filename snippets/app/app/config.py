"""Configuration read once from the environment, with safe defaults for local runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(ValueError):
    """Raised when an environment variable holds a value the service cannot use."""


@dataclass(frozen=True)
class Config:
    """Everything the service reads from its environment."""

    port: int = 3000
    log_level: str = "info"
    api_url: str = ""
    database_url: str = ""
    redis_url: str = ""

    def dependencies(self) -> dict[str, tuple[str, int]]:
        """Return the (host, port) of every configured backing service, keyed by name."""
        found = {}
        for name, url, default_port in (
            ("database", self.database_url, 5432),
            ("redis", self.redis_url, 6379),
        ):
            if url:
                found[name] = endpoint_of(url, default_port)
        return found


def endpoint_of(url: str, default_port: int) -> tuple[str, int]:
    """Return the host and port of a connection URL such as postgres://user:pw@db:5432/myapp."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ConfigError(f"URL has no host: {parts.scheme}://…")
    try:
        port = parts.port or default_port
    except ValueError as err:
        raise ConfigError(f"URL has an invalid port: {err}") from err
    return parts.hostname, port


def parse_port(raw: str) -> int:
    """Return PORT as an int in 0..65535 (0 asks the OS for a free port, which tests use)."""
    try:
        port = int(raw)
    except ValueError as err:
        raise ConfigError(f"PORT must be an integer, got {raw!r}") from err
    if not 0 <= port <= 65535:
        raise ConfigError(f"PORT must be between 0 and 65535, got {port}")
    return port


def load(environ: dict[str, str] | None = None) -> Config:
    """Build a Config from the environment (or a given mapping) and validate it."""
    env = os.environ if environ is None else environ
    level = env.get("LOG_LEVEL", "info").strip().lower() or "info"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    config = Config(
        port=parse_port(env.get("PORT", "3000")),
        log_level=level,
        api_url=env.get("API_URL", ""),
        database_url=env.get("DATABASE_URL", ""),
        redis_url=env.get("REDIS_URL", ""),
    )
    config.dependencies()  # validates the URLs now rather than at the first readiness probe
    return config
