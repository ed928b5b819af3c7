"""What readers see, made from one run's results: status lines, downloads and the generated pages.

:class:`ExampleSite` is everything the MkDocs plugin needs between events, so the plugin only passes
events through. It knows HTML and file names, never MkDocs objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from docs_examples.blocks.model import Kind
from docs_examples.findings import Finding, Status
from docs_examples.naming import file_names
from docs_examples.results import Report, Result
from docs_examples.site import decorate, downloads, pages
from docs_examples.site.status import status_line

# Blocks of these kinds are output, diagrams or prose: no line and no download under them.
QUIET_KINDS = frozenset({Kind.TEXT})


@dataclass(slots=True)
class SiteOptions:
    """The plugin options this module reads (see ``config.py`` for their documentation)."""

    decorate: bool = True
    downloads: bool = True
    index_page: str | None = "examples/index.md"
    checks_page: str | None = "examples/how-examples-are-checked.md"
    archives: Mapping[str, Path] = field(default_factory=dict)  # zip name → folder
    directory_urls: bool = True  # MkDocs' use_directory_urls, for the URLs of the generated pages


@dataclass(slots=True)
class Decorated:
    """A page's HTML after decoration, and why it was left alone when it was."""

    html: str
    problem: str | None = None


class ExampleSite:
    """One build's view of the report: which block is where, what to write, what to say under it."""

    def __init__(
        self,
        report: Report,
        options: SiteOptions,
        describe: Mapping[str, str],
        kinds: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.report = report
        self.options = options
        self.describe = dict(describe)  # check name → "kubeconform strict", the phrase for status lines
        self.kinds = dict(kinds or {})  # check name → the block kinds it judges
        self.by_page = report.by_page()
        self.names = file_names(r.block for r in report.results)
        self.versions = report.settings.kubernetes_versions if report.settings else ()
        self.lines = {r.block.id: status_line(r, self.describe, self.versions) for r in report.results}
        self.rule_rows: set[str] = set()  # rule ids with a row on the checks page, filled with that page
        self._checks: str | None = None  # the checks page's Markdown, once made
        self.copied: dict[str, str] = {}  # block id → what the copy button copies, when it differs from the text
        self.blocked: set[str] = set()  # downloads not written: their path belongs to a page or asset

    # -- generated pages --------------------------------------------------------------------------------

    def generated_pages(self, page_urls: Mapping[str, str]) -> dict[str, str]:
        """Markdown of each generated page, by its path under the docs folder."""
        out: dict[str, str] = {}
        page_titles = {page: _title(results) for page, results in self.by_page.items()}
        if self.options.index_page:
            from_url = url_of(self.options.index_page, self.options.directory_urls)
            rows = pages.index_rows(self.report.results, page_urls, page_titles, self.describe, from_url, self.versions)
            out[self.options.index_page] = pages.examples_index(rows)
        if self.options.checks_page:
            out[self.options.checks_page] = self._checks_markdown()
        return out

    def _checks_markdown(self) -> str:
        """The "How examples are checked" page, made once; its rule rows are what status lines link to, so
        every adapter (plugin, Markdown extension) links the same rules whether or not it writes the page."""
        if self._checks is None:
            settings = self.report.settings
            self._checks = pages.checks_page(
                self.report.tools,
                self.kinds,
                self.versions,
                settings.fail_on if settings else "warning",
                self.report.summary.line(),
                self._named_rules(),
            )
            self.rule_rows = pages.rule_rows(self._checks)
        return self._checks

    def _named_rules(self) -> list[pages.NamedRule]:
        """Each rule id a status line names, with the tool and the message of its first finding."""
        named: dict[str, pages.NamedRule] = {}
        for result in self.report.results:
            line = self.lines.get(result.block.id)
            for rule in line.rules if line else ():
                found = next((f for f in result.findings if f.rule == rule), None)
                if rule not in named and found is not None:
                    named[rule] = pages.NamedRule(rule, found.tool, found.message)
        return list(named.values())

    def rule_links(self, page_url: str) -> dict[str, str]:
        """Rule id → its row on the checks page, as a link from the page at ``page_url``."""
        if not self.options.checks_page or not self._checks_markdown() or not self.rule_rows:
            return {}
        base = pages.relative_url(url_of(self.options.checks_page, self.options.directory_urls), page_url)
        return {rule: f"{base}#{pages.rule_anchor(rule)}" for rule in self.rule_rows}

    # -- decoration -------------------------------------------------------------------------------------

    def decorate(self, page: str, html: str, page_url: str) -> Decorated:
        """Status lines under the blocks of ``page``; the page untouched when counts disagree."""
        results = self.by_page.get(page, [])
        if not self.options.decorate or not results:
            return Decorated(html)
        rendered = decorate.code_blocks(html)
        if len(rendered) != len(results):
            return Decorated(
                html,
                f"{page}: {len(results)} code blocks extracted but {len(rendered)} rendered; "
                "status lines left out on this page rather than put under the wrong blocks",
            )
        for result, block in zip(results, rendered, strict=True):
            copied = decorate.copied_text(html[block.start : block.end])
            if copied is not None:
                self.copied[result.block.id] = copied
        before = [decorate.anchor(pages.anchor_id(r.block.index)) for r in results]
        links = self.rule_links(page_url)
        after = [self._fragment(r, page_url, links) for r in results]
        return Decorated(decorate.insert(html, rendered, before, after))

    def _fragment(self, result: Result, page_url: str, rule_links: Mapping[str, str]) -> str:
        if result.block.kind in QUIET_KINDS and result.status is Status.UNCHECKED:
            return ""
        line = self.lines.get(result.block.id)
        name = self.names.get(result.block.id)
        link = None
        if self.options.downloads and name is not None:
            link = pages.relative_url(pages.download_name(name), page_url)
        return decorate.fragment(line, link, name.name if name else None, rule_links)

    # -- files ------------------------------------------------------------------------------------------

    def reserve(self, used: Iterable[str]) -> list[Finding]:
        """Refuse every download whose path a page or asset of the site uses (``used``: site-relative output
        paths), or which would need a folder where one of them is a file, or the reverse: generated pages win,
        and each refused download is an error at its block."""
        if not self.options.downloads:
            return []
        taken = {PurePosixPath(u) for u in used}
        folders = {parent for path in taken for parent in path.parents}
        found: list[Finding] = []
        for result in self.report.results:
            name = self.names.get(result.block.id)
            if name is None:
                continue
            path = PurePosixPath(pages.download_name(name))
            if path in taken or path in folders or any(parent in taken for parent in path.parents):
                self.blocked.add(result.block.id)
                found.append(downloads.collision(result.block, path.as_posix()))
        return found

    def write(self, site_dir: Path, sources: Path) -> list[Path]:
        """Download files and archives under ``site_dir/examples``; returns what was written."""
        if not self.options.downloads:
            return []
        folder = Path(site_dir) / "examples"
        blocks = (r.block for r in self.report.results if r.block.id not in self.blocked)
        written = downloads.write_blocks(blocks, self.names, folder, self.copied)
        for zip_name, source in self.options.archives.items():
            src = Path(source) if Path(source).is_absolute() else Path(sources) / source
            if src.is_dir():
                target = downloads.inside(folder, PurePosixPath(zip_name).name)
                downloads.write_archive(src, target)
                written.append(target)
        return written


def _title(results: Sequence[Result]) -> str:
    """A page's title for the index: the outermost heading above its first block, else its path."""
    for result in results:
        if result.block.headings:
            return result.block.headings[0]
    return results[0].block.page if results else ""


def url_of(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page at ``src_uri`` (``examples/index.md`` → ``examples/``)."""
    stem = PurePosixPath(src_uri).with_suffix("")
    if not directory_urls:
        return f"{stem.as_posix()}.html"
    if stem.name in ("index", "README"):
        return f"{stem.parent.as_posix()}/" if str(stem.parent) != "." else ""
    return f"{stem.as_posix()}/"
