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
    return text + mark(f)


def mark(f: Finding) -> str:
    """`` [baseline: …]`` or `` [ignored: reason]`` after a suppressed finding; ``""`` for any other."""
    if f.suppressed is None:
        return ""
    label = "ignored" if f.suppressed.by == "ignore" else f.suppressed.by
    return f" [{label}: {f.suppressed.reason}]"


def suppression_lines(report: Report, *, listed: str | None) -> list[str]:
    """What the ignore option and the baseline did: counts, then each stale baseline entry.

    ``listed``: how to see the suppressed findings themselves (``-v``), None when they were written.
    """
    outcome = report.suppression
    suppressed = report.suppressed()
    lines: list[str] = []
    if suppressed:
        by_baseline = sum(1 for f in suppressed if f.suppressed is not None and f.suppressed.by == "baseline")
        parts = []
        if by_baseline:
            parts.append(f"{by_baseline} recorded in the baseline ({outcome.baseline if outcome else 'baseline'})")
        if len(suppressed) - by_baseline:
            parts.append(f"{len(suppressed) - by_baseline} ignored by the ignore option")
        tail = f" ({listed} lists them)" if listed else ""
        lines.append(f"{len(suppressed)} failing findings do not fail: {', '.join(parts)}{tail}")
    for entry in outcome.stale if outcome else []:
        lines.append(
            f"stale baseline entry: {entry.describe()} no longer fails; "
            "`docs-examples check --update-baseline` removes it"
        )
    return lines
