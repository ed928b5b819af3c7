"""The Prometheus text rendering of the metrics registry."""

import re
import unittest

from app.metrics import BUCKETS, Metrics

SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\})? \S+$')


class RenderTests(unittest.TestCase):
    def test_fresh_registry_exposes_up(self):
        text = Metrics().render()
        self.assertIn("# TYPE myapp_up gauge\nmyapp_up 1\n", text)

    def test_counter_counts_by_method_path_and_status(self):
        metrics = Metrics()
        metrics.observe("GET", "/", 200, 0.01)
        metrics.observe("GET", "/", 200, 0.02)
        metrics.observe("GET", "other", 404, 0.001)
        text = metrics.render()
        self.assertIn('myapp_http_requests_total{method="GET",path="/",status="200"} 2', text)
        self.assertIn('myapp_http_requests_total{method="GET",path="other",status="404"} 1', text)

    def test_histogram_buckets_are_cumulative(self):
        metrics = Metrics()
        for seconds in (0.003, 0.2, 7.0, 60.0):
            metrics.observe("GET", "/", 200, seconds)
        text = metrics.render()
        counts = [
            int(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("myapp_http_request_duration_seconds_bucket")
        ]
        self.assertEqual(len(counts), len(BUCKETS) + 1)
        self.assertEqual(counts, sorted(counts))
        self.assertEqual(counts[0], 1)  # le="0.005"
        self.assertEqual(counts[-1], 4)  # le="+Inf"
        self.assertIn('le="+Inf"', text)
        self.assertIn('myapp_http_request_duration_seconds_count{method="GET",path="/"} 4', text)

    def test_label_values_are_escaped(self):
        metrics = Metrics()
        metrics.observe("GET", 'a"b\\c', 200, 0.1)
        self.assertIn('path="a\\"b\\\\c"', metrics.render())

    def test_every_sample_line_is_well_formed(self):
        metrics = Metrics()
        metrics.observe("GET", "/ready", 503, 0.4)
        for line in metrics.render().splitlines():
            if not line.startswith("#"):
                self.assertRegex(line, SAMPLE)


if __name__ == "__main__":
    unittest.main()
