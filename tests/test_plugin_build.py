"""The examples plugin inside real `mkdocs build` runs: strict failures, status lines, downloads, reports."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs.config.base import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from _sites import FIXTURES, build
from docs_examples.site import decorate

pytestmark = pytest.mark.xdist_group("sites")

# What the broken fixture must produce: exactly these `file:line: [tool RULE]` lines and nothing else.
BROKEN = [
    "docs/index.md:4: [hadolint DL3007]",
    "docs/index.md:10: [buildkit unknown-instruction]",
    "docs/index.md:14: [bash syntax]",  # one cause, one finding: at the `if` that is never closed
    "docs/index.md:19: [shellcheck SC2034]",
    "docs/index.md:27: [docker-compose schema]",
    "docs/index.md:38: [actionlint actionlint/shell-name]",
    "docs/index.md:45: [k8s-rules K8S002]",
]


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    return build(FIXTURES / "basic", tmp_path_factory.mktemp("basic") / "site-src", "--strict")


def test_broken_site_fails_strict_with_exactly_the_expected_lines(tmp_path: Path):
    built = build(FIXTURES / "broken", tmp_path / "broken", "--strict")
    assert built.returncode != 0
    assert "Aborted with" in built.log
    got = [w.split("]", 1)[0] + "]" for w in built.warnings()]
    assert sorted(got) == sorted(BROKEN), built.log


def test_basic_site_passes_strict(basic):
    assert basic.returncode == 0, basic.log
    assert basic.warnings() == []
    assert "6 blocks: 4 checked, 3 passed, 0 failed, 1 skipped, 1 expected-failure, 1 unchecked" in basic.log


def test_status_lines_follow_the_json_report(basic):
    report = json.loads((basic.root / "build" / "examples.json").read_text())
    html = basic.page("guide/containers/index.html")
    lines = [line for line in html.split('<div class="dx-status') if line.startswith(" dx-status--")]
    by_state = {b["status"]: b for b in report["blocks"]}
    assert len(lines) == 5  # every block but the text output
    passed = [line for line in lines if "dx-status--validated" in line]
    assert len(passed) == 3 and all("Checked: " in line for line in passed)
    versions = {c["tool"] for c in by_state["expected-failure"]["checks"]}
    anti = next(line for line in lines if "dx-status--anti-pattern" in line)
    assert "Anti-pattern: fails " in anti and ">DL3007</a> on purpose" in anti
    assert 'href="../../examples/how-examples-are-checked/#rule-dl3007"' in anti
    assert "hadolint 2.15.1" in anti and all(v.split()[0] in anti for v in versions)
    skipped = next(line for line in lines if "dx-status--not-checked" in line)
    assert "Not checked: needs a cluster-specific CRD" in skipped
    assert "Kubernetes 1.35–1.37" in html


def test_every_rendered_block_got_an_anchor(basic):
    html = basic.page("guide/containers/index.html")
    assert len(decorate.code_blocks(html)) == 6
    assert [f'id="dx-example-{i}"' in html for i in range(1, 7)] == [True] * 6


def test_downloads_equal_the_blocks(basic):
    folder = basic.site / "examples" / "guide" / "containers"
    assert (folder / "pod.yaml").read_bytes().startswith(b"apiVersion: v1\nkind: Pod\n")
    assert (folder / "pod.yaml").read_bytes().endswith(b"image: python:3.13-slim\n")
    page = basic.page("guide/containers/index.html")
    assert 'href="../../examples/guide/containers/pod.yaml"' in page
    assert (basic.site / "examples" / "example-service.zip").is_file()


def test_generated_pages(basic):
    index = basic.page("examples/index.html")
    assert index.count("<tr data-dx-kind=") == 6
    assert 'href="../guide/containers/#dx-example-4"' in index
    checks = basic.page("examples/how-examples-are-checked/index.html")
    assert "hadolint 2.15.1" in checks and "1.35–1.37" in checks and "data-check" in checks
    assert 'id="rule-dl3007"' in checks and 'id="rule-k8s001"' in checks  # every linked rule has its row
    search = json.loads((basic.site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in search["docs"]}
    assert "examples/" in locations and "interview/" in locations


def _config(tmp_path: Path, options: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# x\n")
    path = tmp_path / "mkdocs.yml"
    path.write_text(f"site_name: x\nplugins:\n  - docs-examples:\n{options}")
    return path


def test_deprecated_nested_kubernetes_option_still_works(tmp_path: Path):
    config = load_config(str(_config(tmp_path, "      kubernetes:\n        versions: ['1.36']\n")))
    plugin = config.plugins["docs-examples"]
    plugin.on_config(config)
    assert plugin.settings.kubernetes_versions == ("1.36",)


def test_unquoted_versions_are_a_configuration_error(tmp_path: Path):
    with pytest.raises((Abort, ConfigurationError)):
        load_config(str(_config(tmp_path, "      kubernetes_versions: [1.30, 1.31]\n")))


def test_publishing_workflow_passes_actionlint(root: Path):
    workflow = root / ".github" / "workflows" / "docs.yml"
    proc = subprocess.run(
        [str(root / ".venv" / "bin" / "actionlint"), "-no-color", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = workflow.read_text()
    for needed in ("make build", "upload-sarif", "upload-pages-artifact", "deploy-pages", "--format sarif"):
        assert needed in text


@pytest.mark.slow
def test_real_site_builds_strict(root: Path, tmp_path: Path):
    built = build(root, root, "--strict", "--site-dir", str(tmp_path / "site"))
    assert built.returncode == 0, "\n".join(built.warnings()) or built.log[-3000:]


def test_a_download_never_overwrites_a_generated_page(tmp_path: Path):
    """A block whose download would land on the generated "How examples are checked" page is an error at
    its line, and the page stays the generated one (issue 15: it used to be replaced by the block)."""
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "basic", src, ignore=shutil.ignore_patterns("site", ".cache", "build"))
    (src / "docs" / "how-examples-are-checked.md").write_text(
        '# Clash\n\n```{ .yaml data-filename="index.html" data-kind="yaml" }\nnot: html\n```\n', encoding="utf-8"
    )
    built = build(src, src, "--strict")
    assert built.returncode != 0
    assert any(
        w.startswith("docs/how-examples-are-checked.md:3: [docs-examples download-collision]") for w in built.warnings()
    ), built.log
    page = built.page("examples/how-examples-are-checked/index.html")
    assert "<!doctype html>" in page.lower() and "not: html" not in page
