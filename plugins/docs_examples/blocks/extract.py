"""Extraction: one Markdown page → :class:`Block` records, as Material renders them.

The steps mirror Python-Markdown's preprocessors, in their order, keeping every line's origin:

1. decode (invalid UTF-8 and NUL bytes become located findings, never exceptions);
2. front matter, which MkDocs removes before Markdown sees the page;
3. ``--8<--`` snippets (:mod:`.snippets`), expanded before fences, even inside them;
4. whitespace normalisation (tabs to 4 columns, whitespace-only lines emptied);
5. the fence lexer (:mod:`.lexer`), with the heading/tab context (:mod:`.context`) fed the Markdown lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docs_examples.blocks.context import Context
from docs_examples.blocks.lexer import Abandoned, Fence, legacy_tab, lex
from docs_examples.blocks.model import Block, Origin
from docs_examples.blocks.snippets import Expander, Source
from docs_examples.findings import Category, Finding, Severity
from docs_examples.settings import Settings

TOOL = "docs-examples"
MAX_BLOCK_BYTES = 1024 * 1024
TAB_LENGTH = 4


@dataclass(slots=True)
class ExtractedPage:
    """Everything extraction learned about one page."""

    blocks: list[Block]
    problems: list[Finding]  # page-level findings, already located (file and line set)
    front_matter: dict[str, Any] = field(default_factory=dict)


def _finding(
    rule: str, message: str, *, file: str | None = None, line: int | None = None, severity: Severity = Severity.ERROR
) -> Finding:
    return Finding(
        tool=TOOL, rule=rule, severity=severity, message=message, file=file, line=line, category=Category.EXTRACTION
    )


# -- decoding and front matter ----------------------------------------------------------------------------


def decode(name: str, source: bytes | str) -> tuple[str, list[Finding]]:
    """Text of the page with line endings normalised, and findings for undecodable bytes and NULs."""
    problems: list[Finding] = []
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = source.count(b"\n", 0, exc.start) + 1
            problems.append(
                _finding(
                    "invalid-utf8",
                    f"not valid UTF-8 (byte 0x{source[exc.start]:02x}); undecodable bytes were replaced with U+FFFD",
                    file=name,
                    line=line,
                )
            )
            text = source.decode("utf-8", errors="replace")
    else:
        text, problems = _encodable(name, source)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\0")
    if nul != -1:
        problems.append(_finding("nul-byte", "page contains NUL bytes", file=name, line=text.count("\n", 0, nul) + 1))
    return text, problems


def _encodable(name: str, text: str) -> tuple[str, list[Finding]]:
    """Text that encodes as UTF-8: lone surrogates (from a caller's ``str``) become U+FFFD and are reported.

    Every tool gets the text as UTF-8; a surrogate made a check crash and BuildKit's parser (Go, in this
    process) dereference a null pointer.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        message = f"not valid UTF-8 (lone surrogate U+{ord(text[exc.start]):04X}); replaced with U+FFFD"
        fixed = text.encode("utf-8", "surrogatepass").decode("utf-8", errors="replace")
        return fixed, [_finding("invalid-utf8", message, file=name, line=line)]
    return text, []


# The front matter keys the pipeline reads (directives.page_skip); the rest of a page's front matter is MkDocs'.
FRONT_MATTER_KEYS = frozenset({"check", "check_reason"})


def front_matter(name: str, lines: list[str]) -> tuple[dict[str, Any], int, list[Finding]]:
    """Parse YAML front matter as MkDocs does; returns it, the number of lines it spans, and findings.

    Malformed front matter is left in the page, as MkDocs leaves it, and reported at its line.
    """
    if not lines or lines[0].rstrip(" \t") != "---":
        return {}, 0, []
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip(" \t") in ("---", "...")), None)
    if end is None or end < 2:  # MkDocs needs at least one line between the markers
        return {}, 0, []
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = str(getattr(exc, "problem", None) or exc).strip()
        return {}, 0, [_finding("front-matter", f"front matter is not valid YAML: {problem}", file=name, line=line)]
    if not isinstance(data, dict):
        return (
            {},
            0,
            [
                _finding(
                    "front-matter",
                    "front matter is not a mapping; MkDocs renders it as text",
                    file=name,
                    line=1,
                    severity=Severity.WARNING,
                )
            ],
        )
    return data, end + 1, []


