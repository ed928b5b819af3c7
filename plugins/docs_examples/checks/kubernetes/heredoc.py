"""Manifests fed to kubectl through a heredoc in a shell or console block.

Recognised (nothing is executed; the shell text is only read)::

    kubectl apply -f - <<EOF          cat <<'EOF' | kubectl apply -f -
    ...                               ...
    EOF                               EOF

with ``<<EOF``, ``<<'EOF'``, ``<<"EOF"`` and ``<<-EOF`` (leading tabs stripped), any kubectl verb that
reads ``-f -`` (apply, create, replace, diff), and console prompts (``$ `` before the command, ``> ``
before continuation lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KUBECTL = re.compile(
    r"\bkubectl\b[^\n|;&]*?\b(?:apply|create|replace|diff)\b[^\n|;&]*?(?:-f|--filename)[ =]?-(?:\s|$)"
)
_HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_-]*)\2")
_PROMPT = re.compile(r"^\s*(?:\S*[$#]\s)")


@dataclass(frozen=True, slots=True)
class Heredoc:
    """The YAML of one heredoc and where it starts in the block."""

    text: str
    first_line: int  # 1-based block line of the heredoc's first body line
    column_offset: int = 0  # columns removed from every body line (a console's "> " prompt)
    closed: bool = True


def _body(lines: list[str], start: int, word: str, strip_tabs: bool, console: bool) -> tuple[list[str], int, bool]:
    """Body lines from ``start`` (0-based) to the terminator; the prompt width removed; whether it closed."""
    body: list[str] = []
    prompt = 0
    if console and start < len(lines) and lines[start].startswith("> "):
        prompt = 2
    for line in lines[start:]:
        text = line[prompt:] if prompt and line.startswith("> ") else line
        if (text.lstrip("\t") if strip_tabs else text).rstrip() == word:
            return body, prompt, True
        body.append(text.lstrip("\t") if strip_tabs else text)
    return body, prompt, False


def find(text: str, *, console: bool = False) -> list[Heredoc]:
    """Every heredoc that feeds kubectl in ``text``."""
    lines = text.split("\n")
    found: list[Heredoc] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        command = _PROMPT.sub("", line, count=1) if console else line
        heredoc = _HEREDOC.search(command)
        if heredoc and _KUBECTL.search(command) and not command.lstrip().startswith("#"):
            strip_tabs, word = heredoc.group(1) == "-", heredoc.group(3)
            body, prompt, closed = _body(lines, i + 1, word, strip_tabs, console)
            found.append(Heredoc("\n".join(body), i + 2, prompt, closed))
            i += len(body) + 2
            continue
        i += 1
    return found
