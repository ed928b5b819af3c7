"""The MkDocs adapter: MkDocs events in, :class:`~docs_examples.pipeline.Pipeline` and
:class:`~docs_examples.site.ExampleSite` calls out. No logic of its own lives here.

Flow of one build::

    on_config        Settings from the typed options; one Pipeline, kept across `mkdocs serve` rebuilds
    on_pre_build     refuse symbolic links out of the project in docs/ and in the output folders
    on_files         read every Markdown source, run the pipeline, log findings, add the generated pages
                     (or stop the build on a refused page or snippet, before anything is rendered)
    on_env           refuse downloads whose path a page or asset of the site takes
    on_page_content  status lines and download links under the page's rendered blocks
    on_post_build    download files and archives, optional JSON/SARIF/JUnit reports
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from docs_examples import generated, guard, mkdocs2, standalone
from docs_examples import settings as settings_mod
from docs_examples.blocks import templates
from docs_examples.checks import runner

try:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError
    from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
    from mkdocs.structure.files import File, Files, InclusionLevel
    from mkdocs.structure.pages import Page as MkDocsPage

    from docs_examples.config import ExamplesConfig
except ImportError as exc:  # MkDocs 2 has no plugin API: say so instead of naming a missing module
    raise ImportError(mkdocs2.message() or str(exc)) from exc
from docs_examples.pipeline import Page, Pipeline
from docs_examples.reports import get_writer
from docs_examples.reports.mkdocs_log import MkDocsLogWriter
from docs_examples.results import Report
from docs_examples.site import ExampleSite, SiteOptions, url_of

log = get_plugin_logger(__name__)

ASSETS, ASSET_URI = standalone.ASSETS, standalone.ASSET_URI


class ExamplesPlugin(BasePlugin[ExamplesConfig]):
    """Check every fenced block of the site and show readers the results."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None
        self.settings = settings_mod.Settings()
        self.report: Report | None = None
        self.site: ExampleSite | None = None
        self.root = Path.cwd()
        self.page_prefix = "docs"
        self.serving = False  # `mkdocs serve` renders draft_docs pages too, so they are checked there

    # Defining on_startup makes MkDocs keep this instance across `mkdocs serve` rebuilds, so the
    # pipeline's cache and compiled schemas are reused.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.pipeline = None
        self.serving = command == "serve"

    # Late (-50): other plugins may still change docs_dir or the snippets extension's base_path.
    @event_priority(-50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.page_prefix = _relative_posix(Path(config.docs_dir), self.root)
        snippets = config.mdx_configs.get("pymdownx.snippets") or {}
        options = {k: v for k, v in self.config.items() if not (k == "kubernetes" and v is None)}
        plugins = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
        try:
            settings = settings_mod.from_options(
                self.root,
                options,
                docs_dir=config.docs_dir,
                snippets=snippets,
                warn=log.warning,
                validated=True,
                macros=templates.macros_options(plugins, dict(config.extra)),
            )
        except settings_mod.ConfigError as exc:
            raise PluginError(f"docs-examples: {exc}") from exc
        self.settings = settings
        if not settings.enabled:
            self.pipeline = None
            return None
        if self.pipeline is None or self.pipeline.settings != settings:
            try:
                self.pipeline = Pipeline(settings)
            except settings_mod.ConfigError as exc:
                raise PluginError(f"docs-examples: {exc}") from exc
        _link(config.extra_css, f"{ASSET_URI}/examples.css")
        _link(config.extra_javascript, f"{ASSET_URI}/examples.js")
        return config

    # Default priority: on_pre_build is the last event before MkDocs empties site_dir and walks docs_dir,
    # both of which follow symbolic links; nothing else of the build has happened yet.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.pipeline is None:
            return
        refused = guard.before_build(Path(config.docs_dir), self._outputs(config), self.root)
        if refused:
            raise PluginError(f"docs-examples: {guard.describe(refused)}")

    # Late (-50): every other plugin has added or removed its files, so exactly the pages that will be
    # built are checked; generated pages (ours, the interview plugin's) are skipped by source.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.pipeline is None:
            return None
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        left = generated.recorded(config.docs_dir)  # what `docs-examples pages` wrote: output, not sources
        for stale in [f for f in files if f.src_uri in left and not f.generated_by]:
            files.remove(stale)  # this build makes its own (pages, downloads, assets): an old copy is not the site's
        sources = [f for f in files.documentation_pages(inclusion=inclusion) if _source(f, left)]
        pages = [self._page(f) for f in sources]
        try:
            with runner.stop_on_signals():  # SIGTERM/SIGINT stop every tool at once and end the build
                self.report = self.pipeline.run(pages)
        except settings_mod.ConfigError as exc:  # an unreadable baseline file, say
            raise PluginError(f"docs-examples: {exc}") from exc
        get_writer("mkdocs", logger=log).write_report(self.report)  # before on_post_build: strict counts it
        if refused := guard.refusals(self.report.problems):  # MkDocs would render or copy them next
            raise PluginError(f"docs-examples: {guard.describe(refused)}")
        describe = self.report.labels
        kinds = {c.name: sorted(k.value for k in c.kinds) for c in self.pipeline.checks}
        self.site = ExampleSite(self.report, self._site_options(config), describe, kinds)
        urls = {f"{self.page_prefix}/{f.src_uri}": f.url for f in sources}
        for uri, markdown in self.site.generated_pages(urls).items():
            _add(files, File.generated(config, uri, content=markdown), left)
        for asset in sorted(ASSETS.iterdir()):
            _add(files, File.generated(config, f"{ASSET_URI}/{asset.name}", abs_src_path=str(asset)), left)
        return files

    # Default priority: runs after every plugin's on_files, so every page and asset of the site is known;
    # downloads that would overwrite one are refused here, before strict mode stops counting warnings.
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> None:
        if self.site is None or self.report is None or self.pipeline is None:
            return
        refused = self.pipeline.verdict.judge_all(self.site.reserve(f.dest_uri for f in files))
        self.report.problems.extend(refused)
        MkDocsLogWriter(log).write_problems(refused)

    # Late (-50): decorate the HTML other plugins have finished, so the rendered blocks counted are final.
    @event_priority(-50)
    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        if self.site is None or page.file.generated_by:
            return None
        decorated = self.site.decorate(f"{self.page_prefix}/{page.file.src_uri}", html, page.url)
        if decorated.problem:
            log.warning(decorated.problem)
        return decorated.html

    # Default priority: files are written after the site is; findings were already logged in on_files.
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is None or self.report is None:
            return
        written = self.site.write(Path(config.site_dir), self.root)
        try:
            reports = standalone.write_reports(self.report, self.settings)
        except settings_mod.ConfigError as exc:
            raise PluginError(f"docs-examples: {exc}") from exc
        for fmt, target in reports:
            log.info("examples: %s report written to %s", fmt, target)
        log.info("examples: %d download files under %s/examples", len(written), config.site_dir)

    # -- wiring helpers (no decisions: options and lookups only) ----------------------------------------

    def _page(self, file: File) -> Page:
        """A page's raw bytes (extraction decides how to decode them), read within the guard's limits."""
        name = f"{self.page_prefix}/{file.src_uri}"
        path = Path(file.abs_src_path or "")
        source, problems = guard.read_source(path, name, self.root, self.settings.max_page_bytes)
        return Page(name, source, path, problems)

    def _outputs(self, config: MkDocsConfig) -> list[Path | None]:
        """The folders this build writes into: the site, its downloads, the cache, the reports' folders."""
        site = Path(config.site_dir)
        reports = [self.root / path for option in standalone.REPORT_FORMATS if (path := getattr(self.settings, option))]
        return [site, site / "examples", self.settings.cache_dir, *reports]

    def _site_options(self, config: MkDocsConfig) -> SiteOptions:
        return standalone.site_options(self.settings, config.use_directory_urls)


def _source(file: File, left: frozenset[str]) -> bool:
    """A page the author wrote: not generated by a plugin, nor left by `docs-examples pages`."""
    return bool(file.abs_src_path) and not file.generated_by and file.src_uri not in left


def _add(files: Files, file: File, left: frozenset[str]) -> None:
    """Add a generated file unless the author already has one at that path (theirs wins, and we say so);
    one that `docs-examples pages` left there (for Zensical) is replaced by this build's."""
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None and file.src_uri in left:
        files.remove(existing)
    elif existing is not None:
        log.warning("docs-examples: %s exists in the docs folder; not generating it", file.src_uri)
        return
    files.append(file)


def _link(links: list[Any], uri: str) -> None:
    """Link an asset unless mkdocs.yml already does (it lists them for Zensical, which runs no plugins)."""
    if uri not in {str(link) for link in links}:
        links.append(uri)


def _relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (``docs``), or ``../x`` when it is outside."""
    return PurePosixPath(Path(os.path.relpath(path.resolve(), root))).as_posix()


__all__ = ["ExamplesPlugin", "url_of"]
