"""The :class:`Block` record: one fenced code block, as the reader sees it, with where every line came from."""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from docs_examples.findings import Finding


class Kind(enum.StrEnum):
    """What a block is, decided by :mod:`docs_examples.blocks.classify` from its language and content."""

    KUBERNETES = "kubernetes"  # apiVersion + kind, possibly several documents
    KUBERNETES_FRAGMENT = "kubernetes-fragment"  # fields of a well-known type (Container, PodSpec …)
    KUSTOMIZATION = "kustomization"  # kustomize.config.k8s.io Kustomization
    COMPOSE = "compose"  # top-level services:
    WORKFLOW = "workflow"  # GitHub Actions: on: + jobs:
    DOCKERFILE = "dockerfile"
    DOCKERIGNORE = "dockerignore"
    SHELL = "shell"  # bash, sh, shell
    CONSOLE = "console"  # `$ ` prompts are commands, the rest is output
    PROMETHEUS = "prometheus"  # prometheus.yml scrape configuration
    PROMETHEUS_RULES = "prometheus-rules"  # alerting/recording rule groups
    HCL = "hcl"  # Terraform / OpenTofu
    PYTHON = "python"
    JSON = "json"
    YAML = "yaml"  # YAML that is none of the above
    TEMPLATE = "template"  # mkdocs-macros or Helm template syntax that cannot be rendered offline
    TEXT = "text"  # diagrams, output, prose: nothing to check
    OTHER = "other"  # a language no check knows


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one line of a block's text lives: a file, a 1-based line and the columns cut off before it."""

    file: str
    line: int
    column_offset: int = 0


@dataclass(slots=True)
class Block:
    """One fenced code block.

    ``text`` is what the reader sees: dedented, with ``--8<--`` includes expanded. ``origins[i]`` says where
    line ``i + 1`` of ``text`` lives, so any finding can be moved back to the Markdown page or snippet file.
    """

    page: str  # path of the Markdown file as the caller named it (docs/x.md)
    index: int  # 0-based position among the page's blocks
    fence_line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence
    language: str  # lower-cased first class / info word, "" when none
    text: str
    origins: tuple[Origin, ...]
    title: str | None = None
    classes: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)  # every key="value" in the header, data-* included
    heading: str = ""  # nearest heading above the block
    headings: tuple[str, ...] = ()  # heading trail, outermost first
    tabs: tuple[str, ...] = ()  # enclosing content tabs, outermost first
    indent: int = 0  # columns of indentation removed from every page line
    fence: str = "```"
    includes: tuple[str, ...] = ()  # snippet files whose lines are in text
    problems: list[Finding] = field(default_factory=list)  # extraction findings (block-relative lines)
    kind: Kind = Kind.OTHER
    meta: dict[str, Any] = field(default_factory=dict)  # classify's parsed extras (documents, commands …)

    # -- identity ---------------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """Stable within one run: page and position."""
        return f"{self.page}#{self.index}"

    @property
    def digest(self) -> str:
        """Content identity for the cache: the text, the language and the header attributes."""
        h = hashlib.blake2b(digest_size=16)
        for part in (self.language, repr(sorted(self.attrs.items())), self.text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    @property
    def path(self) -> tuple[str, ...]:
        """Heading then tabs: ``("Kubernetes Fundamentals", "Deployment")``."""
        return ((self.heading,) if self.heading else ()) + self.tabs

    @property
    def label(self) -> str:
        """``page › heading › tab › title`` for JUnit test names and indexes."""
        parts = [self.page, *self.path]
        if self.title:
            parts.append(self.title)
        return " › ".join(parts)

    @property
    def directive(self) -> str | None:
        return self.attrs.get("data-check")

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    # -- positions --------------------------------------------------------------------------------------

    def origin(self, line: int | None) -> Origin:
        """Origin of block line ``line`` (1-based); lines out of range clamp to the block's ends."""
        if not self.origins:
            return Origin(self.page, self.fence_line, self.indent)
        if line is None or line < 1:
            return Origin(self.page, self.fence_line, self.indent)
        if line > len(self.origins):
            return self.origins[-1]
        return self.origins[line - 1]

    def locate(self, finding: Finding) -> Finding:
        """Move a block-relative finding to its file, line and column in the sources.

        A message that names another line of the block as ``block line N`` (a duplicate key's first
        occurrence) has it translated too: ``line 12`` in the same file, ``snippets/x.yaml:3`` in another.
        """
        if finding.file is not None:  # already located (an extraction problem naming a snippet, say)
            return finding
        if finding.line is None:
            return finding.moved(file=self.page, line=self.fence_line, column=None)
        o = self.origin(finding.line)
        column = finding.column + o.column_offset if finding.column else None
        message = self._source_lines(finding.message, o.file)
        return finding.moved(file=o.file, line=o.line, column=column, message=message)

    def _source_lines(self, message: str, file: str) -> str:
        """``message`` with each ``block line N`` named as a line of the sources (see :meth:`locate`)."""
        if "block line " not in message:
            return message

        def source(match: re.Match[str]) -> str:
            o = self.origin(int(match.group(1)))
            return f"line {o.line}" if o.file == file else f"{o.file}:{o.line}"

        return _BLOCK_LINE.sub(source, message)


_BLOCK_LINE = re.compile(r"\bblock line (\d+)")
