"""Dockerfile syntax, judged by BuildKit's own parser (the ``dockerfile`` package wraps moby/buildkit's Go parser).

BuildKit is the authority: what it parses is valid syntax, whatever other linters think. The Go parser alone
is lenient about a few things the build then rejects (``COPPY``, an instruction before the first ``FROM``,
``COPY`` with one argument), so this check also flags those, because they are cheap to see and certain to
break ``docker build``.

A block with instructions and no ``FROM`` at all is an excerpt ("add these lines to your Dockerfile"): it
gets one ``excerpt`` info finding instead of an error per instruction, and its lines are checked as the
lines of a stage whose ``FROM`` is not shown (by BuildKit's parser, the build checks and hadolint). An
instruction before the first ``FROM`` of a file that has one is still an error (``no-from``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docs_examples import distributions
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.checks.runner import ToolMissing
from docs_examples.findings import Finding, Severity

TOOL = "buildkit"

INSTRUCTIONS = (
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
)  # fmt: skip

# Flags each instruction accepts in the current dockerfile frontend (labs flags included, so that a page
# using `# syntax=docker/dockerfile:1-labs` is not flagged). Instructions not listed take no flags.
FLAGS: dict[str, frozenset[str]] = {
    "FROM": frozenset({"platform"}),
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"from", "chown", "chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"}),
    "HEALTHCHECK": frozenset({"interval", "timeout", "start-period", "start-interval", "retries"}),
}

# Instructions BuildKit refuses without arguments (instructions/parse.go), and how many it needs.
MIN_ARGS = {
    "FROM": 1, "COPY": 2, "ADD": 2, "USER": 1, "WORKDIR": 1, "EXPOSE": 1, "VOLUME": 1, "STOPSIGNAL": 1,
    "MAINTAINER": 1, "ONBUILD": 1, "HEALTHCHECK": 1, "RUN": 1, "SHELL": 1, "ARG": 1, "ENV": 1, "LABEL": 1,
}  # fmt: skip

ONBUILD_FORBIDDEN = {"ONBUILD", "FROM", "MAINTAINER"}
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)\b")


@dataclass(frozen=True, slots=True)
class Parsed:
    """BuildKit's view of one Dockerfile: its commands, or the parse error and the line it starts at."""

    commands: tuple[Any, ...]
    error: str | None = None
    error_line: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _module() -> Any:
    """The ``dockerfile`` extension module; ToolMissing with an install hint when it is absent."""
    try:
        import dockerfile  # lazily: a missing wheel is then a tool error, not an import error
    except ImportError as exc:
        raise ParserMissing from exc
    return dockerfile


class ParserMissing(ToolMissing):
    """The ``dockerfile`` package (BuildKit's parser) is not installed."""

    def __init__(self) -> None:
        super().__init__(TOOL)
        hint = "pip install dockerfile==3.4.0 (make build installs it)"
        self.args = (f"BuildKit parser (the dockerfile package) not found; install it with: {hint}",)


@lru_cache(maxsize=1024)
def parse(text: str) -> Parsed:
    """Parse ``text`` with BuildKit; the result is cached, since three checks read the same Dockerfile."""
    module = _module()
    try:
        return Parsed(tuple(module.parse_string(text)))
    except module.GoParseError as exc:
        message = str(exc)
        if message == "file with no instructions":
            return Parsed((), message, None)
        return Parsed((), message, _error_line(module, text, message))


def _error_line(module: Any, text: str, message: str) -> int:
    """The line a parse error starts at.

    BuildKit's messages rarely carry a line, so find the longest prefix of the text that still parses:
    the error begins on the line after it (an unterminated heredoc, a bad directive, ``ENV`` alone …).
    """
    lines = text.split("\n")
    match = _LINE_IN_MESSAGE.search(message)
    if match and 1 <= int(match.group(1)) <= len(lines):
        return int(match.group(1))
    for end in range(len(lines) - 1, -1, -1):
        try:
            module.parse_string("\n".join(lines[:end]))
        except module.GoParseError as exc:
            if str(exc) != "file with no instructions":
                continue
        return end + 1
    return 1


