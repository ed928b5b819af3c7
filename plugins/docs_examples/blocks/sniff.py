"""What a block's text looks like when its fence language says something else.

Two questions, both answered from the text alone and both conservative (a wrong answer fails a good block):

- :func:`shell_lookalike`: a ``bash``/``sh``/``shell`` block that is not shell at all: a Dockerfile, a
  directory tree, a list of flags, YAML, JSON or command output. Checking it as shell would only produce a
  cascade of parse errors; it gets one finding that names what it looks like and the fence to use.
- :func:`text_lookalike`: a ``text`` or unlabelled block holding something that would be checked and
  highlighted under the right fence: a complete Kubernetes object (not the output of ``kubectl get -o yaml``),
  a Dockerfile, or a prompted shell session.

Each answer is a :class:`Lookalike`: what the text is, the fence it belongs in, and why we think so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from docs_examples.blocks import console, shell_words


@dataclass(frozen=True, slots=True)
class Lookalike:
    """What a block's text is (``"a Dockerfile"``), the fence it belongs in, and the evidence."""

    what: str
    fence: str
    why: str = ""

    def message(self, language: str) -> str:
        """The finding's text: what the block looks like and the fence to use."""
        block = f"this `{language}` block" if language else "this block (no language)"
        why = f" ({self.why})" if self.why else ""
        return f"{block} looks like {self.what}{why}: fence it as {self.fence}"

    def to_meta(self) -> dict[str, str]:
        return {"what": self.what, "fence": self.fence, "why": self.why}


_INSTRUCTION = re.compile(
    r"^(?:FROM|RUN|COPY|ADD|ENV|ARG|WORKDIR|CMD|ENTRYPOINT|EXPOSE|USER|LABEL|VOLUME|HEALTHCHECK|SHELL|"
    r"STOPSIGNAL|ONBUILD|MAINTAINER)(?:\s|$)"
)
_TREE_GLYPHS = re.compile(r"[├└│]──|^\s*[|`+]-+ |^\s*[├└│]|^\s*\|\s*$")
_TABLE_ROW = re.compile(r"[│|][^│|]*[│|][^│|]*[│|]")
_PATH_LINE = re.compile(r"^[|`+│├└─\s-]*/?[\w.@~-]+(?:/[\w.@-]+)*/?[ \t]*(?:#.*)?$")
_FLAG_LINE = re.compile(r"^\s*--?[A-Za-z][\w.-]*(?:[= ]\S.*)?$")
_YAML_LINE = re.compile(r"^\s*(?:- +)?[\w.\-/\"']+:(?:\s|$)|^\s*- ")
_LOG_LINE = re.compile(
    r"^\s*(?:\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}|(?:INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE)\b\s|"
    r"[A-Z]{4}\[\d+\]|\[[A-Z] \d{6}|time=\"|level=\w|(?:Error|ERROR|Fatal|FATAL|error|fatal|Warning|warning):\s)"
)
_HEADER_CELL = r"[A-Z][A-Z0-9_()./-]*(?: [A-Z][A-Z0-9_()./-]*)*"  # upper-case words, single blanks between
_TABLE_HEADER = re.compile(rf"^{_HEADER_CELL}(?: {{2,}}{_HEADER_CELL})+[ \t]*$")  # cells two or more blanks apart
# A table border or a row of a box-drawn table: never a line of a script (an ASCII `| a | b |` row could be
# a script's `| jq … | xxd` continuation, so only its `+---+` border counts).
_BORDER = re.compile(r"^\s*(?:[┌├└╭╰╞╘╒]?[─═]{3,}|[┌├└╭╰╞][^\n]*[┬┼┴┤┐┘]|\+[-=+]{3,}|│[^│\n]*│[^│\n]*│)")
_BOX_LINE = re.compile(r"^\s*(?:[┌├└╭╰╞╘╒]?[─═]{3,}|[┌├└╭╰╞][^\n]*[┬┼┴┤┐┘]|[+|][-=+]{3,}|[│|][^│|\n]*[│|][^│|\n]*[│|])")
_HTTP_LINE = re.compile(r"^HTTP/\d(?:\.\d)? \d{3}\b")
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,}|─{3,}|═{3,})\s*$")
_RULE_LINE = re.compile(r"^\s*(?:={3,}|─{3,}|═{3,}|━{3,})\s*$")  # not `---`: a heredoc's YAML may hold one
_JSON_LINE = re.compile(r"""^\s*(?:"[^"]*"\s*:|[{}\[\]],?\s*$|"[^"]*",?\s*$|[\d.-]+,?\s*$|(?:true|false|null),?\s*$)""")
_COMMAND_WORD = re.compile(r"^(?:[a-z][\w.-]*|\.?/[\w./-]+)(?:\s|$)")  # `kubectl`, `./run.sh`
_ALIGNED_FIELD = re.compile(r"^[A-Z][\w .()-]*:\s{2,}\S")


