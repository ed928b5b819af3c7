"""Every ``COPY``/``ADD`` source of an included Dockerfile must exist in its build context.

A Dockerfile block included from a file (``--8<-- "app/Dockerfile"``) has a real build context: the folder
of that file. A source that is not there breaks ``docker build`` for every reader who copies the folder.
Inline Dockerfile blocks have no context, so this check does not apply to them (it never claims to have
validated what it could not see).

Not checked, on purpose: ``--from=`` stage copies, URLs and git sources, heredoc sources, and sources that
use a build variable (``$VERSION``), whose value is only known at build time.
"""

from __future__ import annotations

import glob  # has_magic only
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import buildkit
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity

TOOL = "build-context"
VERSION = "build-context 1"  # bump when the rules change, so cached verdicts are redone
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def dockerfile_path(block: Block, root: Path) -> Path | None:
    """The file a Dockerfile block was included from, when its whole text comes from that one file."""
    if not block.includes or not block.origins:
        return None
    files = {origin.file for origin in block.origins}
    if len(files) != 1:
        return None
    path = root / next(iter(files))
    return path if path.is_file() else None


def ignore_rules(context: Path) -> list[tuple[re.Pattern[str], bool]]:
    """The context's ``.dockerignore`` as (pattern, excluded) rules; the last matching rule wins."""
    path = context / ".dockerignore"
    if not path.is_file():
        return []
    rules = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        excluded = not line.startswith("!")
        pattern = posixpath.normpath(line.lstrip("!").strip()).lstrip("/")
        rules.append((re.compile(_translate(pattern)), excluded))
    return rules


def _translate(pattern: str) -> str:
    """A .dockerignore pattern (Go filepath.Match plus ``**``) as a regex that also matches below a folder."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            if pattern.startswith("/", i):
                out.append("/?")
                i += 1
            continue
        char = pattern[i]
        out.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
        i += 1
    return "^" + "".join(out) + "(?:/.*)?$"


def ignored(path: str, rules: list[tuple[re.Pattern[str], bool]]) -> bool:
    """Whether the context-relative ``path`` is excluded by the rules."""
    verdict = False
    for pattern, excluded in rules:
        if pattern.match(path):
            verdict = excluded
    return verdict


def sources(command: Any) -> list[str]:
    """The local sources of a COPY/ADD (the last value is the destination); empty for stage copies."""
    if any(flag.lstrip("-").lower().startswith("from") for flag in command.flags):
        return []
    values = [v for v in command.value if v]
    return [v for v in values[:-1] if not v.startswith("<<") and not _REMOTE.match(v) and "$" not in v]


def exists(context: Path, source: str, rules: list[tuple[re.Pattern[str], bool]]) -> bool:
    """Whether ``source`` names at least one path of the context that .dockerignore leaves in it."""
    relative = posixpath.normpath("/" + source).lstrip("/")  # BuildKit keeps `../x` inside the context
    if relative in ("", "."):
        return True
    if glob.has_magic(relative):
        matches = [p.relative_to(context).as_posix() for p in context.glob(relative)]
    else:
        matches = [relative] if (context / relative).exists() else []
    return any(not ignored(m, rules) for m in matches)


class BuildContext(Check):
    """COPY/ADD sources of included Dockerfiles against the files beside them."""

    name = "build-context"
    tool = TOOL
    reads_files = True  # its context, bases or rule files: see Check.reads_files
    kinds = frozenset({Kind.DOCKERFILE})

    def applies(self, block: Block) -> bool:
        return block.kind in self.kinds and dockerfile_path(block, self.settings.root) is not None

    def version(self) -> str:
        return VERSION

    def describe(self) -> str:
        return "build context"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        return {block.id: self._one(block) for block in blocks}

    def _one(self, block: Block) -> list[Finding]:
        path = dockerfile_path(block, self.settings.root)
        parsed = buildkit.parse(block.text)
        if path is None or not parsed.ok:
            return []  # not included, or BuildKit's syntax finding already fails the block
        context = path.parent
        rules = ignore_rules(context)
        findings = []
        for command in parsed.commands:
            if command.cmd.upper() not in ("COPY", "ADD"):
                continue
            for source in sources(command):
                if not exists(context, source, rules):
                    findings.append(self._missing(block, command, source, context))
        return findings

    def _missing(self, block: Block, command: Any, source: str, context: Path) -> Finding:
        where = context.relative_to(self.settings.root) if context.is_relative_to(self.settings.root) else context
        return Finding(
            TOOL,
            "missing-copy-source",
            Severity.ERROR,
            f"{command.cmd.upper()} source {source!r} does not exist in the build context {where}/",
            line=command.start_line,
            column=buildkit.indent_column(block.text, command.start_line),
        )
