"""One edit, one re-check: after changing one block on one page, only that block's checks run again.

Proved with the cache's own counters (``Pipeline.cache.hits/misses`` and ``Report.summary``), through the
pipeline as the CLI drives it and through repeated MkDocs builds that reuse the plugin as ``mkdocs serve``
does. Every check here runs the real tools on a small generated site (``benchmarks/generate.py``).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from docs_examples.cli import find_pages
from docs_examples.findings import Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Report
from docs_examples.settings import from_mkdocs_yml

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate
from run import edit_one_block

pytestmark = pytest.mark.slow
BLOCKS = 30  # two pages: enough of every kind, small enough to check in a few seconds


@pytest.fixture
def site(tmp_path: Path) -> Path:
    generate.generate(tmp_path / "site", BLOCKS, seed=3, per_page=15)
    return tmp_path / "site"


def first_page(site: Path) -> Path:
    return sorted((site / "docs").glob("chapter-*.md"))[0]


def pages_of(site: Path, pipeline: Pipeline) -> list[Page]:
    return find_pages([str(site / "docs")], pipeline.settings)


def check_runs(pipeline: Pipeline, pages: list[Page]) -> dict[str, int]:
    """How many check runs each block needs: the number of checks that apply to it."""
    return {b.id: sum(c.applies(b) for c in pipeline.checks) for page in pages for b in pipeline.extract(page).blocks}


def edited_block_id(pipeline: Pipeline, before: Page, after: Page) -> str:
    """The id of the one block whose text differs between two versions of a page."""
    old = {b.id: b.digest for b in pipeline.extract(before).blocks}
    new = {b.id: b.digest for b in pipeline.extract(after).blocks}
    changed = [i for i in new if old.get(i) != new[i]]
    assert len(changed) == 1, changed
    return changed[0]


def test_pipeline_rechecks_only_the_edited_block(site: Path) -> None:
    pipeline = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"))
    pages = pages_of(site, pipeline)
    needed = check_runs(pipeline, pages)
    total = sum(needed.values())
    assert total > BLOCKS  # several checks per block: the counts below are not trivially 0 or 1

    cold = pipeline.run(pages)
    assert (cold.summary.cache_hits, cold.summary.cache_misses) == (0, total)
    warm = pipeline.run(pages)
    assert (warm.summary.cache_hits, warm.summary.cache_misses) == (total, 0)

    page = first_page(site)
    page.write_text(edit_one_block(page.read_text(encoding="utf-8"), 1), encoding="utf-8")
    edited_pages = pages_of(site, pipeline)
    edited = edited_block_id(pipeline, pages[0], edited_pages[0])
    hits0, misses0 = pipeline.cache.hits, pipeline.cache.misses
    report = pipeline.run(edited_pages)

    assert needed[edited] >= 2  # bash -n and shellcheck at least
    assert report.summary.cache_misses == needed[edited]
    assert report.summary.cache_hits == total - needed[edited]
    assert (pipeline.cache.hits - hits0, pipeline.cache.misses - misses0) == (total - needed[edited], needed[edited])
    fresh = {r.block.id for r in report.results if any(not run.cached for run in r.checks)}
    assert fresh == {edited}


def test_the_recheck_is_a_real_run(site: Path) -> None:
    """The edited block gets the tools' new verdict, not a stale cached one."""
    pipeline = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"))
    page = first_page(site)
    original = page.read_text(encoding="utf-8")
    pipeline.run(pages_of(site, pipeline))
    broken = edit_one_block(original, 0, insert="local stale=1")
    line = next(i for i, x in enumerate(broken.split("\n"), 1) if x.strip() == "local stale=1")
    page.write_text(broken, encoding="utf-8")
    report = pipeline.run(pages_of(site, pipeline))
    result = next(r for r in report.results if any(f.line == line for f in r.findings))
    assert result.status is Status.FAILED
    assert any(f.rule == "SC2168" and f.line == line for f in result.findings)
    assert all(not run.cached for run in result.checks)


