"""Python syntax: the block is parsed with :func:`ast.parse`, never compiled to run and never executed."""

from __future__ import annotations

import ast
import platform
import warnings
from collections.abc import Sequence
from typing import ClassVar

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity


class PythonSyntax(Check):
    """Reports the first syntax error of a Python block at its line and column."""

    name: ClassVar[str] = "python"
    tool: ClassVar[str] = "python"
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.PYTHON})

    def version(self) -> str:
        """The grammar is this interpreter's: ``Python 3.11.9 ast``."""
        return f"Python {platform.python_version()} ast"

    def describe(self) -> str:
        return "Python syntax (ast)"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        return {b.id: found for b in blocks if (found := self.check_text(b.text))}

    @staticmethod
    def check_text(text: str) -> list[Finding]:
        """Parse only: ``ast.parse`` builds a tree and runs nothing (no compile to code, no exec)."""
        try:
            with warnings.catch_warnings():
                # An invalid escape sequence warns at parse time; it is the example's business, not ours.
                warnings.simplefilter("ignore")
                ast.parse(text, filename="<block>", mode="exec")
        except SyntaxError as exc:  # IndentationError and TabError are SyntaxErrors
            return [
                Finding(
                    tool="python",
                    rule=type(exc).__name__,
                    severity=Severity.ERROR,
                    message=f"{type(exc).__name__}: {exc.msg}",
                    line=exc.lineno or 1,
                    column=exc.offset or None,
                )
            ]
        except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
            return [Finding("python", "SyntaxError", Severity.ERROR, f"cannot parse: {exc}", line=1)]
        return []