def indent_column(text: str, line: int) -> int:
    """1-based column of the first non-blank character of block line ``line``."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return 1
    row = lines[line - 1]
    return len(row) - len(row.lstrip()) + 1


def _finding(text: str, rule: str, message: str, line: int | None, hint: str | None = None) -> Finding:
    column = indent_column(text, line) if line else None
    return Finding(TOOL, rule, Severity.ERROR, message, line=line, column=column, hint=hint)


EXCERPT = "excerpt"
EXCERPT_MESSAGE = "excerpt without FROM: checked as lines of a Dockerfile"


def excerpt(text: str) -> bool:
    """Whether ``text`` parses, has instructions and has no ``FROM``: lines to add to someone's Dockerfile."""
    parsed = parse(text)
    return parsed.ok and bool(parsed.commands) and not any(c.cmd.upper() == "FROM" for c in parsed.commands)


def excerpt_finding(text: str) -> Finding:
    """The one note an excerpt gets, at its first instruction."""
    line = parse(text).commands[0].start_line
    hint = "a whole Dockerfile starts with FROM (only ARG may come before it)"
    column = indent_column(text, line)
    return Finding(TOOL, EXCERPT, Severity.INFO, EXCERPT_MESSAGE, line=line, column=column, hint=hint)


def syntax_findings(text: str) -> list[Finding]:
    """Every syntax problem BuildKit would stop a build for, block-relative (and the note on an excerpt)."""
    parsed = parse(text)
    if parsed.error == "file with no instructions":
        return [_finding(text, "empty", "Dockerfile has no instructions; BuildKit refuses an empty file", None)]
    if not parsed.ok:
        return [_finding(text, "syntax", f"BuildKit cannot parse this Dockerfile: {parsed.error}", parsed.error_line)]
    findings: list[Finding] = []
    seen_from = excerpt(text)  # an excerpt's lines come after a FROM the page does not show
    if seen_from:
        findings.append(excerpt_finding(text))
    for command in parsed.commands:
        findings.extend(_instruction_findings(text, command, seen_from))
        seen_from = seen_from or command.cmd.upper() == "FROM"
    return findings


def _instruction_findings(text: str, command: Any, seen_from: bool) -> list[Finding]:
    """What BuildKit's instruction parser rejects about one command."""
    name = command.cmd.upper()
    line = command.start_line
    if name not in INSTRUCTIONS:
        close = difflib.get_close_matches(name, INSTRUCTIONS, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else None
        return [_finding(text, "unknown-instruction", f"unknown instruction: {command.cmd}", line, hint)]
    findings = []
    if not seen_from and name not in {"FROM", "ARG"}:
        message = f"{name} before the first FROM: only ARG may come before FROM (no build stage in context)"
        findings.append(_finding(text, "no-from", message, line))
    findings.extend(_flag_findings(text, command, name))
    args = [v for v in command.value if v != ""] or ([command.sub_cmd] if command.sub_cmd else [])
    needed = MIN_ARGS.get(name, 0)
    if len(args) < needed:
        plural = "argument" if needed == 1 else "arguments"
        message = f"{name} requires at least {needed} {plural}"
        findings.append(_finding(text, "missing-arguments", message, line))
    elif name == "FROM" and (len(args) not in (1, 3) or (len(args) == 3 and args[1].upper() != "AS")):
        findings.append(_finding(text, "from-arguments", "FROM takes an image, optionally `AS name`", line))
    elif name == "ONBUILD" and (command.sub_cmd or "").upper() in ONBUILD_FORBIDDEN:
        message = f"ONBUILD cannot trigger {command.sub_cmd.upper()}"
        findings.append(_finding(text, "onbuild-forbidden", message, line))
    elif name == "SHELL" and not command.json:
        findings.append(_finding(text, "shell-json", 'SHELL requires the JSON form: SHELL ["sh", "-c"]', line))
    return findings


def _flag_findings(text: str, command: Any, name: str) -> list[Finding]:
    """Flags the instruction does not accept (``COPY --form=build`` …)."""
    allowed = FLAGS.get(name, frozenset())
    out = []
    for flag in command.flags:
        key = flag.lstrip("-").split("=", 1)[0].lower()
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"did you mean `--{close[0]}`?" if close else None
            out.append(_finding(text, "unknown-flag", f"unknown flag for {name}: {flag}", command.start_line, hint))
    return out


class BuildKitSyntax(Check):
    """Dockerfile syntax as BuildKit sees it; in-process, no subprocess."""

    name = "dockerfile-syntax"
    tool = TOOL
    kinds = frozenset({Kind.DOCKERFILE})

    def version(self) -> str:
        _module()
        found = distributions.version("dockerfile")
        if found is None:
            raise ParserMissing
        return f"BuildKit parser (dockerfile {found})"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        return {block.id: syntax_findings(block.text) for block in blocks}
