"""The verdict: the one place that decides whether a finding fails its block, and what each block's status is.

``fail_on`` (the lowest severity that fails a block) is read here and nowhere else. Every finding that
leaves the pipeline is stamped with ``Finding.fails``; the report writers, the status lines, the MkDocs log
(and so ``mkdocs build --strict``) and the CLI's exit code only read that stamp and the statuses decided here.

A finding fails its block when it is a tool error, a directive or extraction problem (those are never a
matter of taste), or a lint finding at ``fail_on`` or worse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from docs_examples.blocks.model import Block
from docs_examples.directives import Directive
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.results import CheckRun, Result


@dataclass(frozen=True, slots=True)
class Verdict:
    """Decides with one threshold: ``Verdict(Severity.WARNING)`` fails errors and warnings."""

    fail_on: Severity = Severity.WARNING

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` fails its block."""
        return finding.category is not Category.LINT or finding.severity.at_least(self.fail_on)

    def judge(self, finding: Finding) -> Finding:
        """``finding`` with its ``fails`` stamp."""
        return finding.moved(fails=self.fails(finding))

    def judge_all(self, findings: Iterable[Finding]) -> list[Finding]:
        return [self.judge(f) for f in findings]

    def result(
        self,
        block: Block,
        directive: Directive,
        findings: list[Finding],
        runs: list[CheckRun],
        page_reason: str | None = None,
    ) -> Result:
        """The block's status from its located findings, its directive and the checks that ran on it.

        ``findings`` are the block's located findings in report order (extraction, directive, then every
        check's); they come back judged in ``Result.findings``.
        """
        judged = self.judge_all(findings)
        failing = [f for f in judged if f.fails]
        result = Result(block=block, status=Status.PASSED, findings=judged, checks=runs)
        directive_problems = [f for f in judged if f.category is Category.DIRECTIVE]
        if page_reason or directive.skip:
            result.status = Status.FAILED if directive_problems else Status.SKIPPED
            result.note = page_reason or directive.reason
        elif any(f.category is Category.TOOL_ERROR for f in judged):
            result.status = Status.ERROR
        elif not runs and not failing:
            result.status = Status.UNCHECKED
            result.note = block.meta.get("unchecked") or f"no check covers {block.kind.value} blocks"
        elif directive.expect_fail:
            self._expected(result, directive, failing)
        else:
            result.status = Status.FAILED if failing else Status.PASSED
        return result

    def _expected(self, result: Result, directive: Directive, failing: list[Finding]) -> None:
        """An anti-pattern (``data-check="expect-fail"``) must break its rules, and only lint ones."""
        lint = [f for f in failing if f.category is Category.LINT]
        broken = {rule for f in lint for rule in f.rules}  # a merged finding answers to each of its ids
        missing = [r for r in directive.expect if r not in broken]
        other = [f for f in failing if f.category is not Category.LINT]
        if lint and not missing and not other:
            result.status = Status.EXPECTED_FAILURE
            result.note = ", ".join(directive.expect) if directive.expect else ", ".join(sorted(broken))
            return
        if not lint:
            rule, message = (
                "expect-fail-passed",
                "expect-fail block passed every check; fix the example or drop the directive",
            )
        else:
            rule = "expect-fail-mismatch"
            message = f"expect-fail block did not break {', '.join(missing)} (it broke {', '.join(sorted(broken))})"
        problem = Finding(
            tool="docs-examples",
            rule=rule,
            severity=Severity.ERROR,
            message=message,
            line=0,
            category=Category.DIRECTIVE,
        )
        result.findings.append(self.judge(result.block.locate(problem)))
        result.status = Status.FAILED


DEFAULT_VERDICT = Verdict()  # ``fail_on: warning``, the default setting
