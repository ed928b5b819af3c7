"""The HTTP endpoints, served in-process on a free port."""

import io
import json
import logging
import socket
import threading
import unittest
import urllib.error
import urllib.request
from typing import ClassVar

from app import logs
from app.config import load
from app.healthcheck import healthy
from app.server import Service, make_server


def fetch(url):
    """Return (status, content type, body) of a GET, including error statuses."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


class ServerTestCase(unittest.TestCase):
    environ: ClassVar[dict] = {}

    def setUp(self):
        self.log = io.StringIO()
        self.service = Service(load({"PORT": "0", **self.environ}), logs.setup("debug", self.log))
        self.server = make_server(self.service, host="127.0.0.1")
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        logging.getLogger("myapp").handlers.clear()


class EndpointTests(ServerTestCase):
    def test_root_says_hello_as_json(self):
        status, content_type, body = fetch(self.base + "/")
        self.assertEqual(status, 200)
        self.assertEqual(content_type, "application/json")
        self.assertEqual(json.loads(body)["service"], "myapp")

    def test_health_is_ok(self):
        status, _, body = fetch(self.base + "/health")
        self.assertEqual((status, json.loads(body)), (200, {"status": "ok"}))

    def test_ready_without_dependencies(self):
        status, _, body = fetch(self.base + "/ready")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["checks"], {"config": "ok"})

    def test_not_ready_while_draining(self):
        self.service.draining.set()
        status, _, body = fetch(self.base + "/ready")
        self.assertEqual(status, 503)
        self.assertEqual(json.loads(body)["checks"]["shutdown"], "draining")
        self.assertEqual(fetch(self.base + "/health")[0], 200)  # still alive: don't restart it

    def test_unknown_path_is_404_and_counted_as_other(self):
        status, _, _ = fetch(self.base + "/nope?x=1")
        self.assertEqual(status, 404)
        _, content_type, metrics = fetch(self.base + "/metrics")
        self.assertTrue(content_type.startswith("text/plain; version=0.0.4"))
        self.assertIn('myapp_http_requests_total{method="GET",path="other",status="404"} 1', metrics)

    def test_requests_are_logged_as_json_lines(self):
        fetch(self.base + "/")
        fetch(self.base + "/health")
        entries = [json.loads(line) for line in self.log.getvalue().splitlines()]
        requests = [entry for entry in entries if entry["message"] == "request"]
        self.assertEqual([entry["path"] for entry in requests], ["/", "/health"])
        self.assertEqual([entry["level"] for entry in requests], ["info", "debug"])
        self.assertEqual(requests[0]["status"], 200)

    def test_each_request_is_logged_once(self):
        fetch(self.base + "/")
        fetch(self.base + "/missing")
        entries = [json.loads(line) for line in self.log.getvalue().splitlines()]
        self.assertEqual([entry["message"] for entry in entries], ["request", "request"])

    def test_healthcheck_module_sees_the_running_server(self):
        self.assertTrue(healthy(self.server.server_address[1]))

    def test_healthcheck_fails_on_a_closed_port(self):
        self.assertFalse(healthy(ClosedPort.find(), timeout=0.5))


class ClosedPort:
    """A loopback port with nothing listening on it."""

    @staticmethod
    def find():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]


class UnreachableDependencyTests(ServerTestCase):
    environ: ClassVar[dict] = {"DATABASE_URL": f"postgres://app:pw@127.0.0.1:{ClosedPort.find()}/myapp"}

    def test_ready_fails_when_the_database_is_unreachable(self):
        status, _, body = fetch(self.base + "/ready")
        self.assertEqual(status, 503)
        self.assertTrue(json.loads(body)["checks"]["database"].startswith("unreachable"))


class ReachableDependencyTests(ServerTestCase):
    def setUp(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.environ = {"REDIS_URL": f"redis://127.0.0.1:{self.listener.getsockname()[1]}"}
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.listener.close()

    def test_ready_when_the_dependency_accepts_connections(self):
        status, _, body = fetch(self.base + "/ready")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["checks"]["redis"], "ok")


if __name__ == "__main__":
    unittest.main()
