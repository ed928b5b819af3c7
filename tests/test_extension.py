"""The third adapter and the pre-build step, without a site generator: plain Python-Markdown, the
``docs-examples pages`` command on the fixture site, the manifest, and the MkDocs 2 message.

Whole-site builds under MkDocs, ProperDocs and Zensical are compared in ``test_generators.py``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import markdown
import pytest

from _sites import FIXTURES
from docs_examples import cli, extension, generated, standalone
from docs_examples.settings import read_mkdocs_yml
from docs_examples.site import downloads as downloads_mod
from interview_qa.pages import Options

PAGE = "docs/guide/containers.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the basic fixture site (its cache is off)."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "site")
    extension._runs.clear()  # one pipeline run per process and config file: start each test afresh
    return tmp_path / "site"


def _render(site: Path, text: str, *, ours: bool) -> str:
    """``text`` through the site's own markdown_extensions (and ours when asked), as a generator would."""
    names, configs = [], {}
    for entry in read_mkdocs_yml(site / "mkdocs.yml")["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = config
    if ours:
        names.append("docs_examples.extension")
        configs["docs_examples.extension"] = {"config_file": str(site / "mkdocs.yml")}
    cwd = Path.cwd()
    os.chdir(site)  # pymdownx.snippets reads base_path relative to the working directory
    try:
        return markdown.markdown(text, extensions=names, extension_configs=configs)
    finally:
        os.chdir(cwd)


def test_plain_python_markdown_decorates_as_the_plugin_does(site: Path):
    """No generator context: the page is found by its blocks, and the HTML is what ExampleSite.decorate makes
    of the same page rendered without the extension (the call the MkDocs plugin makes)."""
    text = (site / PAGE).read_text(encoding="utf-8")
    decorated = _render(site, text, ours=True)
    run = standalone.load(site / "mkdocs.yml")
    assert run.site is not None
    expected = run.site.decorate(PAGE, _render(site, text, ours=False), "guide/containers/")
    assert expected.problem is None
    assert decorated == expected.html
    assert decorated.count('class="dx-status__text"') == sum(
        1 for r in run.site.by_page[PAGE] if r.block.kind.value != "text"
    )
    assert decorated.count('class="dx-status__text"') >= 3


def test_a_page_with_other_blocks_than_the_checked_one_is_left_alone(site: Path, caplog: pytest.LogCaptureFixture):
    text = (site / PAGE).read_text(encoding="utf-8").replace("FROM ", "FROM  ", 1)  # not what was checked
    with caplog.at_level(logging.WARNING):
        html = _render(site, text, ours=True)
    assert "dx-status" not in html
    assert any("match no checked page" in r.getMessage() for r in caplog.records)


def test_a_page_edited_since_the_run_is_checked_again(site: Path):
    """`serve`: the process keeps its run; an edited page makes it run the pipeline again before decorating."""
    text = (site / PAGE).read_text(encoding="utf-8")
    lines = _render(site, text, ours=True).count("dx-status__text")
    before = next(iter(extension._runs.values()))
    edited = text.replace("FROM ", "FROM  ", 1)
    (site / PAGE).write_text(edited, encoding="utf-8")
    assert _render(site, edited, ours=True).count("dx-status__text") == lines >= 3
    assert next(iter(extension._runs.values())) is not before


def test_two_pages_with_the_same_blocks_are_not_guessed_between(site: Path, caplog: pytest.LogCaptureFixture):
    text = (site / PAGE).read_text(encoding="utf-8")
    (site / "docs" / "guide" / "copy.md").write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        html = _render(site, text, ours=True)
    assert "dx-status" not in html
    assert any("2 checked pages" in r.getMessage() for r in caplog.records)


def test_headings_passed_through_postprocessors_are_not_pages(site: Path):
    """The toc extension runs postprocessors over every heading's text before the page is finished."""
    html = _render(site, "# Title\n\n## Section\n", ours=True)
    assert "dx-" not in html and "<h2" in html


# -- docs-examples pages ----------------------------------------------------------------------------------


def _pages(site: Path, *extra: str) -> int:
    return cli.main(["pages", "-q", "-c", str(site / "mkdocs.yml"), *extra])


def test_pages_writes_the_generated_files_and_lists_them(site: Path):
    assert _pages(site) == 0
    listed = generated.recorded(site / "docs")
    wanted = ("examples/index.md", "examples/how-examples-are-checked.md", "interview/index.md")
    wanted += ("interview/questions.csv", "assets/docs-examples/examples.js", "assets/interview/interview.js")
    for rel in wanted:
        assert rel in listed and (site / "docs" / rel).is_file(), rel
    downloads = [rel for rel in listed if rel.startswith("examples/guide/")]
    assert len(downloads) >= 4
    run = standalone.load(site / "mkdocs.yml")
    names = {f"examples/{p.as_posix()}": block for block in (r.block for r in run.report.results)
             if (p := run.site.names.get(block.id))}  # fmt: skip
    for rel in downloads:
        assert (site / "docs" / rel).read_bytes() == downloads_mod.block_bytes(names[rel]), rel


def test_pages_never_overwrites_the_authors_file_and_removes_what_it_no_longer_makes(
    site: Path, capsys: pytest.CaptureFixture[str]
):
    mine = site / "docs" / "examples" / "index.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# My own index\n", encoding="utf-8")
    assert cli.main(["pages", "-c", str(site / "mkdocs.yml")]) == 0
    assert mine.read_text(encoding="utf-8") == "# My own index\n"
    assert "examples/index.md is the author's; not generating it" in capsys.readouterr().err
    assert "examples/index.md" not in generated.recorded(site / "docs")

    assert (site / "docs" / "interview" / "questions.csv").is_file()
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - interview\n", "  - interview: {csv: false}\n"))
    assert _pages(site) == 0
    assert not (site / "docs" / "interview" / "questions.csv").exists()
    assert "interview/questions.csv" not in generated.recorded(site / "docs")
    assert mine.is_file()


