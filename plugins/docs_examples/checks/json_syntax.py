"""JSON syntax as documentation writes JSON: strict first, then the forms docs use on purpose, said in a note.

``json.loads`` decides. When it refuses a block, the block is read again with the forms real pages use,
each one a documented format or an evident excerpt:

- **JSON with comments** (JSONC, as VS Code and TypeScript read their files; Tailscale's HuJSON): ``//`` and
  ``/* */`` comments, and then trailing commas, which those readers accept too. A block fenced ``jsonc``,
  titled with a file those tools read (``.vscode/launch.json``, ``tsconfig.json``, ``*.jsonc``,
  ``*.hujson`` …) or holding a VS Code launch configuration (``type`` with ``request: launch`` or
  ``attach``) is JSONC even without a comment. ``#`` is a comment in none of them.
- **Elisions**, from the catalogue of :mod:`docs_examples.blocks.placeholders`: ``...``, ``…``, ``(...)`` and
  ``# ...`` lines, ``[...]`` and ``{...}``, and a bare ``...`` where a value, a member or an item would be.
  The commas around an elision separate what is shown from what is left out. In a block that elides, a
  whole-line ``#`` remark is an annotation like the elision (the block explains a structure; nobody
  saves it as a file).
- **Members without their object**: ``"statements": [...]`` shown alone is read inside ``{ }``; a comma
  ending it separates it from the members left out.

If the relaxed text parses, the block passes with one ``json-relaxed`` info finding saying what was read.
If not, the error is reported at its line and column in the block (the relaxed text keeps every line and
column), so a real mistake inside an excerpt still fails where it is. A trailing comma in plain JSON stays
an error: ``json.loads``, ``jq`` and the APIs that receive it all refuse it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, ClassVar

from docs_examples.blocks import placeholders
from docs_examples.blocks.model import Block, Kind
from docs_examples.blocks.placeholders import Spot
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity

TOOL = "json"
RULE = "json-syntax"
RELAXED = "json-relaxed"
JSONC_LANGUAGES = frozenset({"jsonc"})
# Files their tools read as JSONC (VS Code's own files, TypeScript's, dev containers), by name or suffix.
JSONC_FILES = frozenset(
    {
        "launch.json", "tasks.json", "settings.json", "keybindings.json", "extensions.json",
        "devcontainer.json", ".devcontainer.json", "tsconfig.json", "jsconfig.json",
    }
)  # fmt: skip
JSONC_SUFFIXES = (".jsonc", ".hujson")
_ELIDED_VALUES = ("elided-list", "elided-map")
_VALUE_END = re.compile(r"[\"\w}\]]")


class JsonSyntax(Check):
    """Parses JSON blocks with the standard library; nothing else is judged (no schema)."""

    name: ClassVar[str] = "json"
    tool: ClassVar[str] = TOOL
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.JSON})

    def version(self) -> str:
        """The parser is Python's own, so its version is the interpreter's module version."""
        return f"json (Python {sys.version.split()[0]})"

    def describe(self) -> str:
        return "JSON syntax"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        return {b.id: found for b in blocks if (found := self.check_text(b.text, jsonc_named(b)))}

    @staticmethod
    def check_text(text: str, jsonc: str | None = None) -> list[Finding]:
        """One finding: the first syntax error, or the note saying which relaxed forms made it parse.

        ``jsonc`` names why the block is JSONC whatever its content (``"`jsonc` fence"``), or is None.
        """
        try:
            json.loads(text)
        except json.JSONDecodeError:
            pass
        except RecursionError:
            return [_too_deep()]
        else:
            return []
        try:
            return [relaxed(text, jsonc)]
        except RecursionError:
            return [_too_deep()]


def _too_deep() -> Finding:
    return Finding(TOOL, RULE, Severity.ERROR, "invalid JSON: nested too deeply", line=1)


def jsonc_named(block: Block) -> str | None:
    """Why a block is JSONC by its fence or its title (``"`jsonc` fence"``, ``"launch.json"``), or None."""
    if block.language in JSONC_LANGUAGES:
        return f"`{block.language}` fence"
    title = (block.title or "").strip().replace("\\", "/")
    name = PurePosixPath(title).name.lower()
    if name and (name in JSONC_FILES or name.endswith(JSONC_SUFFIXES) or "/.vscode/" in f"/{title}"):
        return name
    return None


def vscode_launch(value: Any) -> bool:
    """Whether ``value`` is a VS Code launch configuration, a list of them, or a whole ``launch.json``."""
    if isinstance(value, dict) and isinstance(value.get("configurations"), list):
        value = value["configurations"]
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(
        isinstance(item, dict) and isinstance(item.get("type"), str) and item.get("request") in ("launch", "attach")
        for item in items
    )


# -- the relaxed reading --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Relaxed:
    """The block's text being rewritten: every line and column kept, and what was read on the way."""

    chars: list[str]
    code: list[bool]  # per character: outside strings and comments
    comments: int = 0  # comments that are not elisions (JSONC)
    elisions: list[Spot] = field(default_factory=list)
    remarks: list[int] = field(default_factory=list)  # lines of `#` remarks
    wrapped: bool = False  # members without their object

    def text(self) -> str:
        return "".join(self.chars)

    def blank(self, start: int, end: int) -> None:
        """Spaces over ``[start, end)``, line breaks kept."""
        for k in range(start, end):
            if self.chars[k] != "\n":
                self.chars[k] = " "

    def previous(self, pos: int) -> int:
        """Index of the last non-blank character before ``pos`` (-1 at the start)."""
        k = pos - 1
        while k >= 0 and self.chars[k].isspace():
            k -= 1
        return k

    def following(self, pos: int) -> int:
        """Index of the first non-blank character at or after ``pos`` (the length at the end)."""
        k = pos
        while k < len(self.chars) and self.chars[k].isspace():
            k += 1
        return k

    def at(self, k: int) -> str:
        return self.chars[k] if 0 <= k < len(self.chars) else ""


