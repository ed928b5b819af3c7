"""The site's own scope: the CLI checks exactly the pages MkDocs builds (exclude_docs, draft_docs, not_in_nav,
MkDocs' own exclusions), the pages the plugin is handed; the MkDocs side is MkDocs' own code every time."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import InclusionLevel, get_files

from _sites import FIXTURES, build
from docs_examples import cli
from docs_examples.scope import DEFAULT_EXCLUDE, DefaultExclude, SiteScope
from docs_examples.settings import from_mkdocs_yml, read_mkdocs_yml

ROOT = Path(__file__).resolve().parents[1]
REAL_SITES = ROOT.parent / "shared" / "corpus" / "real-sites"
SITES = ["argo-cd", "argo-workflows", "aws-load-balancer-controller", "traefik", "trivy"]
SCOPE = FIXTURES / "scope"

BUILT = {
    "index.md",
    "guide/index.md",
    "guide/setup.markdown",
    "guide/templates/kept.md",  # only the top-level templates/ folder is MkDocs' own
    "orphans/lost.md",  # not_in_nav: built, only left out of the nav
    "proposals/accepted.md",  # re-included by a negated exclude_docs pattern
}
DRAFTS = {"drafts/wip.md", "guide/_unpublished.md"}


def mkdocs_pages(root: Path, site_dir: Path, *, serve: bool = False) -> set[str]:
    """The documentation pages MkDocs itself builds (or serves) from the site at ``root``."""
    data = read_mkdocs_yml(root / "mkdocs.yml")
    keys = ("docs_dir", "exclude_docs", "draft_docs", "not_in_nav", "use_directory_urls")
    config = MkDocsConfig(config_file_path=str(root / "mkdocs.yml"))
    config.load_dict({"site_name": "scope", "site_dir": str(site_dir), **{k: data[k] for k in keys if k in data}})
    errors, _warnings = config.validate()
    assert not errors, errors
    inclusion = InclusionLevel.is_in_serve if serve else InclusionLevel.is_included
    return {f.src_uri for f in get_files(config).documentation_pages(inclusion=inclusion)}


def cli_pages(root: Path, *, include_drafts: bool = False) -> set[str]:
    """The pages the CLI checks with no PATH argument, relative to docs_dir."""
    settings = from_mkdocs_yml(root / "mkdocs.yml")
    scope = SiteScope.from_config(read_mkdocs_yml(root / "mkdocs.yml"))
    pages = cli.find_pages([], settings, scope, include_drafts=include_drafts)
    assert settings.docs_dir is not None
    return {Path(os.path.relpath(Path(p.name).absolute(), settings.docs_dir)).as_posix() for p in pages}


def test_fixture_pages_are_mkdocs_pages(tmp_path: Path) -> None:
    assert cli_pages(SCOPE) == mkdocs_pages(SCOPE, tmp_path) == BUILT
    assert cli_pages(SCOPE, include_drafts=True) == mkdocs_pages(SCOPE, tmp_path, serve=True) == BUILT | DRAFTS


@pytest.mark.xdist_group("sites")
def test_cli_and_plugin_check_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """A real `mkdocs build` with the plugin and the CLI on the same site report blocks of the same pages."""
    built = build(SCOPE, tmp_path / "site-src")
    assert built.returncode == 0, built.log
    plugin = {b["file"] for b in json.loads((built.root / "build" / "examples.json").read_text())["blocks"]}
    monkeypatch.chdir(built.root)
    assert cli.main(["check", "-q", "--no-cache", "-f", "json", "-o", "cli.json"]) == 0
    checked = {b["file"] for b in json.loads((built.root / "cli.json").read_text())["blocks"]}
    assert checked == plugin == {f"docs/{uri}" for uri in BUILT}
    assert cli.main(["check", "-q", "--no-cache", "--include-drafts", "-f", "json", "-o", "drafts.json"]) == 0
    drafts = {b["file"] for b in json.loads((built.root / "drafts.json").read_text())["blocks"]}
    assert drafts == {f"docs/{uri}" for uri in BUILT | DRAFTS}


def test_a_named_page_the_site_does_not_build_is_left_out_and_said(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(SCOPE)
    code = cli.main(["list", "--no-check", "--no-cache", "docs/proposals/idea.md", "docs/index.md", "docs/drafts"])
    out, err = capsys.readouterr()
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == ["docs/index.md"]
    assert "docs/proposals/idea.md: not a page of the site, not checked: excluded by exclude_docs" in err
    assert cli.main(["list", "--no-check", "--no-cache", "--include-drafts", "-q", "docs/drafts"]) == 0
    assert capsys.readouterr().out.startswith("docs/drafts/wip.md:")


def test_a_bad_pattern_option_is_a_configuration_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nexclude_docs: [a, b]\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["list", "--no-check", "--no-cache"]) == 2
    assert "mkdocs.yml: exclude_docs must be a multi-line string" in capsys.readouterr().err


@pytest.mark.parametrize("site", SITES)
def test_real_site_pages_are_mkdocs_pages(site: str, tmp_path: Path) -> None:
    root = REAL_SITES / site
    if not (root / "mkdocs.yml").is_file():
        pytest.skip(f"corpus not found at {root}")
    assert cli_pages(root) == mkdocs_pages(root, tmp_path)


def test_argo_workflows_exclude_docs(tmp_path: Path) -> None:
    """The site excludes its proposals, AGENTS.md and tested-kubernetes-versions.md; neither side checks them."""
    root = REAL_SITES / "argo-workflows"
    if not (root / "mkdocs.yml").is_file():
        pytest.skip(f"corpus not found at {root}")
    everything = {p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md")}
    pages = cli_pages(root)
    left_out = everything - pages
    assert {"AGENTS.md", "tested-kubernetes-versions.md"} <= left_out
    assert all(p in {"AGENTS.md", "tested-kubernetes-versions.md"} or p.startswith("proposals/") for p in left_out)
    assert pages == mkdocs_pages(root, tmp_path)
    assert len(everything) == 215 and len(pages) == len(everything) - len(left_out)


def test_symlinked_folders_are_followed_like_mkdocs(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "page.md").write_text("# shared\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# home\n")
    (docs / "linked").symlink_to(shared)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert cli_pages(tmp_path) == mkdocs_pages(tmp_path, tmp_path / "site") == {"index.md", "linked/page.md"}


@pytest.mark.parametrize(("command", "drafts"), [("build", False), ("serve", True)])
def test_the_plugin_checks_drafts_where_mkdocs_renders_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, drafts: bool
) -> None:
    """The plugin's events in MkDocs' order: under `mkdocs serve` draft pages are rendered, so checked."""
    shutil.copytree(SCOPE, tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    config = load_config("mkdocs.yml")
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    assert files is not None
    report = config.plugins["docs-examples"].report
    assert {r.block.page for r in report.results} == {f"docs/{uri}" for uri in (BUILT | DRAFTS if drafts else BUILT)}


def test_a_missing_docs_dir_is_an_error_not_an_empty_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-cache"]) == 2
    assert "pages: no such folder (docs_dir)" in capsys.readouterr().err


# -- MkDocs' own two patterns, matched without pathspec -----------------------------------------------------

_NAMES = ["templates", ".hidden", "a", "index.md", ".md", "x.templates", "templates.md", "..", "_t", "b.md"]


@given(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=5))
@settings(max_examples=400, deadline=None)
def test_the_default_exclusion_matches_what_mkdocs_matches(parts: list[str]) -> None:
    """:class:`DefaultExclude` answers as MkDocs' ``GitIgnoreSpec(['.*', '/templates/'])`` on any path."""
    from pathspec.gitignore import GitIgnoreSpec

    uri = "/".join(parts)
    assert DefaultExclude().match_file(uri) == GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE).match_file(uri), uri


def test_a_site_without_pattern_options_does_not_import_pathspec(tmp_path: Path) -> None:
    """The default scope (and an empty ``ignore``) leave pathspec unimported: a twentieth of a cold run."""
    import subprocess
    import sys

    code = (
        "import sys; from docs_examples.scope import SiteScope; from docs_examples import suppress\n"
        "scope = SiteScope.from_config({}); suppress.Ignores([])\n"
        "assert scope.inclusion('.git/x.md').name == 'EXCLUDED'\n"
        "assert scope.inclusion('templates/x.md').name == 'EXCLUDED'\n"
        "assert scope.inclusion('a/templates/x.md').name == 'INCLUDED'\n"
        "print('pathspec' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"
    withdocs = SiteScope.from_config({"exclude_docs": "drafts/\n!.keep.md\n"})
    assert withdocs.inclusion("drafts/a.md").name == "EXCLUDED"
    assert withdocs.inclusion(".keep.md").name == "INCLUDED"  # a negation takes MkDocs' own pattern back
