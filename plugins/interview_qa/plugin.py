"""The MkDocs adapter of the interview section: sources in, generated pages and a CSV out.

on_config         add the practice-mode script and styles
on_files          collect every chapter's talking points from its source, warn at malformed ones,
                  add one page per chapter, the all-questions page and the CSV
on_page_markdown  fold the strong answers of a chapter's talking points and link to practising them
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from docs_examples import generated, mkdocs2
from interview_qa import pages, render
from interview_qa.collect import Chapter, collect

try:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from interview_qa.config import InterviewConfig
except ImportError as exc:  # MkDocs 2 has no plugin API: say so instead of naming a missing module
    raise ImportError(mkdocs2.message() or str(exc)) from exc

log = get_plugin_logger(__name__)


class InterviewPlugin(BasePlugin[InterviewConfig]):
    """Turn "Interview Talking Points" sections into a study section."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.chapters: set[str] = set()  # src_uri of the pages whose talking points were published

    # Default priority: only adds two assets; nothing depends on the order.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        for links, name in ((config.extra_css, "interview.css"), (config.extra_javascript, "interview.js")):
            if f"{pages.ASSET_URI}/{name}" not in {str(link) for link in links}:  # mkdocs.yml lists them for Zensical
                links.append(f"{pages.ASSET_URI}/{name}")
        return config

    # Late (-50): other plugins have added their pages; generated ones (no source) are not chapters.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        prefix = PurePosixPath(os.path.relpath(Path(config.docs_dir).resolve(), root)).as_posix()
        options = pages.Options(self.config.enabled, self.config.folder, self.config.csv)
        left = generated.recorded(config.docs_dir)  # what `docs-examples pages` wrote: output, not chapters
        sources = [
            _source(f, prefix)
            for f in files.documentation_pages()
            if f.abs_src_path and not f.generated_by and f.src_uri not in left
        ]
        chapters = pages.chapters(sources, options.folder)
        for chapter in chapters:
            for problem in chapter.problems:
                log.warning("%s:%d: %s", chapter.page, problem.line, problem.message)
        urls = {s.src_uri: f.url for s in sources if (f := files.get_file_from_path(s.src_uri))}
        links = pages.links(chapters, urls, config.site_url)
        for uri, content in pages.generate(chapters, options, links).items():
            _add(files, File.generated(config, uri, content=content), left)
        for asset in sorted(pages.ASSETS.iterdir()):
            _add(files, File.generated(config, f"{pages.ASSET_URI}/{asset.name}", abs_src_path=str(asset)), left)
        log.info("interview: %d questions from %d chapters", *_counts(chapters))
        self.chapters = {c.src_uri for c in chapters if c.questions}
        return files

    # Default priority: only the talking points of chapters change; the examples plugin reads pages from disk.
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or page.file.src_uri not in self.chapters:
            return None
        chapter = collect(page.file.src_uri, page.file.src_uri, markdown)
        link = render.practice_link(chapter, self.config.folder.strip("/"))
        return render.collapse_answers(markdown, chapter, link)


def _source(file: File, prefix: str) -> pages.Source:
    """One source page; undecodable bytes are replaced (the examples plugin reports them)."""
    text = Path(file.abs_src_path or "").read_bytes().decode("utf-8", errors="replace")
    return pages.Source(f"{prefix}/{file.src_uri}", file.src_uri, text)


def _counts(chapters: list[Chapter]) -> tuple[int, int]:
    """Questions and chapters with questions, for the build log."""
    return sum(len(c.questions) for c in chapters), sum(1 for c in chapters if c.questions)


def _add(files: Files, file: File, left: frozenset[str]) -> None:
    """Add a generated file unless the author has one at that path (theirs wins, and we say so); one that
    `docs-examples pages` left there (for Zensical) is replaced by this build's."""
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None and file.src_uri in left:
        files.remove(existing)
    elif existing is not None:
        log.warning("interview: %s exists in the docs folder; not generating it", file.src_uri)
        return
    files.append(file)
