"""MkDocs' log: each failing finding is a WARNING, which ``mkdocs build --strict`` counts.

This writer takes any :class:`logging.Logger` (the plugin passes ``get_plugin_logger``'s), so it does not
import MkDocs; the core stays usable when Material for MkDocs is gone.
"""

from __future__ import annotations

import logging
from typing import IO, TYPE_CHECKING

from docs_examples.findings import Finding
from docs_examples.reports.base import Writer, counts, headline
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report


class MkDocsLogWriter(Writer):
    def __init__(self, logger: logging.Logger, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.log = logger

    def _emit(self, f: Finding, fails: bool) -> None:
        where = f"{f.file}:{f.line}" if f.line else f"{f.file}"
        (self.log.warning if fails else self.log.info)("%s: %s", where, headline(f))

    def write(self, result: Result) -> None:
        # A block that did not fail (an expect-fail anti-pattern breaking its rule on purpose) logs its
        # findings as information: a WARNING would fail `mkdocs build --strict` on a correct page.
        for f in result.findings:
            self._emit(f, counts(result, f))

    def flush(self, report: Report) -> None:
        for f in report.problems:
            self._emit(f, bool(f.fails))
        self.log.info("examples: %s", report.summary.line())
