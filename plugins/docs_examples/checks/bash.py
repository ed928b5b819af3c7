"""Shell syntax with ``bash -n``: bash reads and parses the script without running a single command.

bash takes one script per process, so blocks run concurrently (``settings.workers`` at a time). Console
blocks are checked as the commands they contain (:mod:`docs_examples.blocks.console`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docs_examples.blocks import console
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity, tool_error

TOOL = "bash"
SCRIPT = "block.sh"
_MESSAGE = re.compile(rf"^{re.escape(SCRIPT)}: line (\d+): (.*)$")
_ECHO = re.compile(r"^`.*'$")  # bash repeats the offending source line after a syntax error


def parse_output(stderr: str, line_count: int) -> list[Finding]:
    """Findings from ``bash -n`` diagnostics (``block.sh: line 4: syntax error near …``).

    The source line bash echoes after an error is dropped; a line past the end (``unexpected end of
    file``) is clamped to the last line.
    """
    findings = []
    for raw in stderr.splitlines():
        match = _MESSAGE.match(raw.strip())
        if not match or _ECHO.match(match.group(2)):
            continue
        line = min(max(int(match.group(1)), 1), max(line_count, 1))
        message = match.group(2)
        severity = Severity.WARNING if message.startswith("warning:") else Severity.ERROR
        message = message.removeprefix("warning: ")
        findings.append(Finding(TOOL, "syntax", severity, message, line=line))
    return findings


class BashSyntax(Check):
    """``bash -n`` on every shell and console block."""

    name = "bash"
    tool = TOOL
    kinds = frozenset({Kind.SHELL, Kind.CONSOLE})

    def applies(self, block: Block) -> bool:
        return console.checkable(block)

    def binary(self) -> str:
        return runner.find_tool("bash")

    def version(self) -> str:
        line = runner.version_of([self.binary(), "--version"])
        match = re.search(r"version (\d+\.\d+(?:\.\d+)?)", line)
        if not match:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {line[:200]!r}")
        return f"bash {match.group(1)}"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        binary = self.binary()
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
            found = list(pool.map(lambda block: self._one(binary, block), blocks))
        return {block.id: findings for block, findings in zip(blocks, found, strict=True)}

    def _one(self, binary: str, block: Block) -> list[Finding]:
        """Parse one block's script in its own scratch folder; a bash that cannot answer is a tool error."""
        text, _ = console.script(block)
        with tempfile.TemporaryDirectory(prefix="docs-examples-bash-") as folder:
            (Path(folder) / SCRIPT).write_text(text + "\n", encoding="utf-8")
            done = runner.run([binary, "-n", SCRIPT], timeout=self.settings.timeout, cwd=folder)
        findings = parse_output(done.stderr, len(block.lines))
        if done.returncode != 0 and not any(f.severity is Severity.ERROR for f in findings):
            return [_unlocated(block, text, done)]
        return findings


def _unlocated(block: Block, script: str, done: runner.Completed) -> Finding:
    """A failure bash did not place on a line: a NUL byte (bash refuses a "binary file") is a located
    error; anything else is a tool error for this block alone, never for every block of the batch."""
    if "\0" in script:
        line = next((i for i, text in enumerate(block.lines, 1) if "\0" in text), 1)
        return Finding(
            TOOL, "nul-byte", Severity.ERROR, "the script contains a NUL byte; bash cannot read it", line=line
        )
    detail = (done.stderr or done.stdout).strip()[:500] or "no diagnostics"
    return tool_error(TOOL, f"bash -n exited {done.returncode} without a located error: {detail}")
