"""Render Markdown the way Material does and collect the text of every code block, for agreement tests."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
from mkdocs.utils.meta import get_data
from pymdownx.superfences import fence_code_format

# The plain configuration the corpus README names: Material's own extensions, without its site overrides.
CORPUS_EXTENSIONS = [
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "toc",
    "tables",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.mark",
    "pymdownx.smartsymbols",
    "pymdownx.snippets",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
]


def corpus_configs(base: Path) -> dict[str, dict[str, Any]]:
    return {
        "toc": {"permalink": True},
        "pymdownx.highlight": {"anchor_linenums": True, "line_spans": "__span", "pygments_lang_class": True},
        "pymdownx.snippets": {"base_path": [str(base)]},
        "pymdownx.superfences": {
            "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]
        },
        "pymdownx.tabbed": {"alternate_style": True},
        "pymdownx.tasklist": {"custom_checkbox": True},
    }


class _CodeCollector(HTMLParser):
    """Text of the <code> inside every <pre> (line-number <pre>s hold no <code> and are left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.codes: list[tuple[str, bool]] = []  # (text, is a custom-fence <pre class="mermaid">)
        self._pre: list[bool] = []
        self._parts: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._pre.append("mermaid" in (dict(attrs).get("class") or ""))
        elif tag == "code" and self._pre:
            if self._parts is None:
                self._parts, self._depth = [], 0
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._parts is not None:
            self._depth -= 1
            if self._depth == 0:
                self.codes.append((html.unescape("".join(self._parts)), self._pre[-1]))
                self._parts = None
        elif tag == "pre" and self._pre:
            self._pre.pop()

    def handle_data(self, data: str) -> None:
        if self._parts is not None:
            self._parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def render_codes(source: str, extensions: list[Any], configs: dict[str, Any]) -> list[tuple[str, bool]]:
    """Render one page (front matter removed, as MkDocs does) and return its code blocks' texts."""
    text, _ = get_data(source)
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    collector = _CodeCollector()
    collector.feed(md.convert(text))
    collector.close()
    return collector.codes


def normalise(text: str, custom: bool) -> str:
    """Rendered text as extraction returns it: no final newline (highlighted blocks add one)."""
    return text.strip("\n") if custom else text.removesuffix("\n")
