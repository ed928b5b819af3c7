"""The MkDocs adapter of the interview section: sources in, generated pages and a CSV out.

on_config         add the practice-mode script and styles
on_files          collect every chapter's talking points from its source, warn at malformed ones,
                  add one page per chapter, the all-questions page and the CSV
on_page_markdown  fold the strong answers of a chapter's talking points and link to practising them
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from interview_qa import render
from interview_qa.collect import Chapter, collect
from interview_qa.config import InterviewConfig

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parent / "assets"
ASSET_URI = "assets/interview"
CSV_NAME = "questions.csv"


class InterviewPlugin(BasePlugin[InterviewConfig]):
    """Turn "Interview Talking Points" sections into a study section."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.chapters: set[str] = set()  # src_uri of the pages whose talking points were published

    # Default priority: only adds two assets; nothing depends on the order.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        config.extra_css.append(f"{ASSET_URI}/interview.css")
        config.extra_javascript.append(f"{ASSET_URI}/interview.js")
        return config

    # Late (-50): other plugins have added their pages; generated ones (no source) are not chapters.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        prefix = PurePosixPath(os.path.relpath(Path(config.docs_dir).resolve(), root)).as_posix()
        folder = self.config.folder.strip("/")
        chapters = [
            _chapter(f, prefix)
            for f in files.documentation_pages()
            if f.abs_src_path and not f.generated_by and not f.src_uri.startswith(f"{folder}/")
        ]
        for chapter in chapters:
            for problem in chapter.problems:
                log.warning("%s:%d: %s", chapter.page, problem.line, problem.message)
        chapters = [c for c in chapters if c.questions]
        generated = {render.chapter_uri(c, folder): render.chapter_page(c, folder) for c in chapters}
        csv_name = CSV_NAME if self.config.csv else None
        generated[f"{folder}/index.md"] = render.index_page(chapters, folder, csv_name)
        if csv_name:
            generated[f"{folder}/{csv_name}"] = render.csv_text(chapters, _links(chapters, files, config))
        for uri, content in generated.items():
            _add(files, File.generated(config, uri, content=content))
        for asset in sorted(ASSETS.iterdir()):
            _add(files, File.generated(config, f"{ASSET_URI}/{asset.name}", abs_src_path=str(asset)))
        log.info("interview: %d questions from %d chapters", sum(len(c.questions) for c in chapters), len(chapters))
        self.chapters = {c.src_uri for c in chapters}
        return files

    # Default priority: only the talking points of chapters change; the examples plugin reads pages from disk.
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or page.file.src_uri not in self.chapters:
            return None
        chapter = collect(page.file.src_uri, page.file.src_uri, markdown)
        link = render.practice_link(chapter, self.config.folder.strip("/"))
        return render.collapse_answers(markdown, chapter, link)


def _chapter(file: File, prefix: str) -> Chapter:
    """Collect one source page; undecodable bytes are replaced (the examples plugin reports them)."""
    text = Path(file.abs_src_path or "").read_bytes().decode("utf-8", errors="replace")
    return collect(f"{prefix}/{file.src_uri}", file.src_uri, text)


def _links(chapters: list[Chapter], files: Files, config: MkDocsConfig) -> dict[str, str]:
    """Each chapter's talking points as an absolute URL when ``site_url`` is set, else site-relative."""
    base = (config.site_url or "").rstrip("/")
    out = {}
    for chapter in chapters:
        file = files.get_file_from_path(chapter.src_uri)
        url = file.url if file else chapter.src_uri
        anchor = render.section_link(chapter, chapter.src_uri).rpartition("#")[2]
        out[chapter.page] = f"{base}/{url}#{anchor}" if base else f"/{url}#{anchor}"
    return out


def _add(files: Files, file: File) -> None:
    """Add a generated file unless the author has one at that path (theirs wins, and we say so)."""
    if files.get_file_from_path(file.src_uri) is not None:
        log.warning("interview: %s exists in the docs folder; not generating it", file.src_uri)
        return
    files.append(file)
