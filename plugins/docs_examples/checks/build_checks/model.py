"""A Dockerfile as the build checks see it: BuildKit's parse, grouped into global ARGs and stages.

The ``dockerfile`` package gives every instruction with its flags, values, heredocs and lines; this module
adds what the rules also need and that package drops: the stage structure (name, base, ``--platform``),
the instruction keyword as written, and the comment line directly above an instruction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docs_examples.checks import buildkit
from docs_examples.checks.build_checks.directive import directives, escape_char
from docs_examples.findings import Severity


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction: BuildKit's command, its keyword as written and upper-cased, and its lines."""

    command: Any  # dockerfile.Command
    written: str  # "copy", "Copy", "COPY"
    keyword: str  # "COPY"
    line: int
    end_line: int
    comment: str | None  # the comment on the line directly above, "#" and spaces stripped

    def flag(self, name: str) -> str | None:
        """The value of ``--name=value`` (the last one wins, as in BuildKit), or None."""
        value = None
        for flag in self.command.flags:
            key, _, rest = flag.lstrip("-").partition("=")
            if key.lower() == name:
                value = rest
        return value

    def flags(self, name: str) -> list[str]:
        """Every value of a repeatable flag (``--mount``)."""
        out = []
        for flag in self.command.flags:
            key, _, rest = flag.lstrip("-").partition("=")
            if key.lower() == name:
                out.append(rest)
        return out

    @property
    def values(self) -> list[str]:
        return list(self.command.value)


@dataclass(slots=True)
class Stage:
    """A ``FROM`` and the instructions up to the next one."""

    index: int
    start: Instruction | None  # None for an excerpt: the lines of a stage whose FROM the page does not show
    base: str  # the image or stage word, unexpanded
    name: str  # lower-cased stage name, "" when unnamed
    written_name: str  # as written, for StageNameCasing
    as_word: str  # "AS", "as" …, "" when unnamed
    platform: str | None  # the --platform value, unexpanded
    commands: list[Instruction] = field(default_factory=list)

    @property
    def line(self) -> int:
        """The line of the ``FROM`` (of an excerpt: its first instruction)."""
        if self.start is not None:
            return self.start.line
        return self.commands[0].line if self.commands else 1


@dataclass(slots=True)
class Dockerfile:
    """The parsed file: its text, escape character, global ARGs, stages and every instruction in order."""

    text: str
    escape: str
    meta_args: list[Instruction]
    stages: list[Stage]
    instructions: list[Instruction]

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def load(text: str) -> Dockerfile | None:
    """The model of ``text``, or None when BuildKit cannot build it (its syntax check reports why)."""
    parsed = buildkit.parse(text)
    if not parsed.ok or any(f.severity is not Severity.INFO for f in buildkit.syntax_findings(text)):
        return None
    lines = text.split("\n")
    skip = {d.line for d in directives(text).values()}
    instructions: list[Instruction] = []
    previous_end = 0
    for command in parsed.commands:
        comment = _comment_above(lines, command.start_line, previous_end, skip)
        instructions.append(
            Instruction(command, command.cmd, command.cmd.upper(), command.start_line, command.end_line, comment)
        )
        previous_end = command.end_line
    meta: list[Instruction] = []
    stages: list[Stage] = []
    if buildkit.excerpt(text):  # every line belongs to the stage whose FROM is not shown
        stages.append(Stage(0, None, "", "", "", "", None, list(instructions)))
    for instruction in [] if stages else instructions:
        if instruction.keyword == "FROM":
            stages.append(_stage(len(stages), instruction))
        elif stages:
            stages[-1].commands.append(instruction)
        else:
            meta.append(instruction)
    return Dockerfile(text, escape_char(text), meta, stages, instructions)


def _stage(index: int, start: Instruction) -> Stage:
    values = start.values
    named = len(values) == 3
    return Stage(
        index=index,
        start=start,
        base=values[0],
        name=values[2].lower() if named else "",
        written_name=values[2] if named else "",
        as_word=values[1] if named else "",
        platform=start.flag("platform"),
    )


def _comment_above(lines: list[str], line: int, previous_end: int, directive_lines: set[int]) -> str | None:
    """The comment text on the line right above ``line``, if that line is a non-empty comment of its own."""
    above = line - 1
    if above <= previous_end or above < 1 or above in directive_lines:
        return None
    raw = lines[above - 1].strip()
    if not raw.startswith("#"):
        return None
    return raw[1:].strip() or None
