"""The one vocabulary every other module uses: severities, categories, statuses and findings.

A :class:`Finding` is one tool, one rule, one severity and one message at a position. Checks create
findings with positions *inside the block text* (``line`` 1-based in ``Block.text``); the pipeline maps
them to the Markdown page or the included snippet file with :meth:`Block.locate` before anybody sees them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any


class Severity(enum.StrEnum):
    """How bad a finding is. Which severities fail a block is the ``fail_on`` setting's, decided in
    :mod:`docs_examples.verdict` alone."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, threshold: Severity) -> bool:
        """Whether this severity is ``threshold`` or worse (``error`` is at least ``warning``)."""
        return self.rank >= threshold.rank


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
class Suppression:
    """Why a finding that would fail its block does not: the site recorded or ignored it (``verdict.py`` decides).

    ``by`` is ``baseline`` (the baseline file lists it) or ``ignore`` (the ``ignore`` option matches it);
    ``reason`` is what reports show beside it.
    """

    by: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"by": self.by, "reason": self.reason}


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
    # Whether the finding fails its block under ``fail_on``: stamped by :mod:`docs_examples.verdict`, the one
    # place that decides it; None until then. Writers, status lines and exit codes only read it.
    fails: bool | None = None
    # Set by the verdict when the finding would fail but the site's baseline or ignore option says not to.
    suppressed: Suppression | None = None
    also: tuple[str, ...] = ()  # other tools' rule ids for the same cause, merged into this finding ("DL3025")

    @property
    def rules(self) -> tuple[str, ...]:
        """This finding's rule and the rules merged into it: what ``data-expect`` may name."""
        return (self.rule, *self.also)

    def moved(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The one JSON form of a finding: the JSON report's, the cache's and the page memo's.

        Optional keys appear only when set, so a judged finding carries ``fails`` and a raw one does not.
        """
        data: dict[str, Any] = {
            "tool": self.tool,
            "rule": self.rule,
            "severity": self.severity.value,
            "category": self.category.value,
        }
        if self.fails is not None:
            data["fails"] = self.fails
        data.update(file=self.file, line=self.line, column=self.column, message=self.message)
        if self.end_line is not None:
            data["end_line"] = self.end_line
        if self.hint:
            data["hint"] = self.hint
        if self.versions:
            data["versions"] = list(self.versions)
        if self.suppressed is not None:
            data["suppressed"] = self.suppressed.to_dict()
        if self.also:
            data["also"] = list(self.also)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The finding :meth:`to_dict` wrote; raises ValueError/KeyError/TypeError on anything else."""
        line, column, end_line = data.get("line"), data.get("column"), data.get("end_line")
        for value in (line, column, end_line):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise TypeError(f"position {value!r} is not an integer")
        file, hint, fails = data.get("file"), data.get("hint"), data.get("fails")
        if not all(v is None or isinstance(v, str) for v in (file, hint)):
            raise TypeError("file and hint must be strings")
        if fails is not None and not isinstance(fails, bool):
            raise TypeError("fails must be a boolean")
        versions = data.get("versions", ())
        if not isinstance(versions, list | tuple) or not all(isinstance(v, str) for v in versions):
            raise TypeError("versions must be a list of strings")
        suppressed = data.get("suppressed")
        if suppressed is not None:
            if not isinstance(suppressed, dict) or not all(isinstance(suppressed.get(k), str) for k in _SUPPRESSION):
                raise TypeError("suppressed must be {by, reason}")
            suppressed = Suppression(suppressed["by"], suppressed["reason"])
        also = data.get("also", ())
        if not isinstance(also, list | tuple) or not all(isinstance(v, str) for v in also):
            raise TypeError("also must be a list of strings")
        return cls(
            tool=str(data["tool"]),
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            line=line,
            column=column,
            file=file,
            category=Category(data.get("category", "lint")),
            end_line=end_line,
            hint=hint,
            versions=tuple(versions),
            fails=fails,
            suppressed=suppressed,
            also=tuple(also),
        )


_SUPPRESSION = ("by", "reason")


def tool_error(tool: str, message: str, *, rule: str = "tool-error") -> Finding:
    """A finding that says a tool could not give a verdict (missing, crashed, timed out)."""
    return Finding(tool=tool, rule=rule, severity=Severity.ERROR, message=message, category=Category.TOOL_ERROR)
