"""The site's own scope: which Markdown files of ``docs_dir`` MkDocs 1.6 builds into pages.

The MkDocs plugin is handed MkDocs' file list; the CLI computes the same list here from ``mkdocs.yml``
without importing MkDocs. The rules are MkDocs 1.6's (``mkdocs.structure.files.get_files`` and
``set_exclusions``):

* every file under ``docs_dir`` (symlinked folders followed) whose name ends in a Markdown suffix;
* ``exclude_docs``, ``draft_docs`` and ``not_in_nav`` are gitignore-style patterns matched against the path
  relative to ``docs_dir``, in that order, first match wins; MkDocs' own exclusions come first: every file or
  folder whose name starts with a dot (``.*``) and the top-level ``templates/`` folder;
* excluded files are never built; drafts are built by ``mkdocs serve`` only (``include_drafts``); pages
  not in the nav are built like any other;
* two pages of one folder that would be written to the same place (``README.md`` beside ``index.md``,
  ``page.md`` beside ``page.markdown``): the later one in MkDocs' order wins when it is built.

The patterns are matched with ``pathspec``'s ``GitIgnoreSpec``, the class MkDocs itself matches them with
(pathspec is a dependency of MkDocs 1.6, pure Python, and knows nothing of MkDocs), so negations, ``**``,
anchoring and trailing slashes mean exactly what they mean to MkDocs. A site that sets none of the three
options gets MkDocs' two own patterns matched by :class:`DefaultExclude` (what they mean, in a line; the
tests compare it with ``GitIgnoreSpec`` on generated paths): importing pathspec is a twentieth of a cold run.
"""

from __future__ import annotations

import enum
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathspec.gitignore import GitIgnoreSpec

# MkDocs 1.6's mkdocs.utils.markdown_extensions: the suffixes of documentation pages.
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
DEFAULT_EXCLUDE = (".*", "/templates/")


class ScopeError(ValueError):
    """A pattern option of ``mkdocs.yml`` that MkDocs would refuse too."""


class Inclusion(enum.IntEnum):
    """MkDocs' inclusion levels, in its order: a page is built from ``NOT_IN_NAV`` up, drafts only when serving."""

    EXCLUDED = -3
    DRAFT = -2
    NOT_IN_NAV = -1
    INCLUDED = 1


class Patterns(Protocol):
    """What the scope asks of a pattern list: ``GitIgnoreSpec``, or :class:`DefaultExclude`."""

    def match_file(self, file: str) -> bool: ...


class DefaultExclude:
    """MkDocs' own exclusions, ``.*`` and ``/templates/``, as gitignore reads them: any file or folder whose
    name starts with a dot, at any depth (a folder takes everything below it), and the top-level folder
    ``templates`` (the trailing slash: a folder only)."""

    def match_file(self, file: str) -> bool:
        parts = file.split("/")
        return any(part.startswith(".") for part in parts) or (len(parts) > 1 and parts[0] == "templates")


def _spec(name: str, value: Any) -> GitIgnoreSpec | None:
    """One pattern option as MkDocs reads it: a multi-line string of gitignore lines (None when unset)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScopeError(f"mkdocs.yml: {name} must be a multi-line string of patterns, got {type(value).__name__}")
    from pathspec.gitignore import GitIgnoreSpec  # only for a site that sets a pattern option

    try:
        return GitIgnoreSpec.from_lines(value.splitlines())
    except ValueError as exc:
        raise ScopeError(f"mkdocs.yml: {name}: {exc}") from None


@dataclass(frozen=True, slots=True)
class SiteScope:
    """The page patterns of one site's ``mkdocs.yml``."""

    exclude: Patterns
    drafts: Patterns | None = None
    not_in_nav: Patterns | None = None
    use_directory_urls: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SiteScope:
        """The scope of the ``mkdocs.yml`` data ``config`` (MkDocs' defaults for anything unset)."""
        own = _spec("exclude_docs", config.get("exclude_docs"))
        exclude: Patterns = DefaultExclude()
        if own is not None:  # MkDocs' two patterns first, then the site's (a negation may take one back)
            exclude = own.from_lines(DEFAULT_EXCLUDE) + own
        urls = config.get("use_directory_urls", True)
        return cls(
            exclude=exclude,
            drafts=_spec("draft_docs", config.get("draft_docs")),
            not_in_nav=_spec("not_in_nav", config.get("not_in_nav")),
            use_directory_urls=urls if isinstance(urls, bool) else True,
        )

    def inclusion(self, src_uri: str) -> Inclusion:
        """How MkDocs includes the file at ``src_uri`` (posix, relative to ``docs_dir``)."""
        if self.exclude.match_file(src_uri):
            return Inclusion.EXCLUDED
        if self.drafts is not None and self.drafts.match_file(src_uri):
            return Inclusion.DRAFT
        if self.not_in_nav is not None and self.not_in_nav.match_file(src_uri):
            return Inclusion.NOT_IN_NAV
        return Inclusion.INCLUDED

    def why_not(self, src_uri: str) -> str:
        """Why MkDocs does not build the page at ``src_uri`` (for a page named on the command line)."""
        level = self.inclusion(src_uri)
        if level is Inclusion.EXCLUDED:
            return "excluded by exclude_docs or MkDocs' own rules (names starting with a dot, templates/)"
        if level is Inclusion.DRAFT:
            return "a draft (draft_docs); --include-drafts checks it"
        return "another page of its folder is written to the same place (README.md beside index.md)"

    def _destination(self, src_uri: str) -> str:
        """Where MkDocs writes a page (``a/README.md`` and ``a/index.md`` both go to ``a/index.html``)."""
        parent, filename = posixpath.split(src_uri)
        stem = posixpath.splitext(filename)[0]
        name = "index" if stem == "README" else stem
        if not self.use_directory_urls or name == "index":
            return posixpath.join(parent, name + ".html")
        return posixpath.join(parent, name, "index.html")

    def pages(self, docs_dir: Path, *, include_drafts: bool = False) -> list[str]:
        """The ``src_uri`` of every page MkDocs builds from ``docs_dir``, in MkDocs' order.

        ``include_drafts``: also the ``draft_docs`` pages, as ``mkdocs serve`` renders them.
        """
        lowest = Inclusion.DRAFT if include_drafts else Inclusion.NOT_IN_NAV
        found: list[tuple[str, Inclusion]] = []
        removed: set[str] = set()
        for folder, dirnames, filenames in os.walk(docs_dir, followlinks=True):
            dirnames.sort()
            relative = Path(os.path.relpath(folder, docs_dir)).as_posix()
            by_destination: dict[str, tuple[str, Inclusion]] = {}
            names = sorted(filenames, key=lambda f: (posixpath.splitext(f)[0] not in ("index", "README"), f))
            for filename in names:
                if not filename.endswith(MARKDOWN_SUFFIXES):
                    continue
                src_uri = filename if relative == "." else f"{relative}/{filename}"
                entry = (src_uri, self.inclusion(src_uri))
                first = by_destination.setdefault(self._destination(src_uri), entry)
                if first is not entry:  # MkDocs keeps the later file when it is built, else the first
                    removed.add(first[0] if entry[1] > Inclusion.DRAFT else entry[0])
                found.append(entry)
        return [uri for uri, level in found if level >= lowest and uri not in removed]
