"""The example service in snippets/app, run for real: endpoints, metrics format, clean SIGTERM exit.

The chapters include these files verbatim, so these tests are what keeps the guide's example honest.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "snippets" / "app"
BIN = Path(sys.executable).parent

# One sample line of the Prometheus text format: name, optional {label="value",...}, value.
SAMPLE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r'(?:\{(?P<labels>[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*,?)?\})?'
    r" (?P<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|Inf|NaN))(?: -?\d+)?$"
)
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str, str]:
    """GET a URL and return status, content type and body, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


def parse_metrics(text: str) -> list[tuple[str, dict[str, str], float]]:
    """Parse exposition text into (name, labels, value); fail on any line that is not valid."""
    samples = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith(("# HELP ", "# TYPE ")):
            continue
        match = SAMPLE.match(line)
        assert match, f"line {number} is not a Prometheus sample: {line!r}"
        labels = dict(LABEL.findall(match["labels"] or ""))
        samples.append((match["name"], labels, float(match["value"])))
    return samples


def start_service() -> tuple[subprocess.Popen, str]:
    """Start `python -m app` on a free port and wait until /health answers; return (process, URL)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(PORT=str(port), LOG_LEVEL="debug", PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "app"],
        cwd=APP,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            if get(base + "/health")[0] == 200:
                return process, base
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"service did not start (exit {process.returncode}):\n{out}\n{err}")
        time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    """Kill the process if a test left it running."""
    if process.poll() is None:
        process.kill()
        process.communicate()


@pytest.fixture(scope="module")
def service():
    """One running service shared by the read-only endpoint tests of this module."""
    process, base = start_service()
    yield process, base
    stop(process)


@pytest.fixture
def fresh_service():
    """A service of its own, for a test that stops it."""
    process, base = start_service()
    yield process, base
    stop(process)


def test_root_answers_json_hello(service):
    _, base = service
    status, content_type, body = get(base + "/")
    assert (status, content_type) == (200, "application/json")
    payload = json.loads(body)
    assert payload["service"] == "myapp"
    assert re.fullmatch(r"\d+\.\d+\.\d+", payload["version"])


def test_health_and_ready_answer_200(service):
    _, base = service
    assert get(base + "/health")[:2] == (200, "application/json")
    status, _, body = get(base + "/ready")
    assert status == 200
    assert json.loads(body)["status"] == "ready"


def test_unknown_path_is_404(service):
    _, base = service
    assert get(base + "/does-not-exist")[0] == 404


def test_metrics_parse_and_count_the_requests(service):
    _, base = service
    for _ in range(3):
        get(base + "/")
    status, content_type, body = get(base + "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain; version=0.0.4")
    samples = parse_metrics(body)
    names = {name for name, _, _ in samples}
    assert {
        "myapp_up",
        "myapp_http_requests_total",
        "myapp_http_request_duration_seconds_bucket",
        "myapp_http_request_duration_seconds_sum",
        "myapp_http_request_duration_seconds_count",
    } <= names
    assert ("myapp_up", {}, 1.0) in samples
    root_hits = [
        value
        for name, labels, value in samples
        if name == "myapp_http_requests_total" and labels == {"method": "GET", "path": "/", "status": "200"}
    ]
    assert root_hits and root_hits[0] >= 3
    buckets = [
        (labels["le"], value)
        for name, labels, value in samples
        if name == "myapp_http_request_duration_seconds_bucket" and labels.get("path") == "/"
    ]
    assert buckets[-1][0] == "+Inf"
    assert [value for _, value in buckets] == sorted(value for _, value in buckets)


def test_parse_metrics_rejects_malformed_lines():
    with pytest.raises(AssertionError, match="not a Prometheus sample"):
        parse_metrics("myapp_up{broken 1\n")
    with pytest.raises(AssertionError, match="not a Prometheus sample"):
        parse_metrics("myapp_up one\n")


def test_sigterm_stops_cleanly_with_json_logs(fresh_service):
    process, base = fresh_service
    get(base + "/")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    entries = [json.loads(line) for line in out.splitlines()]  # every stdout line is one JSON object
    messages = [entry["message"] for entry in entries]
    assert messages[0] == "listening"
    assert "request" in messages
    assert messages[-2:] == ["shutting down", "stopped"]
    assert entries[-2]["signal"] == "SIGTERM"


def test_invalid_configuration_exits_2_with_a_json_error():
    env = {**os.environ, "PORT": "not-a-port"}
    result = subprocess.run(
        [sys.executable, "-m", "app"], cwd=APP, env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 2
    entry = json.loads(result.stdout.splitlines()[-1])
    assert entry["level"] == "error"
    assert "PORT" in entry["error"]


def test_service_unit_tests_pass():
    result = subprocess.run(
        [sys.executable, "-m", "unittest", "discover", "-v"],
        cwd=APP,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ran = re.search(r"^Ran (\d+) tests?", result.stderr, re.MULTILINE)
    assert ran and int(ran[1]) >= 15, result.stderr


def test_every_dockerfile_copy_source_exists():
    sources = []
    for line in (APP / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(word.startswith("--from=") for word in words):
            sources += [word for word in words[1:-1] if not word.startswith("--")]
    assert sources, "the Dockerfile copies nothing from the context"
    missing = [source for source in sources if not (APP / source).exists()]
    assert not missing


def test_kustomize_base_renders_the_shared_objects():
    result = subprocess.run(
        [str(BIN / "kubectl"), "kustomize", str(APP / "k8s" / "base")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    objects = {(doc["kind"], doc["metadata"]["name"]) for doc in yaml.safe_load_all(result.stdout) if doc}
    assert objects == {
        ("Deployment", "myapp"),
        ("Service", "myapp"),
        ("ConfigMap", "myapp-config"),
        ("Secret", "myapp-secrets"),
        ("Ingress", "myapp-ingress"),
        ("HorizontalPodAutoscaler", "myapp-hpa"),
        ("PodDisruptionBudget", "myapp-pdb"),
    }


def test_compose_file_is_valid():
    result = subprocess.run(
        [str(BIN / "docker-compose"), "-f", str(APP / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "POSTGRES_PASSWORD": "test-only"},
    )
    assert result.returncode == 0, result.stderr
