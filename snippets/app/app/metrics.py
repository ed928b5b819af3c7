"""A tiny thread-safe metrics registry that renders the Prometheus text exposition format."""

from __future__ import annotations

import threading
from collections import defaultdict

# Latency buckets in seconds, from 5 ms to 10 s, as Prometheus client libraries use by default.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _escape(value: str) -> str:
    """Escape a label value as the exposition format requires."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    """Render label pairs as {a="1",b="2"} (empty string when there are none)."""
    if not pairs:
        return ""
    return "{" + ",".join(f'{key}="{_escape(value)}"' for key, value in pairs) + "}"


def _number(value: float) -> str:
    """Render a sample value: integers without a decimal point, +Inf as Prometheus spells it."""
    if value == float("inf"):
        return "+Inf"
    return str(int(value)) if float(value).is_integer() else repr(value)


class Metrics:
    """Request counter, request-duration histogram and the up gauge of the service."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self._bucket_counts: dict[tuple[str, str], list[int]] = {}
        self._sums: dict[tuple[str, str], float] = defaultdict(float)
        self.up = 1

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        """Record one finished request."""
        with self._lock:
            self._requests[(method, path, str(status))] += 1
            key = (method, path)
            counts = self._bucket_counts.setdefault(key, [0] * (len(BUCKETS) + 1))
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[index] += 1
            counts[-1] += 1  # the +Inf bucket counts every observation
            self._sums[key] += seconds

    def render(self) -> str:
        """Return every metric in the Prometheus text format (version 0.0.4)."""
        with self._lock:
            lines = [
                "# HELP myapp_up 1 while the service is running.",
                "# TYPE myapp_up gauge",
                f"myapp_up {self.up}",
                "# HELP myapp_http_requests_total HTTP requests handled, by method, path and status.",
                "# TYPE myapp_http_requests_total counter",
            ]
            for (method, path, status), count in sorted(self._requests.items()):
                labels = _labels((("method", method), ("path", path), ("status", status)))
                lines.append(f"myapp_http_requests_total{labels} {count}")
            lines += [
                "# HELP myapp_http_request_duration_seconds Time spent handling HTTP requests.",
                "# TYPE myapp_http_request_duration_seconds histogram",
            ]
            for (method, path), counts in sorted(self._bucket_counts.items()):
                base = (("method", method), ("path", path))
                for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
                    labels = _labels((*base, ("le", _number(bound))))
                    lines.append(f"myapp_http_request_duration_seconds_bucket{labels} {count}")
                lines.append(f"myapp_http_request_duration_seconds_sum{_labels(base)} {self._sums[(method, path)]!r}")
                lines.append(f"myapp_http_request_duration_seconds_count{_labels(base)} {counts[-1]}")
        return "\n".join(lines) + "\n"
