"""Placeholders and elisions in shell text, handed to bash and shellcheck as the words a reader reads.

Documentation writes ``kubectl get pod <name>``, ``curl https://<host>:<port>/``, ``--set tag={{ version }}``,
``export TOKEN={TOKEN}`` and a line of ``...`` for "more of the same". A reader substitutes or skips them;
bash would read ``<name>`` as a redirection and stop. :func:`as_words` replaces each placeholder with a
plain word of the same width (``<name>`` → ``_name_``) and each elision line with an empty line, so
every other character keeps its line and column and the rest of the block is still checked.

Recognised placeholders, deliberately narrow so that real syntax is never rewritten:

- ``<words>``: ``<`` not part of ``<<``/``<(``/``<&``, the first and last characters inside neither a blank nor
  ``<``/``>``/``=``, no ``<``/``>`` inside, on one line (``<id field from the last command>`` is one word;
  ``sort <in >out`` is left alone, as its ``<in >`` ends with a blank);
- ``{{ anything }}`` and ``${{ anything }}`` on one line (Go, Jinja, Argo and GitHub Actions expressions);
- ``{NAME}``, ``{name.part}``: a brace word with no comma and no ``..``, which bash passes on literally
  anyway and shellcheck flags as a misplaced brace;
- a usage line's alternatives: ``{precise|comprehensive}`` and ``(REPO_PATH | REPO_URL)`` (upper-case names
  only, so a subshell or a ``case`` pattern is never taken for one).
"""

from __future__ import annotations

import re

_ANGLE = re.compile(r"(?<!<)<(?![<(&>\s=])[^<>\n]*?(?<![\s=<])>(?!>)")
_MUSTACHE = re.compile(r"\$?\{\{[^{}\n]*\}\}")
_BRACE_WORD = re.compile(r"(?<![\w$}])\{[A-Za-z_][\w-]*(?:\.[\w-]+)*\}(?![\w{])")
_ALTERNATIVES = re.compile(
    r"(?<![\w$])\{[\w.-]+(?:\|[\w.-]+)+\}|(?<![\w$])\([A-Z_][A-Z0-9_]*(?: *\| *[A-Z_][A-Z0-9_]*)+\)"
)
_ELISION = re.compile(
    r"^\s*(?:\.{3,}|…|\[(?:\.{3}|…)\]|\((?:\.{3}|…)\)|<(?:\.{3}|…|snip)>|\.{3}\s*\(?snip\)?\s*\.{3})\s*$"
)
_NOT_WORD = re.compile(r"\W")


def _word(match: re.Match[str]) -> str:
    """A placeholder as one shell word of the same width: every non-word character becomes ``_``."""
    return _NOT_WORD.sub("_", match.group(0))


def elision(line: str) -> bool:
    """Whether a line only says that something was left out (``...``, ``[...]``, ``(...)``, ``…``)."""
    return bool(_ELISION.match(line))


def as_words(text: str) -> str:
    """``text`` with placeholders as same-width words and elision lines empty; line count unchanged."""
    if not any(mark in text for mark in ("<", "{", "(", "...", "…")):
        return text
    lines = []
    for line in text.split("\n"):
        if elision(line):
            lines.append("")
            continue
        line = _MUSTACHE.sub(_word, line)
        line = _ANGLE.sub(_word, line)
        line = _ALTERNATIVES.sub(_word, line)
        lines.append(_BRACE_WORD.sub(_word, line))
    return "\n".join(lines)
