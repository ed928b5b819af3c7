"""What a run produced: each block's :class:`Result`, the :class:`Summary` counts and the whole :class:`Report`.

The pipeline makes these, :mod:`docs_examples.verdict` decides their statuses, and ``reports/`` and ``site/``
read them; none of those depends on the pipeline itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docs_examples.blocks.model import Block
from docs_examples.findings import Finding, Status

if TYPE_CHECKING:
    from docs_examples.settings import Settings
    from docs_examples.suppress import Outcome


@dataclass(slots=True)
class CheckRun:
    """What one check said about one block: its findings and the tool version that said it."""

    check: str
    tool_version: str
    findings: list[Finding] = field(default_factory=list)
    cached: bool = False


@dataclass(slots=True)
class Result:
    """One block, every check that ran on it, its located findings and its status."""

    block: Block
    status: Status
    findings: list[Finding] = field(default_factory=list)  # located: file/line in the source
    checks: list[CheckRun] = field(default_factory=list)
    note: str | None = None  # why skipped/unchecked, or what the expect-fail expected

    @property
    def failed(self) -> bool:
        return self.status in (Status.FAILED, Status.ERROR)


@dataclass(slots=True)
class Summary:
    """Counts for the closing line of every report."""

    blocks: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    expected_failure: int = 0
    unchecked: int = 0
    error: int = 0
    findings: int = 0
    seconds: float = 0.0
    cache_hits: int = 0
    cache_misses: int = 0

    @classmethod
    def of(cls, results: list[Result], seconds: float = 0.0, hits: int = 0, misses: int = 0) -> Summary:
        s = cls(blocks=len(results), seconds=seconds, cache_hits=hits, cache_misses=misses)
        for r in results:
            attr = r.status.value.replace("-", "_")
            setattr(s, attr, getattr(s, attr) + 1)
            s.findings += len(r.findings)
        return s

    @property
    def checked(self) -> int:
        return self.passed + self.failed + self.expected_failure + self.error

    def to_dict(self) -> dict[str, Any]:
        return {
            "blocks": self.blocks,
            "checked": self.checked,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "expected-failure": self.expected_failure,
            "unchecked": self.unchecked,
            "error": self.error,
            "findings": self.findings,
            "seconds": round(self.seconds, 3),
            "cache": {"hits": self.cache_hits, "misses": self.cache_misses},
        }

    def line(self) -> str:
        return (
            f"{self.blocks} blocks: {self.checked} checked, {self.passed} passed, {self.failed} failed, "
            f"{self.skipped} skipped, {self.expected_failure} expected-failure, {self.unchecked} unchecked"
            + (f", {self.error} tool errors" if self.error else "")
            + f" in {self.seconds:.2f}s"
        )


@dataclass(slots=True)
class Report:
    """One run: every block's result, the page-level problems, the counts and the tools that judged."""

    results: list[Result]
    problems: list[Finding]  # located, judged findings that belong to a page, not a block
    summary: Summary
    tools: dict[str, str] = field(default_factory=dict)  # check name → "hadolint 2.15.1"
    settings: Settings | None = None
    labels: dict[str, str] = field(default_factory=dict)  # check name → reader's phrase ("kubeconform strict")
    problem_pages: list[str] = field(default_factory=list)  # the page each problem was found on (site-relative)
    suppression: Outcome | None = None  # what the ignore option and the baseline did in this run

    def page_problems(self) -> list[tuple[str, Finding]]:
        """Each page problem with the page it was found on (its own file when that is not known)."""
        pages = self.problem_pages if len(self.problem_pages) == len(self.problems) else []
        return [(pages[i] if pages else f.file or "", f) for i, f in enumerate(self.problems)]

    def suppressed(self) -> list[Finding]:
        """Every finding that would fail but that the site's ignore option or baseline suppresses."""
        found = [f for r in self.results for f in r.findings] + self.problems
        return [f for f in found if f.suppressed is not None]

    @property
    def failed(self) -> bool:
        return any(r.status is Status.FAILED for r in self.results) or any(p.fails for p in self.problems)

    @property
    def tool_errors(self) -> bool:
        return any(r.status is Status.ERROR for r in self.results)

    def by_page(self) -> dict[str, list[Result]]:
        out: dict[str, list[Result]] = defaultdict(list)
        for r in self.results:
            out[r.block.page].append(r)
        return out
