"""JSON, Python and HCL syntax checks, and every check of this family failing loudly when its tool is missing."""

from __future__ import annotations

import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import REGISTRY, available, runner
from docs_examples.checks import hcl as hcl_mod
from docs_examples.checks.hcl import HclSyntax
from docs_examples.checks.json_syntax import JsonSyntax
from docs_examples.checks.python_syntax import PythonSyntax
from docs_examples.findings import Category, Severity, Status
from docs_examples.pipeline import Pipeline
from docs_examples.settings import Settings

# -- JSON -----------------------------------------------------------------------------------------------


def test_json_good_passes(settings: Settings) -> None:
    block = make_block('{\n  "name": "myapp",\n  "ports": [8000]\n}', kind=Kind.JSON)
    assert JsonSyntax(settings).check([block]) == {}


def test_json_error_is_located(settings: Settings) -> None:
    block = make_block('{\n  "name": "myapp",\n  "ports": [8000,]\n}', kind=Kind.JSON, fence_line=3, indent=4)
    [finding] = JsonSyntax(settings).check([block])[block.id]
    assert (finding.rule, finding.severity, finding.line, finding.column) == ("json-syntax", Severity.ERROR, 3, 18)
    located = block.locate(finding)
    assert (located.line, located.column) == (6, 22)


def test_json_describe(settings: Settings) -> None:
    assert JsonSyntax(settings).describe() == "JSON syntax"


# -- Python ---------------------------------------------------------------------------------------------


def test_python_good_passes_and_is_never_run(settings: Settings, tmp_path) -> None:
    marker = tmp_path / "ran"
    text = f"from pathlib import Path\n\nPath({str(marker)!r}).write_text('x')\nraise SystemExit(3)\n"
    block = make_block(text, kind=Kind.PYTHON)
    assert PythonSyntax(settings).check([block]) == {}
    assert not marker.exists()


def test_python_syntax_error_is_located(settings: Settings) -> None:
    block = make_block("def handler(request):\n    return {'ok': True\n", kind=Kind.PYTHON)
    [finding] = PythonSyntax(settings).check([block])[block.id]
    assert (finding.rule, finding.line, finding.column) == ("SyntaxError", 2, 12)


def test_python_indentation_error(settings: Settings) -> None:
    block = make_block("if True:\nprint('x')\n", kind=Kind.PYTHON)
    [finding] = PythonSyntax(settings).check([block])[block.id]
    assert (finding.rule, finding.line) == ("IndentationError", 2)


def test_python_describe(settings: Settings) -> None:
    assert PythonSyntax(settings).describe() == "Python syntax (ast)"


# -- HCL ------------------------------------------------------------------------------------------------

TERRAFORM = """\
terraform {
  required_version = ">= 1.9"
}

variable "replicas" {
  type    = number
  default = 3
}

resource "kubernetes_deployment_v1" "app" {
  metadata {
    name = "myapp-${var.replicas}"
  }
  spec {
    replicas = var.replicas
  }
}
"""


def test_hcl_good_passes(settings: Settings) -> None:
    block = make_block(TERRAFORM, kind=Kind.HCL)
    assert HclSyntax(settings).check([block]) == {}


def test_hcl_errors_are_located(settings: Settings) -> None:
    broken = TERRAFORM.replace("default = 3", "default =").replace(
        'name = "myapp-${var.replicas}"', "name = 1\n    name = 2"
    )
    block = make_block(broken, kind=Kind.HCL)
    found = HclSyntax(settings).check([block])[block.id]
    # Every diagnostic of the parser, each at its own place.
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("hcl/invalid-expression", 7, 12),
        ("hcl/attribute-redefined", 13, 5),
    ]
    assert "already set" in found[1].message


def test_hcl_functions_are_not_evaluated(settings: Settings) -> None:
    block = make_block('locals {\n  secret = file("/etc/shadow")\n  home   = env("HOME")\n}\n', kind=Kind.HCL)
    assert HclSyntax(settings).check([block]) == {}


def test_hcl_describe_says_syntax_only(settings: Settings) -> None:
    text = HclSyntax(settings).describe()
    assert text.startswith("HCL syntax (pygohcl 1.2.9") and "not Terraform semantics" in text


def test_hcl_is_registered() -> None:
    assert REGISTRY["hcl"] == "docs_examples.checks.hcl:HclSyntax"
    assert "hcl" in available()


# -- a missing tool is an error through the pipeline ----------------------------------------------------

CASES = [
    ("compose", Kind.COMPOSE, "services:\n  web:\n    image: nginx\n"),
    ("actionlint", Kind.WORKFLOW, "on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make\n"),
    ("kustomize", Kind.KUSTOMIZATION, "resources:\n  - deployment.yaml\n"),
    (
        "prometheus",
        Kind.PROMETHEUS_RULES,
        "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n",
    ),
]


@pytest.mark.parametrize(("check", "kind", "text"), CASES, ids=[c[0] for c in CASES])
def test_missing_tool_is_status_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, check: str, kind: Kind, text: str
) -> None:
    def missing(name: str, configured: str | None = None) -> str:
        raise runner.ToolMissing(name)

    monkeypatch.setattr(runner, "find_tool", missing)
    block = make_block(text, kind=kind)
    [result] = Pipeline(settings, only=[check]).check_blocks([block])
    assert result.status is Status.ERROR
    [finding] = result.findings
    assert finding.category is Category.TOOL_ERROR and "install it with" in finding.message


def test_missing_hcl_parser_is_status_error(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hcl_mod, "PACKAGE", "pygohcl-not-installed")
    [result] = Pipeline(settings, only=["hcl"]).check_blocks([make_block(TERRAFORM, kind=Kind.HCL)])
    assert result.status is Status.ERROR
    assert result.findings[0].category is Category.TOOL_ERROR


@pytest.mark.parametrize(
    ("check", "kind", "text"),
    [
        ("json", Kind.JSON, '{"a": 1}'),
        ("python", Kind.PYTHON, "print('hi')\n"),
        ("hcl", Kind.HCL, TERRAFORM),
        ("compose", Kind.COMPOSE, "services:\n  web:\n    image: nginx\n"),
    ],
)
def test_good_blocks_pass_through_the_pipeline(settings: Settings, check: str, kind: Kind, text: str) -> None:
    [result] = Pipeline(settings, only=[check]).check_blocks([make_block(text, kind=kind)])
    assert result.status is Status.PASSED, result.findings


def test_a_crashing_check_is_a_located_tool_error_never_a_pass(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that raises (a bug, not a verdict) fails its block with ``check-crashed``, naming the exception
    and the file and line it was raised at; the finding is not cached, so the next run tries again."""

    def crash(text: str) -> list[object]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(PythonSyntax, "check_text", staticmethod(crash))
    [result] = Pipeline(settings, only=["python"]).check_blocks([make_block("print('hi')\n", kind=Kind.PYTHON)])
    assert result.status is Status.ERROR
    [finding] = result.findings
    line = crash.__code__.co_firstlineno + 1
    assert (finding.category, finding.rule) == (Category.TOOL_ERROR, "check-crashed")
    assert finding.message == f"check crashed: ZeroDivisionError: division by zero (test_check_misc.py:{line})"