def test_a_manifest_is_data_never_a_path_out_of_the_docs_folder(site: Path):
    outside = site / "precious.txt"
    outside.write_text("keep me")
    manifest = {"format": generated.FORMAT, "files": ["../precious.txt", "/etc/passwd", "examples/x.txt"]}
    (site / "docs" / generated.MANIFEST).write_text(json.dumps(manifest))
    assert generated.recorded(site / "docs") == {"examples/x.txt"}
    assert _pages(site) == 0
    assert outside.read_text() == "keep me"
    (site / "docs" / generated.MANIFEST).write_text('{"format": "someone-else/1", "files": ["examples/index.md"]}')
    assert generated.recorded(site / "docs") == frozenset()


def test_pages_exits_as_check_does_and_takes_no_path(site: Path):
    bad = site / "docs" / "guide" / "broken.md"
    bad.write_text("# Broken\n\n```dockerfile\nFROM node:latest\nCOPPY . /app\n```\n", encoding="utf-8")
    assert _pages(site) == 1
    assert (site / "docs" / "examples" / "index.md").is_file()  # written all the same: a preview still works
    assert _pages(site, "docs/guide") == 2


def test_dot_file_downloads_need_exclude_docs(site: Path):
    assert standalone.excluded("examples/guide/x/.dockerignore", "")
    assert not standalone.excluded("examples/guide/x/.dockerignore", "!/examples/**/.*\n")
    assert not standalone.excluded("examples/guide/x/Dockerfile", "")
    assert standalone.excluded(generated.MANIFEST, "!/examples/**/.*\n")  # never published


def test_interview_options_are_checked_as_mkdocs_checks_them():
    assert Options.from_entry({"folder": "qa", "csv": False}) == Options(True, "qa", False)
    with pytest.raises(ValueError, match="unknown interview option 'cvs'"):
        Options.from_entry({"cvs": False})
    with pytest.raises(ValueError, match="expected bool"):
        Options.from_entry({"csv": "no"})


# -- MkDocs 2 ---------------------------------------------------------------------------------------------


def _fake_mkdocs_2(folder: Path) -> Path:
    """A stand-in for MkDocs 2.0 (a fake: it cannot be installed beside MkDocs 1.6, which this project needs).
    Like the real 2.0.dev6 wheel, it is a ``mkdocs`` package and its metadata, with no ``mkdocs.plugins``."""
    (folder / "mkdocs").mkdir(parents=True)
    (folder / "mkdocs" / "__init__.py").write_text('__version__ = "2.0.0"\n')
    meta = folder / "mkdocs-2.0.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: mkdocs\nVersion: 2.0.0\n")
    return folder


@pytest.mark.parametrize("module", ["docs_examples.plugin", "interview_qa.plugin"])
def test_mkdocs_2_gets_a_message_not_a_missing_module(tmp_path: Path, module: str):
    env: dict[str, Any] = {**os.environ, "PYTHONPATH": str(_fake_mkdocs_2(tmp_path))}
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: MkDocs 2.0.0 is installed, and MkDocs 2 has no plugin system")
    assert "ProperDocs" in last and "docs-examples pages" in last
