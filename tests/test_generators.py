"""The same proven site under MkDocs 1.6, ProperDocs and Zensical, built from one copy and compared.

One copy of this site is built, in this order and sharing one results cache:

1. ``mkdocs build --strict`` (the plugins; the cache starts empty, so every check runs here);
2. ``properdocs build --strict`` from a ``properdocs.yml`` (the same plugins, loaded by ProperDocs);
3. ``docs-examples pages`` then ``zensical build --strict`` (no plugins: the pre-build step writes the
   generated pages, downloads and assets into the docs folder, the Markdown extension decorates).

Then: the same blocks carry the same status lines and download links, the downloads are the same bytes,
the generated pages say the same (their theme markup aside), and no check ran twice. Nothing is compared
with a hard-coded string: each site is compared with the others, all made by the same code.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, local_env, watched_page
from docs_examples import generated
from test_browser import _Quiet

CHAPTER_URL = "guide/containers-and-orchestration/"
GENERATED_PAGES = ("examples/index.html", "examples/how-examples-are-checked/index.html", "interview/index.html")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("generators")]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ANCHOR = re.compile(r'<span class="dx-anchor" id="([^"]+)"></span>')
_STATUS = re.compile(r'<div class="dx-status dx-status--([^"]+)" data-dx-state="[^"]*">(.*?)</div>', re.S)
_DOWNLOAD = re.compile(r'<a class="dx-status__download" href="([^"]+)" download="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


@dataclass
class Sites:
    """The copy, each generator's site folder, what each step reported, and how long each took."""

    root: Path
    sites: dict[str, Path]
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)  # the JSON report each build wrote
    pages_log: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def _copy_site(dest: Path) -> Path:
    """This site's sources, without anything built or generated (a `docs-examples pages` run here included)."""
    for name in ("docs", "snippets"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    for rel in generated.recorded(dest / "docs"):
        (dest / "docs" / rel).unlink(missing_ok=True)
    (dest / "docs" / generated.MANIFEST).unlink(missing_ok=True)
    shutil.copy2(ROOT / ".hadolint.yaml", dest / ".hadolint.yaml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Every build writes the JSON report, whose summary counts the results cache's hits and misses.
    config, n = re.subn(r"(\n  - docs-examples:\n)", r"\1      report_json: build/examples.json\n", config)
    assert n == 1, "mkdocs.yml no longer has the docs-examples entry this test extends"
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def _run(root: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    # Outside CI: these tests are about one set of results shared by the builds of one machine.
    env = local_env(NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", *argv], cwd=root, capture_output=True, text=True, env=env, timeout=900, check=False
    )
    proc.stdout, proc.stderr = _ANSI.sub("", proc.stdout), _ANSI.sub("", proc.stderr)
    return proc


def _report(root: Path) -> dict[str, Any]:
    report = root / "build" / "examples.json"
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()  # the next build must write its own
    return data


def _step(sites: Sites, name: str, *argv: str) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    proc = _run(sites.root, *argv)
    sites.seconds[name] = time.perf_counter() - started
    assert proc.returncode == 0, f"{name}: {proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    root = _copy_site(tmp_path_factory.mktemp("generators"))
    sites = Sites(
        root, {"mkdocs": root / "site-mkdocs", "properdocs": root / "site-properdocs", "zensical": root / "site"}
    )
    _step(sites, "mkdocs", "mkdocs", "build", "--strict", "-d", str(sites.sites["mkdocs"]))
    sites.reports["mkdocs"] = _report(root)
    shutil.copy2(root / "mkdocs.yml", root / "properdocs.yml")  # a site that moved renames its config
    _step(sites, "properdocs", "properdocs", "build", "--strict", "-d", str(sites.sites["properdocs"]))
    sites.reports["properdocs"] = _report(root)
    sites.pages_log = _step(sites, "pages", "docs_examples", "pages").stderr
    _step(sites, "zensical", "zensical", "build", "--strict")
    sites.reports["zensical"] = _report(root)
    return sites


# -- reading a built page ---------------------------------------------------------------------------------


def decorated_blocks(page: str) -> list[tuple[str, str, str | None, str | None, tuple[str, ...]]]:
    """Each decorated block of a built page: anchor, code text, status state, status text, download."""
    out = []
    anchors = list(_ANCHOR.finditer(page))
    for i, anchor in enumerate(anchors):
        end = anchors[i + 1].start() if i + 1 < len(anchors) else len(page)
        segment = page[anchor.end() : end]
        status = _STATUS.search(segment)
        code = html.unescape(_TAG.sub("", segment[: status.start() if status else len(segment)])).strip()
        text = html.unescape(_TAG.sub(" ", status.group(2))).split() if status else None
        download = _DOWNLOAD.findall(status.group(2)) if status else []
        out.append(
            (
                anchor.group(1),
                code,
                status.group(1) if status else None,
                " ".join(text) if text else None,
                tuple(x for pair in download for x in pair),
            )
        )
    return out


def _all_blocks(site: Path) -> dict[str, list[Any]]:
    return {
        p.relative_to(site).as_posix(): decorated_blocks(p.read_text(encoding="utf-8")) for p in chapter_pages(site)
    }


def chapter_pages(site: Path) -> list[Path]:
    """The built pages of the site's own Markdown (not the generated ones, not the 404 page)."""
    skip = ("examples/", "interview/", "404.html", "assets/")
    return sorted(p for p in site.rglob("index.html") if not p.relative_to(site).as_posix().startswith(skip))


def downloads(site: Path) -> dict[str, bytes]:
    """Every download (block files, archives), the interview CSV and the plugins' assets, by path."""
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        wanted = rel.startswith("examples/") and path.suffix != ".html"
        wanted |= rel == "interview/questions.csv" or rel.startswith(("assets/docs-examples/", "assets/interview/"))
        if path.is_file() and wanted:
            out[rel] = path.read_bytes()
    return out


def content(site: Path, rel: str) -> str:
    """A page's article, theme markup left out: the skip anchor, heading permalinks, blank lines, timings,
    and links written as the page's own URL resolves them (generators spell ``./x/`` and ``x/`` differently)."""
    match = _ARTICLE.search((site / rel).read_text(encoding="utf-8"))
    assert match, f"{site / rel}: no article"
    body = re.sub(r'<a id="__skip"[^>]*></a>', "", match.group(1))
    body = re.sub(r"\bin \d+\.\d+s\b", "in <seconds>", body)  # "This build: … in 0.21s"
    base = posixpath.dirname(rel)

    def resolve(link: re.Match[str]) -> str:
        href = link.group(1)
        if re.match(r"^[a-z]+:|^#", href):
            return link.group(0)
        path, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join(base, path)) if path else base
        return f'href="/{target}{"#" + anchor if anchor else ""}"'

    body = re.sub(r'href="([^"]*)"', resolve, body)
    return "\n".join(line.strip() for line in body.splitlines() if line.strip())


# -- the comparisons --------------------------------------------------------------------------------------


def test_every_build_passes_strict_and_decorates(built: Sites):
    for name, site in built.sites.items():
        pages = _all_blocks(site)
        claimed = [b for b in built.reports["mkdocs"]["blocks"] if b["status"] != "unchecked"]
        statuses = [b for blocks in pages.values() for b in blocks if b[2] not in (None, "plain")]
        assert len(statuses) == len(claimed) > 50, name


@pytest.mark.parametrize("other", ["properdocs", "zensical"])
def test_same_blocks_carry_the_same_status_lines_and_links(built: Sites, other: str):
    mkdocs, site = built.sites["mkdocs"], built.sites[other]
    assert [p.relative_to(mkdocs) for p in chapter_pages(mkdocs)] == [p.relative_to(site) for p in chapter_pages(site)]
    for page in chapter_pages(mkdocs):
        rel = page.relative_to(mkdocs)
        assert decorated_blocks((site / rel).read_text(encoding="utf-8")) == decorated_blocks(
            page.read_text(encoding="utf-8")
        ), rel


@pytest.mark.parametrize("other", ["properdocs", "zensical"])
def test_same_downloads_byte_for_byte(built: Sites, other: str):
    expected = downloads(built.sites["mkdocs"])
    assert any(name.endswith(".zip") for name in expected) and "interview/questions.csv" in expected
    assert any(name.rsplit("/", 1)[-1].startswith(".") for name in expected)  # .dockerignore: a dot file
    got = downloads(built.sites[other])
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []


@pytest.mark.parametrize("other", ["properdocs", "zensical"])
def test_same_generated_pages_modulo_theme_markup(built: Sites, other: str):
    interview = sorted(
        p.relative_to(built.sites["mkdocs"]).as_posix() for p in (built.sites["mkdocs"] / "interview").rglob("*.html")
    )
    assert len(interview) >= 6
    for rel in (*GENERATED_PAGES, *interview):
        assert content(built.sites[other], rel) == content(built.sites["mkdocs"], rel), rel


def test_one_set_of_results_no_check_runs_twice(built: Sites):
    first = built.reports["mkdocs"]["summary"]["cache"]
    assert first["misses"] > 50  # an empty cache: every check ran in the first build
    total = first["hits"] + first["misses"]
    for name in ("properdocs", "zensical"):
        assert built.reports[name]["summary"]["cache"] == {"hits": total, "misses": 0}, name
    assert f"(cache: {total} hits, 0 misses)" in built.pages_log


def test_the_pages_step_leaves_a_checkout_mkdocs_still_builds(built: Sites, tmp_path: Path):
    """After `docs-examples pages` the docs folder holds generated files; MkDocs replaces them with its own."""
    assert (built.root / "docs" / generated.MANIFEST).is_file()
    proc = _run(built.root, "mkdocs", "build", "--strict", "-d", str(tmp_path / "again"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "exists in the docs folder" not in proc.stderr
    again = {
        p.relative_to(tmp_path / "again"): decorated_blocks(p.read_text()) for p in chapter_pages(tmp_path / "again")
    }
    first = {
        p.relative_to(built.sites["mkdocs"]): decorated_blocks(p.read_text())
        for p in chapter_pages(built.sites["mkdocs"])
    }
    assert again == first
    _report(built.root)


def test_the_extension_alone_decorates_under_mkdocs_too(built: Sites, tmp_path: Path):
    """MkDocs with no plugin of ours, only the Markdown extension and the pages step's files: the same lines."""
    config = (built.root / "mkdocs.yml").read_text(encoding="utf-8")
    config, n = re.subn(r"\n  - docs-examples:\n(?:      .*\n)+  - interview\n", "\n", config)
    assert n == 1
    config = config.replace("  - docs_examples.extension\n", "  - docs_examples.extension: {config_file: mkdocs.yml}\n")
    (built.root / "mkdocs-extension.yml").write_text(config, encoding="utf-8")
    proc = _run(built.root, "mkdocs", "build", "--strict", "-f", "mkdocs-extension.yml", "-d", str(tmp_path / "ext"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _all_blocks(tmp_path / "ext") == _all_blocks(built.sites["mkdocs"])
    assert _report(built.root)["summary"]["cache"]["misses"] == 0


# -- Zensical's build in Chromium -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zensical_url(built: Sites) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built.sites["zensical"])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    with watched_page(browser) as page:
        yield page


@pytest.mark.browser
def test_zensical_site_in_chromium(built: Sites, zensical_url: str, tab: Any):
    tab.goto(zensical_url + CHAPTER_URL)
    lines = tab.locator(".dx-status__text")
    expected = decorated_blocks((built.sites["mkdocs"] / CHAPTER_URL / "index.html").read_text())
    assert lines.count() == sum(1 for b in expected if b[2] not in (None, "plain")) > 10
    assert lines.first.is_visible()
    # The plugin's stylesheet reached Zensical's pages: the line has the left border examples.css gives it.
    border = tab.locator(".dx-status").first.evaluate("e => getComputedStyle(e).borderLeftStyle")
    assert border == "solid"
    link = tab.locator("a.dx-status__download").first
    with tab.expect_download() as info:
        link.click()
    saved = Path(info.value.path()).read_bytes()
    href = link.get_attribute("href")
    resolved = posixpath.normpath(posixpath.join(CHAPTER_URL, href))
    assert saved == (built.sites["mkdocs"] / resolved).read_bytes() and saved

    tab.goto(zensical_url + "interview/")
    cards = tab.locator("details.iq-card")
    assert cards.count() >= 30
    tab.click('[data-iq="start"]')  # practice: one question at a time in the panel, the list hidden
    assert sum(cards.nth(i).is_visible() for i in range(cards.count())) == 0
    assert tab.locator(".iq-practice__progress").inner_text().startswith("Question 1 of ")
    assert not tab.locator(".iq-practice__answer").is_visible()
    tab.click('[data-iq="reveal"]')
    assert tab.locator(".iq-practice__answer").is_visible() and tab.locator('[data-iq="knew"]').is_visible()
    tab.click('[data-iq="stop"]')
    assert all(cards.nth(i).is_visible() for i in range(cards.count()))
