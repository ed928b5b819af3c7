"""Shell blocks as scripts: the commands a reader would type, line for line, and nothing they would see.

A ``console`` block is a terminal transcript, and so is a ``bash``/``sh``/``shell`` block whose first command
line starts with a prompt (:func:`prompted`). Its commands are the lines after a prompt, plus the lines that
belong to such a command: continuation lines (the command ends with ``\\``, ``|``, ``&&`` or ``||``, or
leaves a quote open; a ``> `` secondary prompt in front of them is removed) and the body of a heredoc opened
on a command line, up to its terminator (when the first body line shows a ``> `` prompt, the whole heredoc
does and the prompts are removed). Every other line is output and becomes an empty line.

Prompts (:data:`PROMPT`): ``$ ``, ``% ``, ``❯ `` and ``$> ``, optionally after ``user@host:dir`` or
``[user@host dir]`` (with those, ``# `` is a root prompt too) and a ``(venv)`` marker. The first prompt of a
block decides its sign, so a ``$`` session never reads output such as curl's ``% Total`` as a command. A bare
``# `` is *not* read as a root prompt: in documentation it is far more often a comment or output
(``# HELP …`` from a metrics endpoint), and guessing wrong would shell-check output. ``PS>`` prompts make the
block a PowerShell session, which neither bash nor shellcheck can judge.

:func:`script` keeps the number of lines and reports, per line, how many columns were cut from its start, so
that a finding from bash or shellcheck maps back to the exact character of the block. It also hands the tools
placeholders and elisions as plain words (:mod:`docs_examples.blocks.shell_words`).
"""

from __future__ import annotations

import re
from typing import Any

from docs_examples.blocks import shell_words
from docs_examples.blocks.model import Block, Kind