def _lines(text: str) -> list[str]:
    """The lines that say something: no blank, comment or elision lines."""
    return [
        line
        for line in text.split("\n")
        if line.strip() and not line.lstrip().startswith("#") and not shell_words.elision(line)
    ]


def _statements(lines: list[str]) -> list[str]:
    """Lines with backslash-continued lines folded into the line they continue."""
    out: list[str] = []
    continued = False
    for line in lines:
        if continued:
            out[-1] += " " + line.strip()
        else:
            out.append(line)
        continued = line.rstrip().endswith("\\")
    return out


def dockerfile(text: str) -> bool:
    """A Dockerfile: a ``FROM``, at least two instructions, and nearly every statement an instruction."""
    statements = [s.strip() for s in _statements(_lines(text))]
    instructions = [s for s in statements if _INSTRUCTION.match(s)]
    return (
        len(instructions) >= 2
        and any(s.startswith("FROM ") for s in instructions)
        and len(instructions) >= 0.8 * len(statements)
    )


def _tree(lines: list[str]) -> bool:
    """A directory tree: drawn with tree glyphs, or indented names with at least one folder."""
    if len(lines) < 2 or any(_TABLE_ROW.search(line) for line in lines):  # a boxed table is output
        return False
    if sum(bool(_TREE_GLYPHS.search(line)) for line in lines) >= len(lines) / 2:
        return True
    indents = {len(line) - len(line.lstrip()) for line in lines}
    return (
        all(_PATH_LINE.match(line) for line in lines)
        and any(line.rstrip().endswith("/") for line in lines)
        and len(indents) > 1
    )


def _flags(lines: list[str]) -> bool:
    """A list of command-line flags, one or more per line, with no command in front."""
    return bool(lines) and all(_FLAG_LINE.match(line) for line in lines)


def _yaml(text: str, lines: list[str]) -> bool:
    """YAML data: nearly every line a key or list item, and the whole parses as a mapping or list."""
    if (
        len(lines) < 2
        or not _YAML_LINE.match(lines[0])
        or sum(bool(_YAML_LINE.match(x)) for x in lines) < 0.7 * len(lines)
    ):
        return False
    return isinstance(_parse_yaml(text), dict | list)


def _json(text: str) -> bool:
    """A JSON document (what an API or ``-o json`` printed)."""
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        return isinstance(json.loads(stripped), dict | list)
    except ValueError:
        return False


def _output_line(line: str) -> bool:
    """A line a program printed: a log line, a table header or border, an HTTP status, an underline."""
    return any(
        pattern.match(line) for pattern in (_LOG_LINE, _TABLE_HEADER, _BOX_LINE, _HTTP_LINE, _UNDERLINE, _ALIGNED_FIELD)
    )


def _strong_output(line: str) -> bool:
    """A line no script starts with: a log line, a table border, an HTTP status, a wide table header."""
    wide_header = bool(_TABLE_HEADER.match(line)) and len(re.split(r"\s{2,}", line.strip())) >= 3
    return wide_header or any(pattern.match(line) for pattern in (_LOG_LINE, _BOX_LINE, _HTTP_LINE))


def _output(lines: list[str]) -> bool:
    """Command output: it opens with a line no script opens with, holds a ruled line (``====``, ``────``) or
    a table border, or opens with an output line and mostly holds output lines (or a table's rows)."""
    if not lines:
        return False
    if _strong_output(lines[0]) or any(_RULE_LINE.match(line) or _BORDER.match(line) for line in lines):
        return True
    if not _output_line(lines[0]):
        return False
    return sum(map(_output_line, lines)) >= 0.5 * len(lines) or _table(lines)


def _json_lines(lines: list[str]) -> bool:
    """Mostly JSON lines outside any quoted string (what an API printed, pretty or cut short)."""
    quote = ""
    outside = []
    for line in lines:
        if not quote:
            outside.append(line)
        quote = console.open_quote(line, quote)
    json_like = sum(bool(_JSON_LINE.match(line)) for line in outside)
    return json_like >= 3 and json_like >= 0.6 * len(lines)


def _table(lines: list[str]) -> bool:
    """A table: an upper-case header row, then rows with as many columns."""
    if not _TABLE_HEADER.match(lines[0]):
        return False
    columns = len(re.split(r"\s{2,}", lines[0].strip()))
    rows = [len(re.split(r"\s{2,}", line.strip())) for line in lines[1:]]
    return bool(rows) and all(abs(n - columns) <= 1 for n in rows)


