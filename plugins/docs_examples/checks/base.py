"""What every check is: a name, the kinds of block it judges, a version, and ``check(blocks)``."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import ClassVar, Literal

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings


class Check(abc.ABC):
    """One tool.

    Subclasses set ``name``, ``tool`` and ``kinds`` and implement :meth:`version` and :meth:`check`.
    ``check`` receives every applicable block at once so that it can batch them into one tool process;
    it returns, per ``block.id``, findings whose ``line``/``column`` count inside ``block.text``.
    It raises :class:`~docs_examples.checks.runner.ToolMissing` or ``ToolFailed`` when it cannot give a
    verdict; the pipeline turns that into a tool-error finding on every block of the batch.
    """

    name: ClassVar[str]  # check id: "hadolint"
    tool: ClassVar[str]  # what readers see: "hadolint"
    kinds: ClassVar[frozenset[Kind]]
    # "block": a verdict depends on the block alone. "page": on the other applicable blocks of its page
    # too (cross-references); the cache then keys on all of them.
    scope: ClassVar[Literal["block", "page"]] = "block"
    # True when a verdict on an included block also depends on the files beside it (a build context, the
    # bases of an overlay): the cache then keys on those files too, so editing them re-runs the check.
    reads_files: ClassVar[bool] = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def applies(self, block: Block) -> bool:
        return block.kind in self.kinds

    def cache_context(self, block: Block) -> str:
        """What a verdict on ``block`` depends on beyond its text, kind and the settings, as classification
        recorded it in ``block.meta`` (shellcheck: the variables other blocks of the page read); part of the
        block's cache key. Most checks depend on nothing more."""
        return ""

    @abc.abstractmethod
    def version(self) -> str:
        """Tool and version, e.g. ``hadolint 2.15.1``; part of the cache key. Raises ToolMissing."""

    @abc.abstractmethod
    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        """Findings per ``block.id`` (block-relative positions). Blocks with no findings may be omitted."""

    @classmethod
    def recognises(cls, keys: frozenset[str]) -> Kind | None:
        """The kind of a YAML mapping with these top-level keys that no syntax decided, when this check can
        tell (a fragment of a type it knows); None otherwise. Classification asks through the registry
        (:func:`docs_examples.checks.recognise`), never by importing a check."""
        return None

    def describe(self) -> str:
        """One phrase for the status line under a block: ``hadolint 2.15.1``."""
        return self.version()


def tool_severity(tool: str, level: str) -> Severity:
    """Our severity for a level a linter spells as we do (``error``, ``warning``, ``info``, ``style``: hadolint
    and shellcheck). An unknown level is a :class:`~docs_examples.checks.runner.ToolFailed`, never a guess."""
    try:
        return Severity(level)
    except ValueError as exc:
        raise runner.ToolFailed(tool, f"unknown severity level {level!r} in {tool}'s JSON output") from exc
