"""The Python-Markdown adapter: status lines and download links wherever Python-Markdown extensions run.

For site generators that run no MkDocs plugins (Zensical reads ``mkdocs.yml`` and runs its
``markdown_extensions`` for every page, but ignores ``plugins``)::

    markdown_extensions:
      - docs_examples.extension          # optional: config_file: mkdocs.yml (relative to the project)

The generator makes one Markdown instance per page. This extension adds two processors to it:

* a preprocessor, first of all (priority 100, before pymdownx.snippets), that keeps the page's Markdown
  as the generator handed it over;
* a treeprocessor, last of all (priority -100), that marks the tree as finished;
* a postprocessor, last of all (priority -100), that gets the page's finished HTML — what MkDocs hands
  to ``on_page_content`` — and decorates it with :meth:`ExampleSite.decorate`, the plugin's own call.

Which page is being rendered comes from the generator when it says so (Zensical's rendering context,
MkDocs' and ProperDocs' link processor), else from the page's content; either way the blocks of the
Markdown being rendered must be the blocks that were checked, or the page is left undecorated with a
warning. Results come from :func:`docs_examples.standalone.load`, run once per process and again when a
page no longer matches (``serve`` after an edit); the results cache makes that a lookup, never a re-check.

Under MkDocs or ProperDocs with the ``docs-examples`` plugin in the same build the plugin decorates and
this extension stands aside, so one ``mkdocs.yml`` serves all three generators.
"""

from __future__ import annotations

import logging
import posixpath
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import Registry

from docs_examples import standalone
from docs_examples.settings import ConfigError
from docs_examples.site import url_of

PLUGIN_NAME = "docs-examples"
# Under MkDocs' own logger tree, so that `mkdocs build --strict` counts these warnings when the extension runs
# there without the plugin; Zensical 0.0.73 prints them but does not count them (see the README).
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


@dataclass(frozen=True, slots=True)
class Host:
    """What the generator tells about the page being rendered (None: it does not say)."""

    name: str  # zensical | mkdocs | python-markdown
    config_file: Path
    src_uri: str | None = None  # the page under the docs folder (``guide/ci-cd.md``)
    url: str | None = None  # what links in its HTML are relative to: its URL (``guide/ci-cd/``), or see below
    plugin_decorates: bool = False  # MkDocs/ProperDocs with the docs-examples plugin in this build


def host_of(md: Markdown, config_file: str | None) -> Host:
    """Read the generator's own context from the Markdown instance, by duck typing (neither is public API).

    Zensical 0.0.x registers a ``rendering_context`` preprocessor holding the page and the configuration;
    MkDocs 1.x and ProperDocs register a ``relpath`` treeprocessor holding the page's file and the config.
    Anything else is plain Python-Markdown. ``config_file`` (the extension's option) names the file the
    settings are read from, relative to the project (the working directory for plain Python-Markdown);
    unset, it is the file the generator read (Zensical: ``mkdocs.yml`` beside the project).
    """
    context = _registered(md.preprocessors, "rendering_context")
    page = getattr(context, "page", None)
    settings = getattr(context, "config", None)
    if page is not None and isinstance(settings, dict) and settings.get("root_dir"):
        # Zensical resolves every relative link of a page's HTML against the page's source file, as it does
        # Markdown links, then rewrites it for the page's URL: so links are made relative to the source folder.
        root, src_uri = Path(str(settings["root_dir"])), str(page.path)
        return Host("zensical", root / (config_file or "mkdocs.yml"), src_uri, _folder(src_uri))
    relpath = _registered(md.treeprocessors, "relpath")
    file, mkdocs_config = getattr(relpath, "file", None), getattr(relpath, "config", None)
    if file is not None and mkdocs_config is not None:
        read = Path(mkdocs_config.config_file_path or "mkdocs.yml")
        path = read.parent / config_file if config_file else read
        plugins = getattr(mkdocs_config, "plugins", {}) or {}
        return Host("mkdocs", path, file.src_uri, file.url, PLUGIN_NAME in plugins)
    return Host("python-markdown", Path(config_file or "mkdocs.yml"))


def _folder(src_uri: str) -> str:
    """``guide/ci-cd.md`` → ``guide/`` (``index.md`` → ``""``), as a page URL for :func:`relative_url`."""
    folder = posixpath.dirname(src_uri)
    return f"{folder}/" if folder else ""


def _registered(registry: Registry[Any], name: str) -> Any:
    """The processor registered under ``name``, or None (a Registry has no ``get``)."""
    return registry[name] if name in registry else None  # noqa: SIM401  # Registry has no get()


