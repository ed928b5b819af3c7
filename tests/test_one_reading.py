"""One reading of each YAML block per run (issue 11): what classification reads, the checks reuse.

The sharing must change nothing but the cost: the same pages checked with sharing and without it give
the same report, block for block, and within a run each block's text is read once however many checks
read it. Versions of installed libraries, now read from ``.dist-info`` folder names, must be what
``importlib.metadata`` says.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT
from docs_examples import distributions, yaml_loader
from docs_examples.cli import find_pages
from docs_examples.pipeline import Pipeline
from docs_examples.settings import Settings, from_mkdocs_yml

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: Always
"""


def _report(settings: Settings, pages: list) -> list[tuple[str, str, list[tuple]]]:
    report = Pipeline(settings).run(pages)
    return [
        (r.block.id, r.status.value, sorted((f.rule, f.line, f.column, f.message) for f in r.findings))
        for r in report.results
    ]


@pytest.mark.slow
def test_this_site_gives_the_same_report_with_and_without_shared_readings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every check that reads shared documents leaves them as it found them: this site's report (all checks,
    every kind of block) is the same when each reader reads for itself."""
    settings = from_mkdocs_yml(ROOT / "mkdocs.yml").overridden(cache=False)
    pages = find_pages([str(ROOT / "docs")], settings)
    shared = _report(settings, pages)
    monkeypatch.setattr(yaml_loader, "SHARED_BUDGET", 0)  # nothing is kept: every reader reads again
    alone = _report(settings, pages)
    assert len(shared) > 50
    assert shared == alone


def test_a_manifest_is_read_once_per_run_by_classification_and_every_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "index.md"
    page.write_text(f"# Web\n\n```yaml\n{MANIFEST}```\n", encoding="utf-8")
    settings = Settings(root=tmp_path, cache_dir=None, kubeconform="off")
    reads: list[str] = []
    real = yaml_loader._load

    def counted(text: str) -> tuple:
        reads.append(text)
        return real(text)

    monkeypatch.setattr(yaml_loader, "_load", counted)
    report = Pipeline(settings).run(find_pages([str(tmp_path / "docs")], settings))
    checks = {run.check for r in report.results for run in r.checks}
    assert {"kubernetes-schema", "kubernetes-rules", "yaml"} <= checks  # three readers besides classification
    text = MANIFEST.rstrip("\n")  # the block's text: its lines, without the newline before the fence
    assert reads.count(text) == 1
    reads.clear()
    Pipeline(settings).run(find_pages([str(tmp_path / "docs")], settings))
    assert reads.count(text) == 1  # a new run reads again: nothing outlives the run that read it


def test_outside_a_run_nothing_is_kept() -> None:
    first, _ = yaml_loader.load(MANIFEST)
    second, _ = yaml_loader.load(MANIFEST)
    assert first[0] is not second[0]
    with yaml_loader.shared():
        a, _ = yaml_loader.load(MANIFEST)
        b, _ = yaml_loader.load(MANIFEST)
        assert a[0] is b[0]  # the same document, read once …
        a.clear()
        assert yaml_loader.load(MANIFEST)[0]  # … and each caller gets its own list of them


@pytest.mark.parametrize("name", ["PyYAML", "jsonschema-rs", "kubernetes-validate", "dockerfile", "mkdocs"])
def test_versions_from_dist_info_folders_are_what_importlib_metadata_says(name: str) -> None:
    assert distributions.version(name) == metadata.version(name)


def test_an_absent_distribution_has_no_version() -> None:
    assert distributions.version("no-such-distribution-here") is None
