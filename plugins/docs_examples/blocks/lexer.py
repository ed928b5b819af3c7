"""The fence lexer: the superfences grammar, replayed line by line over a page's (expanded) lines.

pymdownx.superfences finds fences in a preprocessor that only looks at the run of prefix characters
(``>``, spaces) before each line, so this lexer does the same and agrees with what Material renders:

* an opening fence is 3+ backticks or tildes after any run of ``>``/space prefix characters, followed by an
  optional language and either a brace attribute list or ``key="value"`` options; any other header text
  means the line is not a fence at all (``yaml check=skip`` breaks the block, as superfences does);
* the body keeps the opening line's prefix width; a non-blank line indented less ends the container, and
  the fence is *abandoned* (superfences renders its lines as Markdown);
* the closing fence is the same fence string at the same prefix width, with only spaces after it;
* a fence still open at the end of the page is abandoned too: superfences renders no block for it, and its
  lines, to the end of the page, are Markdown (the fences among them included: superfences reads the page
  once, so none of them opens a block);
* the ``tab="…"`` option (pymdown-extensions before 8 grouped such fences into tabs) is refused like any
  other attribute in the option form: the line is Markdown text and the next fence line opens a block, so
  the fences after it pair differently. :func:`legacy_tab` tells such a line, and ``lex(legacy=True)``
  pairs the page as pymdown-extensions 7 did, which tells which problems the removed option causes.

The lexer works on lines whose tabs are already expanded and whose whitespace-only lines are empty, as
Python-Markdown's ``NormalizeWhitespace`` leaves them. Every line is looked at once and headers are parsed
with a hand-written scanner, so the work is linear in the size of the page whatever the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

PREFIX_CHARS = frozenset("> ")
FENCE_CHARS = "`~"
# The language word superfences accepts: `[\w#.+-]+`, then a space or the end of the line.
_LANG = re.compile(r"[ \t]*\.?([\w#.+-]+)(?=[ \t]|$)")
_KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")
_HL_LINES = re.compile(r"\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$")
_LINENUMS = re.compile(r"\d+")
# Options that superfences' highlight validator turns into rendering options; anything else in the
# ``key="value"`` form is an HTML attribute, which that form refuses (the fence is then not a fence).
_OPTION_CHECKS: dict[str, Callable[[str], bool]] = {
    "hl_lines": lambda v: _HL_LINES.match(v) is not None,
    "linenums": lambda v: _LINENUMS.match(v) is not None,
    "title": lambda v: True,
    "title_mode": lambda v: True,
}
LEGACY_TAB = "tab"  # superfences' option before pymdown-extensions 8, replaced by pymdownx.tabbed


@dataclass(slots=True)
class Header:
    """What an opening fence line says: the fence, the language, classes, id and attributes."""

    fence: str
    language: str = ""
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Fence:
    """One fence found by :func:`lex`: line indexes into the lexed sequence (0-based)."""

    start: int  # index of the opening line
    end: int  # index of the closing line
    indent: int  # columns of prefix (spaces and ``>``) removed from every body line
    header: Header
    body: list[int]  # indexes of the body lines
    quote_level: int = 0


@dataclass(slots=True)
class Abandoned:
    """A fence that superfences drops: its container ended (at line ``stop``) before a closing fence, or the
    page did (``stop`` is None). Its lines, from ``start`` to ``stop`` or the end, are Markdown."""

    start: int
    stop: int | None
    header: Header


# -- header ---------------------------------------------------------------------------------------------


def parse_attr_list(text: str) -> tuple[list[str], str, dict[str, str]]:
    """Split a brace attribute list (without braces) into classes, id and key/value pairs.

    Understands ``.class``, ``#id``, ``key=value``, ``key="value"`` and ``key='value'``; a bare word is a
    key with an empty value. Scans the text once.
    """
    classes: list[str] = []
    ident = ""
    attrs: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t":
            i += 1
            continue
        j = i
        while j < n and text[j] not in " \t=":
            j += 1
        word = text[i:j]
        if j < n and text[j] == "=":
            j += 1
            if j < n and text[j] in "\"'":
                close = text.find(text[j], j + 1)
                close = n if close == -1 else close
                value, i = text[j + 1 : close], close + 1
            else:
                k = j
                while k < n and text[k] not in " \t":
                    k += 1
                value, i = text[j:k], k
            attrs[word] = value
            continue
        i = j
        if word.startswith(".") and len(word) > 1:
            classes.append(word[1:])
        elif word.startswith("#") and len(word) > 1:
            ident = word[1:]
        elif word:
            attrs[word] = ""
    return classes, ident, attrs


def _options_form(text: str) -> bool:
    """Whether ``text`` has the `` key="value" key2`` form: each item ends at a space or the line's end."""
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        m = _KEY.match(text, i)
        if m is None:
            return False
        i = m.end()
        if i < n and text[i] == "=" and i + 1 < n and text[i + 1] in "\"'":
            quote = text[i + 1]
            close = text.find(quote, i + 2)
            # The value runs to the first matching quote that a space or the end follows.
            while close != -1 and close + 1 < n and text[close + 1] not in " \t":
                close = text.find(quote, close + 1)
            if close == -1:
                return False
            i = close + 1
        if i < n and text[i] not in " \t":
            return False
    return True


