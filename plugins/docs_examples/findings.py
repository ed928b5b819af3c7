"""The one vocabulary every other module uses: severities, statuses, findings and results.

A :class:`Finding` is one tool, one rule, one severity and one message at a position. Checks create
findings with positions *inside the block text* (``line`` 1-based in ``Block.text``); the pipeline maps
them to the Markdown page or the included snippet file with :meth:`Block.locate` before anybody sees them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docs_examples.blocks.model import Block


class Severity(enum.StrEnum):
    """How bad a finding is. ``error`` and ``warning`` fail a block; ``info`` and ``style`` never do."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def fails(self, threshold: Severity = None) -> bool:  # type: ignore[assignment]
        """Whether this severity fails a block, given the lowest failing severity (default warning)."""
        return self.rank >= (threshold or Severity.WARNING).rank


_RANK = {Severity.STYLE: 0, Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Category(enum.StrEnum):
    """What produced a finding. Tool and extraction errors are their own kinds, never "invalid"."""

    LINT = "lint"  # the tool judged the example
    TOOL_ERROR = "tool-error"  # the tool is missing, crashed or timed out: nothing is known about the block
    DIRECTIVE = "directive"  # a misspelled or unknown directive, an expect-fail block that passes
    EXTRACTION = "extraction"  # unclosed fence, missing include, undecodable page


class Status(enum.StrEnum):
    """The verdict on one block."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    EXPECTED_FAILURE = "expected-failure"
    UNCHECKED = "unchecked"
    ERROR = "error"  # a tool needed for this block is missing or crashed


@dataclass(frozen=True, slots=True)
class Finding:
    """One message from one tool about one place.

    ``line``/``column`` are 1-based. Before :meth:`Block.locate` they count inside the block text; after
    it they count in ``file`` (the Markdown page, or the snippet file the line was included from).
    """

    tool: str
    rule: str
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None
    category: Category = Category.LINT
    end_line: int | None = None
    hint: str | None = None  # "did you mean `replicas`?"
    versions: tuple[str, ...] = ()  # Kubernetes versions on which this finding holds
    also: tuple[str, ...] = ()  # other tools' rule ids for the same cause, merged into this finding ("DL3025")

    def __post_init__(self) -> None:
        # A tuple whatever it is given (a JSON list from a cache), so equal findings compare equal.
        if not isinstance(self.also, tuple):
            object.__setattr__(self, "also", tuple(self.also))

    @property
    def rules(self) -> tuple[str, ...]:
        """This finding's rule and the rules merged into it: what ``data-expect`` may name."""
        return (self.rule, *self.also)

    @property
    def fails(self) -> bool:
        return self.category is not Category.LINT or self.severity.fails()

    def moved(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tool": self.tool,
            "rule": self.rule,
            "severity": self.severity.value,
            "category": self.category.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.hint:
            data["hint"] = self.hint
        if self.versions:
            data["versions"] = list(self.versions)
        if self.also:
            data["also"] = list(self.also)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            tool=str(data["tool"]),
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            line=data.get("line"),
            column=data.get("column"),
            file=data.get("file"),
            category=Category(data.get("category", "lint")),
            hint=data.get("hint"),
            versions=tuple(data.get("versions", ())),
            also=tuple(data.get("also", ())),
        )


def tool_error(tool: str, message: str, *, rule: str = "tool-error") -> Finding:
    """A finding that says a tool could not give a verdict (missing, crashed, timed out)."""
    return Finding(tool=tool, rule=rule, severity=Severity.ERROR, message=message, category=Category.TOOL_ERROR)


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