def relaxed(text: str, jsonc: str | None) -> Finding:
    """The block read with the relaxed forms: an info finding if it parses, else its syntax error."""
    reading = _read(text)
    why = f"JSONC ({jsonc})" if jsonc else ("JSON with comments (JSONC)" if reading.comments else None)
    dropped = _trailing_commas(reading) if why else 0
    value, error = _load(reading)
    if error is not None and why is None:  # trailing commas only in JSONC: is it a launch configuration?
        retry = _read(text)
        retry_dropped = _trailing_commas(retry)
        value, retried = _load(retry)
        if retried is None and vscode_launch(value):
            reading, error, dropped = retry, None, retry_dropped
            why = "JSONC (a VS Code launch configuration)"
    parts = _described(reading, why, dropped)
    if error is None:
        message = f"parsed as {parts}: strict JSON refuses the text as shown"
        return Finding(TOOL, RELAXED, Severity.INFO, message, line=0)
    line, column = _position(reading, error.pos)
    message = f"invalid JSON: {error.msg}" + (f"; parsed as {parts}" if parts else "")
    return Finding(TOOL, RULE, Severity.ERROR, message, line=line, column=column)


def _described(reading: Relaxed, jsonc: str | None, trailing: int) -> str:
    """What the reading relaxed: ``JSON with comments (JSONC); an excerpt with elisions: `...` (line 5)``."""
    parts = []
    if jsonc:
        parts.append(jsonc + (" and trailing commas" if trailing else ""))
    if reading.wrapped or reading.elisions:
        excerpt = "an excerpt" + (" (members without their object)" if reading.wrapped else "")
        if reading.elisions:
            excerpt += f" with elisions: {placeholders.describe(reading.elisions)}"
        if reading.remarks:
            lines = ", ".join(str(n) for n in reading.remarks[:4])
            excerpt += f" and `#` remarks (line{'s' if len(reading.remarks) > 1 else ''} {lines})"
        parts.append(excerpt)
    return "; ".join(parts)


def _load(reading: Relaxed) -> tuple[Any, json.JSONDecodeError | None]:
    """The relaxed text parsed (inside ``{ }`` when it is members), or the error with a block position."""
    text = reading.text()
    try:
        return json.loads("{" + text + "\n}" if reading.wrapped else text), None
    except json.JSONDecodeError as exc:
        pos = min(max(exc.pos - 1, 0), len(text)) if reading.wrapped else exc.pos
        return None, json.JSONDecodeError(exc.msg, text, pos)


def _position(reading: Relaxed, pos: int) -> tuple[int, int]:
    """1-based line and column of ``pos`` in the block (the relaxed text has the block's layout)."""
    text = reading.text()
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _read(text: str) -> Relaxed:
    """``text`` with comments, elisions and remarks read, and wrapped when it is members of an object."""
    reading = _scan(text)
    view = _view(text, reading)
    spots, remarks = _elisions(view)
    reading.elisions = sorted(reading.elisions + spots, key=lambda s: (s.line, s.column))
    if reading.elisions:
        for line in remarks:
            reading.blank(*_line_span(view, line))
        reading.remarks = remarks
    for spot in reading.elisions:
        _elide(reading, view, spot)
    _wrap(reading)
    return reading


def _scan(text: str) -> Relaxed:
    """Strings and comments located; comments blanked (an elision comment such as ``// ...`` counted as one)."""
    reading = Relaxed(list(text), [True] * len(text))
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" and j + 1 < n and text[j + 1] != "\n" else 1
            j = j + 1 if j < n and text[j] == '"' else j
        elif text.startswith("//", i) or (text.startswith("/*", i) and text.find("*/", i + 2) != -1):
            j = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2) + 2
            j = n if j == -1 else j
            _comment(reading, text, i, j)
        else:
            i += 1
            continue
        for k in range(i, j):
            reading.code[k] = False
        i = j
    return reading


