"""Put a status line and a download link under each rendered code block of a page.

Only HTML is handled here: find the code blocks Material rendered (``<pre><span></span><code>`` inside a
``<div class="… highlight">``, with or without a line-number table), and insert a fragment after the
wrapper of the n-th one. Matching blocks to results is the caller's business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape, unescape

from docs_examples.site.status import StatusLine

# The <pre> of a rendered code block (the line-number <pre> of a table has no <code> and is skipped).
_CODE_PRE = re.compile(r"<pre\b[^>]*>(?:<span></span>)?<code\b")
_WRAPPER = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\bhighlight\b[^\"]*\"[^>]*>")
_DIV = re.compile(r"<(/?)div\b[^>]*>")
_OL = re.compile(r"<(/?)ol\b[^>]*>")
_MARKER = re.compile(r"\(\d+\)!?")  # a code annotation marker, # (1)! in the code


@dataclass(frozen=True, slots=True)
class Rendered:
    """One rendered code block: where its wrapper starts and where it ends (after ``</div>``)."""

    start: int
    end: int


def _wrapper_end(html: str, start: int) -> int:
    """Index just after the ``</div>`` that closes the ``<div>`` opening at ``start``.

    Code text is escaped by the highlighter, so every ``<div`` between them is real markup.
    """
    depth = 0
    for match in _DIV.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(html)


def _annotation_list_end(html: str, start: int, end: int) -> int:
    """After a code block with annotation markers, Material reads the ``<ol>`` that directly follows it as
    the annotations; nothing may stand between them. Return the end of that list, or ``end`` if none."""
    nxt = end
    while nxt < len(html) and html[nxt].isspace():
        nxt += 1
    if not html.startswith("<ol", nxt) or not _MARKER.search(html, start, end):
        return end
    depth = 0
    for match in _OL.finditer(html, nxt):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return end


def code_blocks(html: str) -> list[Rendered]:
    """Every rendered code block of a page, in document order."""
    found: list[Rendered] = []
    floor = 0
    for pre in _CODE_PRE.finditer(html):
        if pre.start() < floor:  # inside the previous wrapper (cannot happen with Material, but be safe)
            continue
        wrappers = list(_WRAPPER.finditer(html, floor, pre.start()))
        if wrappers:
            start = wrappers[-1].start()
            end = _annotation_list_end(html, start, _wrapper_end(html, start))
        else:
            start = pre.start()
            close = html.find("</pre>", pre.end())
            end = len(html) if close < 0 else close + len("</pre>")
        found.append(Rendered(start, end))
        floor = end
    return found


# Pygments' comment tokens, the only places Material looks for annotation markers (``.c, .c1, .cm``).
_COMMENT_SPAN = re.compile(r'<span class="(?:c|c1|cm)">([^<]*)</span>')
_CODE = re.compile(r"<code\b[^>]*>(.*?)</code>", re.S)
_TAG = re.compile(r"<[^>]*>")
_LIST_TAG = re.compile(r"<(/?)(ol|ul|li)\b[^>]*>")
_MARKER_ID = re.compile(r"\((\d+)\)(!)?")


def _annotation_count(chunk: str) -> int:
    """How many items the annotation list at the end of ``chunk`` has (0 when it ends with no list)."""
    start = chunk.rfind("</div>")
    if start < 0 or not chunk.endswith("</ol>"):
        return 0
    depth, items = 0, 0
    for match in _LIST_TAG.finditer(chunk, start):
        closing, tag = match.group(1), match.group(2)
        if tag in ("ol", "ul"):
            depth += -1 if closing else 1
        elif not closing and depth == 1:
            items += 1
    return items


def _without_markers(comment: str, items: int) -> str:
    """A comment as Material's copy button leaves it. Material walks the markers of a comment in order: a bare
    ``(n)`` becomes an annotation by itself, and ``(n)!`` turns the rest of the comment into one and ends the
    walk. An annotation (a marker whose number the list has) is left out of the copy."""
    rest, out = unescape(comment), []
    while (match := _MARKER_ID.search(rest)) is not None:
        marker = f"({match.group(1)})"
        kept = "" if 1 <= int(match.group(1)) <= items else marker
        if match.group(2):
            out.append(kept)
            return "".join(out)
        out += [rest[: match.start()], kept]
        rest = rest[match.start() + len(marker) :]
    out.append(rest)
    return "".join(out)


def copied_text(chunk: str) -> str | None:
    """What the copy button of an annotated block copies (its annotation markers taken out), from the block's
    rendered HTML; None for a block without annotations, whose copy is its text."""
    items = _annotation_count(chunk)
    code = _CODE.search(chunk)
    if not items or code is None:
        return None
    body = _COMMENT_SPAN.sub(lambda m: escape(_without_markers(m.group(1), items), quote=False), code.group(1))
    return unescape(_TAG.sub("", body)).rstrip()


def anchor(anchor_id: str) -> str:
    """An empty target placed before a block's wrapper, so index links scroll to the block itself."""
    return f'<span class="dx-anchor" id="{escape(anchor_id, quote=True)}"></span>'


def _linked(text: str, links: Mapping[str, str]) -> str:
    """``text`` escaped, each rule id of ``links`` in it made a link to that rule's explanation."""
    if not links:
        return escape(text)
    alternatives = "|".join(re.escape(rule) for rule in sorted(links, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/-])(?:{alternatives})(?![\w/-])")
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        href = escape(links[match.group(0)], quote=True)
        out += [
            escape(text[last : match.start()]),
            f'<a class="dx-status__rule" href="{href}">{escape(match.group(0))}</a>',
        ]
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _verdict(line: StatusLine, links: Mapping[str, str]) -> str:
    """The verdict, and the tools with their versions in a details element that opens under it (its
    summary's title shows the same on hover)."""
    text = _linked(line.text, links)
    if not line.details:
        return f'<span class="dx-status__text">{text}</span>'
    items = "".join(f"<li>{_linked(d, links)}</li>" for d in line.details)
    hover = escape(" · ".join(line.details), quote=True)
    return (
        f'<details class="dx-status__details"><summary class="dx-status__text" title="{hover}">{text}</summary>'
        f'<ul class="dx-status__tools">{items}</ul></details>'
    )


def fragment(
    line: StatusLine | None,
    download: str | None,
    filename: str | None,
    rule_links: Mapping[str, str] | None = None,
) -> str:
    """The HTML under one block: the verdict (never colour alone), its details and the download link."""
    parts: list[str] = []
    if line is not None:
        parts.append(_verdict(line, rule_links or {}))
    if download:
        label = escape(filename or "file")
        parts.append(
            f'<a class="dx-status__download" href="{escape(download, quote=True)}" '
            f'download="{escape(filename or "", quote=True)}" title="Download {label}">{label}</a>'
        )
    if not parts:
        return ""
    state = escape(line.state if line is not None else "plain", quote=True)
    return f'<div class="dx-status dx-status--{state}" data-dx-state="{state}">' + "".join(parts) + "</div>"


def insert(html: str, blocks: list[Rendered], before: list[str], after: list[str]) -> str:
    """``html`` with ``before[i]`` put in front of ``blocks[i]`` and ``after[i]`` behind it."""
    if not len(blocks) == len(before) == len(after):
        raise ValueError("one fragment pair per rendered block")
    out: list[str] = []
    last = 0
    for block, head, tail in zip(blocks, before, after, strict=True):
        out += [html[last : block.start], head, html[block.start : block.end], tail]
        last = block.end
    out.append(html[last:])
    return "".join(out)