# -- blocks -----------------------------------------------------------------------------------------------


def _normalise(line: str) -> str:
    """Python-Markdown's whitespace normalisation of one line."""
    if "\t" in line:
        line = line.expandtabs(TAB_LENGTH)
    if "\x02" in line or "\x03" in line:
        line = line.replace("\x02", "").replace("\x03", "")
    return "" if not line.strip(" ") else line


def _trim(body: list[int], lines: list[str], indent: int) -> list[int]:
    """Drop leading and trailing empty body lines, as the highlighter does (``stripnl``)."""
    start, end = 0, len(body)
    while start < end and not lines[body[start]][indent:]:
        start += 1
    while end > start and not lines[body[end - 1]][indent:]:
        end -= 1
    return body[start:end]


def _block(
    name: str,
    index: int,
    fence: Fence,
    lines: list[str],
    sources: list[Source],
    ctx: tuple[str, tuple[str, ...], tuple[str, ...]],
) -> Block:
    """Build the :class:`Block` for one lexed fence."""
    body = _trim(fence.body, lines, fence.indent)
    texts = [lines[i][fence.indent :] for i in body]
    origins = tuple(Origin(sources[i].file, sources[i].line, max(0, fence.indent - sources[i].shift)) for i in body)
    last = fence.end if fence.end is not None else len(lines) - 1
    header = fence.header
    heading, headings, tabs = ctx
    block = Block(
        page=name,
        index=index,
        fence_line=sources[fence.start].page_line,
        end_line=sources[last].page_line if lines else sources[fence.start].page_line,
        language=header.language.lower(),
        text="\n".join(texts),
        origins=origins,
        title=header.attrs.get("title"),
        classes=tuple(header.classes),
        attrs=dict(header.attrs),
        heading=heading,
        headings=headings,
        tabs=tabs,
        indent=fence.indent,
        fence=header.fence,
        closed=fence.closed,
        includes=tuple(dict.fromkeys(o.file for o in origins if o.file != name)),
    )
    if not fence.closed:
        block.problems.append(
            _finding(
                "unclosed-fence", f"fence {header.fence} is never closed; the block runs to the end of the page", line=0
            )
        )
    size = sum(len(t.encode("utf-8", "surrogatepass")) + 1 for t in texts)
    if size > MAX_BLOCK_BYTES:
        block.problems.append(
            _finding("block-too-large", f"block is {size} bytes, over 1 MiB", line=0, severity=Severity.WARNING)
        )
    return block


def _abandoned(item: Abandoned, sources: list[Source]) -> Finding:
    start, stop = sources[item.start], sources[item.stop]
    return _finding(
        "unclosed-fence",
        f"fence {item.header.fence} is not closed before its container ends at line {stop.page_line}; "
        "Material renders it as text",
        file=start.file,
        line=start.line,
    )


def _refused(line: str, source: Source) -> Finding:
    header = line.strip()
    if len(header) > 80:
        header = header[:77] + "..."
    return _finding(
        "fence-header",
        f"fence header {header!r} is not understood by superfences, so Material renders it as text; "
        'options other than title, hl_lines and linenums go in braces: ``` { .lang key="value" }',
        file=source.file,
        line=source.line,
    )


def _legacy_tab_consequences(
    lines: list[str], fences: list[Fence], abandoned: list[Abandoned]
) -> tuple[list[Fence], list[Abandoned], list[int]]:
    """Leave out the unclosed fences that only the removed ``tab="…"`` option causes.

    The page is paired again as pymdown-extensions 7 paired it (a fence opens on a ``tab=`` header); a fence
    that is unclosed (or abandoned) now but not then is a consequence of the option. Superfences renders it
    as text, so it is no block; its line is named in the page's one finding instead. Returns the fences and
    abandoned fences kept, and the line indexes of those left out.
    """
    then, then_abandoned = lex(lines, legacy=True)
    unclosed_then = {f.start for f in then if not f.closed} | {a.start for a in then_abandoned}
    caused = [f.start for f in fences if not f.closed and f.start not in unclosed_then]
    caused += [a.start for a in abandoned if a.start not in unclosed_then]
    kept = [f for f in fences if f.closed or f.start in unclosed_then]
    return kept, [a for a in abandoned if a.start in unclosed_then], sorted(caused)


