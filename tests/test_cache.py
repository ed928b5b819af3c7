"""The result cache: trusted only when it is ours and intact, and invalidated by what a verdict reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs_examples.cache import Cache, read_json_sealed
from docs_examples.findings import Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.settings import Settings

PAGE = '# Build\n\n```dockerfile title="Dockerfile"\n--8<-- "app/Dockerfile"\n```\n'
DOCKERFILE = 'FROM python:3.13-slim\nWORKDIR /app\nCOPY server.py ./\nUSER 10001\nCMD ["python", "server.py"]\n'


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    app = tmp_path / "snippets" / "app"
    app.mkdir(parents=True)
    (app / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    (app / "server.py").write_text("print('hi')\n", encoding="utf-8")
    return Settings(root=tmp_path, snippet_paths=[tmp_path / "snippets"], cache_dir=tmp_path / ".cache")


def _run(settings: Settings) -> tuple[Status, list[str], int, int]:
    report = Pipeline(settings, only=["dockerfile-syntax", "hadolint", "build-context"]).run([Page("docs/p.md", PAGE)])
    (result,) = report.results
    return result.status, [f.rule for f in result.findings], report.summary.cache_hits, report.summary.cache_misses


def test_second_run_is_served_from_the_cache(project: Settings) -> None:
    assert _run(project) == (Status.PASSED, [], 0, 3)
    assert _run(project) == (Status.PASSED, [], 3, 0)


def test_editing_a_file_of_the_build_context_rechecks_the_context(project: Settings) -> None:
    _run(project)
    (project.root / "snippets" / "app" / "server.py").unlink()  # the block's text is unchanged
    status, rules, hits, misses = _run(project)
    assert (status, rules) == (Status.FAILED, ["missing-copy-source"])
    assert (hits, misses) == (2, 1)  # only the check that reads the context ran again


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b'{"format": "someone-else/9", "entries": {}}',
        b'{"format": "docs-examples-cache/1"}',
        b'{"format": "docs-examples-cache/1", "entries": {"k": [{"tool": "x"}]}}',
        b"\x00\xff\xfe",
    ],
    ids=["garbage", "foreign", "no-entries", "bad-entry", "binary"],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(project: Settings, content: bytes) -> None:
    project.cache_dir.mkdir(parents=True)
    (project.cache_dir / "results.json").write_bytes(content)
    assert _run(project) == (Status.PASSED, [], 0, 3)
    data = read_json_sealed(project.cache_dir / "results.json")
    assert data["format"] == "docs-examples-cache/1" and len(data["entries"]) == 3


def test_cache_without_a_folder_keeps_nothing(tmp_path: Path) -> None:
    cache = Cache(None)
    cache.put("k", [])
    cache.save()
    assert list(tmp_path.iterdir()) == []


def test_results_of_other_code_are_not_reused(project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade, or an edit of a check, changes the package's code digest: nothing cached before is served,
    since the old code may have passed what the new one fails."""
    from docs_examples.blocks import memo

    assert _run(project)[2:] == (0, 3)
    assert _run(project)[2:] == (3, 0)
    monkeypatch.setattr(memo, "code_digest", lambda: "another version of the checks")
    assert _run(project)[2:] == (0, 3)
