"""The JSON report: the contract other tools depend on (documented in the README; ``version`` 1)."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from docs_examples.findings import Finding
from docs_examples.reports.base import Writer
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report

VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    """A judged finding as the contract names it (``Finding.to_dict``: the one JSON form of a finding)."""
    return f.to_dict()


def result_dict(r: Result, labels: dict[str, str] | None = None) -> dict[str, Any]:
    b = r.block
    return {
        "file": b.page,
        "index": b.index,
        "fence_line": b.fence_line,
        "end_line": b.end_line,
        "language": b.language,
        "kind": b.kind.value,
        "title": b.title,
        "heading": b.heading,
        "tabs": list(b.tabs),
        "includes": list(b.includes),
        "status": r.status.value,
        "note": r.note,
        "checks": [
            {
                "check": c.check,
                "tool": c.tool_version,
                "label": (labels or {}).get(c.check, c.tool_version),
                "cached": c.cached,
            }
            for c in r.checks
        ],
        "findings": [finding_dict(f) for f in r.findings],
    }


def suppression_dict(report: Report) -> dict[str, Any]:
    """What the ignore option and the baseline did: counts, stale baseline entries, unused ignore patterns."""
    outcome = report.suppression
    suppressed = report.suppressed()
    baseline = sum(1 for f in suppressed if f.suppressed is not None and f.suppressed.by == "baseline")
    return {
        "baseline": outcome.baseline if outcome else None,
        "suppressed": {"baseline": baseline, "ignore": len(suppressed) - baseline},
        "stale": [
            {"page": e.page, "where": e.where, "block": e.block, "tool": e.tool, "rule": e.rule, "count": e.count}
            for e in (outcome.stale if outcome else [])
        ],
        "unused_ignores": [r.pattern for r in (outcome.unused_ignores if outcome else [])],
    }


class JsonWriter(Writer):
    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.results: list[Result] = []

    def write(self, result: Result) -> None:
        self.results.append(result)  # labels come with the report, in flush

    def flush(self, report: Report) -> None:
        settings = report.settings
        doc = {
            "version": VERSION,
            "blocks": [result_dict(r, report.labels) for r in self.results],
            "problems": [finding_dict(f) for f in report.problems],
            "summary": report.summary.to_dict(),
            "tools": dict(sorted(report.tools.items())),
            "labels": dict(sorted(report.labels.items())),
            "kubernetes_versions": list(settings.kubernetes_versions) if settings else [],
        }
        if report.suppression is not None and report.suppression.configured:
            doc["suppression"] = suppression_dict(report)
        write_lines(doc, self.stream)


# The standard library encodes in C only without indentation; ``indent=2`` runs its pure-Python encoder,
# the largest single cost of writing a report (10 ms of every 400 blocks).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def write_lines(doc: dict[str, Any], stream: IO[str]) -> None:
    """``doc`` as JSON with a line per top-level key and a line per object of a top-level list (a block, a
    problem): readable, ``grep``-able and diff-friendly, and encoded in C a line at a time."""
    encode = _ENCODER.encode
    last = len(doc) - 1
    out = ["{"]
    for n, (key, value) in enumerate(doc.items()):
        comma = "," if n < last else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"  {encode(key)}: [")
            out.extend(f"    {encode(item)}," for item in value[:-1])
            out.append(f"    {encode(value[-1])}")
            out.append(f"  ]{comma}")
        else:
            out.append(f"  {encode(key)}: {encode(value)}{comma}")
    out.append("}\n")
    stream.write("\n".join(out))
