"""Extraction: one Markdown page → :class:`Block` records, as Material renders them.

The steps mirror Python-Markdown's preprocessors, in their order, keeping every line's origin:

1. decode (invalid UTF-8 and NUL bytes become located findings, never exceptions);
2. front matter, which MkDocs removes before Markdown sees the page;
3. ``--8<--`` snippets (:mod:`.snippets`), expanded before fences, even inside them;
4. whitespace normalisation (tabs to 4 columns, whitespace-only lines emptied);
5. the fence lexer (:mod:`.lexer`), with the heading/tab context (:mod:`.context`) fed the Markdown lines;
6. the fence lines superfences leaves to Markdown (refused headers, fences never closed): each is told
   from what the reader sees (:mod:`.fence_text`). Inline code written on a fence line on purpose is an
   info note; a fence header that breaks a block, or a fence that is never closed, is an error that says
   what the page shows instead.

Extraction yields exactly the fenced blocks the page renders: a fence superfences drops is no block.

Limits (issue 15): a page over ``max_page_bytes``, before or after its snippets are expanded, is not
extracted at all (``page-too-large``, which stops a site build); blocks past ``max_blocks_per_page`` are
left out with one ``too-many-blocks`` error at the first of them; front matter is read with the YAML
limits (aliases, depth, size) checked before anything is built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from docs_examples import guard, yaml_loader
from docs_examples.blocks.context import Context
from docs_examples.blocks.lexer import Abandoned, Fence, legacy_tab, lex, opening
from docs_examples.blocks.model import Block, Origin
from docs_examples.blocks.snippets import Expander, Source, TooLarge
from docs_examples.findings import Category, Finding, Severity
from docs_examples.settings import Settings

if TYPE_CHECKING:  # fence_text is imported only for pages with fence lines left to Markdown
    from docs_examples.blocks.fence_text import Page, Seen

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
    rule: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    severity: Severity = Severity.ERROR,
    category: Category = Category.EXTRACTION,
) -> Finding:
    return Finding(tool=TOOL, rule=rule, severity=severity, message=message, file=file, line=line, category=category)


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
    text = "\n".join(lines[1:end])
    over = yaml_loader.limit_problem(text)
    if over is not None:  # MkDocs would read it too: the build stops on this rule (guard.REFUSING)
        return {}, end + 1, [_finding(over.rule, f"front matter: {over.message}", file=name, line=over.line + 1)]
    try:
        data = yaml.safe_load(text)
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
    header = fence.header
    heading, headings, tabs = ctx
    block = Block(
        page=name,
        index=index,
        fence_line=sources[fence.start].page_line,
        end_line=sources[fence.end].page_line,
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
        includes=tuple(dict.fromkeys(o.file for o in origins if o.file != name)),
    )
    swallowed = _swallowed(texts, header.fence)
    if swallowed is not None:
        block.problems.append(swallowed)
    # bytes of the lines and their newlines; at most 4 bytes a character, so only a block that could be too
    # large is encoded to measure it
    size = len(block.text) + len(texts)
    if 4 * size > MAX_BLOCK_BYTES:
        size = sum(len(t.encode("utf-8", "surrogatepass")) + 1 for t in texts)
    if size > MAX_BLOCK_BYTES:
        block.problems.append(
            _finding("block-too-large", f"block is {size} bytes, over 1 MiB", line=0, severity=Severity.WARNING)
        )
    return block


def _swallowed(texts: list[str], fence: str) -> Finding | None:
    """A block that holds an opening fence of its own kind, with a language and lines after it: its closing
    fence is missing before that line, so the fence meant to close the inner block closed this one, and
    what lay between (prose, another block's header) shows as code. A block cannot show a whole inner
    block written with its own fence, so this is never an example of Markdown."""
    for n, text in enumerate(texts):
        found = opening(text) if text.startswith(fence) else None
        if found is None or found[0] or found[1].fence != fence or not found[1].language:
            continue
        if not any(t.strip() for t in texts[n + 1 :]):
            return None
        return _finding(
            "unclosed-fence",
            f"this block's closing fence is missing before its line {text.strip()!r}: the fence meant to close "
            "the block opened there closes this one, so the reader sees that line, the block after it and "
            "whatever lay between inside this code block",
            line=n + 1,
        )
    return None


# -- fence lines left to Markdown -------------------------------------------------------------------------


@dataclass(slots=True)
class _Stray:
    """A page's fence lines that superfences leaves to Markdown, and what the reader sees of each."""

    lines: list[str]
    sources: list[Source]
    fences: dict[int, Fence]  # the rendered fences by the index of their opening line
    page: Page | None  # None: nothing to judge
    reopened: set[int] = field(default_factory=set)  # blocks opened by a fence meant to close a refused one

    @classmethod
    def of(cls, lines: list[str], sources: list[Source], fences: list[Fence]) -> _Stray:
        from docs_examples.blocks.fence_text import Page  # only for a page with a fence line left to Markdown

        code = [False] * len(lines)
        for fence in fences:
            code[fence.start : fence.end + 1] = [True] * (fence.end + 1 - fence.start)
        return cls(lines, sources, {f.start: f for f in fences}, Page(lines, code))

    @classmethod
    def none(cls) -> _Stray:
        """For a page whose every fence line opens or closes a rendered block: nothing to judge."""
        return cls([], [], {}, None)

    def findings(self, dropped: list[Abandoned], refused: list[int]) -> list[Finding]:
        """One finding per refused header and per dropped fence, in page order; a line whose backticks
        close the inline code another fence line opens on purpose is part of that line's note."""
        openers = {item.start: item for item in dropped}
        explained: set[int] = set()
        found: list[Finding] = []
        for i in sorted({*refused, *openers}):
            if i in explained or self.page is None:
                continue
            seen = self.page.seen(i)
            if seen.how == "inline" and seen.opens and i not in openers:
                explained.add(seen.partner if seen.partner is not None else i)
                found.append(self._inline(i, seen))
            elif i in openers:
                found.append(self._dropped(openers[i], seen))
            else:
                found.append(self._refused(i, seen, openers, explained))
        return found

    def _at(self, i: int) -> int:
        return self.sources[i].line

    def _run(self, i: int) -> str:
        """The backticks or tildes a fence line starts with."""
        rest = self.lines[i].lstrip(" >")
        return rest[: len(rest) - len(rest.lstrip(rest[0]))] if rest else ""

    def _shown(self, i: int) -> str:
        text = self.lines[i].strip(" >")
        return text if len(text) <= 80 else text[:77] + "..."

    def _reader(self, i: int, seen: Seen, *, to_end: bool = False) -> str:
        """What the reader sees of the fence line ``i`` and the lines after it."""
        if seen.how == "code-block":
            return "the reader sees it, fence characters and all, in an indented Markdown code block"
        if seen.how in ("inline", "inline-lines") and seen.partner is not None:
            a, b = sorted((self._at(i), self._at(seen.partner)))
            lines = f"line {a}" if a == b else f"lines {a}-{b}"
            partner = self._at(seen.partner)
            return (
                f"Markdown pairs its backticks with the ones on line {partner}, so the reader sees {lines} "
                "as inline code"
            )
        if to_end:
            return "the reader sees its lines and everything after them, to the end of the page, as text"
        return "the reader sees its lines as text"

    def _inline(self, i: int, seen: Seen) -> Finding:
        """A note: inline code written on a fence line, shown as the author wrote it."""
        where = "at the end of the line" if seen.partner in (None, i) else f"on line {self._at(seen.partner or i)}"
        code = seen.code if len(seen.code) <= 60 else seen.code[:57] + "..."
        message = (
            f"inline code, not a code block: what follows the backticks is no fence header, so superfences "
            f"opens no block, and Markdown pairs them with the ones {where}; the reader sees `{code}` in the "
            "text, as written, and it is not checked (a block needs its code on the lines after the fence)"
        )
        source = self.sources[i]
        return _finding(
            "fence-header", message, file=source.file, line=source.line, severity=Severity.INFO, category=Category.LINT
        )

    def _refused(self, i: int, seen: Seen, openers: dict[int, Abandoned], explained: set[int]) -> Finding:
        """A fence header superfences refuses, where the author meant a block; the fence meant to close it
        is part of the same finding (it opens a block instead, or one that is dropped too)."""
        message = (
            f"fence header {self._shown(i)!r} is not understood by superfences, so no code block starts here: "
            f"{self._reader(i, seen)}{self._reopened(i, seen, openers, explained)}; options other than title, "
            'hl_lines and linenums go in braces: ``` { .lang key="value" }'
        )
        return _finding("fence-header", message, file=self.sources[i].file, line=self.sources[i].line)

    def _reopened(self, i: int, seen: Seen, openers: dict[int, Abandoned], explained: set[int]) -> str:
        """What the fence meant to close the refused one at ``i`` does instead: the next fence line, when it is
        a bare fence of the same run (when Markdown pairs the two lines' backticks, that is said already)."""
        run = self._run(i)
        j = next((j for j in range(i + 1, len(self.lines)) if self._run(j)[:3] in ("```", "~~~")), None)
        if j is None or self.lines[j].strip(" >") != run:
            return ""
        if j == seen.partner:
            explained.add(j)
            return ""
        if j in openers:
            explained.add(j)
            item = openers[j]
            dropped = "is never closed" if item.stop is None else f"is abandoned at line {self._at(item.stop)}"
            return f", and the fence on line {self._at(j)}, meant to close it, opens another one that {dropped}"
        block = self.fences.get(j)
        if block is None:
            return ""
        self.reopened.add(j)
        return (
            f", and the fence on line {self._at(j)}, meant to close it, opens a code block instead "
            f"(to line {self._at(block.end)})"
        )

    def _dropped(self, item: Abandoned, seen: Seen) -> Finding:
        """A fence superfences drops: no block, its lines are Markdown."""
        fence = item.header.fence
        if item.stop is not None:
            ends = f"is not closed before its container ends at line {self._at(item.stop)}"
            reader = self._reader(item.start, seen)
        else:
            ends = "is never closed"
            reader = self._reader(item.start, seen, to_end=True) + self._hidden(item.start)
        message = f"fence {fence} {ends}: superfences renders no code block for it; {reader}"
        source = self.sources[item.start]
        return _finding("unclosed-fence", message, file=source.file, line=source.line)

    def _hidden(self, start: int) -> str:
        """The blocks after an unclosed fence that it keeps from rendering (superfences reads a page once)."""
        count = len(lex(self.lines[start + 1 :])[0])
        if not count:
            return ""
        return f" (the {count} fenced block{'s' if count != 1 else ''} after it included)"


def _legacy_tab_consequences(
    lines: list[str], dropped: list[Abandoned]
) -> tuple[list[Abandoned], list[int], set[tuple[int, int]]]:
    """Leave out the dropped fences that only the removed ``tab="…"`` option causes.

    The page is paired again as pymdown-extensions 7 paired it (a fence opens on a ``tab=`` header); a fence
    that is never closed (or abandoned) now but not then is a consequence of the option: its line is named
    in the page's one finding instead of a finding of its own. Returns the dropped fences kept, the line
    indexes of those left out, and the (opening, closing) lines of the blocks as that version paired them
    (a block that swallows another only because of the option is not one of them).
    """
    then, then_dropped = lex(lines, legacy=True)
    unclosed_then = {a.start for a in then_dropped}
    caused = [a.start for a in dropped if a.start not in unclosed_then]
    return [a for a in dropped if a.start in unclosed_then], sorted(caused), {(f.start, f.end) for f in then}


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


def expander_for(settings: Settings) -> Expander:
    """The ``--8<--`` expander for the settings' snippet folders, as they are now (one per run will do)."""
    return Expander(settings.snippet_paths, settings.root, dedent_subsections=settings.snippet_dedent,
                    max_bytes=settings.max_page_bytes)  # fmt: skip


def extract_page(
    name: str,
    source: bytes | str,
    *,
    settings: Settings,
    path: Path | None = None,
    expander: Expander | None = None,
) -> ExtractedPage:
    """Every fenced block of one page, as Material renders it, with page-level findings.

    ``expander``: :func:`expander_for` the same settings, made once for many pages (a run's).
    """
    limit = settings.max_page_bytes
    if len(source) > limit:  # characters of a str: never fewer than its bytes, so no page passes unseen
        return ExtractedPage(blocks=[], problems=[guard.too_large(name, limit)])
    text, problems = decode(name, source)
    raw = text.split("\n")
    if raw and raw[-1] == "" and len(raw) > 1:
        raw.pop()  # the newline at the end of the last line
    meta, skip, fm_problems = front_matter(name, raw)
    problems.extend(fm_problems)
    expander = expander or expander_for(settings)
    try:
        expansion = expander.expand(raw[skip:], name, first_line=skip + 1)
    except TooLarge as exc:
        what = "page with its --8<-- snippets expanded"
        return ExtractedPage(blocks=[], problems=[guard.too_large(name, limit, exc.page_line, what)])
    lines = [_normalise(line) for line in expansion.lines]
    sources = expansion.sources

    context = Context()
    snapshots: dict[int, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def on_open(i: int, line: str) -> None:
        context.enter(i, line)
        snapshots[i] = (context.heading, context.heading_trail, context.tab_path)

    refused: list[int] = []
    fences, dropped = lex(lines, context.feed, on_open, lambda i, _line: refused.append(i))
    context.finish(len(lines))
    tabs = [i for i in refused if legacy_tab(lines[i]) is not None]
    paired_then: set[tuple[int, int]] | None = None  # blocks as pymdown 7 paired them, on a page with tab=
    if tabs:  # one finding for the page; the fences it leaves unclosed are part of it
        dropped, caused, paired_then = _legacy_tab_consequences(lines, dropped)
        problems.append(_legacy_tabs(tabs, caused, lines, sources))
        legacy = set(tabs)
        refused = [i for i in refused if i not in legacy]
    stray = _Stray.of(lines, sources, fences) if dropped or refused else _Stray.none()
    problems.extend(stray.findings(dropped, refused))
    if len(fences) > settings.max_blocks_per_page:
        problems.append(_too_many(name, fences, settings.max_blocks_per_page, sources))
        fences = fences[: settings.max_blocks_per_page]
    blocks = [_block(name, i, f, lines, sources, snapshots[f.start]) for i, f in enumerate(fences)]
    for block, fence in zip(blocks, fences, strict=True):
        # A block that swallows another because of tab=, or because a refused header's closing fence opened
        # it, is part of that one finding.
        if fence.start in stray.reopened or (paired_then is not None and (fence.start, fence.end) not in paired_then):
            block.problems = [p for p in block.problems if p.rule != "unclosed-fence"]
    for index, finding in context.problems:
        problems.append(finding.moved(file=sources[index].file, line=sources[index].line))
    _attach_include_problems(blocks, expansion.problems, problems)
    kept = {k: v for k, v in meta.items() if k in FRONT_MATTER_KEYS}
    return ExtractedPage(blocks=blocks, problems=problems, front_matter=kept)


def _too_many(name: str, fences: list[Fence], limit: int, sources: list[Source]) -> Finding:
    """The ``too-many-blocks`` error, at the first block left out."""
    first = sources[fences[limit].start]
    return _finding(
        guard.TOO_MANY,
        f"page has {len(fences):,} fenced blocks, more than max_blocks_per_page ({limit:,}); "
        "this block and the ones after it are not checked",
        file=first.file,
        line=first.line,
    )


def _attach_include_problems(blocks: list[Block], found: list[tuple[int, Finding]], page: list[Finding]) -> None:
    """A problem met while including into a block belongs to that block; the others to the page.

    A refused include (``unsafe-link``) always belongs to the page: it stops a site build whatever the
    block's directives say.
    """
    for page_line, finding in found:
        if finding.rule == guard.UNSAFE:
            page.append(finding)
            continue
        owner = next((b for b in blocks if b.fence_line <= page_line <= b.end_line), None)
        if owner is not None:
            owner.problems.append(finding)
        else:
            page.append(finding)
