"""The baseline: today's failures are recorded, later runs fail only on new ones, fixed ones are reported as
stale, --update-baseline rewrites the file; the CLI and the MkDocs plugin read the same file.

Every run here is a real one: hadolint and shellcheck judge the blocks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _sites import build
from docs_examples import baseline, cli

pytestmark = pytest.mark.xdist_group("baseline")

MKDOCS_YML = """\
site_name: Baseline
docs_dir: docs
theme:
  name: mkdocs
plugins:
  - docs-examples:
      cache: false
      downloads: false
      index_page: ""
      checks_page: ""
markdown_extensions:
  - pymdownx.superfences
nav:
  - Home: index.md
"""

PAGE = """\
# Install

## Docker

```dockerfile
FROM node:latest
CMD ["node"]
```

## Script

```bash
#!/bin/bash
cd /srv/app
ls
```
"""

NEW_FAILURE = """
## More

```dockerfile
FROM ubuntu:latest
CMD ["bash"]
```
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, dict]:
    code = cli.main(["check", "-q", "--no-cache", "-f", "json", "-o", "report.json", *args])
    return code, json.loads(Path("report.json").read_text())


def failing(report: dict) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for b in report["blocks"] for f in b["findings"] if f["fails"]]


def suppressed(report: dict) -> list[tuple[str, str]]:
    found = [f for b in report["blocks"] for f in b["findings"]] + report["problems"]
    return sorted((f["rule"], f["suppressed"]["by"]) for f in found if "suppressed" in f)


