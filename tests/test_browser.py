"""The built fixture site in headless Chromium: what readers click and see.

Debian's ``chromium`` is driven by Playwright with ``executable_path`` (Playwright's own browser download
cannot work offline). Without the browser the tests skip locally and fail in CI.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from _sites import FIXTURES, build
from conftest import watched_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log in the test output."""


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The basic fixture site, built once, served on 127.0.0.1 at a free port."""
    built = build(FIXTURES / "basic", tmp_path_factory.mktemp("browser") / "src", "--strict")
    assert built.returncode == 0, built.log
    handler = functools.partial(_Quiet, directory=str(built.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", built.root
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed requests; the test fails on any."""
    with watched_page(browser) as tab:
        yield tab


def test_tabs_switch_and_copy_button_present(site, page):
    url, _ = site
    page.goto(url + "guide/containers/")
    page.wait_for_selector(
        "button.md-code__button[data-md-type=copy]", state="attached"
    )  # Material adds copy buttons from its script
    assert page.locator("button.md-code__button[data-md-type=copy]").count() >= 5
    kubernetes = page.locator("label", has_text="Kubernetes")
    kubernetes.click()
    assert page.locator(".tabbed-block", has_text="kind: Pod").first.is_visible()
    page.locator("label", has_text="Bash").click()
    assert page.locator(".tabbed-block", has_text="printf").first.is_visible()


def test_status_lines_visible_and_match_the_json_report(site, page):
    url, root = site
    report = json.loads((root / "build" / "examples.json").read_text())
    page.goto(url + "guide/containers/")
    lines = page.locator(".dx-status__text")
    texts = [lines.nth(i).text_content() for i in range(lines.count())]
    blocks = [b for b in report["blocks"] if b["kind"] != "text"]
    assert len(texts) == len(blocks)
    for i, (text, block) in enumerate(zip(texts, blocks, strict=True)):
        if block["status"] == "passed":
            assert text.startswith("Checked: "), text
            versions = lines.nth(i).get_attribute("title") or ""  # the versions, on hover and in the details
            for check in block["checks"]:
                number = re.search(r"\d+\.\d+", check["tool"])
                assert check["check"] == "yaml" or number is None or number.group(0) in versions, (check, versions)
        elif block["status"] == "expected-failure":
            assert text == f"Anti-pattern: fails {block['note']} on purpose"
        elif block["status"] == "skipped":
            assert text == f"Not checked: {block['note']}"
    expect = pytest.importorskip("playwright.sync_api").expect  # assertions that wait (a loaded machine is slow)
    page.locator("label", has_text="Kubernetes").click()
    expect(page.locator(".dx-status", has_text="Kubernetes 1.35–1.37 schemas").first).to_be_visible()
    first = page.locator(".dx-status").first
    expect(first).to_be_visible()
    first.locator("summary").click()  # the details open under the line
    expect(first.locator(".dx-status__tools li").first).to_be_visible()
    page.locator(".dx-status--anti-pattern a.dx-status__rule").click()  # the rule id leads to its row
    page.wait_for_url("**/examples/how-examples-are-checked/#rule-dl3007")
    row = page.locator("#rule-dl3007").locator("xpath=ancestor::tr")
    expect(row).to_be_visible()
    expect(row).to_contain_text("DL3007")
    expect(row).to_be_in_viewport()  # scrolled to the row


def test_download_returns_the_exact_block(site, page):
    url, root = site
    page.goto(url + "guide/containers/")
    link = page.locator("a.dx-status__download", has_text="pod.yaml")
    href = link.get_attribute("href")
    body = page.request.get(url + "guide/containers/" + href).body()
    source = (root / "docs" / "guide" / "containers.md").read_text()
    start = source.index("    apiVersion: v1\n    kind: Pod")
    end = source.index("    ```", start)
    expected = "\n".join(line[4:] for line in source[start:end].rstrip("\n").split("\n"))
    assert body == expected.encode() + b"\n"  # what the copy button copies, and a final newline


