"""The workflow check runs the real actionlint (kjanat fork) with the venv's shellcheck."""

from __future__ import annotations

import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.actionlint import ActionLint
from docs_examples.findings import Severity
from docs_examples.settings import Settings

GOOD = """\
name: ci
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: "3.13"
      - run: python -m pip install -r requirements.txt
      - run: python -m pytest -q
"""

UNQUOTED = """\
on: push
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: echo $FOO
"""

BAD_KEY = """\
on: push
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - run: make
    timeout_minutes: 10
"""


def test_version_names_the_fork(settings: Settings) -> None:
    assert ActionLint(settings).version() == "actionlint 1.14.0 (kjanat fork)"


def test_good_workflow_passes(settings: Settings) -> None:
    block = make_block(GOOD, kind=Kind.WORKFLOW)
    assert ActionLint(settings).check([block]).get(block.id, []) == []


def test_run_steps_are_shellchecked(settings: Settings) -> None:
    block = make_block(UNQUOTED, kind=Kind.WORKFLOW)
    [finding] = ActionLint(settings).check([block])[block.id]
    assert (finding.tool, finding.rule, finding.line, finding.column) == ("shellcheck", "SC2086", 6, 19)
    assert finding.severity is Severity.INFO  # shellcheck's own level for SC2086


def test_unknown_job_key_is_an_error_at_its_position(settings: Settings) -> None:
    block = make_block(BAD_KEY, kind=Kind.WORKFLOW, fence_line=20, indent=4)
    [finding] = ActionLint(settings).check([block])[block.id]
    assert (finding.rule, finding.severity, finding.line, finding.column) == (
        "actionlint/syntax-check",
        Severity.ERROR,
        7,
        5,
    )
    assert '"timeout_minutes"' in finding.message
    located = block.locate(finding)
    assert (located.file, located.line, located.column) == ("docs/test.md", 27, 9)


def test_untrusted_expression_in_script(settings: Settings) -> None:
    text = UNQUOTED.replace("echo $FOO", "echo '${{ github.event.issue.title }}'")
    block = make_block(text, kind=Kind.WORKFLOW)
    rules = [f.rule for f in ActionLint(settings).check([block])[block.id]]
    assert "actionlint/expression" in rules


def test_all_blocks_go_to_one_process(settings: Settings, runner_calls: list[list[str]]) -> None:
    blocks = [
        make_block(GOOD, kind=Kind.WORKFLOW, index=0),
        make_block(UNQUOTED, kind=Kind.WORKFLOW, index=1),
        make_block(BAD_KEY, kind=Kind.WORKFLOW, index=2),
        make_block(GOOD, kind=Kind.WORKFLOW, index=3),
    ]
    found = ActionLint(settings).check(blocks)
    assert len(runner_calls) == 1
    assert [a for a in runner_calls[0] if a.startswith(".github/workflows/")] == [
        f".github/workflows/{n}.yaml" for n in range(4)
    ]
    # Each error came back to the block it belongs to.
    assert {block_id: [f.rule for f in fs] for block_id, fs in found.items()} == {
        blocks[1].id: ["SC2086"],
        blocks[2].id: ["actionlint/syntax-check"],
    }


def test_missing_shellcheck_is_tool_missing(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    real = runner.find_tool

    def no_shellcheck(name: str, configured: str | None = None) -> str:
        if name == "shellcheck":
            raise runner.ToolMissing(name)
        return real(name, configured)

    monkeypatch.setattr(runner, "find_tool", no_shellcheck)
    with pytest.raises(runner.ToolMissing):
        ActionLint(settings).check([make_block(UNQUOTED, kind=Kind.WORKFLOW)])
