"""Placeholders and elisions: the stand-ins documentation writes instead of real values.

Real pages say ``name: <your-app>``, ``image: nginx:{tag}``, ``storageClassName: @STORAGE_CLASS@`` or
leave a part out with a ``...`` or ``# ...`` line. None of these is an error in the example: a
placeholder stands for a value the reader fills in, an elision for a part the page does not show. This
module recognises them in text, so that a check can judge the rest of the example strictly:

- :data:`FORMS` is the catalogue (name, example, meaning), rendered in the README and on the "How
  examples are checked" page;
- :func:`find` lists every placeholder and elision of a text (any language; a shell check picks the forms
  that mean a placeholder in shell);
- :func:`mask_yaml` rewrites YAML so that it parses with every column kept: the brackets, braces, ``@``
  and ``*`` of a placeholder become private-use characters (:func:`restore` turns them back; a masked
  secret ``****`` would otherwise be read as an alias), an elision line becomes a comment, a comma ending
  the line right above one is dropped (it separates a JSON-style member from the members left out), and
  block scalars (``|``, ``>``: file contents, scripts) are left alone;
- :func:`line_elision` and :data:`ELLIPSIS` serve checks of other languages (the JSON check reads the same
  elisions);
- :func:`whole` and :func:`contains` tell whether a loaded value is, or holds, a placeholder.

One more docs idiom is read by :func:`mask_yaml`: alternatives in one block. YAML without ``apiVersion`` or
``kind`` at the top whose top-level key comes back after a comment (``# Before:`` … ``# After:``, ``# 1.
…`` ``# 2. …``) shows several snippets, not one mapping with a duplicate key: each comment that starts
one is read as a ``---`` document start.

Templates (``{{ .Values.x }}``, ``{% … %}``, pipelines, control structures) are not placeholders: a
``{{ … }}`` counts only around a single identifier. Only text is looked at; nothing is run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from docs_examples.tables import markdown_table


@dataclass(frozen=True, slots=True)
class Form:
    """One way documentation writes a placeholder or an elision."""

    name: str
    example: str
    meaning: str
    elision: bool = False  # leaves a part out (relaxes what is required below it) rather than a value


FORMS: tuple[Form, ...] = (
    Form("ellipsis-line", "...", "a line of only `...`, `…` or `(...)` leaves out the lines around it", True),
    Form("ellipsis-comment", "# ...", "a comment `# ...`, `# (...)`, `# ... existing labels ...`, `# <snip>`", True),
    Form("elided-list", "[...]", "a list left out: `[...]`, `[ ... ]`, `[...snip...]`", True),
    Form("elided-map", "{...}", "a mapping left out: `{...}`, `{ ... }`", True),
    Form("ellipsis-value", "key: ...", "a value of only `...` or `…`", True),
    Form("angle", "<your-namespace>", "a name in angle brackets, words and spaces allowed: `<name>`, `<your value>`"),
    Form("dollar-brace", "${VAR}", "an environment variable in braces, with or without a default (`${VAR:-x}`)"),
    Form("dollar", "$VAR", "an environment variable, when it is the whole value"),
    Form("double-brace", "{{ VAR }}", "one identifier in double braces (templates with dots or pipes are not)"),
    Form("at", "@VAR@", "an identifier between at signs: `@STORAGE_CLASS@`"),
    Form("single-brace", "{tag}", "an identifier in single braces: `nginx:{tag}`"),
    Form("masked", "****", "a masked secret: three or more asterisks as the whole value (`password: ****`)"),
)
ELISIONS = frozenset(f.name for f in FORMS if f.elision)


def forms_table() -> str:
    """The catalogue as a Markdown table, for the docs."""
    rows = [("elision" if form.elision else "placeholder", f"`{form.example}`", form.meaning) for form in FORMS]
    return markdown_table(("Form", "Example", "What it stands for"), rows)


# -- recognising ------------------------------------------------------------------------------------------

_ELLIPSIS = r"(?:\.{3,}|…)"
ELLIPSIS = re.compile(_ELLIPSIS)  # the ellipsis itself, for checks of other languages (a bare ``...`` in JSON)
_SNIP = r"(?:<\s*snip(?:ped)?\s*>|\(\s*snip(?:ped)?\s*\)|\[\s*snip(?:ped)?\s*\]|snip(?:ped)?)"
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
# Inline forms, most specific first; each match is one placeholder.
_INLINE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("elided-list", re.compile(r"\[\s*" + _ELLIPSIS + r"[^\[\]\n]{0,40}?\]")),
    ("elided-map", re.compile(r"\{\s*" + _ELLIPSIS + r"[^{}\n]{0,40}?\}")),
    ("double-brace", re.compile(r"\{\{-?\s*" + _IDENT + r"\s*-?\}\}")),
    ("dollar-brace", re.compile(r"\$\{" + _IDENT + r"(?::?[-=?+][^}\n]{0,60})?\}")),
    ("at", re.compile(r"(?<![\w@.])@" + _IDENT + r"@(?![\w@])")),
    ("angle", re.compile(r"<(?![\s/!-])[A-Za-z0-9_][^<>\n]{0,78}(?<!\s)>")),
    ("single-brace", re.compile(r"(?<![{$\w])\{" + _IDENT + r"(?:[.-][A-Za-z0-9_]+)*\}(?!\})")),
    ("dollar", re.compile(r"(?<![\w$\\])\$" + _IDENT)),
    # Where YAML would start an alias (`*name`): at the start of a value, a list item or a flow entry.
    ("masked", re.compile(r"(?:(?<=[\s\[{,])|^)\*{3,}(?=[\s,\]}]|$)")),
)
_INLINE_BY_NAME = dict(_INLINE)
_WHOLE_ELLIPSIS = re.compile(r"\s*" + _ELLIPSIS + r"\s*")
_ELLIPSIS_LINE = re.compile(r"^(\s*)(" + _ELLIPSIS + r"|\(\s*" + _ELLIPSIS + r"\s*\))\s*(#.*)?$")
_COMMENT_LINE = re.compile(r"^(\s*)#+\s*(.*?)\s*$")
_ELISION_COMMENT = re.compile(
    r"^(?:[(\[<]\s*)?" + _ELLIPSIS + r"|" + _ELLIPSIS + r"\s*[)\]>]?$|^" + _SNIP + r"$|^\.{3}\s*" + _SNIP,
    re.IGNORECASE,
)
# Forms that mean "some value" when they are the whole value, and forms that mark a value holding one.
_VALUE_FORMS = ("angle", "dollar-brace", "double-brace", "at", "single-brace", "elided-list", "elided-map", "masked")


@dataclass(frozen=True, slots=True)
class Spot:
    """One placeholder or elision: 1-based line, 1-based column, the form and the text as written."""

    line: int
    column: int
    form: str
    text: str

    @property
    def elision(self) -> bool:
        return self.form in ELISIONS


def elision_comment(body: str) -> bool:
    """Whether a comment's text (after ``#``) marks left-out lines: ``...``, ``(...)``, ``<snip>``."""
    return bool(_ELISION_COMMENT.search(body.strip()))


