"""The real site, built from this repository's docs/, in headless Chromium.

``test_browser.py`` proves the mechanics on a small fixture site; this module proves them on what readers
actually get: the chapters, the example service's downloads, the interview section, in light and dark.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import watched_page
from test_browser import ARTIFACTS, _Quiet

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "guide/containers-and-orchestration.md"
# Wording about the machine that built the site, which once reached readers through status lines.
BUILD_MACHINE = ("kjanat", "fork", "Debian", "available here", "k8s-rules", "+ds", "72dbb34f879d")

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
    with watched_page(browser, color_scheme=request.param) as tab:
        tab.scheme = request.param
        yield tab


def _blocks(report: dict, page: str) -> list[dict]:
    return [b for b in report["blocks"] if b["file"] == f"docs/{page}"]


def test_chapter_status_lines_match_the_cli_report(real_site, page):
    url, report = real_site
    page.goto(url + CHAPTER.replace(".md", "/"))
    texts = page.locator(".dx-status__text").all_text_contents()
    claimed = [b for b in _blocks(report, CHAPTER) if b["status"] != "unchecked"]
    assert len(texts) == len(claimed) >= 20
    for text, block in zip(texts, claimed, strict=True):
        if block["status"] == "passed":
            assert text.startswith("Checked: "), (text, block)
        elif block["status"] == "expected-failure":
            assert text == f"Anti-pattern: fails {block['note']} on purpose", (text, block)
        else:
            assert block["status"] == "skipped" and text.startswith("Not checked: "), (text, block)
        for words in BUILD_MACHINE:
            assert words not in text, text
    assert page.locator(".dx-status__text").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"real-chapter-{page.scheme}.png"), full_page=False)


def test_downloads_are_the_blocks_bytes_and_the_service_archive(real_site, page):
    url, report = real_site
    page.goto(url + CHAPTER.replace(".md", "/"))
    included = next(b for b in _blocks(report, CHAPTER) if b["includes"] == ["snippets/app/Dockerfile"])
    anchor = f"#dx-example-{included['index'] + 1}"
    link = page.locator(f"{anchor} ~ div.dx-status a.dx-status__download").first
    body = page.request.get(page.url + link.get_attribute("href")).body()
    shown = page.locator(f"{anchor} + div code").first.text_content()  # what the reader sees and copies
    assert body.decode() == shown.rstrip() + "\n"
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
    page.click('[data-iq="start"]')
    assert sum(cards.nth(i).is_visible() for i in range(cards.count())) == 0  # only the practice panel
    page.click('[data-iq="reveal"]')
    page.click('[data-iq="stop"]')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"real-interview-{page.scheme}.png"), full_page=False)
    csv = page.request.get(url + "interview/questions.csv")
    assert csv.ok and csv.text().count("\n") > 30


def test_examples_index_lists_and_filters_every_example(real_site, page):
    url, report = real_site
    page.goto(url + "examples/")
    rows = page.locator("#dx-examples-table tbody tr")
    assert rows.count() == len(report["blocks"])
    page.select_option("select[data-dx-filter-status]", "expected-failure")
    visible = [i for i in range(rows.count()) if rows.nth(i).is_visible()]
    assert len(visible) == report["summary"]["expected-failure"]  # the anti-patterns, without their fixes
    assert {rows.nth(i).get_attribute("data-dx-state") for i in visible} == {"expected-failure"}
    page.fill("input[data-dx-filter]", "anti-pattern")  # words narrow the choice further, never widen it
    assert sum(rows.nth(i).is_visible() for i in range(rows.count())) <= len(visible)


# -- what readers see on every page ------------------------------------------------------------------------

SITE_URL = "https://example.org/proven-devops/"  # mkdocs.yml's site_url, the prefix of the sitemap's URLs


@pytest.fixture
def desktop(browser):
    """One light-scheme desktop page (1280 px); fails on console errors like ``page``."""
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as tab:
        yield tab


def _pages(url: str, tab) -> list[str]:
    """Every page of the built site, from its sitemap, as paths under the site root."""
    sitemap = tab.request.get(url + "sitemap.xml").text()
    paths = [loc.removeprefix(SITE_URL) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(paths) >= 14 and "examples/" in paths and "interview/" in paths
    return paths


def _in_viewport(tab, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["height"] > 0 and 0 <= box["y"] < tab.viewport_size["height"]


def test_every_index_link_shows_its_block_in_its_tab(real_site, desktop):
    url, report = real_site
    desktop.goto(url + "examples/")
    links = desktop.locator("#dx-examples-table tbody a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == len(report["blocks"])
    in_tabs = 0
    for href in hrefs:
        desktop.goto(url + "examples/" + href)
        anchor = href.rsplit("#", 1)[1]
        block = desktop.locator(f"#{anchor} + *")
        desktop.wait_for_function(
            "id => { const r = document.getElementById(id).nextElementSibling.getBoundingClientRect();"
            " return r.height > 0 && r.top >= 0 && r.top < window.innerHeight; }",
            arg=anchor,
            timeout=5000,
        )
        assert block.is_visible() and _in_viewport(desktop, block), href
        tabs = desktop.locator(f"#{anchor}").locator("xpath=ancestor::div[contains(@class, 'tabbed-block')]")
        for i in range(tabs.count()):  # every tab around the block is the selected one
            assert tabs.nth(i).is_visible(), href
        in_tabs += tabs.count() > 0
    assert in_tabs >= 40  # most examples sit in tabs: the links must open them


def test_no_page_scrolls_sideways_on_a_phone_and_every_page_is_photographed(real_site, browser):
    url, _ = real_site
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        for path in _pages(url, tab):
            tab.goto(url + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} is {overflow} px wider than a {width} px screen"
            name = path.strip("/").replace("/", "_") or "home"
            tab.screenshot(path=str(ARTIFACTS / f"page-{name}-{width}.png"), full_page=width < 1000)
        context.close()


def test_status_lines_are_one_line_on_desktop_and_name_no_build_machine(real_site, desktop):
    url, _ = real_site
    desktop.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
        " s.textContent = '.tabbed-content > .tabbed-block { display: block !important; }';"
        " document.head.appendChild(s); });"  # every tab shown at once, so every line can be measured
    )
    measured = 0
    for path in _pages(url, desktop):
        desktop.goto(url + path)
        heights = desktop.eval_on_selector_all(
            ".dx-status",
            "els => els.map(e => [e.getBoundingClientRect().height,"
            " parseFloat(getComputedStyle(e).lineHeight), e.innerText])",
        )
        for height, line_height, text in heights:
            assert height <= 2 * line_height, f"{path}: a status line wraps: {text!r}"
            for words in BUILD_MACHINE:
                assert words not in text, f"{path}: {text!r}"
        details = " ".join(desktop.locator(".dx-status__tools").all_text_contents())
        for words in BUILD_MACHINE:
            assert words not in details, f"{path}: {words!r} in the details"
        measured += len(heights)
    assert measured >= 80


def test_every_rule_link_reaches_its_row(real_site, desktop):
    url, _ = real_site
    targets: set[str] = set()
    for path in _pages(url, desktop):
        desktop.goto(url + path)
        links = desktop.locator("a.dx-status__rule")
        targets |= {links.nth(i).get_attribute("href").rsplit("#", 1)[1] for i in range(links.count())}
    assert {"rule-dl3007", "rule-k8s001", "rule-actionlint-expression"} <= targets
    desktop.goto(url + "examples/how-examples-are-checked/")
    for target in sorted(targets):
        row = desktop.locator(f"#{target}").locator("xpath=ancestor::tr")
        assert row.count() == 1, target


def test_practice_one_chapter_by_keyboard_to_a_score(real_site, desktop):
    url, _ = real_site
    desktop.goto(url + "interview/")
    order = desktop.locator("details.iq-card summary").all_text_contents()
    panel_top = desktop.locator("[data-iq-practice]").bounding_box()["y"]
    desktop.select_option("[data-iq-filter=chapter]", "guide-ci-cd")
    count = int(desktop.locator(".iq-practice__count").inner_text().split()[0])
    assert count == 7
    desktop.locator('[data-iq="start"]').focus()
    desktop.keyboard.press("Enter")
    for n in range(1, count + 1):
        assert desktop.locator(".iq-practice__progress").inner_text().startswith(f"Question {n} of {count}")
        assert not desktop.locator(".iq-practice__answer").is_visible()
        assert desktop.locator("[data-iq=reveal]").is_visible() and not desktop.locator("[data-iq=knew]").is_visible()
        desktop.keyboard.press("Space")
        answer = desktop.locator(".iq-practice__answer")
        assert answer.is_visible() and not desktop.locator("[data-iq=reveal]").is_visible()
        assert answer.locator("[data-iq-chapter]").get_attribute("data-iq-chapter") == "guide-ci-cd"
        desktop.keyboard.press("ArrowRight" if n % 2 else "ArrowLeft")
    assert desktop.locator(".iq-practice__score").inner_text() == f"You knew {(count + 1) // 2} of {count} questions."
    assert desktop.locator(".iq-practice__missed li").count() == count // 2
    desktop.keyboard.press("Enter")  # "Practise again" has the focus
    assert desktop.locator("[data-iq=start]").is_visible()
    assert desktop.locator("details.iq-card summary").all_text_contents() == order  # the list never moved
    assert desktop.locator("[data-iq-practice]").bounding_box()["y"] == panel_top


def test_chapter_answers_are_folded_and_link_to_practice(real_site, desktop):
    url, _ = real_site
    desktop.goto(url + "guide/ci-cd/")
    answers = desktop.locator("details.success", has_text="Strong answer")
    assert answers.count() == 7
    assert all(answers.nth(i).get_attribute("open") is None for i in range(answers.count()))
    desktop.locator("a", has_text="Practise these questions").click()
    assert desktop.url.endswith("interview/guide-ci-cd/#practice")
    assert desktop.locator("[data-iq=start]").is_visible()


def test_annotated_downloads_are_what_the_copy_button_copies(real_site, browser):
    url, _ = real_site
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    compared = 0
    for path in (
        "guide/ci-cd/",
        "guide/containers-and-orchestration/",
        "guide/strategies/",
        "observability/monitoring/",
    ):
        tab.goto(url + path)
        tab.wait_for_selector("button.md-code__button[data-md-type=copy]", state="attached")
        for anchor in tab.locator(".dx-anchor").all():
            block = anchor.locator("xpath=following-sibling::*[1]")
            if block.locator(".md-annotation").count() == 0:
                continue
            block.locator("button.md-code__button[data-md-type=copy]").evaluate("b => b.click()")
            copied = tab.evaluate("navigator.clipboard.readText()")
            href = anchor.locator("xpath=following-sibling::div[contains(@class, 'dx-status')][1]//a[@download]")
            body = tab.request.get(tab.url.split("#")[0] + href.get_attribute("href")).text()
            assert "(1)!" not in body and body == copied + "\n", path
            compared += 1
    context.close()
    assert compared >= 5