def test_examples_index_filters(site, page):
    url, _ = site
    page.goto(url + "examples/")
    rows = page.locator("#dx-examples-table tbody tr")
    assert rows.count() == 6
    page.select_option("select[data-dx-filter-status]", "expected-failure")
    visible = [i for i in range(rows.count()) if rows.nth(i).is_visible()]
    assert len(visible) == 1
    assert rows.nth(visible[0]).get_attribute("data-dx-state") == "expected-failure"
    page.select_option("select[data-dx-filter-status]", "")
    page.select_option("select[data-dx-filter-kind]", "dockerfile")
    assert sum(rows.nth(i).is_visible() for i in range(rows.count())) == 2
    page.select_option("select[data-dx-filter-kind]", "")
    page.fill("input[data-dx-filter]", "pod.yaml")
    assert sum(rows.nth(i).is_visible() for i in range(rows.count())) == 1
    page.fill("input[data-dx-filter]", "")
    assert all(rows.nth(i).is_visible() for i in range(rows.count()))
    page.locator("#dx-examples-table a").first.click()
    assert page.url.endswith("#dx-example-1")


def test_interview_answer_expands_and_practice_mode(site, page):
    url, _ = site
    page.goto(url + "interview/")
    cards = page.locator("details.iq-card")
    assert cards.count() == 2
    cards.first.locator("summary").click()
    assert cards.first.locator(".iq-level").is_visible()
    assert visible_controls(page) == ["Start practice"]
    page.click('[data-iq="start"]')
    assert visible_controls(page) == ["Reveal answer", "Stop practising"]
    assert not cards.first.is_visible()  # the list (and its answers) is out of sight while practising
    assert page.locator(".iq-practice__progress").inner_text() == "Question 1 of 2"
    page.keyboard.press("Enter")
    assert page.locator(".iq-practice__answer .iq-level").is_visible()
    assert visible_controls(page) == ["I knew it", "Not yet", "Stop practising"]
    page.keyboard.press("ArrowRight")
    assert page.locator(".iq-practice__progress").inner_text() == "Question 2 of 2 · 1 known so far"
    page.click('[data-iq="reveal"]')
    page.click('[data-iq="missed"]')
    assert visible_controls(page) == ["Practise again"]
    assert page.locator(".iq-practice__score").inner_text() == "You knew 1 of 2 questions."
    page.click('[data-iq="again"]')
    assert visible_controls(page) == ["Start practice"]
    assert all(cards.nth(i).is_visible() for i in range(cards.count()))


def visible_controls(page) -> list[str]:
    """The labels of the practice panel's buttons a reader can see, and a check that no element of
    another state shows: every ``[data-iq-state]`` is visible exactly when its state is the current one."""
    states = page.locator("[data-iq-state]")
    shown = {
        tuple(states.nth(i).get_attribute("data-iq-state").split())
        for i in range(states.count())
        if states.nth(i).is_visible()
    }
    assert len({state for names in shown for state in names} & {"setup", "done"}) <= 1, shown
    buttons = page.locator(".iq-practice button")
    return [buttons.nth(i).inner_text() for i in range(buttons.count()) if buttons.nth(i).is_visible()]


def _scheme(page, scheme: str) -> None:
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")


def test_screenshots_light_and_dark(site, page):
    url, _ = site
    ARTIFACTS.mkdir(exist_ok=True)
    for path, name in (("guide/containers/", "chapter"), ("interview/", "interview")):
        page.goto(url + path)
        for scheme in ("default", "slate"):
            _scheme(page, scheme)
            colour = page.locator(".dx-status__text, .md-typeset h1").first.evaluate("e => getComputedStyle(e).color")
            assert colour != "rgba(0, 0, 0, 0)"
            target = ARTIFACTS / f"{name}-{'light' if scheme == 'default' else 'dark'}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