def line_elision(line: str, number: int = 1) -> Spot | None:
    """The elision a whole line makes (``...``, ``(...)``, ``# ...``, ``# <snip>``), or None; any language."""
    return _line_elision(line, number)


def _line_elision(line: str, number: int) -> Spot | None:
    """The elision a whole line makes (``...``, ``# ...``), or None."""
    m = _ELLIPSIS_LINE.match(line)
    if m:
        return Spot(number, len(m.group(1)) + 1, "ellipsis-line", m.group(2))
    m = _COMMENT_LINE.match(line)
    if m and elision_comment(m.group(2)):
        return Spot(number, len(m.group(1)) + 1, "ellipsis-comment", line.strip())
    return None


def _code_part(line: str) -> str:
    """``line`` up to a comment (``#`` at the start or after a space, outside quotes)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _inline(code: str, number: int, forms: Iterable[str]) -> list[Spot]:
    """The inline placeholders of one line's code part, left to right, none overlapping."""
    taken: list[tuple[int, int]] = []
    spots: list[Spot] = []
    for name in forms:
        pattern = _INLINE_BY_NAME.get(name)
        if pattern is None:
            continue
        for m in pattern.finditer(code):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            spots.append(Spot(number, m.start() + 1, name, m.group(0)))
    return sorted(spots, key=lambda s: s.column)


