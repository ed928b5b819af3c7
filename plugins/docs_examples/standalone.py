"""The site without MkDocs: one pipeline run for a config file, and the files MkDocs' plugins would add.

Site generators that run no MkDocs plugins (Zensical) get from here what the plugins give MkDocs and
ProperDocs: :func:`load` runs the pipeline over the site's pages and makes the same
:class:`~docs_examples.site.ExampleSite` the plugin makes (the Markdown extension decorates pages with it),
and :func:`write_pages` writes the generated pages, the interview section, the downloads and the assets
into the docs folder before the build (``docs-examples pages``), recording them in
:mod:`docs_examples.generated`. Both read ``mkdocs.yml`` through the same option declarations as the
plugin, so the three adapters share one set of results in the cache: what one checked, the others reuse.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pathspec import GitIgnoreSpec

from docs_examples import generated
from docs_examples.blocks import memo
from docs_examples.blocks.extract import ExtractedPage, extract_page
from docs_examples.pipeline import Page, Pipeline
from docs_examples.reports import get_writer, why_not_written
from docs_examples.results import Report
from docs_examples.scope import ScopeError, SiteScope
from docs_examples.settings import ConfigError, Settings, config_entries, from_mkdocs_yml, read_mkdocs_yml
from docs_examples.site import ExampleSite, SiteOptions, url_of
from interview_qa import pages as interview

ASSETS = Path(__file__).parent / "site" / "assets"
ASSET_URI = "assets/docs-examples"  # where the status-line styles and the index filter are published
REPORT_FORMATS = {"report_json": "json", "report_sarif": "sarif", "report_junit": "junit"}
Warn = Callable[[str], None]


@dataclass(slots=True)
class SiteRun:
    """One run of the pipeline over a site's pages, with what a generator-independent build needs."""

    config_file: Path
    settings: Settings
    pipeline: Pipeline | None  # None when the plugin entry says ``enabled: false``
    report: Report | None
    site: ExampleSite | None
    prefix: str  # the docs folder relative to the config file's folder (``docs``)
    directory_urls: bool
    site_url: str | None
    interview: interview.Options | None  # None when the site does not use the interview plugin
    exclude_docs: str = ""  # mkdocs.yml's exclude_docs: what the generator leaves out of the site
    markdown_extensions: Any = None  # mkdocs.yml's markdown_extensions, to render pages as the generator does
    unrendered: list[str] = field(default_factory=list)  # pages the pages step could not render, and why
    sources: list[Page] = field(default_factory=list)
    fingerprint: str | None = None  # the docs folder and snippet files as this run read them (see changed())

    def page_name(self, src_uri: str) -> str:
        """How reports name the page at ``src_uri`` under the docs folder (``docs/guide/x.md``)."""
        return f"{self.prefix}/{src_uri}"

    def blocks_of(self, name: str) -> list[str]:
        """Content digests of the checked blocks of page ``name``, in page order."""
        return [r.block.digest for r in (self.site.by_page.get(name, []) if self.site else [])]

    def changed(self) -> bool:
        """Whether a page or snippet file changed since this run (``serve``): names, sizes and times."""
        return self.fingerprint is None or _fingerprint(self.settings) != self.fingerprint

    def extract(self, name: str, text: str) -> ExtractedPage:
        """The blocks of ``text`` (a page as a generator hands it over), extracted with this run's settings
        (syntax only: a block's digest needs no classification, and nothing is remembered)."""
        return extract_page(name, text, settings=self.settings, path=self.settings.root / name)


def load(config_file: Path, *, warn: Warn | None = None, settings: Settings | None = None) -> SiteRun:
    """Run the pipeline over every page of the site configured in ``config_file`` (a ConfigError if it is bad);
    ``settings``: already read from it (the CLI, with its flags applied)."""
    config_file = Path(config_file).resolve()
    data = read_mkdocs_yml(config_file)
    settings = settings or from_mkdocs_yml(config_file, warn=warn)
    docs = settings.docs_dir or config_file.parent / "docs"
    run = SiteRun(
        config_file=config_file,
        settings=settings,
        pipeline=None,
        report=None,
        site=None,
        prefix=PurePosixPath(os.path.relpath(docs, settings.root)).as_posix(),
        directory_urls=bool(data.get("use_directory_urls", True)),
        site_url=data.get("site_url") if isinstance(data.get("site_url"), str) else None,
        interview=_interview_options(data, config_file),
        exclude_docs=str(data.get("exclude_docs") or ""),
        markdown_extensions=data.get("markdown_extensions"),
    )
    run.fingerprint = _fingerprint(settings)
    run.sources = _sources(run, docs, _scope(data, config_file))
    if settings.enabled:
        run.pipeline = Pipeline(settings)
        run.report = run.pipeline.run(run.sources)
        kinds = {c.name: sorted(k.value for k in c.kinds) for c in run.pipeline.checks}
        run.site = ExampleSite(run.report, site_options(settings, run.directory_urls), run.report.labels, kinds)
    return run


