"""Helpers every check shares: a linter's own level names mapped to our severities."""

from __future__ import annotations

import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.base import tool_severity
from docs_examples.checks.hadolint import Hadolint
from docs_examples.checks.shellcheck import ShellCheck
from docs_examples.findings import Severity
from docs_examples.settings import Settings


@pytest.mark.parametrize("level", ["error", "warning", "info", "style"])
def test_levels_spelled_like_ours_map_to_our_severity(level: str) -> None:
    assert tool_severity("hadolint", level) is Severity(level)


@pytest.mark.parametrize("level", ["fatal", "Error", "note", ""])
def test_unknown_level_is_a_tool_failure_naming_the_tool(level: str) -> None:
    with pytest.raises(runner.ToolFailed, match=rf"unknown severity level {level!r} in shellcheck's JSON output"):
        tool_severity("shellcheck", level)


def test_hadolint_and_shellcheck_results_with_an_unknown_level_fail_the_tool(settings: Settings) -> None:
    """The level field of a tool's JSON result goes through the helper; nothing guesses a severity."""
    dockerfile = make_block("FROM alpine:3.20\n", kind=Kind.DOCKERFILE)
    item = {"code": "DL3000", "level": "critical", "line": 1, "column": 1, "message": "m", "file": "x"}
    with pytest.raises(runner.ToolFailed, match="'critical' in hadolint's"):
        Hadolint(settings)._finding(dockerfile, item)
    comment = {"code": 2086, "level": "critical", "line": 1, "column": 1, "message": "m", "file": "x"}
    with pytest.raises(runner.ToolFailed, match="'critical' in shellcheck's"):
        ShellCheck(settings)._finding(comment, [])
    assert ShellCheck(settings)._finding({**comment, "level": "info"}, []).severity is Severity.INFO
