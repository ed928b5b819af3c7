"""Where a block sits: the heading trail above it and the content tabs around it.

:class:`Context` is fed every Markdown line that is not code (the lexer's ``on_text`` callback) and can be
asked at any time for the current heading trail and tab path. It also notices two tab mistakes that
Material renders without complaint: a ``=== "Tab"`` header with no indented body, and a ``=== Tab`` line
without quotes (rendered as text, not as a tab).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docs_examples.findings import Category, Finding, Severity

# pymdownx.tabbed: `===`, optional `!`/`+` flags, one or more spaces, a double-quoted label.
_TAB = re.compile(r'={3}(?:\+!?|!\+?)? +"(.*?)" *$')
_TAB_LIKE = re.compile(r"={3}[+!]* +\S")
_ATX = re.compile(r"(#{1,6})(.*)$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_TRAILING_ATTRS = re.compile(r"[ \t]+\{[^}\n]*\}[ \t]*$")
_NOT_PARAGRAPH = ("#", ">", "-", "*", "+", "|", "!!!", "???", "===", "<")


@dataclass(slots=True)
class _Tab:
    indent: int
    label: str
    line: int  # 0-based index of the header line
    has_body: bool = False


@dataclass(slots=True)
class Context:
    """The heading trail and open tabs at the current line; findings about malformed tabs."""

    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text), outermost first
    tabs: list[_Tab] = field(default_factory=list)
    problems: list[tuple[int, Finding]] = field(default_factory=list)  # (0-based line index, finding)
    _previous: str = ""  # the last non-code line, for setext headings

    # -- queries ----------------------------------------------------------------------------------------

    @property
    def heading(self) -> str:
        return self.headings[-1][1] if self.headings else ""

    @property
    def heading_trail(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.headings)

    @property
    def tab_path(self) -> tuple[str, ...]:
        return tuple(t.label for t in self.tabs)

    # -- feeding ----------------------------------------------------------------------------------------

    def enter(self, index: int, line: str) -> None:
        """A code line at ``index`` (a fence): it closes tabs indented at least as much, and is a tab body."""
        self._dedent(_indent(line))
        self._previous = ""

    def feed(self, index: int, line: str) -> None:
        """One Markdown (non-code) line."""
        if not line.strip():
            self._previous = ""
            return
        indent = _indent(line)
        self._dedent(indent)
        stripped = line[indent:]
        if indent == 0 and self._heading(stripped):
            return
        if stripped.startswith("==="):
            m = _TAB.match(stripped)
            if m is not None:
                self.tabs.append(_Tab(indent, m.group(1), index))
                self._previous = ""
                return
            if _TAB_LIKE.match(stripped):
                self._problem(
                    index,
                    "tab-label-unquoted",
                    "content tab label must be double-quoted, "
                    f'as in === "Label"; Material renders {stripped.strip()!r} as text',
                )
        self._previous = line if indent == 0 else ""

    def finish(self, index: int) -> None:
        """End of the page: report tabs that never got a body."""
        self._dedent(-1)

    # -- helpers ----------------------------------------------------------------------------------------

    def _heading(self, stripped: str) -> bool:
        """Handle ATX and setext headings at column 0; True when the line was one."""
        m = _ATX.match(stripped)
        if m is not None:
            text = _TRAILING_ATTRS.sub("", m.group(2)).strip().rstrip("#").strip()
            self._push_heading(len(m.group(1)), text)
            return True
        if self._previous and _SETEXT.match(stripped) and not self._previous.startswith(_NOT_PARAGRAPH):
            text = _TRAILING_ATTRS.sub("", self._previous).strip()
            self._push_heading(1 if stripped[0] == "=" else 2, text)
            return True
        return False

    def _push_heading(self, level: int, text: str) -> None:
        self._dedent(-1)
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, text))
        self._previous = ""

    def _dedent(self, indent: int) -> None:
        """Close the tabs that a line at ``indent`` columns ends; mark the others as having a body."""
        while self.tabs and self.tabs[-1].indent >= indent:
            tab = self.tabs.pop()
            if not tab.has_body:
                self._problem(tab.line, "tab-without-body", f'content tab "{tab.label}" has no indented body')
        for tab in self.tabs:
            tab.has_body = True

    def _problem(self, index: int, rule: str, message: str) -> None:
        finding = Finding(
            tool="docs-examples",
            rule=rule,
            severity=Severity.WARNING,
            message=message,
            category=Category.EXTRACTION,
        )
        self.problems.append((index, finding))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