def test_baseline_records_moves_fails_new_reports_stale_and_updates(site: Path, capsys) -> None:
    code, report = check()
    assert code == 1 and sorted(r for r, _ in failing(report)) == ["DL3007", "SC2164"]

    assert cli.main(["baseline", "--no-cache"]) == 0
    assert "2 failures recorded in 2 places (2 new, 0 no longer failing)" in capsys.readouterr().err
    data = json.loads((site / ".docs-examples-baseline.json").read_text())
    assert [(e["page"], e["where"], e["rule"], e["count"]) for e in data["findings"]] == [
        ("docs/index.md", "Docker", "DL3007", 1),
        ("docs/index.md", "Script", "SC2164", 1),
    ]

    # Recorded failures are reported, marked, and do not fail; the blocks pass.
    code, report = check()
    assert code == 0 and failing(report) == []
    assert suppressed(report) == [("DL3007", "baseline"), ("SC2164", "baseline")]
    assert {b["status"] for b in report["blocks"]} == {"passed"}
    assert report["suppression"]["suppressed"] == {"baseline": 2, "ignore": 0}

    # Lines move: the blocks are still recognised.
    page = site / "docs" / "index.md"
    page.write_text("# Install\n\nA new introduction.\n\nTwo paragraphs long.\n" + PAGE.split("\n", 1)[1])
    code, report = check()
    assert code == 0 and len(suppressed(report)) == 2

    # A new failure fails, alone.
    page.write_text(page.read_text() + NEW_FAILURE)
    code, report = check()
    assert code == 1 and failing(report) == [("DL3007", 25)]

    # Fixing a recorded failure makes its entry stale, reported in JSON and text.
    page.write_text(page.read_text().replace("FROM node:latest", "FROM node:22.11"))
    code, report = check()
    assert [(s["where"], s["rule"]) for s in report["suppression"]["stale"]] == [("Docker", "DL3007")]
    assert cli.main(["check", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "stale baseline entry: docs/index.md › Docker: hadolint DL3007 no longer fails" in out
    assert "1 failing findings do not fail: 1 recorded in the baseline (.docs-examples-baseline.json)" in out

    # --update-baseline rewrites the file: the new failure in, the fixed one out; nothing is stale after.
    assert cli.main(["check", "--no-cache", "--update-baseline", "-o", "out.txt"]) == 0
    assert "2 failures recorded in 2 places (1 new, 1 no longer failing)" in capsys.readouterr().err
    rules = [
        (e["where"], e["rule"]) for e in json.loads((site / ".docs-examples-baseline.json").read_text())["findings"]
    ]
    assert rules == [("More", "DL3007"), ("Script", "SC2164")]
    code, report = check()
    assert code == 0 and report["suppression"]["stale"] == [] and len(suppressed(report)) == 2


def test_a_block_edited_owns_its_findings_again(site: Path) -> None:
    assert cli.main(["baseline", "-q", "--no-cache"]) == 0
    (site / "docs" / "index.md").write_text(PAGE.replace('CMD ["node"]', 'CMD ["node", "server.js"]'))
    code, report = check()
    assert code == 1 and failing(report) == [("DL3007", 6)]
    assert [s["rule"] for s in report["suppression"]["stale"]] == ["DL3007"]


def test_identical_failures_are_counted(site: Path) -> None:
    block = "\n```bash\n#!/bin/bash\ncd /srv/app\n```\n"
    (site / "docs" / "index.md").write_text("# One\n" + block + block)
    assert cli.main(["baseline", "-q", "--no-cache"]) == 0
    entries = baseline.load(site / ".docs-examples-baseline.json")
    assert [(e.rule, e.count) for e in entries] == [("SC2164", 2)]
    (site / "docs" / "index.md").write_text("# One\n" + block + block + block)
    code, report = check()
    assert code == 1 and len(failing(report)) == 1 and len(suppressed(report)) == 2


def test_a_partial_run_keeps_the_other_pages_entries(site: Path) -> None:
    (site / "docs" / "other.md").write_text("# Other\n\n```bash\n#!/bin/bash\ncd /srv/other\n```\n")
    assert cli.main(["baseline", "-q", "--no-cache"]) == 0
    (site / "docs" / "index.md").write_text("# Install\n\nNothing to see.\n")
    assert cli.main(["baseline", "-q", "--no-cache", "docs/index.md"]) == 0
    entries = baseline.load(site / ".docs-examples-baseline.json")
    assert [(e.page, e.rule) for e in entries] == [("docs/other.md", "SC2164")]


def test_the_baseline_names_pages_from_the_site_root(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli.main(["baseline", "-q", "--no-cache"]) == 0
    monkeypatch.chdir(site / "docs")
    code = cli.main(["check", "-q", "--no-cache", "-c", "../mkdocs.yml", "index.md"])
    assert code == 0


def test_a_corrupt_baseline_is_a_configuration_error(site: Path, capsys) -> None:
    (site / ".docs-examples-baseline.json").write_text('{"version": 1, "findings": [{"page": 3}]}')
    assert cli.main(["check", "-q", "--no-cache"]) == 2
    assert "cannot read the baseline" in capsys.readouterr().err


def test_page_problems_are_recorded_too(site: Path) -> None:
    (site / "docs" / "index.md").write_text('# Tabs\n\n```yaml tab="A"\na: 1\n```\n')
    assert cli.main(["baseline", "-q", "--no-cache"]) == 0
    code, report = check()
    assert code == 0 and suppressed(report) == [("legacy-tab-header", "baseline")]


@pytest.mark.xdist_group("sites")
def test_the_plugin_honours_the_baseline(site: Path, tmp_path: Path) -> None:
    assert cli.main(["baseline", "-q", "--no-cache"]) == 0
    built = build(site, site, "--strict")
    assert built.returncode == 0, built.log
    assert "2 failing findings do not fail: 2 recorded in the baseline" in built.log
    assert "(mkdocs build -v lists them)" in built.log and "[baseline:" not in built.log
    html = (site / "site" / "index.html").read_text()
    assert "Fails:" not in html and "Validated:" not in html
    assert html.count("Known failure") == 2
    verbose = build(site, site, "--strict", "-v")
    assert verbose.returncode == 0 and verbose.log.count("[baseline: known failure recorded in ") == 2
    (site / ".docs-examples-baseline.json").unlink()
    built = build(site, site, "--strict")
    assert built.returncode != 0 and "DL3007" in built.log
