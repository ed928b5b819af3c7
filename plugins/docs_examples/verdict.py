"""The verdict: the one place that decides whether a finding fails its block, and what each block's status is.

``fail_on`` (the lowest severity that fails a block) is read here and nowhere else. Every finding that
leaves the pipeline is stamped with ``Finding.fails``; the report writers, the status lines, the MkDocs log
(and so ``mkdocs build --strict``) and the CLI's exit code only read that stamp and the statuses decided here.

A finding fails its block when it is a tool error, a directive or extraction problem (those are never a
matter of taste), or a lint finding at ``fail_on`` or worse, unless the site suppresses it: the ``ignore``
option or the baseline (:mod:`docs_examples.suppress`) may say, with a reason, that a failure it knows of
does not fail. A suppressed finding keeps its place in every report, marked with that reason and stamped
``fails=False``, so writers, status lines, the MkDocs log and exit codes follow without knowing why. A tool
error is never suppressed, and an anti-pattern's expected failures are judged before any suppression.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from docs_examples.blocks.model import Block
from docs_examples.directives import Directive
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.results import CheckRun, Result
from docs_examples.suppress import Suppressor


@dataclass(frozen=True, slots=True)
class Verdict:
    """Decides with one threshold: ``Verdict(Severity.WARNING)`` fails errors and warnings.

    ``suppress`` (one run's ignores and baseline) is asked about each finding that would fail.
    """

    fail_on: Severity = Severity.WARNING
    suppress: Suppressor | None = None

    def with_suppressions(self, suppress: Suppressor | None) -> Verdict:
        """The same threshold, with one run's suppressions."""
        return replace(self, suppress=suppress)

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` fails its block by the threshold (before any suppression)."""
        return finding.category is not Category.LINT or finding.severity.at_least(self.fail_on)

    def judge(self, finding: Finding, page: str | None = None) -> Finding:
        """``finding`` with its ``fails`` stamp; a page problem (``page``: the page it was found on) may be
        suppressed."""
        judged = finding.moved(fails=self.fails(finding))
        return self._suppressed(page or finding.file or "", None, judged) if page is not None else judged

    def judge_all(self, findings: Iterable[Finding]) -> list[Finding]:
        return [self.judge(f) for f in findings]

    def _suppressed(self, page: str, block: Block | None, finding: Finding) -> Finding:
        """A failing finding the site suppresses, stamped not failing with the reason; any other unchanged."""
        if not finding.fails or self.suppress is None or finding.category is Category.TOOL_ERROR:
            return finding
        why = self.suppress(page, block, finding)
        return finding if why is None else finding.moved(fails=False, suppressed=why)

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
        if self.suppress is not None and result.status in (Status.FAILED, Status.ERROR):
            self._suppress_block(result, skipped=bool(page_reason or directive.skip))
        return result

    def _suppress_block(self, result: Result, *, skipped: bool) -> None:
        """Suppress what the site suppresses of a failed block; with nothing left failing it passes (or stays
        skipped). A block with a tool error keeps its status: nothing is known about it."""
        result.findings = [self._suppressed(result.block.page, result.block, f) for f in result.findings]
        if result.status is Status.FAILED and not any(f.fails for f in result.findings):
            result.status = Status.SKIPPED if skipped else Status.PASSED

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
