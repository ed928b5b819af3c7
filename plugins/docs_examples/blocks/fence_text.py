"""What the reader sees where superfences renders no block: fence lines left to Markdown.

Superfences refuses a fence line whose header it does not understand, and drops a fence that is not closed
before its container ends (or before the page does). Those lines are then Markdown like any other line:
Python-Markdown puts them in a paragraph, where its backtick rule pairs a run of backticks with the next run
of the same length into inline code. So the same mistake reads very differently:

- ```` ```argocd repo add … ``` ```` on one line, or ```` ```key: value ```` with ```` ``` ```` alone on the
  next line, shows the reader ``argocd repo add …`` as inline code: what the author wrote on the fence line
  is what is shown, on purpose;
- ```` ```yaml check=skip ```` shows its backticks and the code below it as text, and the fence meant to
  close it opens a code block instead;
- ```` ```yaml ```` whose closing fence is indented too little runs its lines together into one inline code
  span (``yaml a: 1 b: 2``), or shows them as text.

:func:`paragraphs` cuts the page's Markdown lines into paragraphs as far as the line structure tells (blank
lines, fenced blocks, list items, headings, admonitions, tabs, rules and less indented lines end one),
:func:`code_spans` pairs backtick runs as Python-Markdown 3.x does, and :func:`seen` says what one fence line
looks like to the reader. Work is linear in the page: each paragraph is cut and paired once, and a
paragraph with more backtick runs than :data:`MAX_RUNS` is not paired at all (read as text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docs_examples.blocks.lexer import prefix_width

MAX_RUNS = 2000  # backtick runs in one paragraph past which no pairing is attempted (Markdown is quadratic)
# Lines that start a block of their own in Python-Markdown (and in Material's extensions): a list item
# starts a paragraph that may go on; the others are one line each.
_LIST_ITEM = re.compile(r"(?:[*+-]|\d+\.)[ ]+")
_OWN_LINE = re.compile(r"#{1,6}|!!!|\?\?\?|===|\||(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,}|=+)[ ]*$")
_CONTAINER = re.compile(r"(?:[*+-]|\d+\.)[ ]+|!!!|\?\?\?|===")
_BOX = re.compile(r"!!!|\?\?\?|===")  # admonition, details and tab headers: their content is indented
CODE_INDENT = 4  # Python-Markdown's tab_length: an indented code block is this far inside its container


@dataclass(frozen=True, slots=True)
class Span:
    """One inline code span of a paragraph: offsets of its two backtick runs and of the code between."""

    open_at: int
    close_at: int
    ticks: int  # length of the delimiting runs
    exact: bool  # the opening run is used whole (else Markdown shortened it to a later, shorter run)

    @property
    def code(self) -> tuple[int, int]:
        return self.open_at + self.ticks, self.close_at


@dataclass(frozen=True, slots=True)
class Seen:
    """What a fence line looks like to the reader.

    ``how``: ``inline`` (the line's backticks open an inline code span whose code is on one line),
    ``inline-lines`` (they open or close a span that runs several lines together), ``code-block`` (the
    paragraph is an indented Markdown code block, fence characters and all) or ``text``.
    """

    how: str
    partner: int | None = None  # index of the line holding the other backtick run of the span
    code: str = ""  # the inline code the reader sees
    opens: bool = True  # the line's run opens the span (else it closes one opened earlier)


@dataclass(slots=True)
class _Paragraph:
    first: int
    last: int
    strip: int  # characters of the first line's content that are a list marker
    code_block: bool = False  # an indented Markdown code block rather than a paragraph
    spans: list[Span] | None = None
    offsets: list[int] = field(default_factory=list)  # offset of each line's content in the joined text
    text: str = ""


# -- paragraphs -------------------------------------------------------------------------------------------


def _content(line: str) -> tuple[int, int, str]:
    """Prefix width, blockquote level and the rest of a line."""
    width = prefix_width(line)
    return width, line[:width].count(">"), line[width:]


@dataclass(slots=True)
class _Cutter:
    """The state of :func:`paragraphs`' one pass over the page."""

    lines: Sequence[str]
    boxes: list[int] = field(default_factory=list)  # content indent of each open admonition, details or tab
    before: list[tuple[int, int]] = field(default_factory=list)  # (indent, index): earlier lines, indents rising
    current: _Paragraph | None = None
    quotes: int = 0  # blockquote level of the current paragraph
    depth: int = 0  # open boxes when the current paragraph started

    def line(self, i: int, is_code: bool) -> _Paragraph | None:
        """Take line ``i``; the paragraph it belongs to (None for blank and code lines)."""
        line = self.lines[i]
        if not line.strip():
            self.current = None
            return None
        width, quotes, rest = _content(line)
        while self.boxes and width < self.boxes[-1]:  # a line indented less than a box's content ends it
            self.boxes.pop()
        inside = self._inside(width)
        self.before.append((width, i))
        if is_code:
            self.current = None
            return None
        own = _OWN_LINE.match(rest) is not None
        item = _LIST_ITEM.match(rest)
        para = self.current
        if para is None or own or item is not None or quotes != self.quotes or len(self.boxes) < self.depth:
            blank_before = i == 0 or not self.lines[i - 1].strip() or self._box_header(i - 1)
            para = _Paragraph(i, i, item.end() if item is not None else 0)
            para.code_block = blank_before and width >= inside + CODE_INDENT
            self.quotes, self.depth = quotes, len(self.boxes)
        para.last = i
        self.current = None if own else para  # a heading, admonition or tab header is a line of its own
        if own and _BOX.match(rest) is not None:
            self.boxes.append(width + CODE_INDENT)
        return para

    def _inside(self, width: int) -> int:
        """The content indent of the container a line indented ``width`` sits in: the nearest earlier line
        indented less (a container's header gives its content indent, four columns in; any other line, its
        own indent)."""
        while self.before and self.before[-1][0] >= width:
            self.before.pop()
        if not self.before:
            return 0
        indent, j = self.before[-1]
        return indent + CODE_INDENT if _CONTAINER.match(_content(self.lines[j])[2]) else indent

    def _box_header(self, j: int) -> bool:
        return _BOX.match(_content(self.lines[j])[2]) is not None


def paragraphs(lines: Sequence[str], code: Sequence[bool]) -> list[_Paragraph | None]:
    """For every line, the paragraph of Markdown text it belongs to (None for blank and code lines).

    A paragraph ends at a blank line, a fenced block, a change of blockquote level, a line that starts a
    block (a list item, which may go on, or a heading, admonition, details or tab header, rule or table row,
    which are one line each), and a line indented less than the content of the admonition, details or tab
    it started in; less indented lines inside a list item go on (lazy continuation). A paragraph after a
    blank line, indented four columns past the content of its container, is an indented code block.
    """
    cutter = _Cutter(lines)
    return [cutter.line(i, code[i]) for i in range(len(lines))]


def _joined(lines: Sequence[str], para: _Paragraph) -> None:
    """The paragraph's text as inline processing gets it (prefixes and the list marker left out)."""
    parts: list[str] = []
    offset = 0
    for j in range(para.first, para.last + 1):
        rest = _content(lines[j])[2]
        if j == para.first:
            rest = rest[para.strip :]
        para.offsets.append(offset)
        parts.append(rest)
        offset += len(rest) + 1
    para.text = "\n".join(parts)


# -- backticks --------------------------------------------------------------------------------------------


def _runs(text: str) -> list[tuple[int, int]]:
    """Every maximal run of backticks: (offset, length)."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while True:
        i = text.find("`", i)
        if i == -1:
            return runs
        j = i
        while j < n and text[j] == "`":
            j += 1
        runs.append((i, j - i))
        i = j


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    k = at
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (at - k) % 2 == 1


def code_spans(text: str) -> list[Span] | None:
    """The inline code spans Python-Markdown makes of ``text``; None when it has too many backtick runs.

    Left to right, a backtick that no odd run of backslashes escapes starts a run of ``n``; the next run of
    exactly ``n`` closes it. Without one, the longest later run shorter than ``n`` closes it, and the
    opening run is cut to that length; with neither, the run stays text and the search goes on ``n``
    characters after it (Python-Markdown's own skip).
    """
    runs = _runs(text)
    if len(runs) > MAX_RUNS:
        return None
    spans: list[Span] = []
    cursor, k = 0, 0
    while k < len(runs):
        pos, length = runs[k]
        if pos + length <= cursor:
            k += 1
            continue
        if pos < cursor:  # the skip after an unpaired run landed inside this one
            pos, length = cursor, length - (cursor - pos)
        elif _escaped(text, pos):
            pos, length = pos + 1, length - 1
            if length == 0:
                k += 1
                continue
        span, after = _pair(runs, k, pos, length)
        if span is None:
            cursor, k = pos + 2 * length, k + 1
            continue
        spans.append(span)
        cursor, k = span.close_at + span.ticks, after
    return spans


def _pair(runs: list[tuple[int, int]], k: int, pos: int, length: int) -> tuple[Span | None, int]:
    """The span opened at ``pos`` by ``length`` backticks (run ``k``), and the index of the run after it."""
    longest, at = 0, -1
    for j in range(k + 1, len(runs)):
        p, n = runs[j]
        if n == length:
            return Span(pos, p, length, exact=True), j + 1
        if n > longest:
            longest, at = n, j
    if 0 < longest < length:
        return Span(pos, runs[at][0], longest, exact=False), at + 1
    return None, k + 1


# -- one fence line ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Page:
    """A page's Markdown lines, ready to say what any fence line of it looks like (:meth:`seen`)."""

    lines: Sequence[str]
    code: Sequence[bool]  # lines that belong to a rendered fenced block
    owner: list[_Paragraph | None] | None = None  # cut on the first question

    def seen(self, index: int) -> Seen:
        """What the reader sees of the fence line at ``index`` (a line superfences left to Markdown)."""
        if self.owner is None:
            self.owner = paragraphs(self.lines, self.code)
        para = self.owner[index]
        line = self.lines[index]
        if para is None:
            return Seen("text")
        if para.code_block:
            return Seen("code-block")
        if line[prefix_width(line)] != "`":
            return Seen("text")
        if para.spans is None:
            _joined(self.lines, para)
            para.spans = code_spans(para.text) or []
        return self._in_span(para, para.offsets[index - para.first])

    def _in_span(self, para: _Paragraph, at: int) -> Seen:
        """The span whose opening or closing run starts at offset ``at`` of the paragraph, if any."""
        for span in para.spans or []:
            if at not in (span.open_at, span.close_at):
                continue
            opens = span.open_at == at
            other = self._line_of(para, span.close_at if opens else span.open_at)
            start, end = span.code
            code = para.text[start:end].strip()
            multi = "\n" in code or not span.exact
            return Seen("inline-lines" if multi else "inline", other, code, opens)
        return Seen("text")

    @staticmethod
    def _line_of(para: _Paragraph, offset: int) -> int:
        """The page line index holding ``offset`` of the paragraph's text."""
        j = 0
        while j + 1 < len(para.offsets) and para.offsets[j + 1] <= offset:
            j += 1
        return para.first + j
