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

from interview_qa.collect import LEVELS, Chapter, Question

# Names the section's own pages use; a chapter called index.md gets "index-chapter".
RESERVED = frozenset({"index", "questions"})
# Spreadsheet apps run cells that start with these as formulas; such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

PRACTICE_HELP = (
    "*Practice* shows one question at a time with its answer hidden: answer aloud, reveal the strong "
    "answer, say whether you knew it, and see your score at the end."
)


def _options(choices: Sequence[tuple[str, str]]) -> str:
    """``<option>`` elements, the first one "All"; values and texts escaped."""
    return '<option value="">All</option>' + "".join(
        f'<option value="{escape(value, quote=True)}">{escape(text)}</option>' for value, text in choices
    )


def practice_panel(chapters: Sequence[Chapter], *, choose_chapter: bool) -> str:
    """The practice panel: set-up (filters and Start), the stage (one question, Reveal, Knew it / Not yet) and
    the score. Each state's controls sit in their own container, and only the current one is shown
    (``interview.js``); the whole panel stays hidden without JavaScript, since nothing in it works then.
    Raw HTML with no blank line, so Markdown passes it through as one block."""
    questions = [q for c in chapters for q in c.questions]
    levels = [(lv, f"{lv} ({n})") for lv in LEVELS if (n := sum(q.level == lv for q in questions))]
    parts = [
        '<div class="iq-practice" id="practice" data-iq-practice hidden>',
        '<div class="iq-practice__setup" data-iq-state="setup">',
        f'<label class="iq-practice__field">Level <select data-iq-filter="level">{_options(levels)}</select></label>',
    ]
    if choose_chapter:
        names = [(chapter_slug(c), f"{unescape(c.title)} ({len(c.questions)})") for c in chapters]
        parts.append(
            f'<label class="iq-practice__field">Chapter <select data-iq-filter="chapter">{_options(names)}</select>'
            "</label>"
        )
    parts += [
        '<button type="button" class="md-button md-button--primary" data-iq="start">Start practice</button>',
        '<span class="iq-practice__count" aria-live="polite"></span>',
        "</div>",
        '<div class="iq-practice__stage" data-iq-state="asking revealed" hidden>',
        '<p class="iq-practice__progress" aria-live="polite"></p>',
        '<div class="iq-practice__question"></div>',
        '<div class="iq-practice__answer" data-iq-state="revealed" hidden></div>',
        '<div class="iq-practice__controls" data-iq-state="asking" hidden>',
        '<button type="button" class="md-button md-button--primary" data-iq="reveal">Reveal answer</button>',
        '<span class="iq-practice__keys">Space or Enter</span>',
        "</div>",
        '<div class="iq-practice__controls" data-iq-state="revealed" hidden>',
        '<button type="button" class="md-button md-button--primary" data-iq="knew">I knew it</button>',
        '<button type="button" class="md-button" data-iq="missed">Not yet</button>',
        '<span class="iq-practice__keys">→ knew it · ← not yet</span>',
        "</div>",
        '<p class="iq-practice__stop"><button type="button" class="iq-practice__link" data-iq="stop">'
        "Stop practising</button></p>",
        "</div>",
        '<div class="iq-practice__done" data-iq-state="done" hidden>',
        '<p class="iq-practice__score" aria-live="polite"></p>',
        '<ul class="iq-practice__missed"></ul>',
        '<button type="button" class="md-button md-button--primary" data-iq="again">Practise again</button>',
        "</div>",
        "</div>",
    ]
    return "".join(parts)


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


def question_block(question: Question, back_link: str | None = None, chapter: str = "") -> str:
    """One collapsible question with its level badge (which also tells practice mode the question's level
    and chapter) and, on the all-questions page, its chapter link."""
    level = question.level or "unknown"
    badge = (
        f'<span class="iq-level iq-level--{escape(level, quote=True)}" data-iq-level="{escape(level, quote=True)}" '
        f'data-iq-chapter="{escape(chapter, quote=True)}">Level: {escape(level)}</span>'
    )
    body = [
        badge,
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
        practice_panel([chapter], choose_chapter=False),
        "",
    ]
    parts += [question_block(q, chapter=chapter_slug(chapter)) for q in chapter.questions]
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
    parts += [practice_panel(chapters, choose_chapter=True), ""]
    for chapter in chapters:
        link = section_link(chapter, uri)
        parts += [
            f"## {md_text(chapter.title)}",
            "",
            f"[Only this chapter's questions]({chapter_slug(chapter)}.md) · [Read the chapter]({link})",
            "",
        ]
        back = f"[From “{md_text(chapter.title)}”]({link})"
        parts += [question_block(q, back, chapter_slug(chapter)) for q in chapter.questions]
    return "\n".join(parts)


def practice_link(chapter: Chapter, folder: str) -> str:
    """A Markdown link target from the chapter to its interview page's practice panel."""
    rel = posixpath.relpath(chapter_uri(chapter, folder), posixpath.dirname(chapter.src_uri) or ".")
    return f"{rel}#practice"


def collapse_answers(markdown: str, chapter: Chapter, practice: str) -> str:
    """The chapter's Markdown with each strong answer folded into a collapsed block ("say yours first") and,
    under the talking points heading, a link to practise them. ``chapter`` must come from ``markdown``
    itself (line numbers); questions are left as they are, and so is everything else on the page."""
    lines = markdown.split("\n")
    for q in sorted(chapter.questions, key=lambda q: q.line, reverse=True):
        if not (0 < q.answer_line < q.answer_end <= len(lines)):
            continue
        quoted = [f"    {line}" if line.strip() else "" for line in lines[q.answer_line : q.answer_end]]
        lines[q.answer_line - 1 : q.answer_end] = ['??? success "Strong answer"', "", *quoted]
    if 0 < chapter.section_line <= len(lines):
        lines[chapter.section_line : chapter.section_line] = [
            "",
            f"Each answer is folded: say yours first, then open it. [Practise these questions]({practice}) "
            "one at a time, with a score at the end.",
        ]
    return "\n".join(lines)


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
