"""``docs-examples check --changed-since REF`` in a real temporary git repository: pages changed since the
merge base, pages including a changed snippet (directly and through another included file), new pages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from docs_examples import cli

pytestmark = pytest.mark.xdist_group("baseline")

CONFIG = """\
site_name: Changed
docs_dir: docs
plugins:
  - docs-examples:
      cache: false
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.snippets: {base_path: [snippets]}
"""
FILES = {
    "mkdocs.yml": CONFIG,
    "docs/direct.md": '# Direct\n\n```bash\n--8<-- "run.sh"\n```\n',
    "docs/nested.md": '# Nested\n\n--8<-- "part.md"\n',
    "docs/alone.md": '# Alone\n\n```bash\necho "alone"\n```\n',
    "snippets/part.md": 'A part.\n\n```bash\n--8<-- "run.sh"\n```\n',
    "snippets/run.sh": 'echo "run"\n',
    "snippets/other.sh": 'echo "other"\n',
}


def git(repo: Path, *args: str) -> str:
    """Set-up commands of the test repository (the code under test runs git through its own runner)."""
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env, timeout=60)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "site")
    git(tmp_path, "switch", "-q", "-c", "topic")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)


def pages_checked(*args: str) -> list[str]:
    assert cli.main(["check", "-q", "-f", "json", "-o", "../report.json", *args]) in (0, 1)
    return sorted({b["file"] for b in json.loads(Path("../report.json").read_text())["blocks"]})


def test_nothing_changed_checks_nothing(repo: Path) -> None:
    assert pages_checked("--changed-since", "main") == []


def test_a_changed_snippet_reaches_every_page_that_includes_it(repo: Path) -> None:
    (repo / "snippets/run.sh").write_text('echo "run, changed"\n')
    assert pages_checked("--changed-since", "main") == ["docs/direct.md", "docs/nested.md"]
    commit(repo, "snippet")  # committed on the branch: the same answer
    assert pages_checked("--changed-since", "main") == ["docs/direct.md", "docs/nested.md"]


def test_an_included_markdown_file_reaches_its_page_only(repo: Path) -> None:
    (repo / "snippets/part.md").write_text((repo / "snippets/part.md").read_text() + "\nMore.\n")
    assert pages_checked("--changed-since", "main") == ["docs/nested.md"]


def test_a_changed_page_and_a_new_page(repo: Path) -> None:
    (repo / "docs/alone.md").write_text('# Alone\n\n```bash\necho "edited"\n```\n')
    (repo / "docs/new.md").write_text('# New\n\n```bash\necho "new"\n```\n')
    (repo / "snippets/other.sh").write_text("echo unused\n")  # included by no page
    assert pages_checked("--changed-since", "main") == ["docs/alone.md", "docs/new.md"]


def test_changes_already_on_main_are_not_this_branch(repo: Path) -> None:
    """Pages changed on main after the branch started are not the pull request's: the merge base counts."""
    git(repo, "switch", "-q", "main")
    (repo / "docs/alone.md").write_text('# Alone\n\n```bash\necho "main moved on"\n```\n')
    commit(repo, "main")
    git(repo, "switch", "-q", "topic")
    (repo / "snippets/run.sh").write_text('echo "topic"\n')
    assert pages_checked("--changed-since", "main") == ["docs/direct.md", "docs/nested.md"]


def test_a_configuration_change_checks_every_page(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text(CONFIG.replace("cache: false", "cache: false\n      fail_on: error"))
    assert pages_checked("--changed-since", "main") == ["docs/alone.md", "docs/direct.md", "docs/nested.md"]


def test_a_deleted_snippet_reaches_the_pages_that_now_miss_it(repo: Path) -> None:
    (repo / "snippets/run.sh").unlink()
    assert cli.main(["check", "-q", "-f", "json", "-o", "../report.json", "--changed-since", "main"]) == 1
    report = json.loads(Path("../report.json").read_text())
    failing = sorted({b["file"] for b in report["blocks"] if b["status"] == "failed"})
    assert failing == ["docs/direct.md", "docs/nested.md"]


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=/tmp/x"])
def test_a_bad_revision_is_a_usage_error(repo: Path, capsys, ref: str) -> None:
    assert cli.main(["check", "-q", f"--changed-since={ref}"]) == 2
    assert "--changed-since" in capsys.readouterr().err


def test_git_is_only_read(repo: Path) -> None:
    (repo / "snippets/run.sh").write_text('echo "run, changed"\n')
    before = {p: p.stat().st_mtime_ns for p in (repo / ".git").rglob("*")}
    pages_checked("--changed-since", "HEAD")
    after = {p: p.stat().st_mtime_ns for p in (repo / ".git").rglob("*")}
    assert after == before