def find(text: str, forms: Sequence[str] | None = None) -> list[Spot]:
    """Every placeholder and elision of ``text`` (any language), in reading order.

    ``forms`` limits the search to some of :data:`FORMS` by name (all by default). Comments are searched
    only for elisions (``# ...``); placeholders are looked for in the code part of each line.
    """
    wanted = [f.name for f in FORMS] if forms is None else list(forms)
    inline = [name for name, _ in _INLINE if name in wanted]
    spots: list[Spot] = []
    for number, line in enumerate(text.split("\n"), 1):
        whole_line = _line_elision(line, number)
        if whole_line is not None:
            if whole_line.form in wanted:
                spots.append(whole_line)
            continue
        spots.extend(_inline(_code_part(line), number, inline))
    return spots


# -- YAML -------------------------------------------------------------------------------------------------

# Characters a placeholder uses that YAML reads as syntax, and the private-use characters that stand for
# them in masked text (one character for one, so every column stays where it was).
_MASK = {
    "{": "\ue07b", "}": "\ue07d", "[": "\ue05b", "]": "\ue05d", "@": "\ue040", "<": "\ue03c", ">": "\ue03e",
    "*": "\ue02a",
}  # fmt: skip
_MASK_TABLE = str.maketrans(_MASK)
_RESTORE_TABLE = str.maketrans({v: k for k, v in _MASK.items()})
_DASHES = re.compile(r"\s*(?:-\s+)*")
_BLOCK_SCALAR = re.compile(r"""(?:^|[:\-]\s)\s*[|>][-+0-9]*\s*(?:#.*)?$""")


_ANY_MASKED = re.compile("[" + "".join(_MASK.values()) + "]")


def restore(value: str) -> str:
    """Masked text or a value loaded from it, with the placeholders' own characters back."""
    return value.translate(_RESTORE_TABLE) if _ANY_MASKED.search(value) else value


@dataclass(frozen=True, slots=True)
class Masked:
    """YAML text rewritten so it parses, and every placeholder and elision found in it (1-based)."""

    text: str
    spots: list[Spot] = field(default_factory=list)
    alternatives: list[int] = field(default_factory=list)  # 1-based lines read as a document start

    @property
    def elisions(self) -> list[Spot]:
        return [s for s in self.spots if s.elision]

    def __bool__(self) -> bool:
        return bool(self.spots)


def _block_scalar_lines(lines: Sequence[str]) -> set[int]:
    """0-based indexes of lines that are the content of a block scalar (``key: |`` and what follows)."""
    inside: set[int] = set()
    owner_indent: int | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if owner_indent is not None:
            if not stripped or indent > owner_indent:
                inside.add(i)
                continue
            owner_indent = None
        if "|" not in line and ">" not in line:
            continue  # no block scalar indicator on the line
        code = _code_part(line).rstrip()
        if _BLOCK_SCALAR.search(code) and not code.lstrip().startswith("#"):
            dashes = _DASHES.match(code)
            start = dashes.end() if dashes else 0
            owner_indent = start if ":" in code[start:] else indent
    return inside


