"""SARIF 2.1.0, the format GitHub code scanning accepts: one run, one rule per (tool, rule id)."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from docs_examples import __version__
from docs_examples.findings import Finding, Severity, Status
from docs_examples.reports.base import Writer
from docs_examples.results import Result

if TYPE_CHECKING:
    from docs_examples.results import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.STYLE: "note"}


def rule_id(f: Finding) -> str:
    return f"{f.tool}/{f.rule}"


class SarifWriter(Writer):
    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.rules: dict[str, dict[str, Any]] = {}
        self.results: list[dict[str, Any]] = []

    def _add(self, f: Finding, label: str | None = None, expected: bool = False) -> None:
        rid = rule_id(f)
        if rid not in self.rules:
            self.rules[rid] = {
                "id": rid,
                "name": f.rule,
                "shortDescription": {"text": f"{f.tool} {f.rule}"},
                "properties": {"tool": f.tool, "category": f.category.value},
            }
        region: dict[str, Any] = {"startLine": max(1, f.line or 1)}
        if f.column:
            region["startColumn"] = f.column
        message = f.message + (f" ({f.hint})" if f.hint else "")
        if label:
            message += f" — in {label}"
        result = {
            "ruleId": rid,
            "level": LEVELS[f.severity] if f.fails or f.severity is not Severity.ERROR else "error",
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": (f.file or "").replace("\\", "/"), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }
            ],
        }
        if not f.fails:
            result["level"] = "note"
        if expected:  # an expect-fail anti-pattern: shown in code scanning as suppressed, never as an alert
            result["suppressions"] = [{"kind": "inSource", "justification": 'data-check="expect-fail" anti-pattern'}]
        elif f.suppressed is not None:  # the baseline file or the ignore option, both outside the page
            why = f"{f.suppressed.by}: {f.suppressed.reason}"
            result["suppressions"] = [{"kind": "external", "justification": why}]
        self.results.append(result)

    def write(self, result: Result) -> None:
        expected = result.status is Status.EXPECTED_FAILURE
        for f in result.findings:
            self._add(f, result.block.label, expected=expected)

    def flush(self, report: Report) -> None:
        for f in report.problems:
            self._add(f)
        doc = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "docs-examples",
                            "version": __version__,
                            "informationUri": "https://example.org/proven-devops/",
                            "rules": list(self.rules.values()),
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
                    "results": self.results,
                }
            ],
        }
        json.dump(doc, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