def _legacy_tabs(tabs: list[int], caused: list[int], lines: list[str], sources: list[Source]) -> Finding:
    """The page's one finding for its ``tab="…"`` fence headers (removed in pymdown-extensions 8)."""
    first = sources[tabs[0]]

    def where(indexes: list[int]) -> str:
        shown = ", ".join(str(sources[i].line) for i in indexes[:8])
        return shown + (f" and {len(indexes) - 8} more" if len(indexes) > 8 else "")

    title = legacy_tab(lines[tabs[0]]) or ""
    message = (
        f'tab= was removed in pymdown-extensions 8; use pymdownx.tabbed (=== "{title}" with the fence indented '
        f"under it). Superfences renders {len(tabs)} such fence header{'s' if len(tabs) != 1 else ''} on this page "
        f"as text (line{'s' if len(tabs) != 1 else ''} {where(tabs)}), so the fences after "
        f"{'them' if len(tabs) != 1 else 'it'} pair differently"
    )
    if caused:
        are = "fences are" if len(caused) != 1 else "fence is"
        message += f" and {len(caused)} {are} never closed (line {where(caused)})"
    return _finding("legacy-tab-header", message, file=first.file, line=first.line)


def extract_page(name: str, source: bytes | str, *, settings: Settings, path: Path | None = None) -> ExtractedPage:
    """Every fenced block of one page, as Material renders it, with page-level findings."""
    text, problems = decode(name, source)
    raw = text.split("\n")
    if raw and raw[-1] == "" and len(raw) > 1:
        raw.pop()  # the newline at the end of the last line
    meta, skip, fm_problems = front_matter(name, raw)
    problems.extend(fm_problems)
    expansion = Expander(settings.snippet_paths, settings.root, dedent_subsections=settings.snippet_dedent).expand(
        raw[skip:], name, first_line=skip + 1
    )
    lines = [_normalise(line) for line in expansion.lines]
    sources = expansion.sources

    context = Context()
    snapshots: dict[int, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def on_open(i: int, line: str) -> None:
        context.enter(i, line)
        snapshots[i] = (context.heading, context.heading_trail, context.tab_path)

    refused: list[int] = []
    fences, abandoned = lex(lines, context.feed, on_open, lambda i, _line: refused.append(i))
    context.finish(len(lines))
    tabs = [i for i in refused if legacy_tab(lines[i]) is not None]
    if tabs:  # one finding for the page; the fences it leaves unclosed are part of it
        fences, abandoned, caused = _legacy_tab_consequences(lines, fences, abandoned)
        problems.append(_legacy_tabs(tabs, caused, lines, sources))
        refused = [i for i in refused if i not in set(tabs)]
    blocks = [_block(name, i, f, lines, sources, snapshots[f.start]) for i, f in enumerate(fences)]
    problems.extend(_abandoned(a, sources) for a in abandoned)
    problems.extend(_refused(lines[i], sources[i]) for i in refused)
    for index, finding in context.problems:
        problems.append(finding.moved(file=sources[index].file, line=sources[index].line))
    _attach_include_problems(blocks, expansion.problems, problems)
    kept = {k: v for k, v in meta.items() if k in FRONT_MATTER_KEYS}
    return ExtractedPage(blocks=blocks, problems=problems, front_matter=kept)


def _attach_include_problems(blocks: list[Block], found: list[tuple[int, Finding]], page: list[Finding]) -> None:
    """A problem met while including into a block belongs to that block; the others to the page."""
    for page_line, finding in found:
        owner = next((b for b in blocks if b.fence_line <= page_line <= b.end_line), None)
        if owner is not None:
            owner.problems.append(finding)
        else:
            page.append(finding)