def _document_end(lines: Sequence[str], i: int) -> bool:
    """Whether a column-0 ``...`` at index ``i`` ends a YAML document: only blank lines, comments, a
    ``---`` or the end of the text follow it. Anything else after it makes it an elision."""
    for line in lines[i + 1 :]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return stripped.startswith(("---", "%"))
    return True


# Every inline form and elided value starts with one of these (``<name>``, ``${VAR}``, ``{{ X }}``, ``@X@``,
# ``{tag}``, ``[...]``, ``****``, ``...``, ``…``): a line with none of them is left as it is, unread.
_TRIGGER = re.compile(r"[<$@{\[*…]|\.\.\.")
# What every elision line has (an ellipsis, or "snip"): a text without any has no elision line.
_ELISION_TEXT = re.compile(r"\.\.\.|…|snip", re.IGNORECASE)


_MEMO_TEXT = 32_768  # blocks up to this many characters have their masked form remembered …
_MEMO_ENTRIES = 1024  # … the most recent this many: classification and every YAML check mask the same text


def mask_yaml(text: str) -> Masked:
    """``text`` with its placeholders masked and its elision lines turned into comments, columns kept.

    The answer is shared (classification, then the schema, rules and syntax checks ask for the same block):
    treat it as read-only.
    """
    return _mask_remembered(text) if len(text) <= _MEMO_TEXT else _mask(text)


def _mask(text: str) -> Masked:
    lines = text.split("\n")
    # What the whole text lacks, no line has: most blocks skip most of the per-line work below.
    scalars = _block_scalar_lines(lines) if "|" in text or ">" in text else set()
    elisions = _ELISION_TEXT.search(text) is not None
    triggers = _TRIGGER.search(text) is not None
    commas = "," in text
    if not (elisions or triggers or commas):
        starts = _alternatives(lines, scalars)
        out = [("--- " + line if i in starts else line) for i, line in enumerate(lines)] if starts else lines
        return Masked("\n".join(out), [], [i + 1 for i in starts])
    spots: list[Spot] = []
    out = []
    for i, line in enumerate(lines):
        if i in scalars:
            out.append(line)
            continue
        elision = _line_elision(line, i + 1) if elisions else None
        if elision is not None:
            if (
                elision.form == "ellipsis-line"
                and elision.column == 1
                and elision.text == "..."
                and _document_end(lines, i)
            ):
                out.append(line)  # a real document end marker
                continue
            spots.append(elision)
            if elision.form == "ellipsis-line":
                start = elision.column - 1
                line = line[:start] + "#" + line[start + 1 :]
            out.append(line)
            continue
        if (not triggers or not _TRIGGER.search(line)) and (not commas or not line.rstrip().endswith(",")):
            out.append(line)  # no character an inline form or an elided value starts with, no separator
            continue
        code = _code_part(line)
        found = _inline(code, i + 1, _YAML_INLINE)
        for spot in found:
            start = spot.column - 1
            line = line[:start] + spot.text.translate(_MASK_TABLE) + line[start + len(spot.text) :]
        spots.extend(found)
        spots.extend(_ellipsis_values(code, i + 1))
        out.append(_separator_dropped(line, code, lines, i, scalars))
    starts = _alternatives(out, scalars)
    for i in starts:
        out[i] = "--- " + out[i]
    return Masked("\n".join(out), spots, [i + 1 for i in starts])


_mask_remembered = lru_cache(maxsize=_MEMO_ENTRIES)(_mask)


def _separator_dropped(line: str, code: str, lines: Sequence[str], i: int, scalars: set[int]) -> str:
    """``line`` without the comma that ends its code when the next line is an elision.

    ``"args": [...],`` above a ``...`` line is one member of a JSON-style mapping shown between elisions:
    its comma separates it from the members left out, so it belongs to the elision (YAML would read it
    as a stray flow separator).
    """
    end = len(code.rstrip()) - 1
    if end < 0 or code[end] != ",":
        return line
    following = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    if following is None or following in scalars or _line_elision(lines[following], following + 1) is None:
        return line
    return line[:end] + " " + line[end + 1 :]