def _fingerprint(settings: Settings) -> str | None:
    """Names, sizes and times of every file in the docs folder and the snippet folders (None: too many)."""
    folders = [*settings.snippet_paths, *([settings.docs_dir] if settings.docs_dir else [])]
    return memo.environment_key(settings.root, folders, settings.snippet_dedent, "", skip=settings.cache_dir)


def site_options(settings: Settings, directory_urls: bool) -> SiteOptions:
    """The :class:`SiteOptions` the settings ask for (the same the MkDocs plugin passes)."""
    return SiteOptions(
        decorate=settings.decorate,
        downloads=settings.downloads,
        index_page=settings.page_path("index_page"),
        checks_page=settings.page_path("checks_page"),
        archives={name: Path(folder) for name, folder in settings.archives.items()},
        directory_urls=directory_urls,
    )


def _interview_options(data: Mapping[str, Any], config_file: Path) -> interview.Options | None:
    """The ``interview`` plugin's entry of mkdocs.yml, checked; None when the site does not list the plugin."""
    entries = config_entries(data.get("plugins"))
    if "interview" not in entries:
        return None
    entry = entries["interview"]
    try:
        return interview.Options.from_entry(entry if isinstance(entry, dict) else {})
    except ValueError as exc:
        raise ConfigError(f"{config_file}: {exc}") from None


def _scope(data: Mapping[str, Any], config_file: Path) -> SiteScope:
    """The site's page patterns (``exclude_docs``, ``draft_docs``, ``not_in_nav``), as the CLI reads them."""
    try:
        return SiteScope.from_config(data)
    except ScopeError as exc:
        raise ConfigError(str(exc).replace("mkdocs.yml:", f"{config_file}:", 1)) from None


def _sources(run: SiteRun, docs: Path, scope: SiteScope) -> list[Page]:
    """The site's Markdown pages (the pages ``docs-examples check`` reads), named as in a site build;
    what an earlier ``pages`` run generated is output, not a source."""
    from docs_examples.cli import find_pages  # the CLI's page discovery, so every adapter checks the same pages

    left = generated.recorded(docs)
    out = []
    for page in find_pages([str(docs)], run.settings, scope):
        src_uri = Path(page.path or page.name).relative_to(docs).as_posix()
        if src_uri not in left:
            out.append((_walk_order(src_uri), Page(run.page_name(src_uri), page.source, page.path)))
    return [page for _, page in sorted(out, key=lambda pair: pair[0])]


def _walk_order(src_uri: str) -> tuple[tuple[int, bool, str], ...]:
    """MkDocs' order of pages (a folder's files before its subfolders, ``index``/``README`` first), so the
    examples index lists pages, and download names are numbered, as in a MkDocs build."""
    parts = PurePosixPath(src_uri).parts
    folders = tuple((1, False, p) for p in parts[:-1])
    name = parts[-1]
    return (*folders, (0, PurePosixPath(name).stem not in ("index", "README"), name))


def summary_line(report: Report) -> str:
    """The run's summary and how much of it came from the results cache (what was checked, and what not again)."""
    s = report.summary
    return f"{s.line()} (cache: {s.cache_hits} hits, {s.cache_misses} misses)"


# -- reports ----------------------------------------------------------------------------------------------


def write_reports(report: Report, settings: Settings) -> list[tuple[str, Path]]:
    """The optional JSON, SARIF and JUnit reports the settings name; returns (format, path) of each.

    A report that cannot be written (its folder is a file, say) is a :class:`ConfigError` naming the option.
    """
    written = []
    for option, fmt in REPORT_FORMATS.items():
        if path := getattr(settings, option):
            target = settings.root / path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("w", encoding="utf-8") as stream:
                    get_writer(fmt, stream=stream).write_report(report)
            except OSError as exc:
                raise ConfigError(f"{option}: cannot write {path}: {why_not_written(exc)}") from None
            written.append((fmt, target))
    return written


# -- the pages step ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Written:
    """What :func:`write_pages` did, by path under the docs folder."""

    files: list[str] = field(default_factory=list)  # generated and now in the docs folder
    kept: list[str] = field(default_factory=list)  # the author has a file there: left alone, not generated
    removed: list[str] = field(default_factory=list)  # generated by an earlier run, no longer generated
    excluded: list[str] = field(default_factory=list)  # written, but exclude_docs leaves them out of the site

    @property
    def pages(self) -> int:
        return sum(1 for f in self.files if f.endswith(".md"))