# -- one pipeline run per site and process ---------------------------------------------------------------

_runs: dict[Path, standalone.SiteRun] = {}
_lock = threading.Lock()


def site_run(config_file: Path, *, fresh: bool = False) -> standalone.SiteRun:
    """The pipeline's run for ``config_file``: made on first use, again when ``fresh`` (a page changed)."""
    key = config_file.resolve()
    with _lock:
        if fresh or key not in _runs:
            run = standalone.load(key, warn=log.warning)
            for fmt, path in standalone.write_reports(run.report, run.settings) if run.report else []:
                log.info("examples: %s report written to %s", fmt, path)
            if run.report is not None:
                log.info("examples: %s", standalone.summary_line(run.report))
            _runs[key] = run
        return _runs[key]


def page_of(run: standalone.SiteRun, host: Host, source: str) -> tuple[str | None, str | None]:
    """The checked page whose blocks are the blocks of ``source``, and why there is none when there is none.

    With the generator's page name, that page is checked to have exactly these blocks; without one, the
    page is found by its blocks (and refused when two pages have the same ones)."""
    probe = run.page_name(host.src_uri) if host.src_uri else "<rendered page>"
    digests = [b.digest for b in run.extract(probe, source).blocks]
    if host.src_uri is not None:
        if run.blocks_of(probe) == digests:
            return probe, None
        return None, f"{probe}: the Markdown being rendered has other code blocks than the checked page"
    if not digests:
        return None, None
    same = [name for name in (run.site.by_page if run.site else {}) if run.blocks_of(name) == digests]
    if len(same) == 1:
        return same[0], None
    what = "no checked page" if not same else f"{len(same)} checked pages ({', '.join(same)})"
    return None, f"a rendered page's code blocks match {what}; status lines left out"


# -- the processors ---------------------------------------------------------------------------------------


class _KeepSource(Preprocessor):
    """Keep the page's Markdown as handed over, before any extension changes it."""

    def __init__(self, md: Markdown, extension: ExamplesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.source = "\n".join(lines)
        self.extension.finished = False
        return lines


class _TreeDone(Treeprocessor):
    """Mark the end of the tree stage: before it, postprocessors run on fragments (the toc extension passes
    every heading's text through them), which are not the page and must not be decorated."""

    def __init__(self, md: Markdown, extension: ExamplesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        self.extension.finished = True


class _Decorate(Postprocessor):
    """Status lines and download links under the page's rendered blocks."""

    def __init__(self, md: Markdown, extension: ExamplesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if not self.extension.finished:
            return text
        host = host_of(self.md, self.extension.getConfig("config_file") or None)
        if host.plugin_decorates:
            return text
        try:
            return decorate(host, self.extension.source, text)
        except ConfigError as exc:
            log.warning("docs-examples: %s", exc)
            return text


def decorate(host: Host, source: str, html: str) -> str:
    """``html`` with the status lines of its page, or unchanged (with a warning) when that cannot be honest."""
    run = site_run(host.config_file)
    if run.site is None:
        return html
    name, problem = page_of(run, host, source)
    if name is None and problem and run.changed():  # a page or snippet edited since the run (serve): run again
        run = site_run(host.config_file, fresh=True)
        name, problem = page_of(run, host, source)
    if name is None or run.site is None:
        if problem:
            log.warning("docs-examples: %s", problem)
        return html
    src_uri = host.src_uri or name.removeprefix(f"{run.prefix}/")
    url = host.url if host.url is not None else url_of(src_uri, run.directory_urls)
    decorated = run.site.decorate(name, html, url)
    if decorated.problem:
        log.warning("docs-examples: %s", decorated.problem)
    return decorated.html


class ExamplesExtension(Extension):
    """Registers the two processors; one instance per page (generators build a Markdown per page)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "config_file": ["", "The mkdocs.yml to read settings from, relative to the project (default: the site's)."]
        }
        self.source = ""
        self.finished = False
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        md.preprocessors.register(_KeepSource(md, self), "docs_examples_source", 100)
        md.treeprocessors.register(_TreeDone(md, self), "docs_examples_tree_done", -100)
        md.postprocessors.register(_Decorate(md, self), "docs_examples_decorate", -100)


def makeExtension(**kwargs: Any) -> ExamplesExtension:  # Python-Markdown's name
    """The entry Python-Markdown calls for ``markdown_extensions: [docs_examples.extension]``."""
    return ExamplesExtension(**kwargs)