_TOP_KEY = re.compile(r"""^([A-Za-z_][\w.\-/]*|"[^"\n]*"|'[^'\n]*')\s*:(?:\s|$)""")


def _alternatives(lines: Sequence[str], scalars: set[int]) -> list[int]:
    """0-based comment lines that start another alternative (see the module docstring), or none.

    Every repeat of a top-level key must follow a comment; a repeat without one is a real duplicate key,
    and then nothing is split.
    """
    seen: set[str] = set()
    starts: list[int] = []
    for i, line in enumerate(lines):
        if i in scalars:
            continue
        m = _TOP_KEY.match(line)
        if m is None:
            if line.startswith("---"):
                seen = set()
            continue
        key = m.group(1).strip("'\"")
        if key in {"apiVersion", "kind"}:
            return []
        if key in seen:
            comment = _comment_above(lines, i)
            if comment is None:
                return []
            starts.append(comment)
            seen = set()
        seen.add(key)
    return starts


def _comment_above(lines: Sequence[str], i: int) -> int | None:
    """The first line of the column-0 comment lines right above line ``i`` (blank lines between allowed)."""
    first = None
    for j in range(i - 1, -1, -1):
        if not lines[j].strip():
            continue
        if lines[j].startswith("#"):
            first = j
            continue
        break
    return first


# ``$VAR`` is a placeholder in YAML only as a whole value (``whole``): inside a string it is shell.
_YAML_INLINE = tuple(name for name, _ in _INLINE if name != "dollar")
_ELLIPSIS_VALUE = re.compile(r"(?:^\s*-\s+|:\s+)(" + _ELLIPSIS + r")\s*$")


def _ellipsis_values(code: str, number: int) -> list[Spot]:
    """``key: ...`` and ``- ...``: a value written as only an ellipsis."""
    m = _ELLIPSIS_VALUE.search(code.rstrip())
    return [Spot(number, m.start(1) + 1, "ellipsis-value", m.group(1))] if m else []


# -- values -----------------------------------------------------------------------------------------------

_WHOLE = [re.compile(r"\s*" + _INLINE_BY_NAME[name].pattern + r"\s*") for name in (*_VALUE_FORMS, "dollar")]
_WHOLE_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for p in _WHOLE))
_CONTAINS = re.compile("|".join(f"(?:{_INLINE_BY_NAME[name].pattern})" for name in _VALUE_FORMS))


def could_hold(text: str) -> bool:
    """Whether a value of ``text`` could be or hold a placeholder: False means none can (no character any
    inline form starts with). Elision lines and comments are :func:`mask_yaml`'s to find, not this."""
    return bool(_TRIGGER.search(text) or _ANY_MASKED.search(text))


def whole(value: object) -> bool:
    """Whether a loaded value is nothing but one placeholder or elision (it stands for any value)."""
    if not isinstance(value, str) or (not _TRIGGER.search(value) and not _ANY_MASKED.search(value)):
        return False  # no character any form starts with: most values of a manifest
    text = restore(value)
    return bool(_WHOLE_PATTERN.fullmatch(text) or _WHOLE_ELLIPSIS.fullmatch(text))


def contains(value: object) -> bool:
    """Whether a loaded string (a value or a key) is, or holds, a placeholder: ``my-<app>-svc``."""
    if not isinstance(value, str) or (not _TRIGGER.search(value) and not _ANY_MASKED.search(value)):
        return False
    text = restore(value)
    return whole(text) or bool(_CONTAINS.search(text))


def describe(spots: Sequence[Spot], limit: int = 4) -> str:
    """``<name>, ${VAR} and `...` (line 7)`` for a message: the first few spots, as written."""
    shown = [f"`{s.text}`" + (f" (line {s.line})" if s.elision else "") for s in spots[:limit]]
    more = f" and {len(spots) - limit} more" if len(spots) > limit else ""
    return ", ".join(shown) + more
