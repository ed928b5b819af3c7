"""JUnit XML: one testcase per block, named ``page › tabs › title``, for CI test dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO, TYPE_CHECKING

from docs_examples.findings import Status
from docs_examples.reports.base import Writer, headline, position
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report


class JUnitWriter(Writer):
    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.cases: list[ET.Element] = []

    def write(self, result: Result) -> None:
        b = result.block
        case = ET.Element(
            "testcase",
            {
                "classname": b.page,
                "name": f"{b.label} (line {b.fence_line})",
                "file": b.page,
                "line": str(b.fence_line),
            },
        )
        details = "\n".join(f"{position(f)}: {f.severity.value}: {headline(f)}" for f in result.findings)
        if result.status is Status.FAILED:
            failing = [f for f in result.findings if f.fails]
            el = ET.SubElement(case, "failure", {"message": headline(failing[0]) if failing else "block failed"})
            el.text = details
        elif result.status is Status.ERROR:
            el = ET.SubElement(case, "error", {"message": "a tool could not check this block"})
            el.text = details
        elif result.status in (Status.SKIPPED, Status.UNCHECKED):
            ET.SubElement(case, "skipped", {"message": f"{result.status.value}: {result.note or ''}".strip()})
        elif details:  # passed with notes, or an expect-fail anti-pattern failing as intended
            ET.SubElement(case, "system-out").text = details
        self.cases.append(case)

    def flush(self, report: Report) -> None:
        s = report.summary
        suite = ET.Element(
            "testsuite",
            {
                "name": "docs-examples",
                "tests": str(len(self.cases) + len(report.problems)),
                "failures": str(s.failed + sum(1 for p in report.problems if p.fails)),
                "errors": str(s.error),
                "skipped": str(s.skipped + s.unchecked),
                "time": f"{s.seconds:.3f}",
            },
        )
        suite.extend(self.cases)
        for f in report.problems:
            case = ET.SubElement(suite, "testcase", {"classname": f.file or "", "name": f"{position(f)} {f.rule}"})
            ET.SubElement(case, "failure" if f.fails else "skipped", {"message": headline(f)})
        root = ET.Element("testsuites")
        root.append(suite)
        ET.indent(root)
        self.stream.write('<?xml version="1.0" encoding="utf-8"?>\n')
        self.stream.write(ET.tostring(root, encoding="unicode"))
        self.stream.write("\n")