def write_pages(run: SiteRun) -> Written:
    """Write every generated file into the docs folder, as the MkDocs plugins add them to a MkDocs build.

    Files are made in a temporary folder by the same functions the plugins call, then moved in: a path the
    author already has is kept (and reported), unchanged files are not rewritten (watchers stay quiet),
    and what an earlier run generated but this one does not is removed.
    """
    docs = run.settings.docs_dir or run.settings.root / "docs"
    previous = generated.recorded(docs)
    written = Written()
    with tempfile.TemporaryDirectory(prefix="docs-examples-pages-") as tmp:
        stage = Path(tmp)
        _stage(run, stage)
        for rel, staged in _files(stage):
            target = docs / rel
            if target.exists() and rel not in previous:
                written.kept.append(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != staged.read_bytes():
                shutil.copyfile(staged, target)
            written.files.append(rel)
    for rel in sorted(previous - set(written.files)):
        stale = docs / rel
        if stale.is_file():
            stale.unlink()
            written.removed.append(rel)
            _prune(stale.parent, docs)
    generated.record(docs, written.files)
    written.excluded = [rel for rel in written.files if excluded(rel, run.exclude_docs)]
    return written


def excluded(rel: str, exclude_docs: str) -> bool:
    """Whether a generator leaves ``rel`` out of the site: MkDocs' rule, which ProperDocs and Zensical follow
    (dot files and ``/templates/`` always, then the site's ``exclude_docs``, where ``!`` brings a file back).
    A download named ``.dockerignore`` needs ``exclude_docs: "!/examples/**/.*"``."""
    spec = GitIgnoreSpec.from_lines([".*", "/templates/", *exclude_docs.splitlines()])
    return spec.match_file(rel)


def _stage(run: SiteRun, stage: Path) -> None:
    """Everything generated, under ``stage`` as it goes under the docs folder."""
    urls = {p.name: url_of(PurePosixPath(p.name).relative_to(run.prefix).as_posix(), run.directory_urls)
            for p in run.sources}  # fmt: skip
    contents: dict[str, str] = {}
    if run.site is not None:
        contents.update(run.site.generated_pages(urls))
        _render(run, urls)  # what each annotated block's copy button copies, which its download must equal
        run.site.write(stage, run.settings.root)  # downloads and archives under stage/examples
        _copy_assets(ASSETS, stage / ASSET_URI)
    if run.interview is not None and run.interview.enabled:
        sources = [_interview_source(run, p) for p in run.sources]
        chapters = interview.chapters(sources, run.interview.folder)
        by_src = {s.src_uri: url_of(s.src_uri, run.directory_urls) for s in sources}
        contents.update(interview.generate(chapters, run.interview, interview.links(chapters, by_src, run.site_url)))
        _copy_assets(interview.ASSETS, stage / interview.ASSET_URI)
    for rel, text in contents.items():
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def _render(run: SiteRun, urls: Mapping[str, str]) -> None:
    """Render each page with the site's Markdown extensions and let the site read its code blocks, as the
    plugin does from MkDocs' HTML: a download is what the copy button copies (annotation markers out), and
    only the rendered page says which markers are annotations. Our own extension is left out (it reads this
    run's results), and a page that does not render here keeps its block text as its download."""
    import markdown

    names: list[str] = []
    configs: dict[str, Any] = {}
    for name, config in config_entries(run.markdown_extensions).items():
        if name.split(".", 1)[0] == "docs_examples":
            continue
        names.append(name)
        if isinstance(config, dict) and config:
            configs[name] = dict(config)
    snippets = configs.get("pymdownx.snippets")
    if snippets is not None:  # pymdownx.snippets reads base_path from the working folder: make it absolute
        snippets["base_path"] = [str(p) for p in run.settings.snippet_paths]
    for page in run.sources:
        if run.site is None or not run.site.by_page.get(page.name):
            continue
        text = page.source.decode("utf-8", "replace") if isinstance(page.source, bytes) else page.source
        try:
            html = markdown.Markdown(extensions=names, extension_configs=configs).convert(text)
        except Exception as exc:
            note = f"{page.name}: not rendered here ({type(exc).__name__}: {exc})"
            run.unrendered.append(f"{note}; downloads of its annotated blocks keep their annotation markers")
            continue
        run.site.decorate(page.name, html, urls.get(page.name, ""))


def _interview_source(run: SiteRun, page: Page) -> interview.Source:
    """A page as the interview collector reads it (undecodable bytes replaced; the checks report them)."""
    raw = page.source if isinstance(page.source, bytes) else page.source.encode("utf-8", "surrogateescape")
    src_uri = PurePosixPath(page.name).relative_to(run.prefix).as_posix()
    return interview.Source(page.name, src_uri, raw.decode("utf-8", errors="replace"))


def _copy_assets(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for asset in sorted(source.iterdir()):
        if asset.is_file():
            shutil.copyfile(asset, target / asset.name)


def _files(stage: Path) -> Iterator[tuple[str, Path]]:
    """Every staged file as (path under the docs folder, staged file), sorted."""
    for path in sorted(stage.rglob("*")):
        if path.is_file():
            yield path.relative_to(stage).as_posix(), path


def _prune(folder: Path, docs: Path) -> None:
    """Remove folders left empty by removing stale files, up to (not including) the docs folder."""
    while folder != docs and docs in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