def _comment(reading: Relaxed, text: str, start: int, end: int) -> None:
    """A comment: blanked, and counted as an elision (``// ...``) or as a JSONC comment."""
    body = text[start + 2 : end - 2 if text[start + 1] == "*" else end]
    if placeholders.elision_comment(body):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        reading.elisions.append(Spot(line, column, "ellipsis-comment", text[start:end].strip()))
    else:
        reading.comments += 1
    reading.blank(start, end)


def _view(text: str, reading: Relaxed) -> str:
    """What the elision patterns look at: string contents as ``x``, comments as blanks, columns kept."""
    out = []
    for k, c in enumerate(text):
        if reading.code[k] or c == "\n":
            out.append(c)
        elif reading.chars[k] != c:  # a comment, already blanked
            out.append(" ")
        else:
            out.append(c if c in '" ' else "x")
    return "".join(out)


def _elisions(view: str) -> tuple[list[Spot], list[int]]:
    """Every elision of the code (whole lines, their comma included, then inline forms), and `#` remark lines."""
    spots: list[Spot] = []
    remarks: list[int] = []
    for number, line in enumerate(view.split("\n"), 1):
        core = line.rstrip()
        whole = placeholders.line_elision(core[:-1] if core.endswith(",") else core, number)
        if whole is not None:
            indent = len(line) - len(line.lstrip())
            spots.append(Spot(number, indent + 1, whole.form, core.strip()))
        elif core.lstrip().startswith("#"):
            remarks.append(number)
        else:
            spots.extend(_inline(line, number))
    return spots, remarks


def _inline(line: str, number: int) -> list[Spot]:
    """``[...]`` and ``{...}`` (the catalogue's forms), then any other bare ellipsis, left to right."""
    found = placeholders.find(line, _ELIDED_VALUES)
    spots = [Spot(number, s.column, s.form, s.text) for s in found]
    taken = [(s.column - 1, s.column - 1 + len(s.text)) for s in spots]
    for m in placeholders.ELLIPSIS.finditer(line):
        if not any(start <= m.start() < end for start, end in taken):
            spots.append(Spot(number, m.start() + 1, "ellipsis-value", m.group(0)))
    return sorted(spots, key=lambda s: s.column)


def _line_span(view: str, line: int) -> tuple[int, int]:
    """Offsets of the text of block line ``line`` (1-based)."""
    start = 0
    for _ in range(line - 1):
        start = view.index("\n", start) + 1
    end = view.find("\n", start)
    return start, len(view) if end == -1 else end


def _elide(reading: Relaxed, view: str, spot: Spot) -> None:
    """One elision read: a value where a value is expected, else nothing, with the commas around it mended."""
    start = _line_span(view, spot.line)[0] + spot.column - 1
    end = start + len(spot.text)
    before = reading.previous(start)
    if reading.at(before) == ":":  # the value of a member: any value stands for it
        reading.blank(start, end)
        if spot.form in _ELIDED_VALUES:
            reading.chars[start], reading.chars[end - 1] = spot.text[0], spot.text[-1]
        else:
            reading.chars[start] = "0"
            if spot.text.endswith(","):
                reading.chars[end - 1] = ","
        return
    reading.blank(start, end)
    after = reading.following(end)
    if reading.at(after) == ",":  # the separator of the part left out goes with it
        reading.chars[after] = " "
        after = reading.following(after + 1)
    left, right = reading.at(before), reading.at(after)
    if left == "," and right in ("}", "]", ""):
        reading.chars[before] = " "  # the shown part ended where the elided one began
    elif _VALUE_END.match(left or " ") and right not in ("}", "]", ",", ""):
        reading.chars[start] = ","  # two shown parts, the elided one between them


def _wrap(reading: Relaxed) -> None:
    """Members without their object (``"key": value`` first) are read inside ``{ }``; a last comma ends them."""
    first = reading.following(0)
    if reading.at(first) != '"':
        return
    try:
        _, end = json.JSONDecoder().raw_decode(reading.text(), first)
    except json.JSONDecodeError:
        return
    if reading.at(reading.following(end)) != ":":
        return
    reading.wrapped = True
    last = reading.previous(len(reading.chars))
    if reading.at(last) == "," and reading.code[last]:
        reading.chars[last] = " "


def _trailing_commas(reading: Relaxed) -> int:
    """Drop every comma between a value and ``}``, ``]`` (or the end of a members excerpt); how many.

    A comma after another comma or an opening bracket is no trailing comma: it stays, and fails where it is.
    """
    dropped = 0
    for k, c in enumerate(reading.chars):
        if c != "," or not reading.code[k] or not _VALUE_END.match(reading.at(reading.previous(k)) or " "):
            continue
        after = reading.at(reading.following(k + 1))
        if after in ("}", "]") or (after == "" and reading.wrapped):
            reading.chars[k] = " "
            dropped += 1
    return dropped
