"""Manifests fed to kubectl through a heredoc in a shell or console block.

Recognised (nothing is executed; the shell text is only read)::

    kubectl apply -f - <<EOF          cat <<'EOF' | kubectl apply -f -
    ...                               ...
    EOF                               EOF

with ``<<EOF``, ``<<'EOF'``, ``<<"EOF"`` and ``<<-EOF`` (leading tabs stripped), any kubectl verb that
reads ``-f -`` (apply, create, replace, diff), and console prompts (``$ `` before the command, ``> ``
before continuation lines). A quoted string that ``echo`` or ``printf`` pipes to kubectl counts too::

    echo 'apiVersion: v1              echo "
    kind: Namespace                   apiVersion: v1
    …' | kubectl apply -f -           …" | kubectl create -f -

(a finding on the opening line itself counts its column from the quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KUBECTL = re.compile(
    r"\bkubectl\b[^\n|;&]*?\b(?:apply|create|replace|diff)\b[^\n|;&]*?(?:-f|--filename)[ =]?-(?:\s|$)"
)
_HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_-]*)\2")
_PROMPT = re.compile(r"^\s*(?:\S*[$#]\s)")
_ECHO = re.compile(r"^\s*(?:echo(?:\s+-[neE]+)*|printf(?:\s+--)?)\s+(['\"])(.*)$")
_PIPED = re.compile(r"^\s*\|\s*" + _KUBECTL.pattern)


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
        echoed = _echoed(lines, i, command, console)
        if echoed is not None:
            found.append(echoed[0])
            i = echoed[1]
            continue
        i += 1
    return found


def _echoed(lines: list[str], i: int, command: str, console: bool) -> tuple[Heredoc, int] | None:
    """The manifest of ``echo '…' | kubectl apply -f -`` opened on line ``i`` (0-based), and the line after it."""
    match = _ECHO.match(command)
    if not match or match.group(1) in match.group(2):
        return None
    quote, first = match.group(1), match.group(2)
    body = [first] if first.strip() else []
    prompt = 2 if console and i + 1 < len(lines) and lines[i + 1].startswith("> ") else 0
    for j in range(i + 1, len(lines)):
        line = lines[j][prompt:] if prompt and lines[j].startswith("> ") else lines[j]
        end = line.find(quote)
        if end == -1:
            body.append(line)
            continue
        if not _PIPED.match(line[end + 1 :]):
            return None
        if line[:end].strip():
            body.append(line[:end])
        start = i + 1 if first.strip() else i + 2  # 1-based block line of the manifest's first line
        return Heredoc("\n".join(body), start, prompt, True), j + 1
    return None
