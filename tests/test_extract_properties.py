"""Property tests: random nestings of fences in containers extract exactly as Python-Markdown renders them."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _render import normalise, render_codes
from docs_examples.blocks.extract import extract_page
from docs_examples.settings import Settings

EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.tabbed",
]
CONFIGS = {"pymdownx.tabbed": {"alternate_style": True}}
PAGE = "docs/p.md"

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
CODE_LINE = st.one_of(
    st.just(""),
    st.text(alphabet="abcxyz :-#=<>&\"'{}()$/.", min_size=1, max_size=30)
    .map(str.rstrip)
    .filter(lambda s: s and not s.lstrip().startswith(("`", "~"))),
    st.just("image: nginx # (1)!"),
    st.just("    indented: true"),
)


@dataclass
class Fence:
    char: str
    length: int
    header: str
    lines: list[str]


@st.composite
def fences(draw: st.DrawFn) -> Fence:
    char = draw(st.sampled_from("`~"))
    length = draw(st.integers(3, 5))
    lang = draw(st.sampled_from(["", "yaml", "bash", "dockerfile", "json", "text", "console", "py"]))
    header = draw(
        st.sampled_from(
            [
                lang,
                f'{lang} title="x.{lang or "txt"}"',
                f'{{ .{lang or "text"} title="a b" data-check="skip" }}',
                f'{lang} hl_lines="1"',
            ]
        )
    )
    body = draw(st.lists(CODE_LINE, min_size=0, max_size=5))
    # Content lines must not close the fence; a shorter or longer run of the fence char inside is text.
    if draw(st.booleans()):
        body.append(char * (length + 1))
    return Fence(char, length, header, body)


def _fence_lines(f: Fence) -> list[str]:
    mark = f.char * f.length
    return [f"{mark}{' ' if f.header and not f.header.startswith('{') else ''}{f.header}", *f.lines, mark]


def _indent(lines: list[str], prefix: str) -> list[str]:
    return [prefix + line if line else line for line in lines]


@st.composite
def containers(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A fence, possibly wrapped in a tab, admonition, details, list item or blockquote (recursively)."""
    if depth >= 3 or draw(st.booleans()):
        return _fence_lines(draw(fences()))
    inner = draw(containers(depth + 1))
    kind = draw(st.sampled_from(["tab", "admonition", "details", "list", "quote"]))
    if kind == "tab":
        head = f'=== "{draw(WORD)}"'
    elif kind == "admonition":
        head = f"!!! {draw(st.sampled_from(['note', 'warning', 'example']))}"
    elif kind == "details":
        head = f"{draw(st.sampled_from(['???', '???+']))} note"
    elif kind == "list":
        head = f"{draw(st.sampled_from(['-', '1.']))} {draw(WORD)}"
    else:
        return [("> " + line).rstrip() for line in inner]
    return [head, "", *_indent(inner, "    ")]


@st.composite
def pages(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            parts.append(f"{'#' * draw(st.integers(1, 3))} {draw(WORD)}")
        parts.append("\n".join(draw(containers())))
        if draw(st.booleans()):
            parts.append(draw(WORD))
    return "\n\n".join(parts) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_extraction_equals_rendering(page: str) -> None:
    extracted = extract_page(PAGE, page, settings=Settings(cache_dir=None))
    rendered = [normalise(text, custom) for text, custom in render_codes(page, EXTENSIONS, CONFIGS)]
    assert [b.text for b in extracted.blocks] == rendered
    page_lines = page.split("\n")
    for block in extracted.blocks:
        assert len(block.origins) == len(block.lines) or block.text == ""
        for text_line, origin in zip(block.lines, block.origins, strict=False):
            assert origin.file == PAGE
            source = page_lines[origin.line - 1]
            # The origin's line holds the text, after the container prefix it names.
            assert source[origin.column_offset :] == text_line or (not text_line and not source.strip(" >"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(alphabet='`~>=-!?" \n\t;8<:{}.#a\x00\r', max_size=400))
def test_arbitrary_input_never_raises(source: bytes | str) -> None:
    extracted = extract_page(PAGE, source, settings=Settings(cache_dir=None))
    for block in extracted.blocks:
        assert block.page == PAGE and block.fence_line >= 1