def test_cache_survives_a_new_process(site: Path) -> None:
    """A second pipeline on the same cache folder (the next CLI run) runs no tool at all."""
    first = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"))
    cold = first.run(pages_of(site, first))
    second = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"))
    warm = second.run(pages_of(site, second))
    assert warm.summary.cache_misses == 0
    assert warm.summary.cache_hits == cold.summary.cache_misses > 0
    assert [r.status for r in warm.results] == [r.status for r in cold.results]


# -- mkdocs serve: rebuilds in one process --------------------------------------------------------------


@pytest.fixture
def quiet_mkdocs() -> Iterator[None]:
    """The generated site has broken blocks on purpose; keep their warnings out of the test output."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def serve_builds(site: Path) -> Iterator[Report]:
    """Build like ``mkdocs serve``: config reloaded for every build, the plugin instance kept (on_startup)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def config():
        return load_config(str(site / "mkdocs.yml"), site_dir=str(site / "site"))

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    current = first
    while True:
        build(current, serve_url=None, dirty=False)
        yield current.plugins["docs-examples"]
        current = config()


@pytest.mark.usefixtures("quiet_mkdocs")
def test_serve_rebuild_rechecks_only_the_edited_block(site: Path) -> None:
    builds = serve_builds(site)
    plugin = next(builds)
    pipeline = plugin.pipeline
    pages = pages_of(site, pipeline)
    total = sum(check_runs(pipeline, pages).values())
    assert plugin.report.summary.cache_misses == total

    again = next(builds)
    assert again is plugin and again.pipeline is pipeline  # MkDocs kept the plugin, the plugin its pipeline
    assert (again.report.summary.cache_hits, again.report.summary.cache_misses) == (total, 0)

    page = first_page(site)
    page.write_text(edit_one_block(page.read_text(encoding="utf-8"), 2), encoding="utf-8")
    edited_pages = pages_of(site, pipeline)
    edited = edited_block_id(pipeline, pages[0], edited_pages[0])
    needed = check_runs(pipeline, edited_pages)[edited]
    after = next(builds)
    assert after.report.summary.cache_misses == needed
    assert after.report.summary.cache_hits == total - needed


# -- tool versions remembered across runs -----------------------------------------------------------------


def test_tool_versions_are_remembered_while_the_program_is_unchanged(tmp_path: Path) -> None:
    from docs_examples.cache import ToolVersions

    first = ToolVersions(tmp_path)
    first.put("hadolint", "/bin/hadolint|10|1", "hadolint 2.15.1", "hadolint 2.15.1")
    first.save()
    again = ToolVersions(tmp_path)
    assert again.get("hadolint", "/bin/hadolint|10|1") == ("hadolint 2.15.1", "hadolint 2.15.1")
    assert again.get("hadolint", "/bin/hadolint|11|2") is None  # another build of the program: ask it
    assert again.get("shellcheck", "/bin/hadolint|10|1") is None


@pytest.mark.parametrize("content", ["{not json", '{"format": "other", "tools": {}}', '{"format": 1}', "[]"])
def test_a_corrupt_tool_versions_file_is_ignored(tmp_path: Path, content: str) -> None:
    from docs_examples.cache import ToolVersions

    (tmp_path / "tools.json").write_text(content, encoding="utf-8")
    assert ToolVersions(tmp_path).get("hadolint", "x") is None


def test_a_warm_run_reuses_the_versions_of_the_real_tools(site: Path) -> None:
    first = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"))
    cold = first.run(pages_of(site, first))
    remembered = json.loads((first.settings.cache_dir / "tools.json").read_text(encoding="utf-8"))["tools"]
    assert {"hadolint", "shellcheck", "bash", "compose", "actionlint"} <= set(remembered)
    assert remembered["shellcheck"][1] == cold.tools["shellcheck"]  # what the tool itself said
    second = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"))
    warm = second.run(pages_of(site, second))
    assert warm.tools == cold.tools
    assert warm.labels == cold.labels
