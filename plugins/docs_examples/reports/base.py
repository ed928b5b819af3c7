"""The writer interface and the small helpers writers share."""

from __future__ import annotations

import abc
import sys
from typing import IO, TYPE_CHECKING

from docs_examples.findings import Finding
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report


class Writer(abc.ABC):
    """Writes results to ``stream`` (stdout by default)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout

    @abc.abstractmethod
    def write(self, result: Result) -> None:
        """Take one block's result."""

    @abc.abstractmethod
    def flush(self, report: Report) -> None:
        """Write what is left: page problems, the summary, the document's closing."""

    def write_report(self, report: Report) -> None:
        for result in report.results:
            self.write(result)
        self.flush(report)


def counts(result: Result, f: Finding) -> bool:
    """Whether a finding fails the run: it fails its block and the block failed.

    An expect-fail anti-pattern breaks its rule on purpose; its findings are shown, never counted.
    """
    return bool(f.fails) and result.failed


def position(f: Finding) -> str:
    """``docs/x.md:41:5`` (column only when known)."""
    where = f"{f.file}:{f.line}" if f.line else f"{f.file}"
    return f"{where}:{f.column}" if f.line and f.column else where


def headline(f: Finding) -> str:
    """``[hadolint DL3007] message (did you mean …)`` — the part after the position, shared by text writers."""
    text = f"[{f.tool} {f.rule}] {f.message}"
    if f.versions and not any(v in f.message for v in f.versions):
        text += f" (Kubernetes {', '.join(f.versions)})"
    if f.hint:
        text += f" ({f.hint})"
    return text