def _first_command(lines: list[str]) -> int:
    """How many lines the first command spans (backslash continuations, quotes left open)."""
    quote = ""
    for i, line in enumerate(lines):
        quote = console.open_quote(line, quote)
        if not quote and not line.rstrip().endswith("\\"):
            return i + 1
    return len(lines)


def _printed(lines: list[str], text: str) -> Lookalike | None:
    """Output, JSON, or a command followed by its output, in a shell fence."""
    rest = lines[_first_command(lines) :]
    if (
        rest
        and _COMMAND_WORD.match(lines[0].lstrip())
        and (_output(rest) or _json_lines(rest) or _json("\n".join(rest)))
    ):
        return Lookalike("a command followed by its output", "```console, with `$ ` before the command")
    if _output(lines):
        return Lookalike("command output", "```text (or ```console with `$ ` before each command)")
    if _json(text) or _json_lines(lines):
        return Lookalike("JSON", "```json (or ```text if it is output)")
    return None


def _outside_heredocs(text: str) -> str:
    """``text`` without the bodies of its heredocs: what they hold is data, not what the block looks like."""
    out: list[str] = []
    pending: list[tuple[str, bool]] = []
    for line in text.split("\n"):
        if pending:
            if (line.lstrip("\t") if pending[0][1] else line) == pending[0][0]:
                pending.pop(0)
            continue
        out.append(line)
        pending.extend(console.heredocs(line))
    return "\n".join(out)


def shell_lookalike(text: str) -> Lookalike | None:
    """What a shell-fenced block is when it is no shell script at all, or None when it may well be one."""
    text = _outside_heredocs(text)
    lines = _lines(text)
    if not lines:
        return None
    if dockerfile(text):
        return Lookalike("a Dockerfile", "```dockerfile", "FROM and Dockerfile instructions")
    if _flags(lines):
        what = "a list of flags" if len(lines) > 1 else "a command-line flag"
        return Lookalike(what, "```text (or show the whole command)")
    if _yaml(text, lines):
        return Lookalike("YAML", "```yaml")
    printed = _printed(lines, text)
    if printed is None and _tree(lines):
        return Lookalike("a directory tree", "```text")
    return printed


# -- text fences ----------------------------------------------------------------------------------------

# Fields only a live object has: their presence means the block shows what a cluster returned.
_LIVE_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink", "generation")
_API_VERSION = re.compile(r"^(?:[a-z0-9][a-z0-9.-]*/)?v\d+(?:(?:alpha|beta)\d+)?$")


def _parse_yaml(text: str) -> Any:
    """The first YAML document of ``text`` (safe loader, tags ignored), or None when it does not parse."""
    from docs_examples.blocks.classify import yaml_documents  # classify imports this module

    docs = yaml_documents(text)
    return docs[0] if docs else None


def kubernetes_object(text: str) -> str | None:
    """``"Ingress networking.k8s.io/v1beta1"`` when every document is a complete object someone wrote
    (apiVersion, kind, metadata with a name), not one a cluster printed; else None."""
    if "apiVersion" not in text or "kind" not in text:
        return None
    from docs_examples.blocks.classify import yaml_documents

    docs = yaml_documents(text)
    if not docs or not all(_written_object(d) for d in docs):
        return None
    return f"{docs[0]['kind']} {docs[0]['apiVersion']}"


def _written_object(doc: Any) -> bool:
    """A complete object as an author writes it: well-formed apiVersion and kind, a named metadata
    mapping, and none of the fields only the API server fills in."""
    if not isinstance(doc, dict):
        return False
    api, kind, meta = doc.get("apiVersion"), doc.get("kind"), doc.get("metadata")
    return (
        isinstance(api, str)
        and bool(_API_VERSION.match(api))
        and isinstance(kind, str)
        and kind[:1].isupper()
        and isinstance(meta, dict)
        and bool(meta.get("name") or meta.get("generateName"))
        and not any(field in meta for field in _LIVE_FIELDS)
    )


def _session(text: str) -> bool:
    """A shell session: the first line that says something is ``$ command``."""
    lines = _lines(text)
    if not lines or not lines[0].startswith("$ "):
        return False
    found = console.prompt(lines[0], "$")
    return found is not None and bool(_COMMAND_WORD.match(lines[0][found[0] :]))


def text_lookalike(text: str) -> Lookalike | None:
    """What a ``text``/unlabelled block holds that a checked fence would check, or None (output, prose)."""
    if (what := kubernetes_object(text)) is not None:
        return Lookalike("a Kubernetes manifest", "```yaml so that it is checked and highlighted", what)
    if dockerfile(text):
        return Lookalike("a Dockerfile", "```dockerfile so that it is checked and highlighted")
    if _session(text):
        return Lookalike("a shell session", "```console so that its commands are checked and highlighted")
    return None
