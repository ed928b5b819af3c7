"""GitHub Actions workflow commands: ``::error file=…,line=…::message`` annotate the pull request diff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docs_examples.findings import Finding, Severity
from docs_examples.reports.base import Writer, counts, mark
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding, failing: bool | None = None) -> str:
    failing = f.fails if failing is None else failing
    level = "error" if failing and f.severity is Severity.ERROR else "warning" if failing else "notice"
    props = [f"file={_prop(f.file or '')}"]
    if f.line:
        props.append(f"line={f.line}")
    if f.column:
        props.append(f"col={f.column}")
    props.append(f"title={_prop(f'{f.tool} {f.rule}')}")
    message = f.message + (f" ({f.hint})" if f.hint else "") + mark(f)
    return f"::{level} {','.join(props)}::{_data(message)}"


class GitHubWriter(Writer):
    def write(self, result: Result) -> None:
        for f in result.findings:
            self.stream.write(command(f, counts(result, f)) + "\n")

    def flush(self, report: Report) -> None:
        for f in report.problems:
            self.stream.write(command(f) + "\n")
        self.stream.write(f"::notice title=docs-examples::{_data(report.summary.line())}\n")