def _option_values(text: str) -> dict[str, str]:
    """The values superfences reads from an options header: each ``key`` or ``key="value"`` found, in order.

    Like a left-to-right scan for ``key(="value")?``: a value ends at its first matching quote, and text
    that is no key is skipped.
    """
    values: dict[str, str] = {}
    missing: set[str] = set()  # quote characters with no occurrence left: never search for them again
    i, n = 0, len(text)
    while i < n:
        m = _KEY.match(text, i)
        if m is None:
            i += 1
            continue
        key, i = m.group(), m.end()
        value = key  # superfences gives a bare key its own name as value
        if i + 1 < n and text[i] == "=" and text[i + 1] in "\"'" and text[i + 1] not in missing:
            close = text.find(text[i + 1], i + 2)
            if close == -1:
                missing.add(text[i + 1])
            else:
                value, i = text[i + 2 : close], close + 1
        values[key] = value
    return values


def parse_header(line: str, pos: int, *, legacy: bool = False) -> Header | None:
    """Parse an opening fence at ``line[pos:]``; None when superfences would not open a block there.

    ``legacy``: accept the ``tab="…"`` option as pymdown-extensions 7 did.
    """
    char = line[pos]
    end = pos
    while end < len(line) and line[end] == char:
        end += 1
    if end - pos < 3:
        return None
    header = Header(fence=line[pos:end])
    rest = line[end:]
    m = _LANG.match(rest)
    if m is not None:
        header.language = m.group(1)
        rest = rest[m.end() :]
    rest = rest.strip(" \t")
    if not rest:
        return header
    if rest.startswith("{") and rest.endswith("}"):
        classes, ident, attrs = parse_attr_list(rest[1:-1])
        if not header.language and classes:
            header.language = classes[0]
        header.classes, header.attrs = classes, attrs
        if ident:
            header.attrs["id"] = ident
        return header
    if not _options_form(rest):
        return None  # unrecognised header text: superfences leaves the line as Markdown
    options = _option_values(rest)
    for key, value in options.items():
        check = _OPTION_CHECKS.get(key) or (_any_value if legacy and key == LEGACY_TAB else None)
        if check is None or not check(value):
            return None  # an attribute in the option form: superfences refuses the fence
    header.attrs = options
    return header


def _any_value(value: str) -> bool:
    return True


def legacy_tab(line: str) -> str | None:
    """The title of a ``tab="…"`` option on an opening fence line that superfences refuses for it, else None.

    pymdown-extensions 8 removed the option (tabs are ``pymdownx.tabbed``'s ``=== "Title"`` now); a header
    that the current superfences would refuse anyway, without the option, is not counted.
    """
    pos = prefix_width(line)
    if not _looks_like_fence(line) or opening(line) is not None:
        return None
    header = parse_header(line, pos, legacy=True)
    return header.attrs.get(LEGACY_TAB) if header is not None else None


# -- lines ----------------------------------------------------------------------------------------------


def prefix_width(line: str, limit: int | None = None) -> int:
    """How many leading ``>``/space characters the line has (at most ``limit``)."""
    n = len(line) if limit is None else min(limit, len(line))
    i = 0
    while i < n and line[i] in PREFIX_CHARS:
        i += 1
    return i


