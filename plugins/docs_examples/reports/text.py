"""Plain text: one ``file:line:col: severity: [tool RULE] message`` line per finding, then a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docs_examples.findings import Result, Status
from docs_examples.reports.base import Writer, headline, position

if TYPE_CHECKING:
    from docs_examples.pipeline import Report


class TextWriter(Writer):
    def __init__(self, stream=None, *, verbose: bool = False) -> None:
        super().__init__(stream)
        self.verbose = verbose

    def write(self, result: Result) -> None:
        for f in result.findings:
            if not f.fails and not self.verbose:
                continue
            label = f.severity.value if f.fails else f"{f.severity.value} (not failing)"
            self.stream.write(f"{position(f)}: {label}: {headline(f)}\n")
        if result.status is Status.FAILED and not any(f.fails for f in result.findings):
            b = result.block
            self.stream.write(f"{b.page}:{b.fence_line}: error: block failed\n")

    def flush(self, report: Report) -> None:
        for f in report.problems:
            self.stream.write(f"{position(f)}: {f.severity.value}: {headline(f)}\n")
        self.stream.write(report.summary.line() + "\n")
