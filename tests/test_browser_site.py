"""The real site, built from this repository's docs/, in headless Chromium.

``test_browser.py`` proves the mechanics on a small fixture site; this module proves them on what readers
actually get: the chapters, the example service's downloads, the interview section, in light and dark.
"""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from test_browser import ARTIFACTS, _Quiet

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "guide/containers-and-orchestration.md"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env, check=False)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Iterator[tuple[str, dict]]:
    """This site built strict into a temporary folder and served on 127.0.0.1; and the CLI's JSON report."""
    out = tmp_path_factory.mktemp("real-site")
    built = _run(sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out / "site"))
    assert built.returncode == 0, built.stdout + built.stderr
    report = _run(sys.executable, "-m", "docs_examples", "check", "-q", "--format", "json", "-o", str(out / "r.json"))
    assert report.returncode == 0, report.stdout + report.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", json.loads((out / "r.json").read_text())
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["light", "dark"])
def page(request, browser):  # this module's page: a colour scheme per run
    context = browser.new_context(accept_downloads=True, color_scheme=request.param)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.scheme = request.param
    yield tab
    context.close()
    assert errors == []


def _blocks(report: dict, page: str) -> list[dict]:
    return [b for b in report["blocks"] if b["file"] == f"docs/{page}"]


def test_chapter_status_lines_match_the_cli_report(real_site, page):
    url, report = real_site
    page.goto(url + CHAPTER.replace(".md", "/"))
    texts = page.locator(".dx-status__text").all_text_contents()
    claimed = [b for b in _blocks(report, CHAPTER) if b["status"] != "unchecked"]
    assert len(texts) == len(claimed) >= 20
    for text, block in zip(texts, claimed, strict=True):
        labels = [c["label"] for c in block["checks"] if c["check"] != "yaml"]
        if block["status"] == "passed":
            assert text.startswith("Validated: ") and all(label in text for label in labels), (text, block)
        elif block["status"] == "expected-failure":
            assert text.startswith(f"Anti-pattern: fails {block['note']} on purpose"), (text, block)
        else:
            assert block["status"] == "skipped" and text.startswith("Not checked: "), (text, block)
    assert page.locator(".dx-status__text").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"real-chapter-{page.scheme}.png"), full_page=False)


def test_downloads_are_the_blocks_bytes_and_the_service_archive(real_site, page):
    url, report = real_site
    page.goto(url + CHAPTER.replace(".md", "/"))
    included = next(b for b in _blocks(report, CHAPTER) if b["includes"] == ["snippets/app/Dockerfile"])
    anchor = f"#dx-example-{included['index'] + 1}"
    link = page.locator(f"{anchor} ~ p a.dx-status__download").first
    body = page.request.get(page.url + link.get_attribute("href")).body()
    shown = page.locator(f"{anchor} + div code").first.text_content()  # what the reader sees and copies
    assert body.decode() == shown.rstrip("\n")
    assert body.startswith(b"# syntax=") and b"[start:" not in body  # the included file, its markers removed
    archive = page.request.get(url + "examples/example-service.zip").body()
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert any(n.endswith("app/server.py") for n in names) and any(n.endswith("Dockerfile") for n in names)


def test_interview_section_expands_and_practices(real_site, page):
    url, _ = real_site
    page.goto(url + "interview/")
    cards = page.locator("details.iq-card")
    assert cards.count() >= 30
    cards.first.locator("summary").click()
    assert cards.first.locator(".iq-level").is_visible()
    page.click('[data-iq="practice"]')
    assert sum(cards.nth(i).is_visible() for i in range(cards.count())) == 1
    page.click('[data-iq="reveal"]')
    page.click('[data-iq="exit"]')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"real-interview-{page.scheme}.png"), full_page=False)
    csv = page.request.get(url + "interview/questions.csv")
    assert csv.ok and csv.text().count("\n") > 30


def test_examples_index_lists_and_filters_every_example(real_site, page):
    url, report = real_site
    page.goto(url + "examples/")
    rows = page.locator("#dx-examples-table tbody tr")
    assert rows.count() == len(report["blocks"])
    page.fill("#dx-filter-input", "fails on purpose")  # the status cell of an anti-pattern
    visible = sum(rows.nth(i).is_visible() for i in range(rows.count()))
    assert visible == report["summary"]["expected-failure"]
