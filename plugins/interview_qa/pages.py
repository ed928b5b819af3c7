"""The interview section without MkDocs: chapters in, every generated file out.

Two adapters call this: the MkDocs plugin (``plugin.py``, from ``on_files``) and ``docs-examples pages``,
which writes the same files into the docs folder for site generators that run no MkDocs plugins
(Zensical). Neither adds anything of its own, so both produce the same pages and the same CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview_qa import render
from interview_qa.collect import Chapter, collect

ASSETS = Path(__file__).parent / "assets"
ASSET_URI = "assets/interview"  # where the practice-mode script and styles are published
CSV_NAME = "questions.csv"


@dataclass(frozen=True, slots=True)
class Options:
    """The plugin's options (``config.py`` documents them), for callers that are not MkDocs."""

    enabled: bool = True
    folder: str = "interview"
    csv: bool = True

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Options:
        """The ``interview`` entry of mkdocs.yml, checked as MkDocs checks it; ValueError names what is wrong."""
        types = {"enabled": bool, "folder": str, "csv": bool}
        for name, value in entry.items():
            if name not in types:
                raise ValueError(f"unknown interview option {name!r} (known: {', '.join(types)})")
            if not isinstance(value, types[name]):
                raise ValueError(f"interview option {name!r}: expected {types[name].__name__}, got {value!r}")
        return cls(**dict(entry))


@dataclass(frozen=True, slots=True)
class Source:
    """One Markdown page of the site: ``page`` as warnings name it (``docs/x.md``), ``src_uri`` under docs."""

    page: str
    src_uri: str
    text: str


def chapters(sources: Iterable[Source], folder: str) -> list[Chapter]:
    """Every source page's talking points (pages in the generated folder are not chapters)."""
    folder = folder.strip("/")
    return [collect(s.page, s.src_uri, s.text) for s in sources if not s.src_uri.startswith(f"{folder}/")]


def links(chapters: Iterable[Chapter], urls: Mapping[str, str], site_url: str | None) -> dict[str, str]:
    """Each chapter's talking points as an absolute URL when ``site_url`` is set, else site-relative.

    ``urls`` maps a chapter's ``src_uri`` to its page URL (``guide/ci-cd/``)."""
    base = (site_url or "").rstrip("/")
    out = {}
    for chapter in chapters:
        url = urls.get(chapter.src_uri, chapter.src_uri)
        anchor = render.section_link(chapter, chapter.src_uri).rpartition("#")[2]
        out[chapter.page] = f"{base}/{url}#{anchor}" if base else f"/{url}#{anchor}"
    return out


def generate(found: Iterable[Chapter], options: Options, chapter_links: Mapping[str, str]) -> dict[str, str]:
    """The generated files by path under the docs folder: one page per chapter with questions, the
    all-questions page and (when enabled) the CSV."""
    folder = options.folder.strip("/")
    with_questions = [c for c in found if c.questions]
    out = {render.chapter_uri(c, folder): render.chapter_page(c, folder) for c in with_questions}
    csv_name = CSV_NAME if options.csv else None
    out[f"{folder}/index.md"] = render.index_page(with_questions, folder, csv_name)
    if csv_name:
        out[f"{folder}/{csv_name}"] = render.csv_text(with_questions, dict(chapter_links))
    return out
