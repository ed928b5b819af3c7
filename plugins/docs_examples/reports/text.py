"""Plain text: one ``file:line:col: severity: [tool RULE] message`` line per finding, then a summary."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from docs_examples.findings import Finding, Status
from docs_examples.reports.base import Writer, counts, headline, position, suppression_lines
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report


class TextWriter(Writer):
    def __init__(self, stream: IO[str] | None = None, *, verbose: bool = False) -> None:
        super().__init__(stream)
        self.verbose = verbose

    def write(self, result: Result) -> None:
        for f in result.findings:
            failing = counts(result, f)
            if not failing and not self.verbose:
                continue
            label = f.severity.value if failing else f"{f.severity.value} ({self._why(result, f)})"
            self.stream.write(f"{position(f)}: {label}: {headline(f)}\n")

    @staticmethod
    def _why(result: Result, f: Finding) -> str:
        if f.fails and result.status is Status.EXPECTED_FAILURE:
            return "expected: anti-pattern"
        return _suppressed(f) or "not failing"

    def flush(self, report: Report) -> None:
        for f in report.problems:
            if f.suppressed is not None and not self.verbose:
                continue
            label = f"{f.severity.value} ({_suppressed(f)})" if f.suppressed else f.severity.value
            self.stream.write(f"{position(f)}: {label}: {headline(f)}\n")
        for line in suppression_lines(report, listed=None if self.verbose else "-v"):
            self.stream.write(f"docs-examples: {line}\n")
        self.stream.write(report.summary.line() + "\n")


def _suppressed(f: Finding) -> str:
    """``ignored`` or ``baseline`` for a suppressed finding, ``""`` for any other."""
    if f.suppressed is None:
        return ""
    return "ignored" if f.suppressed.by == "ignore" else f.suppressed.by
