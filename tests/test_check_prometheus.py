"""The Prometheus check runs the real promtool (Debian's ``prometheus`` package; no PyPI package ships it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.prometheus import Prometheus
from docs_examples.findings import Finding
from docs_examples.settings import Settings

pytestmark = pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool not installed (apt-get install prometheus)"
)

RULES = """\
groups:
  - name: myapp
    rules:
      - alert: HighErrorRate
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05
        for: 10m
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.job }} is failing"
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
"""

CONFIG = """\
global:
  scrape_interval: 15s
rule_files:
  - alerts.yml
scrape_configs:
  - job_name: myapp
    metrics_path: /metrics
    static_configs:
      - targets: ["myapp:8000"]
"""


def _check(settings: Settings, *blocks: Block) -> dict[str, list[Finding]]:
    return Prometheus(settings).check(list(blocks))


def test_version(settings: Settings) -> None:
    assert Prometheus(settings).version().startswith("promtool ")


def test_good_rules_and_config_pass(settings: Settings) -> None:
    rules = make_block(RULES, kind=Kind.PROMETHEUS_RULES)
    config = make_block(CONFIG, kind=Kind.PROMETHEUS, index=1)
    assert _check(settings, rules, config) == {}


def test_promql_error_is_located_at_the_expression(settings: Settings) -> None:
    broken = RULES.replace("[5m])) > 0.05", "[5m]) > 0.05")
    block = make_block(broken, kind=Kind.PROMETHEUS_RULES)
    [finding] = _check(settings, block)[block.id]
    assert (finding.rule, finding.line, finding.column) == ("promql", 5, 15)
    assert "unclosed left parenthesis" in finding.message


def test_bad_template_is_located_at_its_rule(settings: Settings) -> None:
    broken = RULES.replace("{{ $labels.job }}", "{{ $labels.job ")
    block = make_block(broken, kind=Kind.PROMETHEUS_RULES)
    [finding] = _check(settings, block)[block.id]
    assert finding.line == 4  # the rule's first line: promtool names the rule, not the line
    assert "annotation" in finding.message


def test_rule_blocks_are_checked_in_one_process_each_error_to_its_block(settings: Settings) -> None:
    good = make_block(RULES, kind=Kind.PROMETHEUS_RULES, index=0)
    bad = make_block(RULES.replace("for: 10m", "for: 10 minutes"), kind=Kind.PROMETHEUS_RULES, index=1)
    found = _check(settings, good, bad)
    assert list(found) == [bad.id]
    assert found[bad.id][0].line == 6


def test_unknown_config_field_is_located(settings: Settings) -> None:
    block = make_block(CONFIG.replace("metrics_path", "metric_path"), kind=Kind.PROMETHEUS)
    [finding] = _check(settings, block)[block.id]
    assert (finding.rule, finding.line) == ("unknown-field", 7)


def test_included_config_is_checked_with_its_rule_files(tmp_path: Path) -> None:
    folder = tmp_path / "snippets" / "monitoring"
    folder.mkdir(parents=True)
    (folder / "prometheus.yml").write_text(CONFIG, encoding="utf-8")
    settings = Settings(root=tmp_path, cache_dir=None)
    block = included_block(tmp_path, "snippets/monitoring/prometheus.yml", kind=Kind.PROMETHEUS)
    [finding] = _check(settings, block)[block.id]
    assert "alerts.yml" in finding.message and str(tmp_path) not in finding.message
    (folder / "alerts.yml").write_text(RULES, encoding="utf-8")
    assert _check(settings, block) == {}
