"""hadolint: Dockerfile best practices (DL…) and the shell inside ``RUN`` (SC…), one process for all blocks.

hadolint has its own Dockerfile parser, stricter than BuildKit's: 2.15.1 stops at a comment line directly
after a heredoc terminator (``unexpected '#'``), which BuildKit accepts. Syntax is BuildKit's call
(:mod:`docs_examples.checks.buildkit`), so this check hands hadolint a line-preserving variant of the text with
those comment lines blanked: every line keeps its number, hadolint's rules still run, and nothing it says
about the real file is lost. If hadolint still cannot parse a file BuildKit accepts, that is an ``info``
finding saying its rules were not applied — never a failure and never silence.

A block without ``FROM`` is an excerpt (:func:`docs_examples.checks.buildkit.excerpt`): hadolint's
``DL3061`` ("must begin with FROM") on each of its lines is the one ``excerpt`` note of BuildKit's syntax
check (or, with that check disabled, one such note here); every other rule still counts on its lines.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import buildkit, runner
from docs_examples.checks.base import Check, tool_severity
from docs_examples.findings import Finding, Severity

TOOL = "hadolint"
PARSE_ERROR = "DL1000"  # hadolint's code for "my parser could not read this file"
NOT_FIRST = "DL3061"  # "Dockerfile must begin with FROM, ARG or comment": what an excerpt is
_PRAGMA = re.compile(r"^\s*#\s*hadolint\b", re.IGNORECASE)


def lint_text(text: str) -> str:
    """``text`` with the comment lines that directly follow a heredoc terminator blanked, line for line.

    Only when BuildKit parses the text (its commands say where each heredoc ends). ``# hadolint ignore=``
    pragmas are kept, so an ignore is never silently dropped: if one sits there, hadolint's parse failure
    is reported as an info finding instead.
    """
    parsed = buildkit.parse(text)
    if not parsed.ok:
        return text
    lines = text.split("\n")
    for command in parsed.commands:
        if not command.heredocs:
            continue
        row = command.end_line  # 1-based terminator line == 0-based index of the line after it
        while row < len(lines) and lines[row].lstrip().startswith("#") and not _PRAGMA.match(lines[row]):
            lines[row] = ""
            row += 1
    return "\n".join(lines)


class Hadolint(Check):
    """hadolint over every Dockerfile block at once, with the project's ``.hadolint.yaml``."""

    name = "hadolint"
    tool = TOOL
    kinds = frozenset({Kind.DOCKERFILE})

    def binary(self) -> str:
        return runner.find_tool("hadolint")

    def version(self) -> str:
        line = runner.version_of([self.binary(), "--version"])
        match = re.search(r"(\d+\.\d+\.\d+)", line)
        if not match:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {line[:200]!r}")
        return f"hadolint {match.group(1)}"

    def argv(self, files: Sequence[str]) -> list[str]:
        """One hadolint process: JSON output, exit 0 whatever it finds, the project's config when set."""
        argv = [self.binary(), "--no-fail", "--no-color", "--format", "json"]
        config = self.settings.hadolint_config
        if config is not None:
            if not Path(config).is_file():
                raise runner.ToolFailed(TOOL, f"configuration file not found: {config}")
            argv += ["--config", str(config)]
        return [*argv, *files]

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        if not blocks:
            return {}
        names = {f"block-{i:04d}.Dockerfile": block for i, block in enumerate(blocks)}
        with tempfile.TemporaryDirectory(prefix="docs-examples-hadolint-") as folder:
            for name, block in names.items():
                (Path(folder) / name).write_text(lint_text(block.text), encoding="utf-8")
            # Big batches in a few processes at once, so every core lints (the runner caps the processes).
            batches = runner.chunks(list(names), self.settings.workers)
            with ThreadPoolExecutor(max_workers=len(batches)) as pool:
                dones = list(
                    pool.map(
                        lambda files: runner.run(self.argv(files), timeout=self.settings.timeout, cwd=folder), batches
                    )
                )
        items = [item for done in dones for item in self._decode(done)]
        out: dict[str, list[Finding]] = {block.id: [] for block in blocks}
        for item in items:
            given = names.get(str(item.get("file")))
            if given is None:
                raise runner.ToolFailed(TOOL, f"result for a file it was not given: {item.get('file')!r}")
            finding = self._finding(given, item)
            if finding is not None:
                out[given.id].append(finding)
        return {block.id: self._excerpt(block, out[block.id]) for block in blocks}

    def _excerpt(self, block: Block, findings: list[Finding]) -> list[Finding]:
        """An excerpt's ``DL3061`` findings: left to BuildKit's one note, or one note here if that check is off."""
        if not any(f.rule == NOT_FIRST for f in findings) or not buildkit.excerpt(block.text):
            return findings
        kept = [f for f in findings if f.rule != NOT_FIRST]
        if buildkit.BuildKitSyntax.name in self.settings.disabled_checks:
            first = next(f for f in findings if f.rule == NOT_FIRST)
            kept.insert(0, first.moved(severity=Severity.INFO, message=buildkit.EXCERPT_MESSAGE))
        return kept

    def _decode(self, done: runner.Completed) -> list[dict[str, Any]]:
        """hadolint's JSON list; anything else (a crash, a usage error, garbage) is a tool error."""
        try:
            items = json.loads(done.stdout)
        except json.JSONDecodeError:
            detail = (done.stderr or done.stdout).strip()[:500]
            raise runner.ToolFailed(TOOL, f"exit {done.returncode}, no JSON output: {detail}") from None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise runner.ToolFailed(TOOL, "JSON output is not a list of results")
        return items

    def _finding(self, block: Block, item: dict[str, Any]) -> Finding | None:
        """One hadolint result as a block-relative finding (None for a parse error BuildKit reports)."""
        code = str(item.get("code", ""))
        line = int(item.get("line") or 0) or None
        message = str(item.get("message", "")).replace("\n", " ")
        if code == PARSE_ERROR:
            if buildkit.syntax_findings(block.text):
                return None  # BuildKit rejects the file too: its syntax finding is the error
            return Finding(
                TOOL,
                "parse-limit",
                Severity.INFO,
                f"hadolint could not parse this Dockerfile ({message}); BuildKit accepts it, "
                "so hadolint's rules were not applied",
                line=line,
                column=1 if line else None,
            )
        column = int(item.get("column") or 0) or None
        if line and column == 1:
            column = buildkit.indent_column(block.text, line)
        return Finding(TOOL, code, tool_severity(TOOL, str(item.get("level"))), message, line=line, column=column)
