"""Page-derived text that looks like HTML reaches the site as text, and titles cannot leave site/examples."""

from __future__ import annotations

import re

import pytest

from _sites import FIXTURES, build

pytestmark = pytest.mark.xdist_group("sites")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build(FIXTURES / "escaping", tmp_path_factory.mktemp("escaping") / "src", "--strict")
    assert result.returncode == 0, result.log
    return result


def _ours(html: str) -> str:
    """Only the markup this project adds: status lines, anchors, the index table, interview cards."""
    parts = re.findall(r'<div class="dx-status.*?</div>|<table id="dx-examples-table".*?</table>', html, re.S)
    parts += re.findall(r"<summary\b.*?</summary>|<h1.*?</h1>|<h2.*?</h2>", html, re.S)
    return "\n".join(parts)


def test_code_with_closing_tags_stays_text(built):
    page = built.page("index.html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;/code&gt;&lt;script&gt;alert" in page


def test_examples_index_escapes_titles_tabs_and_headings(built):
    table = _ours(built.page("examples/index.html"))
    assert "say &quot;hi&quot; &lt;b&gt;bold&lt;/b&gt; ../../x" in table
    assert "Tab &lt;img src=x onerror=alert(2)&gt;" in table
    assert "<img" not in table and "<b>" not in table and "<script" not in table


def test_status_lines_and_download_names_are_safe(built):
    ours = _ours(built.page("index.html"))
    assert ours.count("dx-status--validated") == 2
    assert "<img" not in ours
    files = sorted(p.relative_to(built.site).as_posix() for p in (built.site / "examples").rglob("*") if p.is_file())
    # A title of ../../x is reduced to a file name inside site/examples; nothing lands elsewhere.
    assert "examples/index/x.sh" in files  # the title's folders are dropped and the kind's extension added
    assert not (built.root / "x").exists() and not (built.site / "x").exists()


def test_interview_question_with_markup_is_text(built):
    html = built.page("interview/index.html")
    summary = re.search(r"<summary>(.*?)</summary>", html).group(1)
    assert summary == 'Is <code>&lt;script&gt;alert(3)&lt;/script&gt;</code> "escaped"?'
    chapter = built.page("interview/index-chapter/index.html")
    assert "Interview questions: Escaping &lt;checks&gt;" in chapter


def test_escaping_fixture_is_what_the_tests_assume():
    text = (FIXTURES / "escaping" / "docs" / "index.md").read_text()
    assert "</code><script>alert(1)</script>" in text
    assert 'title=\'say "hi"' in text
