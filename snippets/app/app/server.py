"""The HTTP server: routes, readiness logic, access logs and graceful shutdown."""

from __future__ import annotations

import json
import logging
import signal
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import __version__
from .config import Config
from .metrics import Metrics

# Probes are hit every few seconds; log them only at debug level so they don't drown real traffic.
QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})
DEPENDENCY_TIMEOUT = 0.5  # seconds; a readiness probe must answer well within its own timeout


def reachable(host: str, port: int, timeout: float = DEPENDENCY_TIMEOUT) -> bool:
    """Return True when a TCP connection to host:port succeeds within the timeout."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class Service:
    """State shared by every request: configuration, metrics, logger and the draining flag."""

    def __init__(self, config: Config, logger: logging.Logger) -> None:
        self.config = config
        self.logger = logger
        self.metrics = Metrics()
        self.started = time.monotonic()
        self.draining = threading.Event()

    def readiness(self) -> tuple[bool, dict[str, str]]:
        """Return whether the service should receive traffic, with the state of each dependency."""
        checks = {"config": "ok"}
        for name, (host, port) in self.config.dependencies().items():
            checks[name] = "ok" if reachable(host, port) else f"unreachable ({host}:{port})"
        if self.draining.is_set():
            checks["shutdown"] = "draining"
        ready = all(state == "ok" for key, state in checks.items() if key != "shutdown")
        return ready and not self.draining.is_set(), checks


def json_response(status: HTTPStatus, payload: dict) -> tuple[HTTPStatus, str, bytes]:
    """Return a JSON response triple."""
    return status, "application/json", json.dumps(payload).encode()


# --8<-- [start:routes]
def route(service: Service, path: str) -> tuple[HTTPStatus, str, bytes]:
    """Return status, content type and body for a GET of the given path."""
    if path == "/":
        return json_response(HTTPStatus.OK, {"service": "myapp", "version": __version__, "message": "hello"})
    if path == "/health":  # liveness: the process is up and serving requests
        return json_response(HTTPStatus.OK, {"status": "ok"})
    if path == "/ready":  # readiness: config loaded, dependencies reachable, not shutting down
        ready, checks = service.readiness()
        status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
        return json_response(status, {"status": "ready" if ready else "not ready", "checks": checks})
    if path == "/metrics":  # Prometheus text exposition format
        body = service.metrics.render().encode()
        return HTTPStatus.OK, "text/plain; version=0.0.4; charset=utf-8", body
    return json_response(HTTPStatus.NOT_FOUND, {"error": "not found", "path": path})


# --8<-- [end:routes]


def handler_for(service: Service) -> type[BaseHTTPRequestHandler]:
    """Return a request handler class bound to the given service."""

    class Handler(BaseHTTPRequestHandler):
        """Serve GET requests through Service.route, timing and logging each one."""

        server_version = f"myapp/{__version__}"

        def do_GET(self) -> None:  # the name http.server dispatches to
            """Answer a GET request."""
            began = time.perf_counter()
            path = self.path.split("?", 1)[0]
            status, content_type, body = route(service, path)
            # Record before replying, so a client that reads /metrics next already sees this request.
            elapsed = time.perf_counter() - began
            label = path if status != HTTPStatus.NOT_FOUND else "other"  # bound the label cardinality
            service.metrics.observe("GET", label, int(status), elapsed)
            level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
            service.logger.log(
                level,
                "request",
                extra={"method": "GET", "path": path, "status": int(status), "duration_ms": round(elapsed * 1000, 3)},
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_request(self, code="-", size="-") -> None:  # the signature of the base class
            """Skip http.server's own access line: do_GET has already logged the request as JSON."""

        def log_message(self, format: str, *args) -> None:  # the signature of the base class
            """Route http.server's own messages (errors, bad requests) through the JSON logger."""
            service.logger.warning(format % args, extra={"client": self.client_address[0]})

    return Handler


class Server(ThreadingHTTPServer):
    """A threading HTTP server whose close waits for in-flight requests to finish."""

    daemon_threads = False
    block_on_close = True


def make_server(service: Service, host: str = "0.0.0.0") -> Server:  # noqa: S104 - a container listens on all interfaces
    """Bind the server to host and the configured port (0 picks a free port)."""
    return Server((host, service.config.port), handler_for(service))


def serve(service: Service, server: Server) -> None:
    """Serve until SIGTERM or SIGINT, then drain: refuse readiness, finish requests, close."""

    def stop(signum: int, _frame) -> None:
        service.draining.set()
        service.logger.info("shutting down", extra={"signal": signal.Signals(signum).name})
        # shutdown() blocks until serve_forever returns, so it must run outside this thread.
        threading.Thread(target=server.shutdown, name="shutdown").start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = server.server_address[:2]
    service.logger.info("listening", extra={"host": host, "port": port, "version": __version__})
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()  # joins the request threads: in-flight requests complete
        service.metrics.up = 0
        service.logger.info("stopped", extra={"uptime_s": round(time.monotonic() - service.started, 3)})