def opening(line: str, *, legacy: bool = False) -> tuple[int, Header] | None:
    """The prefix width and header when ``line`` opens a fence, else None (``legacy``: see :func:`lex`)."""
    pos = prefix_width(line)
    if pos < len(line) and line[pos] in FENCE_CHARS and line.startswith(line[pos] * 3, pos):
        header = parse_header(line, pos, legacy=legacy)
        if header is not None:
            return pos, header
    return None


def _looks_like_fence(line: str) -> bool:
    pos = prefix_width(line)
    return pos < len(line) and line[pos] in FENCE_CHARS and line.startswith(line[pos] * 3, pos)


def _is_close(content: str, fence: str) -> bool:
    return content.startswith(fence) and not content[len(fence) :].strip(" \t")


class _Open:
    """The state of the fence being read."""

    __slots__ = ("body", "empty", "header", "indent", "quote_level", "start")

    def __init__(self, start: int, indent: int, quote_level: int, header: Header) -> None:
        self.start, self.indent, self.quote_level, self.header = start, indent, quote_level, header
        self.body: list[int] = []
        self.empty = 0

    def step(self, line: str) -> str:
        """Classify the next line: ``body``, ``close`` or ``abandon`` (superfences' rules)."""
        if not self.indent and not self.quote_level:  # a fence at the margin (most): the rules below, reduced
            if not line.strip():
                self.empty += 1
                return "body"
            if _is_close(line, self.header.fence):
                return "close"
            self.empty = 0
            return "body"
        k = prefix_width(line, self.indent)
        ws, content = line[:k], line[k:]
        quotes = ws.count(">")
        if self.quote_level:
            if quotes > self.quote_level:
                return "abandon"
            if content == "":
                self.empty += 1
                return "body"
            if len(ws) < self.indent or (self.empty and quotes < self.quote_level):
                return "abandon"
        elif quotes:
            return "abandon"
        elif not line.strip():
            self.empty += 1
            return "body"
        elif len(ws) != self.indent:
            return "abandon"
        if _is_close(content, self.header.fence) and not content.startswith((" ", "\t")):
            return "close"
        self.empty = 0
        return "body"


def lex(
    lines: Sequence[str],
    on_text: Callable[[int, str], None] | None = None,
    on_open: Callable[[int, str], None] | None = None,
    on_refused: Callable[[int, str], None] | None = None,
    *,
    legacy: bool = False,
) -> tuple[list[Fence], list[Abandoned]]:
    """The fences superfences renders in ``lines``, and those it drops (abandoned, or open at the end).

    ``on_text(index, line)`` sees each line that is Markdown, not code. ``legacy``: pair fences as
    pymdown-extensions 7 did, which opened a fence on a ``tab="…"`` header.

    ``on_open(index, line)`` is called on every opening fence line, ``on_refused(index, line)`` on every
    line that starts like a fence but whose header superfences refuses. Lines of a dropped fence are
    Markdown again, so they are passed to ``on_text`` when it is dropped.
    """
    fences: list[Fence] = []
    abandoned: list[Abandoned] = []
    current: _Open | None = None
    for i, line in enumerate(lines):
        if current is None:
            found = opening(line, legacy=legacy)
            if found is None:
                if on_refused is not None and _looks_like_fence(line):
                    on_refused(i, line)
                if on_text is not None:
                    on_text(i, line)
                continue
            indent, header = found
            if on_open is not None:
                on_open(i, line)
            current = _Open(i, indent, line[:indent].count(">"), header)
            continue
        verdict = current.step(line)
        if verdict == "body":
            current.body.append(i)
        elif verdict == "close":
            fences.append(Fence(current.start, i, current.indent, current.header, current.body, current.quote_level))
            current = None
        else:
            abandoned.append(Abandoned(current.start, i, current.header))
            if on_text is not None:
                for j in range(current.start, i + 1):
                    on_text(j, lines[j])
            current = None
    if current is not None:
        abandoned.append(Abandoned(current.start, None, current.header))
        if on_text is not None:
            for j in range(current.start, len(lines)):
                on_text(j, lines[j])
    return fences, abandoned
