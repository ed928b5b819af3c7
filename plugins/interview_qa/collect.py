"""Find the interview questions of one chapter in its Markdown source.

The section the content writers use, at the end of a chapter::

    ## Interview Talking Points

    **Q: What's the difference between Docker and Kubernetes?**
    *Level: junior*

    ✅ **Strong Answer:**
    > "Docker is …"
    > (more quoted lines)

Only syntax is read. Anything malformed (a question without an answer, a missing or unknown level) is a
:class:`Problem` at its line, and the well-formed questions around it are still collected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEVELS = ("junior", "mid", "senior")
SECTION = "Interview Talking Points"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_QUESTION = re.compile(r"^\*\*Q:\s*(?P<text>.+?)\s*\*\*\s*$")
_LEVEL = re.compile(r"^\*Level:\s*(?P<level>[^*]*?)\s*\*\s*$", re.IGNORECASE)
_ANSWER = re.compile(r"^(?:✅\s*)?\*\*Strong Answer:?\*\*:?\s*$", re.IGNORECASE)
_QUOTE = re.compile(r"^>\s?(?P<text>.*)$")
_ATTR_LIST = re.compile(r"\s*\{[^}]*\}\s*$")


@dataclass(slots=True)
class Question:
    """One question, its level and its answer (Markdown, the quote markers removed)."""

    text: str
    level: str | None
    answer: str
    line: int  # 1-based line of ``**Q: …**`` in the chapter
    answer_line: int = 0  # 1-based line of ``✅ **Strong Answer:**``
    answer_end: int = 0  # 1-based line of the answer's last quoted line


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the content writer must fix, at a 1-based line."""

    line: int
    message: str


@dataclass(slots=True)
class Chapter:
    """One page's talking points: where they are, the page title, the questions and the problems."""

    page: str  # docs/guide/x.md, as warnings name it
    src_uri: str  # guide/x.md, as MkDocs names it
    title: str
    section_line: int = 0  # 0: the page has no talking points
    section_heading: str = SECTION
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class _Pending:
    """The question being read: what has been seen of it so far."""

    text: str
    line: int
    level: str | None = None
    level_seen: bool = False
    answer_line: int | None = None
    answer: list[str] = field(default_factory=list)
    answer_end: int = 0
    quote_open: bool = False


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after YAML front matter (0 when there is none)."""
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return i + 1
    return 0


def _finish(pending: _Pending | None, chapter: Chapter) -> None:
    """Turn a fully read question into a Question, or into Problems when parts are missing."""
    if pending is None:
        return
    ok = True
    if not pending.level_seen:
        chapter.problems.append(Problem(pending.line, f"interview question has no '*Level: …*' line: {pending.text}"))
        ok = False
    elif pending.level not in LEVELS:
        chapter.problems.append(
            Problem(pending.line, f"unknown interview level {pending.level!r} (use one of: {', '.join(LEVELS)})")
        )
        ok = False
    answer = "\n".join(pending.answer).strip()
    if pending.answer_line is None or not answer:
        where = pending.answer_line or pending.line
        chapter.problems.append(
            Problem(
                where, f"interview question without an answer (✅ **Strong Answer:** then a > quote): {pending.text}"
            )
        )
        ok = False
    if ok:
        chapter.questions.append(
            Question(pending.text, pending.level, answer, pending.line, pending.answer_line or 0, pending.answer_end)
        )


def _read_line(line: str, number: int, pending: _Pending | None, chapter: Chapter) -> _Pending | None:
    """Advance the question state machine by one line of the section."""
    stripped = line.strip()
    question = _QUESTION.match(stripped)
    if question:
        _finish(pending, chapter)
        return _Pending(question.group("text"), number)
    if pending is None:
        return None
    level = _LEVEL.match(stripped)
    if level and pending.answer_line is None:
        pending.level_seen = True
        pending.level = level.group("level").strip().lower()
        return pending
    if _ANSWER.match(stripped):
        pending.answer_line = number
        pending.quote_open = True
        return pending
    quote = _QUOTE.match(stripped)
    if quote and pending.answer_line is not None and pending.quote_open:
        pending.answer.append(quote.group("text"))
        pending.answer_end = number
        return pending
    if pending.answer and not stripped:
        pending.quote_open = False  # a blank line ends the quoted answer
    return pending


def collect(page: str, src_uri: str, text: str) -> Chapter:
    """The talking points of one page (an empty chapter when it has none)."""
    lines = text.splitlines()
    chapter = Chapter(page=page, src_uri=src_uri, title="")
    fence: str | None = None
    in_section = False
    pending: _Pending | None = None
    for index in range(_front_matter_end(lines), len(lines)):
        line, number = lines[index], index + 1
        marker = _FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            continue
        heading = _HEADING.match(line)
        if heading:
            depth, title = len(heading.group(1)), _ATTR_LIST.sub("", heading.group(2))
            if depth == 1 and not chapter.title:
                chapter.title = title
            if depth <= 2 and in_section:
                _finish(pending, chapter)
                pending, in_section = None, False
            if depth == 2 and title.strip().lower() == SECTION.lower():
                in_section, chapter.section_line, chapter.section_heading = True, number, title
            continue
        if in_section:
            pending = _read_line(line, number, pending, chapter)
    if in_section:
        _finish(pending, chapter)
    if chapter.section_line and not chapter.questions and not chapter.problems:
        chapter.problems.append(
            Problem(chapter.section_line, "'## Interview Talking Points' has no '**Q: …**' questions")
        )
    chapter.title = chapter.title or src_uri
    return chapter
