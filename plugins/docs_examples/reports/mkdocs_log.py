"""MkDocs' log: each failing finding is a WARNING, which ``mkdocs build --strict`` counts.

This writer takes any :class:`logging.Logger` (the plugin passes ``get_plugin_logger``'s), so it does not
import MkDocs; the core stays usable when Material for MkDocs is gone.

The findings of a deliberate anti-pattern (an ``expect-fail`` block that broke the rule it shows) are logged
at INFO and say so in words, so that a reader of the build log does not take them for failures.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from docs_examples.findings import Finding, Status
from docs_examples.reports.base import Writer, counts, headline, suppression_lines
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report

INTENDED = "fails as intended (anti-pattern example)"


class MkDocsLogWriter(Writer):
    def __init__(self, logger: logging.Logger | logging.LoggerAdapter[Any], stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.log = logger

    def _emit(self, f: Finding, fails: bool, prefix: str = "") -> None:
        where = f"{f.file}:{f.line}" if f.line else f"{f.file}"
        # A site adopting the checker may record hundreds of failures: one summary line, each only with -v.
        level = self.log.warning if fails else self.log.debug if f.suppressed else self.log.info
        level("%s: %s%s", where, prefix, headline(f))

    def write(self, result: Result) -> None:
        # A block that did not fail (an expect-fail anti-pattern breaking its rule on purpose) logs its
        # findings as information: a WARNING would fail `mkdocs build --strict` on a correct page.
        intended = result.status is Status.EXPECTED_FAILURE
        for f in result.findings:
            fails = counts(result, f)
            self._emit(f, fails, f"{INTENDED}: " if intended and not fails else "")

    def write_problems(self, problems: Iterable[Finding]) -> None:
        """Findings that belong to a page, not a block, found after the report (a refused download)."""
        for f in problems:
            self._emit(f, bool(f.fails))

    def flush(self, report: Report) -> None:
        self.write_problems(report.problems)
        for line in suppression_lines(report, listed="mkdocs build -v"):  # information: never fails a build
            self.log.info("examples: %s", line)
        self.log.info("examples: %s", report.summary.line())
