"""JSON syntax: ``json.loads`` with the error located at its line and column in the block."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import ClassVar

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity


class JsonSyntax(Check):
    """Parses JSON blocks with the standard library; nothing else is judged (no schema)."""

    name: ClassVar[str] = "json"
    tool: ClassVar[str] = "json"
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.JSON})

    def version(self) -> str:
        """The parser is Python's own, so its version is the interpreter's module version."""
        return f"json (Python {sys.version.split()[0]})"

    def describe(self) -> str:
        return "JSON syntax"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        return {b.id: found for b in blocks if (found := self.check_text(b.text))}

    @staticmethod
    def check_text(text: str) -> list[Finding]:
        """One finding at the first syntax error, or none."""
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return [
                Finding(
                    tool="json",
                    rule="json-syntax",
                    severity=Severity.ERROR,
                    message=f"invalid JSON: {exc.msg}",
                    line=exc.lineno,
                    column=exc.colno,
                )
            ]
        except RecursionError:
            return [Finding("json", "json-syntax", Severity.ERROR, "invalid JSON: nested too deeply", line=1)]
        return []