SECONDARY_PROMPT = "> "
CONTINUATIONS = ("\\", "|", "&&", "||")
# `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`; not the here-string `<<<`.
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)[ \t]*(['\"]?)([A-Za-z_][\w.-]*)\2")
# Languages neither bash nor shellcheck can judge (their grammar differs): left unchecked, never "passed".
FOREIGN_SHELLS = {"zsh", "fish", "powershell", "ps1", "pwsh", "cmd", "bat"}
_HOST = r"(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?|\[[\w.-]+@[^\]\n]*\])"
PROMPT = re.compile(rf"^(?:\([\w.-]+\) )?(?:(?P<host>{_HOST})(?P<hostsign>[$#])|(?P<sign>\$>|[$%❯]))(?: |$)")
_POWERSHELL = re.compile(r"^PS(?: [A-Za-z]:[^>\n]*)?> ?")


def prompt(line: str, sign: str | None = None) -> tuple[int, str] | None:
    """The width and sign of the prompt ``line`` starts with, or None; ``sign`` accepts only that sign."""
    match = PROMPT.match(line)
    if not match:
        return None
    found = match.group("hostsign") or match.group("sign")
    if sign is not None and found != sign:
        return None
    # A bare prompt (an empty command line) counts its missing blank, as if the line were `$ `.
    return match.end() + (match.end() == len(line.rstrip()) and not line.endswith(" ")), found


def _first_command_line(text: str) -> str | None:
    """The first line that is neither blank nor a comment."""
    return next((line for line in text.split("\n") if line.strip() and not line.startswith("#")), None)


def prompted(text: str) -> bool:
    """Whether a shell block is a transcript: its first command line starts with a prompt."""
    first = _first_command_line(text)
    return first is not None and prompt(first) is not None


def powershell(text: str) -> bool:
    """Whether a shell block is a PowerShell session (``PS>`` or ``PS C:\\dir>`` before its first command)."""
    first = _first_command_line(text)
    return first is not None and bool(_POWERSHELL.match(first))


def heredocs(command: str) -> list[tuple[str, bool]]:
    """Heredoc terminators a command line opens, in order, each with whether leading tabs are stripped."""
    return [(m.group(3), m.group(1) == "-") for m in _HEREDOC.finditer(command)]


def _ends_heredoc(line: str, terminator: str, strip_tabs: bool) -> bool:
    return (line.lstrip("\t") if strip_tabs else line) == terminator


def open_quote(line: str, quote: str = "") -> str:
    """The quote still open at the end of ``line`` (``'``, ``"`` or ``""`` for none), given the one open
    at its start. Backslash escapes, ``$'…'`` strings and ``#`` comments are honoured; ``$(…)`` nesting
    inside double quotes is not (a multi-line command substitution inside a string is rare in docs)."""
    i = 0
    while i < len(line):
        char = line[i]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif quote in ('"', "$'"):
            if char == "\\":
                i += 1
            elif char == quote[-1]:
                quote = ""
        elif char == "\\":
            i += 1
        elif char == "#" and (i == 0 or line[i - 1] in " \t;|&("):
            break
        elif char == "$" and line[i + 1 : i + 2] == "'":
            quote = "$'"
            i += 1
        elif char in "'\"":
            quote = char
        i += 1
    return quote


def _command(line: str, shift: int, state: dict[str, Any]) -> str:
    """Record one command (or continuation) line: heredocs it opens, whether the command goes on."""
    command = line[shift:]
    state["quote"] = open_quote(command, state["quote"])
    if not state["quote"]:
        state["pending"].extend(heredocs(command))
    state["continuing"] = bool(state["quote"]) or command.rstrip().endswith(CONTINUATIONS)
    return command


def script_text(text: str) -> tuple[str, list[int]]:
    """The commands of a transcript, with output lines blanked, and the columns cut per line."""
    out: list[str] = []
    shifts: list[int] = []
    state: dict[str, Any] = {"pending": [], "quote": "", "continuing": False}  # heredocs opened but not yet terminated
    prompted_heredoc = False  # the transcript shows `> ` before heredoc lines, as an interactive shell does
    sign: str | None = None  # the first prompt's sign; later prompts must match it
    for line in text.split("\n"):
        pending = state["pending"]
        if pending:
            prompted_heredoc = prompted_heredoc or (shifts[-1] != 0 and line.startswith(SECONDARY_PROMPT))
            shift = len(SECONDARY_PROMPT) if prompted_heredoc and line.startswith(SECONDARY_PROMPT) else 0
            out.append(line[shift:])
            shifts.append(shift)
            if _ends_heredoc(line[shift:], *pending[0]):
                pending.pop(0)
                prompted_heredoc = prompted_heredoc and bool(pending)
            continue
        if state["continuing"]:
            shift = len(SECONDARY_PROMPT) if line.startswith(SECONDARY_PROMPT) and not state["quote"] else 0
        elif (found := prompt(line, sign)) is not None:
            shift, sign = found
        else:
            out.append("")
            shifts.append(0)
            continue
        out.append(_command(line, shift, state))
        shifts.append(shift)
    return "\n".join(out), shifts


def script(block: Block) -> tuple[str, list[int]]:
    """The shell script a block stands for and the per-line column shift.

    A transcript gives its commands (see :func:`script_text`); any other shell block is its own text,
    unshifted. Placeholders and elisions become words of the same width. The script has exactly as many
    lines as ``block.text``.
    """
    if block.kind is Kind.CONSOLE or (block.kind is Kind.SHELL and block.meta.get("prompted")):
        text, shifts = script_text(block.text)
    else:
        text, shifts = block.text, [0] * len(block.lines)
    return shell_words.as_words(text), shifts


_REFERENCE = re.compile(r"\$\{?([A-Za-z_]\w*)")


def references(block: Block) -> set[str]:
    """The variables a shell block's commands read (``$x``, ``${x…}``)."""
    return set(_REFERENCE.findall(script(block)[0]))


def checkable(block: Block) -> bool:
    """Whether a shell check can judge the block: a shell dialect bash parses, with at least one command,
    that classification did not find to be something else (output, a Dockerfile …) or a template."""
    if block.kind not in (Kind.SHELL, Kind.CONSOLE) or block.language in FOREIGN_SHELLS:
        return False
    if block.meta.get("looks_like") or block.meta.get("powershell"):
        return False
    text, _ = script(block)
    return bool(text.strip())


def shift_column(shifts: list[int], line: int | None, column: int | None) -> int | None:
    """A script column moved back to the block's column (adds the prompt width cut from that line)."""
    if column is None or line is None or not 1 <= line <= len(shifts):
        return column
    return column + shifts[line - 1]
