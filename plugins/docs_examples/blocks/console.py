"""Console blocks as scripts: the commands a reader would type, line for line, and nothing they would see.

A ``console`` block is a terminal transcript. Its commands are the lines after a ``$ `` prompt, plus the lines
that belong to such a command: continuation lines (the command ends with ``\\``, ``|``, ``&&`` or ``||``; a
``> `` secondary prompt in front of them is removed) and the body of a heredoc opened on a command line,
up to its terminator (when the first body line shows a ``> `` prompt, the whole heredoc does and the
prompts are removed). Every other line is output and becomes an empty line.

A leading ``# `` is *not* read as a root prompt: in documentation it is far more often a comment or output
(``# HELP …`` from a metrics endpoint), and guessing wrong would shell-check output. Write root commands
as ``$ sudo …`` or in a ``bash`` block.

:func:`script` keeps the number of lines and reports, per line, how many columns were cut from its start, so
that a finding from bash or shellcheck maps back to the exact character of the block.
"""

from __future__ import annotations

import re

from docs_examples.blocks.model import Block, Kind

PROMPT = "$ "
SECONDARY_PROMPT = "> "
CONTINUATIONS = ("\\", "|", "&&", "||")
# `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`; not the here-string `<<<`.
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)[ \t]*(['\"]?)([A-Za-z_][\w.-]*)\2")
# Languages neither bash nor shellcheck can judge (their grammar differs): left unchecked, never "passed".
FOREIGN_SHELLS = {"zsh", "fish", "powershell", "ps1", "pwsh", "cmd", "bat"}


def heredocs(command: str) -> list[tuple[str, bool]]:
    """Heredoc terminators a command line opens, in order, each with whether leading tabs are stripped."""
    return [(m.group(3), m.group(1) == "-") for m in _HEREDOC.finditer(command)]


def _ends_heredoc(line: str, terminator: str, strip_tabs: bool) -> bool:
    return (line.lstrip("\t") if strip_tabs else line) == terminator


def script_text(text: str) -> tuple[str, list[int]]:
    """The commands of a console transcript, with output lines blanked, and the columns cut per line."""
    out: list[str] = []
    shifts: list[int] = []
    pending: list[tuple[str, bool]] = []  # heredocs opened but not yet terminated
    prompted = False  # the transcript shows `> ` before heredoc lines, as an interactive shell does
    continuing = False
    for line in text.split("\n"):
        if pending:
            prompted = prompted or (shifts[-1] != 0 and line.startswith(SECONDARY_PROMPT))
            shift = len(SECONDARY_PROMPT) if prompted and line.startswith(SECONDARY_PROMPT) else 0
            out.append(line[shift:])
            shifts.append(shift)
            if _ends_heredoc(line[shift:], *pending[0]):
                pending.pop(0)
                prompted = prompted and bool(pending)
            continue
        if continuing:
            shift = len(SECONDARY_PROMPT) if line.startswith(SECONDARY_PROMPT) else 0
        elif line.startswith(PROMPT) or line.rstrip() == PROMPT.rstrip():
            shift = len(PROMPT)
        else:
            out.append("")
            shifts.append(0)
            continue
        command = line[shift:]
        out.append(command)
        shifts.append(shift)
        pending.extend(heredocs(command))
        continuing = command.rstrip().endswith(CONTINUATIONS)
    return "\n".join(out), shifts


def script(block: Block) -> tuple[str, list[int]]:
    """The shell script a block stands for and the per-line column shift.

    A console block gives its commands (see :func:`script_text`); a shell block is its own text, unshifted.
    The script has exactly as many lines as ``block.text``.
    """
    if block.kind is Kind.CONSOLE:
        return script_text(block.text)
    return block.text, [0] * len(block.lines)


def checkable(block: Block) -> bool:
    """Whether a shell check can judge the block: a shell dialect bash parses, with at least one command."""
    if block.kind not in (Kind.SHELL, Kind.CONSOLE) or block.language in FOREIGN_SHELLS:
        return False
    text, _ = script(block)
    return bool(text.strip())


def shift_column(shifts: list[int], line: int | None, column: int | None) -> int | None:
    """A script column moved back to the block's column (adds the prompt width cut from that line)."""
    if column is None or line is None or not 1 <= line <= len(shifts):
        return column
    return column + shifts[line - 1]
