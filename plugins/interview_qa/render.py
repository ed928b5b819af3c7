"""Generated interview pages and the CSV export, made from collected :class:`Chapter` records.

Questions become pymdownx.details blocks (``??? question iq-card "…"``), collapsed until opened; the
question text and the level are HTML-escaped (they go into a title and an attribute-free badge), the
answer stays the Markdown the writer wrote, as it renders in the chapter itself.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from collections.abc import Sequence
from html import escape, unescape

from markdown.extensions.toc import slugify

from interview_qa.collect import Chapter, Question

# Names the section's own pages use; a chapter called index.md gets "index-chapter".
RESERVED = frozenset({"index", "questions"})
# Spreadsheet apps run cells that start with these as formulas; such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

TOOLBAR = """<div class="iq-toolbar" data-iq-toolbar>
<button type="button" class="md-button" data-iq="practice">Practice mode</button>
<button type="button" class="md-button" data-iq="reveal" hidden>Reveal answer</button>
<button type="button" class="md-button" data-iq="next" hidden>Next question</button>
<button type="button" class="md-button" data-iq="exit" hidden>Show all questions</button>
<span class="iq-progress" aria-live="polite"></span>
</div>"""

PRACTICE_HELP = (
    "*Practice mode* hides every answer, shuffles the questions and shows them one at a time: "
    "answer aloud, then reveal the strong answer."
)


def chapter_slug(chapter: Chapter) -> str:
    """``guide/ci-cd.md`` → ``guide-ci-cd``: one flat, safe name per chapter page."""
    stem = chapter.src_uri.rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "chapter"
    return f"{slug}-chapter" if slug in RESERVED else slug


def chapter_uri(chapter: Chapter, folder: str) -> str:
    """Where the chapter's generated page lives under the docs folder (``interview/guide-ci-cd.md``)."""
    return f"{folder}/{chapter_slug(chapter)}.md"


def section_link(chapter: Chapter, from_uri: str) -> str:
    """A Markdown link target from the generated page to the chapter's talking points section."""
    rel = posixpath.relpath(chapter.src_uri, posixpath.dirname(from_uri) or ".")
    return f"{rel}#{slugify(chapter.section_heading, '-')}"


_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


def md_text(text: str) -> str:
    """Markdown inline text with its raw HTML neutralised: ``&``, ``<`` and ``>`` are escaped outside
    code spans (inside them Markdown escapes by itself), so ``<script>`` reads as text and
    `` `code` `` still renders as code."""
    out, last = [], 0
    text = unescape(text)  # entities written in the source (``&lt;``) are decoded once, escaped below
    for match in _CODE_SPAN.finditer(text):
        out += [escape(text[last : match.start()], quote=False), match.group(0)]
        last = match.end()
    out.append(escape(text[last:], quote=False))
    return "".join(out).replace("\n", " ")


def _title(text: str) -> str:
    """A details title on one line, its HTML neutralised (quotes are fine: the title ends the line)."""
    return md_text(text)


def question_block(question: Question, back_link: str | None = None) -> str:
    """One collapsible question with its level badge and (on the all-questions page) its chapter link."""
    level = question.level or "unknown"
    body = [
        f'<span class="iq-level iq-level--{escape(level, quote=True)}">Level: {escape(level)}</span>',
        "",
        *question.answer.splitlines(),
    ]
    if back_link:
        body += ["", back_link]
    indented = "\n".join(f"    {line}" if line.strip() else "" for line in body)
    return f'??? question iq-card "{_title(question.text)}"\n\n{indented}\n'


def chapter_page(chapter: Chapter, folder: str) -> str:
    """Markdown of one chapter's interview page."""
    uri = chapter_uri(chapter, folder)
    link = section_link(chapter, uri)
    parts = [
        f"# Interview questions: {md_text(chapter.title)}",
        "",
        f"{len(chapter.questions)} questions from [{md_text(chapter.title)}]({link}). "
        "Each answer is collapsed: say yours first, then open it. " + PRACTICE_HELP,
        "",
        TOOLBAR,
        "",
    ]
    parts += [question_block(q) for q in chapter.questions]
    parts += ["", f"[Back to the chapter's talking points]({link})", ""]
    return "\n".join(parts)


def index_page(chapters: Sequence[Chapter], folder: str, csv_name: str | None) -> str:
    """Markdown of the page with every question, grouped by chapter."""
    uri = f"{folder}/index.md"
    total = sum(len(c.questions) for c in chapters)
    parts = [
        "# Interview questions",
        "",
        f"All {total} questions from the chapters' *Interview Talking Points*, by chapter. " + PRACTICE_HELP,
        "",
    ]
    if csv_name:
        parts += [f"[Download all questions as CSV]({csv_name}) (chapter, level, question, answer, link).", ""]
    parts += [TOOLBAR, ""]
    for chapter in chapters:
        link = section_link(chapter, uri)
        parts += [
            f"## {md_text(chapter.title)}",
            "",
            f"[Only this chapter's questions]({chapter_slug(chapter)}.md) · [Read the chapter]({link})",
            "",
        ]
        parts += [question_block(q, f"[From “{md_text(chapter.title)}”]({link})") for q in chapter.questions]
    return "\n".join(parts)


def _cell(text: str) -> str:
    """A CSV cell that spreadsheet and flashcard apps import as text, never as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(chapters: Sequence[Chapter], links: dict[str, str]) -> str:
    """All questions as CSV (header row, RFC 4180 quoting); ``links`` maps a page to its section URL."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["chapter", "level", "question", "answer", "link"])
    for chapter in chapters:
        for q in chapter.questions:
            answer = "\n".join(line.rstrip() for line in q.answer.splitlines())
            row = [chapter.title, q.level or "", q.text, answer, links.get(chapter.page, "")]
            writer.writerow([_cell(c) for c in row])
    return out.getvalue()
