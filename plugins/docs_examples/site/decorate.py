"""Put a status line and a download link under each rendered code block of a page.

Only HTML is handled here: find the code blocks Material rendered (``<pre><span></span><code>`` inside a
``<div class="… highlight">``, with or without a line-number table), and insert a fragment after the
wrapper of the n-th one. Matching blocks to results is the caller's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

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


def anchor(anchor_id: str) -> str:
    """An empty target placed before a block's wrapper, so index links scroll to the block itself."""
    return f'<span class="dx-anchor" id="{escape(anchor_id, quote=True)}"></span>'


def fragment(line: StatusLine | None, download: str | None, filename: str | None) -> str:
    """The HTML under one block: the status text (never colour alone) and the download link."""
    parts: list[str] = []
    if line is not None:
        parts.append(f'<span class="dx-status__text">{escape(line.text)}</span>')
    if download:
        label = escape(filename or "file")
        parts.append(
            f'<a class="dx-status__download" href="{escape(download, quote=True)}" '
            f'download="{escape(filename or "", quote=True)}" title="Download {label}">Download {label}</a>'
        )
    if not parts:
        return ""
    state = escape(line.state if line is not None else "plain", quote=True)
    return f'<p class="dx-status dx-status--{state}" data-dx-state="{state}">' + " ".join(parts) + "</p>"


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
