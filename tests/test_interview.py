"""Interview talking points: parsing, malformed sections located, generated pages and the CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from _sites import FIXTURES, build
from interview_qa.collect import collect
from interview_qa.render import (
    chapter_page,
    collapse_answers,
    csv_text,
    index_page,
    md_text,
    practice_link,
    question_block,
)

GOOD = """---
title: ignored front matter
---
# Containers

```markdown
## Interview Talking Points
**Q: inside a fence, not a question**
```

## Interview Talking Points

**Q: What's the difference between Docker and Kubernetes?**
*Level: junior*

✅ **Strong Answer:**
> "Docker builds and runs containers;
> Kubernetes schedules them across machines."

### Going deeper

**Q: Why "immutable" images?**
*Level: Senior*

✅ **Strong Answer:**
> "Rollbacks become redeploys."
>
> "And builds are reproducible."

## Next chapter

**Q: after the section, ignored**
"""


def test_collects_questions_levels_and_answers():
    chapter = collect("docs/guide/c.md", "guide/c.md", GOOD)
    assert chapter.title == "Containers"
    assert chapter.problems == []
    assert [(q.line, q.level) for q in chapter.questions] == [(13, "junior"), (22, "senior")]
    first, second = chapter.questions
    assert first.text == "What's the difference between Docker and Kubernetes?"
    assert first.answer == '"Docker builds and runs containers;\nKubernetes schedules them across machines."'
    assert second.answer == '"Rollbacks become redeploys."\n\n"And builds are reproducible."'


MALFORMED = """# Broken chapter

## Interview Talking Points

**Q: No level here?**

✅ **Strong Answer:**
> "An answer."

**Q: Unknown level?**
*Level: expert*

✅ **Strong Answer:**
> "An answer."

**Q: No answer?**
*Level: mid*

**Q: Fine?**
*Level: mid*

✅ **Strong Answer:**
> "Yes."
"""


def test_malformed_questions_are_located_and_the_rest_collected():
    chapter = collect("docs/x.md", "x.md", MALFORMED)
    problems = [(p.line, p.message.split(":")[0]) for p in chapter.problems]
    assert problems == [
        (5, "interview question has no '*Level"),
        (10, "unknown interview level 'expert' (use one of"),
        (16, "interview question without an answer (✅ **Strong Answer"),
    ]
    assert [q.text for q in chapter.questions] == ["Fine?"]


def test_page_without_talking_points_is_empty():
    chapter = collect("docs/x.md", "x.md", "# Title\n\nNo questions.\n")
    assert chapter.questions == [] and chapter.problems == [] and chapter.section_line == 0


def test_md_text_neutralises_html_but_keeps_code_spans():
    assert md_text("Is <script>x</script> `<b>` ok & fine?") == "Is &lt;script&gt;x&lt;/script&gt; `<b>` ok &amp; fine?"
    assert md_text("Escaping &lt;this&gt;") == "Escaping &lt;this&gt;"


def test_pages_are_details_blocks_with_levels_and_links():
    chapter = collect("docs/guide/c.md", "guide/c.md", GOOD)
    page = chapter_page(chapter, "interview")
    assert '??? question iq-card "What\'s the difference between Docker and Kubernetes?"' in page
    assert (
        '<span class="iq-level iq-level--junior" data-iq-level="junior" data-iq-chapter="guide-c">Level: junior</span>'
        in page
    )
    assert "(../guide/c.md#interview-talking-points)" in page
    assert "data-iq-practice hidden" in page  # shown by the script, since nothing in it works without
    assert 'data-iq-filter="chapter"' not in page  # a chapter page practises that chapter only
    index = index_page([chapter], "interview", "questions.csv")
    assert "[Download all questions as CSV](questions.csv)" in index
    assert "[Only this chapter's questions](guide-c.md)" in index
    assert '<select data-iq-filter="chapter"><option value="">All</option><option value="guide-c">' in index
    panel = next(line for line in index.splitlines() if "data-iq-practice" in line)
    assert panel.count("<div") == panel.count("</div>")  # one raw HTML block: no blank line splits it
    block = question_block(chapter.questions[1])
    assert block.splitlines()[2].startswith("    ")  # the body is indented under the details title


def test_chapter_answers_are_folded_with_a_link_to_practise_them():
    markdown = GOOD.split("---\n", 2)[2]  # as MkDocs hands it to plugins: without the front matter
    chapter = collect("docs/guide/c.md", "guide/c.md", markdown)
    folded = collapse_answers(markdown, chapter, practice_link(chapter, "interview"))
    lines = folded.splitlines()
    assert "[Practise these questions](../interview/guide-c.md#practice)" in folded
    assert folded.count('??? success "Strong answer"') == 2 and "✅ **Strong Answer:**" not in folded
    start = lines.index('??? success "Strong answer"', lines.index('**Q: Why "immutable" images?**'))
    assert lines[start + 2 : start + 5] == [
        '    > "Rollbacks become redeploys."',
        "    >",
        '    > "And builds are reproducible."',
    ]
    assert "**Q: after the section, ignored**" in folded and "### Going deeper" in folded
    for q in chapter.questions:  # the questions and their levels stay as written
        assert f"**Q: {q.text}**" in folded


def test_csv_export_round_trips_and_defuses_formulas():
    chapter = collect("docs/guide/c.md", "guide/c.md", GOOD)
    chapter.questions[0].text = "=HYPERLINK(1)"
    text = csv_text([chapter], {"docs/guide/c.md": "https://x/guide/c/#interview-talking-points"})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["chapter", "level", "question", "answer", "link"]
    assert rows[1][:3] == ["Containers", "junior", "'=HYPERLINK(1)"]
    assert rows[2][3] == '"Rollbacks become redeploys."\n\n"And builds are reproducible."'
    assert rows[2][4] == "https://x/guide/c/#interview-talking-points"


@pytest.mark.xdist_group("sites")
def test_site_build_generates_the_section(tmp_path: Path):
    built = build(FIXTURES / "basic", tmp_path / "basic", "--strict")
    assert built.returncode == 0, built.log
    chapter = built.page("interview/guide-containers/index.html")
    assert chapter.count('<details class="question iq-card">') == 2
    assert "Level: junior" in chapter and "Level: mid" in chapter
    assert 'href="../../guide/containers/#interview-talking-points"' in chapter
    rows = list(csv.reader(io.StringIO((built.site / "interview" / "questions.csv").read_text())))
    assert len(rows) == 3


@pytest.mark.xdist_group("sites")
def test_malformed_chapter_warns_at_its_line(tmp_path: Path):
    src = tmp_path / "src"
    (src / "docs").mkdir(parents=True)
    (src / "docs" / "x.md").write_text(MALFORMED)
    (src / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - interview\nmarkdown_extensions:\n  - pymdownx.details\n"
    )
    built = build(src, src, "--strict")
    assert built.returncode != 0
    assert [w.split(":")[0] + ":" + w.split(":")[1] for w in built.warnings()] == [
        "docs/x.md:5",
        "docs/x.md:10",
        "docs/x.md:16",
    ]
