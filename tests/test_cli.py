"""The ``docs-examples`` command, run as a user runs it: a real process, real tools, real exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli

GOOD = '# Ok\n\n```bash\necho "hello"\n```\n'
BROKEN = (
    "# Broken\n\n"
    '=== "Dockerfile"\n\n'
    '    ```dockerfile title="Dockerfile"\n'
    "    FROM node:latest\n"
    "    ```\n\n"
    "```yaml\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  replicaz: 2\n"
    "  selector:\n"
    "    matchLabels: {app: web}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: web}\n"
    "    spec:\n"
    "      containers:\n"
    "        - {name: web, image: 'nginx:1.29'}\n"
    "```\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_clean_pages_exit_0(project: Path) -> None:
    out = cli(project, "check", "--no-cache")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 blocks: 1 checked, 1 passed, 0 failed" in out.stdout


def test_a_broken_block_exits_1_with_markdown_lines(project: Path) -> None:
    (project / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    out = cli(project, "check", "--no-cache", "docs/broken.md")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert "docs/broken.md:6:5: warning: [hadolint DL3007]" in out.stdout  # inside the tab: column shifted by 4
    assert any(
        line.startswith("docs/broken.md:15:3: error: [kubernetes-schema schema/unknown-field]") for line in lines
    )
    assert "did you mean `replicas`?" in out.stdout


def test_json_report_follows_the_contract(project: Path) -> None:
    (project / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    out = cli(project, "check", "--no-cache", "--format", "json", "--output", "build/report.json", "docs")
    assert out.returncode == 1
    doc = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1
    by_file = {(b["file"], b["fence_line"]): b for b in doc["blocks"]}
    assert set(by_file) == {("docs/broken.md", 5), ("docs/broken.md", 9), ("docs/good.md", 3)}
    docker = by_file["docs/broken.md", 5]
    assert (docker["kind"], docker["status"], docker["tabs"], docker["title"]) == (
        "dockerfile",
        "failed",
        ["Dockerfile"],
        "Dockerfile",
    )
    assert {(f["rule"], f["line"]) for f in docker["findings"] if f["fails"]} == {("DL3007", 6)}
    assert doc["summary"]["failed"] == 2 and doc["summary"]["passed"] == 1


@pytest.mark.parametrize("fmt", ["junit", "sarif", "github", "text"])
def test_every_format_writes(project: Path, fmt: str) -> None:
    out = cli(project, "check", "--no-cache", "--format", fmt)
    assert out.returncode == 0 and out.stdout.strip()


def test_missing_path_is_a_usage_error(project: Path) -> None:
    out = cli(project, "check", "nowhere.md")
    assert out.returncode == 2 and "nowhere.md: no such file or folder" in out.stderr


def test_bad_option_is_a_usage_error(project: Path) -> None:
    assert cli(project, "check", "--format", "yml").returncode == 2


def test_a_missing_tool_exits_2_and_says_how_to_install(project: Path) -> None:
    (project / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    out = cli(project, "check", "--no-cache", "--kubeconform", str(project / "no-such-kubeconform"))
    assert out.returncode == 2
    assert "kubeconform not found; install it with:" in out.stdout


def test_list_shows_kind_and_status(project: Path) -> None:
    out = cli(project, "list", "--no-cache")
    assert out.returncode == 0
    assert out.stdout.splitlines() == ["docs/good.md:3\tbash\tshell\tpassed\tOk\t"]


def test_extract_writes_each_block_to_a_named_file(project: Path, tmp_path: Path) -> None:
    (project / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    target = tmp_path / "out"
    out = cli(project, "extract", str(target), "-q")
    assert out.returncode == 0, out.stderr
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == ["broken/Dockerfile", "broken/broken.yaml", "good/ok.sh"]
    assert (target / "broken" / "Dockerfile").read_text(encoding="utf-8") == "FROM node:latest\n"


def test_reads_settings_from_mkdocs_yml(project: Path) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - docs-examples:\n      fail_on: error\n", encoding="utf-8"
    )
    (project / "docs" / "broken.md").write_text(BROKEN.split("```yaml")[0], encoding="utf-8")  # only DL3007
    out = cli(project, "check", "--no-cache")
    assert out.returncode == 0, out.stdout  # a warning no longer fails with fail_on: error


def test_the_command_exits_without_teardown_but_writes_everything_and_cleans_up(project: Path, tmp_path: Path) -> None:
    """``run()`` skips the interpreter's teardown (``os._exit``): output larger than a pipe's buffer still
    arrives whole on stdout, the ``-o`` report is complete, and ``atexit`` work still happens (the schema
    folder a run without a cache folder makes in TMPDIR is removed)."""
    manifest = BROKEN.split("```yaml\n", 1)[1].split("```", 1)[0]
    blocks = "".join(f"## {i}\n\n```yaml\n{manifest}```\n\n" for i in range(300))
    (project / "docs" / "many.md").write_text(f"# Many\n\n{blocks}", encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = cli(project, "check", "--no-cache", "-f", "json", "docs/many.md", env={"TMPDIR": str(scratch)})
    assert out.returncode == 1, out.stderr
    assert len(out.stdout) > 65_536  # more than one pipe buffer: only a flush before the exit delivers it
    assert json.loads(out.stdout)["summary"]["failed"] == 300
    assert list(scratch.iterdir()) == []  # the per-process schema folder went at exit
    out = cli(project, "check", "--no-cache", "-f", "json", "-o", "r/report.json", "docs/many.md")
    assert out.returncode == 1
    assert json.loads((project / "r" / "report.json").read_text(encoding="utf-8"))["summary"]["blocks"] == 300
