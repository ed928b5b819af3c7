"""Docker's build checks (``docker build --check``), decided from the Dockerfile without a daemon.

Docker calls build checks "a dry-run mode for builds": the frontend evaluates the Dockerfile and reports
rule violations instead of building. No registry this project uses ships Buildx or a BuildKit daemon, so
this check implements the published rules (:mod:`.rules`) on BuildKit's own parse (the ``dockerfile``
package), honouring the ``# check=`` directive exactly as the frontend does. Rules that need the base
image from a registry are listed as not checked, and a verdict that would depend on the image's
configuration is only given when the file alone decides it. Nothing is executed.

Findings are ``buildkit/<Rule>`` warnings at the instruction's line (errors under ``# check=error=true``),
each with the rule's page of Docker's reference as its hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from docs_examples import distributions
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import build_context, buildkit
from docs_examples.checks.base import Check
from docs_examples.checks.build_checks import lint as rules_lint
from docs_examples.checks.build_checks.directive import CheckConfig, check_config, frontend_without_checks
from docs_examples.checks.build_checks.model import load
from docs_examples.checks.build_checks.rules import RULES_BY_NAME
from docs_examples.findings import Finding, Severity

TOOL = rules_lint.TOOL
VERSION = "build checks 1"  # bump when a rule changes, so cached verdicts are redone


def build_check_findings(text: str, context: Path | None = None) -> list[Finding]:
    """Every build-check finding for one Dockerfile (block-relative lines), sorted by line.

    ``context`` is the build context of a Dockerfile included from a file: its ``.dockerignore`` feeds
    ``CopyIgnoredFile``. A file BuildKit cannot parse gets none: its syntax finding already fails it.
    """
    df = load(text)
    if df is None:
        return []
    old = frontend_without_checks(text)  # first: such a frontend does not read # check= at all
    if old is not None:
        message = f"# syntax={old[0]} selects a Dockerfile frontend older than 1.8, which runs no build checks"
        return [_directive_finding(text, old[1], message, Severity.INFO, rule="no-build-checks")]
    config = check_config(text)
    if config.problem is not None:
        message = f"BuildKit refuses this # check= directive ({config.problem}), so the build fails"
        return [_directive_finding(text, config.line, message, Severity.ERROR)]
    linter = rules_lint.Linter(text, config)
    rules_lint.parse_rules(df, linter)
    rules_lint.stage_rules(df, linter)
    rules_lint.from_rules(df, linter)
    dispatch = rules_lint.Dispatch(df, linter, context)
    if context is not None:
        dispatch.ignore = build_context.ignore_rules(context)
    dispatch.run()
    findings = linter.findings + _unknown_names(text, config)
    return sorted(findings, key=lambda f: (f.line or 0, f.rule))


def _unknown_names(text: str, config: CheckConfig) -> list[Finding]:
    """An info finding per rule name in ``# check=`` that no rule has (BuildKit ignores it silently)."""
    out = []
    for name in config.names:
        if name not in RULES_BY_NAME:
            close = difflib.get_close_matches(name, RULES_BY_NAME, n=1)
            message = f"# check= names {name!r}, which is not a build-check rule, so it changes nothing"
            hint = f"did you mean `{close[0]}`?" if close else None
            out.append(_directive_finding(text, config.line, message, Severity.INFO, hint=hint))
    return out


def _directive_finding(
    text: str,
    line: int | None,
    message: str,
    severity: Severity,
    *,
    rule: str = "check-directive",
    hint: str | None = None,
) -> Finding:
    column = buildkit.indent_column(text, line) if line else None
    return Finding(TOOL, rule, severity, message, line=line, column=column, hint=hint)


class BuildKitChecks(Check):
    """Docker's build checks, in-process on BuildKit's parse; no subprocess, no daemon."""

    name = "buildkit-checks"
    tool = TOOL
    kinds = frozenset({Kind.DOCKERFILE})
    reads_files = True  # an included Dockerfile's .dockerignore (CopyIgnoredFile)

    def version(self) -> str:
        buildkit.BuildKitSyntax(self.settings).version()  # the parser is the same package: missing → ToolMissing
        return f"{VERSION} (dockerfile {distributions.version('dockerfile')})"

    def describe(self) -> str:
        return "BuildKit build checks"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        out = {}
        for block in blocks:
            path = build_context.dockerfile_path(block, self.settings.root)
            out[block.id] = build_check_findings(block.text, path.parent if path is not None else None)
        return out


__all__ = ["BuildKitChecks", "build_check_findings"]
