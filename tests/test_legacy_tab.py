"""The ``tab="…"`` fence header, removed in pymdown-extensions 8: one page finding, and the fences after it
pair exactly as the installed Python-Markdown + pymdown-extensions render the page."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.utils.meta import get_data

from _render import _CodeCollector, normalise
from docs_examples.blocks.extract import extract_page
from docs_examples.blocks.lexer import legacy_tab, lex
from docs_examples.settings import Settings, from_mkdocs_yml

ROOT = Path(__file__).resolve().parents[1]
TRAEFIK = ROOT.parent / "shared" / "corpus" / "real-sites" / "traefik"
# Traefik's own markdown_extensions (its mkdocs.yml), as this machine's versions render them.
TRAEFIK_EXTENSIONS = [
    "meta",
    "attr_list",
    "admonition",
    "footnotes",
    "pymdownx.details",
    "pymdownx.inlinehilite",
    "pymdownx.highlight",
    "pymdownx.smartsymbols",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.snippets",
    "toc",
]

PAGE = """\
# Install

```yaml tab="Docker"
a: 1
```

```toml tab="File (TOML)"
a = 1
```

```bash tab="CLI"
echo hi
```
"""


def fenced_codes(source: str, extensions: list[str], configs: dict | None = None) -> list[str]:
    """The code blocks the page renders from fences: indented code blocks are left out (never extracted)."""
    text, _ = get_data(source)
    md = markdown.Markdown(extensions=extensions, extension_configs=configs or {})
    md.parser.blockprocessors.deregister("code")
    collector = _CodeCollector()
    collector.feed(md.convert(text))
    collector.close()
    return [normalise(t, custom) for t, custom in collector.codes]


def settings() -> Settings:
    return Settings(cache_dir=None)


def test_legacy_tab_header_is_recognised() -> None:
    assert legacy_tab('```yaml tab="Docker"') == "Docker"
    assert legacy_tab('    ~~~~toml  title="a.toml" tab="File (TOML)"') == "File (TOML)"
    assert legacy_tab("```yaml") is None
    assert legacy_tab('```yaml title="x"') is None  # superfences accepts it
    assert legacy_tab('```yaml tab="A" data-x="1"') is None  # refused for its attribute, tab or no tab


def test_one_page_finding_and_the_pairing_of_the_render() -> None:
    page = extract_page("docs/install.md", PAGE, settings=settings())
    assert [p.rule for p in page.problems] == ["legacy-tab-header"]
    problem = page.problems[0]
    assert (problem.file, problem.line) == ("docs/install.md", 3)
    assert problem.message.startswith("tab= was removed in pymdown-extensions 8; use pymdownx.tabbed")
    assert "(lines 3, 11)" in problem.message and "1 fence is never closed (line 13)" in problem.message
    # The closing fence of the first block opens a block that swallows the second header; the third header
    # is text, and the fence after it is never closed, so it renders as text and is no block.
    assert [b.text for b in page.blocks] == ['```toml tab="File (TOML)"\na = 1']
    assert [b.text for b in page.blocks] == fenced_codes(PAGE, ["pymdownx.superfences"])


def test_pymdown_7_pairing_is_what_the_author_meant() -> None:
    fences, abandoned = lex(PAGE.splitlines(), legacy=True)
    assert [(f.start, f.end, f.header.attrs.get("tab")) for f in fences] == [
        (2, 4, "Docker"),
        (6, 8, "File (TOML)"),
        (10, 12, "CLI"),
    ]
    assert abandoned == []


def test_an_unclosed_fence_of_its_own_is_still_reported() -> None:
    source = PAGE.replace('```bash tab="CLI"\necho hi\n```\n', "````bash\necho never closed\n")
    page = extract_page("docs/p.md", source, settings=settings())
    rules = sorted(p.rule for p in page.problems) + [p.rule for b in page.blocks for p in b.problems]
    assert rules == ["legacy-tab-header", "unclosed-fence"]
    assert "never closed" not in page.problems[0].message


def test_a_tab_header_shown_inside_a_fence_is_no_problem() -> None:
    source = '````markdown\n```yaml tab="Docker"\na: 1\n```\n````\n'
    page = extract_page("docs/p.md", source, settings=settings())
    assert page.problems == []
    assert [b.text for b in page.blocks] == fenced_codes(source, ["pymdownx.superfences"])


@pytest.fixture(scope="module")
def traefik() -> tuple[Settings, list[Path]]:
    if not (TRAEFIK / "mkdocs.yml").is_file():
        pytest.skip(f"corpus not found at {TRAEFIK}")
    s = from_mkdocs_yml(TRAEFIK / "mkdocs.yml")
    s.cache_dir = None
    return s, sorted((TRAEFIK / "content").rglob("*.md"))


def test_traefik_pages_pair_as_they_render(traefik: tuple[Settings, list[Path]]) -> None:
    """Every Traefik page: the extracted blocks are the fenced blocks the installed pymdown renders."""
    s, pages = traefik
    configs = {"pymdownx.snippets": {"base_path": [str(TRAEFIK)]}, "toc": {"permalink": True}}
    compared = 0
    for page in pages:
        source = page.read_text(encoding="utf-8")
        extracted = extract_page(page.relative_to(TRAEFIK).as_posix(), source, settings=s)
        rendered = fenced_codes(source, TRAEFIK_EXTENSIONS, configs)
        assert [b.text for b in extracted.blocks] == rendered, page
        compared += len(rendered)
    assert compared == 834


def test_traefik_gets_one_finding_per_page_instead_of_a_cascade(traefik: tuple[Settings, list[Path]]) -> None:
    """Before: 540 fence-header and 44 unclosed-fence page problems and 54 unclosed blocks (88 % of them on
    pages with tab= headers). Now: one legacy-tab-header per page that has them, and nothing else."""
    s, pages = traefik
    by_rule: dict[str, int] = {}
    files: set[str] = set()
    for page in pages:
        extracted = extract_page(page.relative_to(TRAEFIK).as_posix(), page.read_bytes(), settings=s)
        found = extracted.problems + [p for b in extracted.blocks for p in b.problems]
        tabs = [p for p in found if p.rule == "legacy-tab-header"]
        assert len(tabs) <= 1, page
        files.update(p.file or "" for p in tabs)
        for p in found:
            by_rule[p.rule] = by_rule.get(p.rule, 0) + 1
    assert by_rule == {"legacy-tab-header": 128}
    # 127 pages open fences with tab=; one more page includes such a page with --8<--.
    assert len(files) == 127
