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


def site_markdown(site: Path) -> tuple[list[str], dict[str, Any], list[str]]:
    """A real site's own ``markdown_extensions`` from its mkdocs.yml (``!!python/name`` tags resolved as MkDocs
    resolves them), snippets' base paths made absolute; and the names left out because they are not installed
    here (the caller says what that leaves out of the comparison)."""
    import markdown as md_module
    from mkdocs.utils.yaml import yaml_load

    with (site / "mkdocs.yml").open(encoding="utf-8") as f:
        data = yaml_load(f)
    extensions: list[str] = []
    configs: dict[str, Any] = {}
    missing: list[str] = []
    for entry in data.get("markdown_extensions") or []:
        name, config = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        config = dict(config or {})
        if name == "pymdownx.snippets":
            bases = config.get("base_path", ["."])
            config["base_path"] = [str(site / b) for b in ([bases] if isinstance(bases, str) else bases)]
        try:
            md_module.Markdown(extensions=[name], extension_configs={name: config})
        except ImportError:
            missing.append(name)
            continue
        extensions.append(name)
        configs[name] = config
    return extensions, configs, missing


class PageText(HTMLParser):
    """A rendered page as the reader sees it: inline code, code blocks, and the text outside any code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline: list[str] = []
        self.blocks: list[str] = []
        self.text: list[str] = []
        self._pre = 0
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._pre += 1
        elif tag == "code" and self._code is None:
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._code is not None:
            (self.blocks if self._pre else self.inline).append("".join(self._code))
            self._code = None
        elif tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        (self._code if self._code is not None else self.text).append(data)


def page_text(source: str, extensions: list[Any], configs: dict[str, Any]) -> PageText:
    """Render one page (front matter removed) and read it as the reader sees it."""
    text, _ = get_data(source)
    parser = PageText()
    parser.feed(markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text))
    parser.close()
    return parser
