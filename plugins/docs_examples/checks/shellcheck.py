"""shellcheck over every shell and console block: one process per dialect, JSON (``json1``) output.

The dialect is the block's shebang when it has one, else its language (``sh`` → POSIX sh, the rest → bash).
``--norc`` keeps a stray ``.shellcheckrc`` from changing verdicts; sourced files are not followed (a page's
``source ./env.sh`` names a file that is not there). ``json1`` counts a tab as one column, like our positions.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from docs_examples.blocks import console
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check, tool_severity
from docs_examples.findings import Finding

TOOL = "shellcheck"
DIALECTS = ("sh", "bash", "dash", "ksh", "busybox")
_SHEBANG = re.compile(r"^#!\s*(?:\S*/)?(?:env\s+(?:-\S+\s+)*)?(\w+)")


def dialect(block: Block) -> str:
    """The shell shellcheck should assume: the shebang's, else ``sh`` for ``sh`` blocks, else ``bash``."""
    match = _SHEBANG.match(block.text)
    if match and match.group(1) in DIALECTS:
        return match.group(1)
    return "sh" if block.language == "sh" else "bash"


class ShellCheck(Check):
    """shellcheck, batched: all blocks of one dialect go to one process."""

    name = "shellcheck"
    tool = TOOL
    kinds = frozenset({Kind.SHELL, Kind.CONSOLE})

    def applies(self, block: Block) -> bool:
        return console.checkable(block)

    def binary(self) -> str:
        return runner.find_tool("shellcheck")

    def version(self) -> str:
        done = runner.run([self.binary(), "--version"], timeout=30)
        match = re.search(r"^version:\s*(\S+)", done.stdout, re.MULTILINE)
        if not match:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {done.stdout.strip()[:200]!r}")
        return f"shellcheck {match.group(1)}"

    def argv(self, shell: str, files: Sequence[str]) -> list[str]:
        return [self.binary(), "--format=json1", f"--shell={shell}", "--norc", "--severity=style", *files]

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        groups: dict[str, list[Block]] = defaultdict(list)
        for block in blocks:
            groups[dialect(block)].append(block)
        out: dict[str, list[Finding]] = {block.id: [] for block in blocks}
        # Big groups in a few processes at once, so every core lints (the runner caps the processes).
        batches = [
            (shell, part) for shell, members in groups.items() for part in runner.chunks(members, self.settings.workers)
        ]
        with ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
            for found in pool.map(lambda batch: self._group(*batch), batches):
                out.update(found)
        return out

    def _group(self, shell: str, blocks: list[Block]) -> dict[str, list[Finding]]:
        """One shellcheck process for the blocks of one dialect."""
        names = {f"block-{i:04d}.sh": block for i, block in enumerate(blocks)}
        shifts = {}
        with tempfile.TemporaryDirectory(prefix="docs-examples-shellcheck-") as folder:
            for name, block in names.items():
                text, shifts[name] = console.script(block)
                (Path(folder) / name).write_text(text + "\n", encoding="utf-8")
            done = runner.run(self.argv(shell, list(names)), timeout=self.settings.timeout, cwd=folder)
        out: dict[str, list[Finding]] = {block.id: [] for block in blocks}
        for item in self._decode(done):
            name = str(item.get("file"))
            if name not in names:
                raise runner.ToolFailed(TOOL, f"result for a file it was not given: {name!r}")
            out[names[name].id].append(self._finding(item, shifts[name]))
        return out

    def _decode(self, done: runner.Completed) -> list[dict[str, Any]]:
        """shellcheck's comments; exit 0 (clean) or 1 (findings) only, anything else is a tool error."""
        if done.returncode not in (0, 1):
            detail = (done.stderr or done.stdout).strip()[:500]
            raise runner.ToolFailed(TOOL, f"exited {done.returncode}: {detail}")
        try:
            data = json.loads(done.stdout)
        except json.JSONDecodeError:
            detail = (done.stderr or done.stdout).strip()[:500]
            raise runner.ToolFailed(TOOL, f"no JSON output: {detail}") from None
        comments = data.get("comments") if isinstance(data, dict) else None
        if not isinstance(comments, list) or not all(isinstance(c, dict) for c in comments):
            raise runner.ToolFailed(TOOL, "JSON output has no list of comments")
        return comments

    def _finding(self, item: dict[str, Any], shifts: list[int]) -> Finding:
        """One shellcheck comment as a block-relative finding, columns moved past any prompt."""
        line = int(item.get("line") or 0) or None
        end_line = int(item.get("endLine") or 0) or None
        column = console.shift_column(shifts, line, int(item.get("column") or 0) or None)
        return Finding(
            TOOL,
            f"SC{item.get('code')}",
            tool_severity(TOOL, str(item.get("level"))),
            str(item.get("message", "")),
            line=line,
            column=column,
            end_line=end_line,
        )
