"""Hostile page text stays text on the site, and no generated file name leaves the output folder.

Unit level, next to ``test_escaping.py`` (which builds a real site): every function that turns page text
into HTML, Markdown, CSV or a path gets the nastiest values we could think of.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path, PurePosixPath

import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind
from docs_examples.findings import Finding, Severity, Status
from docs_examples.naming import file_names
from docs_examples.results import Result
from docs_examples.site.decorate import fragment
from docs_examples.site.downloads import UnsafePath, inside, write_blocks
from docs_examples.site.pages import IndexRow, download_name, examples_index
from docs_examples.site.status import status_line
from interview_qa.collect import Chapter, Question
from interview_qa.render import chapter_page, csv_text, question_block

XSS = "<img src=x onerror=alert(1)>\"'><script>alert(2)</script>"
_TAG = re.compile(r"<(img|script|svg|iframe)\b", re.IGNORECASE)

TITLES = [
    "../../../../etc/passwd",
    "/etc/passwd",
    ".",
    "..",
    "...",
    "....yaml",
    "..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts",
    "C:\\Users\\x\\deploy.yaml",
    "a" * 5000 + ".yaml",
    "x" * 300,
    "デプロイ.yaml",
    "deploy\u202egpj.yaml",
    "nul\x00byte.yaml",
    "new\nline.yaml",
    XSS,
    "~/.ssh/authorized_keys",
    "%2e%2e%2fescape.yaml",
    " ",
]


@pytest.mark.parametrize("attr", ["title", "data-filename"])
def test_download_names_stay_inside_the_examples_folder(tmp_path: Path, attr: str) -> None:
    blocks = []
    for i, wanted in enumerate(TITLES):
        block = make_block("echo hi", kind=Kind.SHELL, index=i, page="docs/../../../evil/page.md")
        if attr == "title":
            block.title = wanted
        else:
            block.attrs = {"data-filename": wanted}
        blocks.append(block)
    names = file_names(blocks)
    assert len(set(names.values())) == len(blocks)  # unique
    folder = tmp_path / "site" / "examples"
    for name in names.values():
        assert not name.is_absolute() and ".." not in name.parts, name
        assert all(re.fullmatch(r"[A-Za-z0-9._-]+", part) for part in name.parts), name
        assert all(part not in (".", "..") and len(part) <= 255 for part in name.parts), name
        assert inside(folder, name).is_relative_to(folder.resolve())
        assert re.fullmatch(r"examples/[A-Za-z0-9._/-]+", download_name(name))
    written = write_blocks(blocks, names, folder)
    assert len(written) == len(blocks)
    everything = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert sorted(everything) == sorted(written)


@pytest.mark.parametrize("bad", ["../x", "a/../../x", "/etc/passwd", ".", "", "a/.."])
def test_inside_refuses_paths_that_leave_the_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UnsafePath):
        inside(tmp_path, PurePosixPath(bad) if bad else bad)


def _result(status: Status, **kw) -> Result:
    block = make_block("echo hi", kind=Kind.SHELL, title=XSS)
    block.attrs = {"data-reason": XSS}
    return Result(block=block, status=status, **kw)


@pytest.mark.parametrize(
    "result",
    [
        _result(Status.SKIPPED, note=XSS),
        _result(Status.EXPECTED_FAILURE, note=XSS),
        _result(Status.FAILED, findings=[Finding(XSS, XSS, Severity.ERROR, XSS, line=1, file="docs/test.md")]),
        _result(Status.ERROR, findings=[Finding(XSS, "tool-error", Severity.ERROR, XSS, line=1)]),
        _result(Status.PASSED),
    ],
    ids=["skip-reason", "anti-pattern", "failed", "error", "passed"],
)
def test_status_lines_escape_reasons_rules_and_tool_names(result: Result) -> None:
    line = status_line(result, {"bash": XSS}, ["1.37"])
    html = fragment(line, "../../examples/a.sh", XSS)
    assert not _TAG.search(html), html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")  # only as escaped text
    # Every attribute value is quoted and its quotes escaped: no attribute can be added.
    for attr in re.findall(r'\s([a-z-]+)="', html):
        assert attr in {"class", "data-dx-state", "href", "download", "title"}, attr


def test_examples_index_escapes_every_cell() -> None:
    row = IndexRow(page=XSS, section=XSS, kind=XSS, checks=XSS, status=XSS, state=XSS, href=f'x" onclick="{XSS}')
    html = examples_index([row])
    assert not _TAG.search(html)
    assert 'onclick="' not in html
    assert html.count("<tr") == 2  # the header row and one row: a cell's | or newline cannot add rows


def _chapter(text: str, level: str, answer: str, title: str = XSS) -> Chapter:
    chapter = Chapter(page="docs/guide/x.md", src_uri="guide/x.md", title=title)
    chapter.section_heading = "Interview Talking Points"
    chapter.questions.append(Question(text=text, level=level, answer=answer, line=3))
    return chapter


def test_interview_question_level_and_title_are_text() -> None:
    chapter = _chapter(f"Why {XSS}?", f'senior" onmouseover="{XSS}', "Because.")
    block = question_block(chapter.questions[0])
    page = chapter_page(chapter, "interview")
    for text in (block, page):
        assert not _TAG.search(text), text
        assert 'onmouseover="' not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", '=HYPERLINK("http://x")', "=1+1"])
def test_csv_cells_never_start_a_formula(start: str) -> None:
    chapter = _chapter(start + "cmd|' /C calc'!A0", start + "lvl", start + "answer", title=start + "title")
    rows = list(csv.reader(io.StringIO(csv_text([chapter], {"docs/guide/x.md": start + "link"}))))
    assert rows[0] == ["chapter", "level", "question", "answer", "link"]
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # The question, level, title and link keep their text behind the apostrophe. (The answer's lines are
    # re-joined, so a leading carriage return becomes a newline there: a cell no spreadsheet evaluates.)
    for cell in (rows[1][0], rows[1][1], rows[1][2], rows[1][4]):
        assert cell.startswith("'" + start), cell
