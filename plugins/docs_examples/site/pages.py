"""The generated pages: the examples index and "How examples are checked".

Both are Markdown made from the run's :class:`~docs_examples.pipeline.Report` and the settings the
pipeline used, so they cannot drift from what was really checked. Page-derived text (titles, headings,
tab names) is HTML-escaped; nothing here contains a fenced block, so these pages add no code blocks.
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import PurePosixPath

from docs_examples import directives
from docs_examples.findings import Result, Severity, Status
from docs_examples.site.status import status_line, tools_of, version_range

STATUS_WORDS = {
    Status.PASSED: "validated",
    Status.FAILED: "failed",
    Status.SKIPPED: "not checked (skipped)",
    Status.EXPECTED_FAILURE: "anti-pattern (fails on purpose)",
    Status.UNCHECKED: "not checked (no tool for this kind)",
    Status.ERROR: "not verified (tool error)",
}


def relative_url(target: str, from_url: str) -> str:
    """``target`` (site-root relative, as MkDocs' ``File.url``) as seen from the page at ``from_url``."""
    start = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    rel = posixpath.relpath(target or ".", start.rstrip("/") or ".")
    if (target.endswith("/") or not target) and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


def anchor_id(index: int) -> str:
    """The id of a decorated block's anchor on its page (``dx-example-3`` for the third block)."""
    return f"dx-example-{index + 1}"


def _cell(text: str) -> str:
    """A Markdown table cell: escaped HTML, and no ``|`` or newline to break the row."""
    return escape(text).replace("|", "&#124;").replace("\n", " ")


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One example in the index, everything already plain text (escaped when rendered)."""

    page: str
    section: str
    kind: str
    checks: str
    status: str
    state: str
    href: str


def index_rows(
    results: Sequence[Result],
    page_urls: Mapping[str, str],
    page_titles: Mapping[str, str],
    describe: Mapping[str, str],
    from_url: str,
) -> list[IndexRow]:
    """One row per block whose page is part of the site."""
    rows = []
    for result in results:
        block = result.block
        url = page_urls.get(block.page)
        if url is None:
            continue
        # Headings are Markdown source: entities there (``&lt;``) are decoded once, then escaped on output.
        section = unescape(" › ".join(block.path) + (f" › {block.title}" if block.title else ""))
        rows.append(
            IndexRow(
                page=unescape(page_titles.get(block.page) or block.page),
                section=section or "—",
                kind=block.kind.value,
                checks=", ".join(tools_of(result, describe)) or "—",
                status=STATUS_WORDS[result.status],
                state=result.status.value,
                href=relative_url(url, from_url) + "#" + anchor_id(block.index),
            )
        )
    return rows


def examples_index(rows: Sequence[IndexRow]) -> str:
    """Markdown of the examples index: a filter box and one table row per example."""
    lines = [
        "# Examples index",
        "",
        f"Every code example on this site ({len(rows)} blocks), with what checked it and the outcome. "
        "Type in the box to filter by page, section, kind, tool or status.",
        "",
        '<p class="dx-filter"><label for="dx-filter-input">Filter examples</label> '
        '<input id="dx-filter-input" type="search" placeholder="e.g. kubernetes, hadolint, anti-pattern" '
        'autocomplete="off" data-dx-filter="dx-examples-table"> '
        '<span class="dx-filter__count" aria-live="polite"></span></p>',
        "",
        '<table id="dx-examples-table" class="dx-examples">',
        "<thead><tr><th>Page</th><th>Section</th><th>Kind</th><th>Checks</th><th>Status</th></tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        lines.append(
            f'<tr data-dx-state="{escape(row.state, quote=True)}">'
            f'<td><a href="{escape(row.href, quote=True)}">{escape(row.page)}</a></td>'
            f"<td>{escape(row.section)}</td><td>{escape(row.kind)}</td><td>{escape(row.checks)}</td>"
            f"<td>{escape(row.status)}</td></tr>"
        )
    lines += ["</tbody>", "</table>", ""]
    return "\n".join(lines)


def _rules_section() -> list[str]:
    """The Kubernetes API rules table, when that check exists (it lands separately)."""
    try:
        module = importlib.import_module("docs_examples.checks.kubernetes.api_rules")
    except ImportError:
        return []
    table = getattr(module, "docs_rules_table", None)
    if table is None:
        return []
    return [
        "## Kubernetes API rules",
        "",
        "Beyond the schema, manifests are checked against these rules:",
        "",
        str(table()).strip(),
        "",
    ]


def _placeholders_section() -> list[str]:
    """The placeholder and elision forms examples may use, from the recogniser itself."""
    from docs_examples.blocks.placeholders import forms_table

    return [
        "## Placeholders and elisions",
        "",
        "Examples may stand in for what the reader fills in, or leave parts out. Such an example is checked "
        "as a partial object: a placeholder stands for any value of the type expected there, an elision "
        "means the fields it leaves out are not asked for, and everything shown is still checked (an "
        "unknown field next to a `...` is an error). Templates (`{{ .Values.x }}`, `{% … %}`) are not "
        "placeholders.",
        "",
        forms_table().strip(),
        "",
    ]


def checks_page(
    tools: Mapping[str, str],
    kinds: Mapping[str, Sequence[str]],
    kubernetes_versions: Sequence[str],
    fail_on: str,
    summary_line: str,
) -> str:
    """Markdown of "How examples are checked", from the tools that really ran and the settings used."""
    threshold = Severity(fail_on)
    failing = [s.value for s in Severity if s.rank >= threshold.rank]
    passing = [s.value for s in Severity if s.rank < threshold.rank]
    lines = [
        "# How examples are checked",
        "",
        "Every fenced code block of every page is extracted when the site is built and checked with the "
        "real tool for its kind. A block that fails a check fails the build, so the examples you read "
        "passed these tools on the versions listed here. Nothing from a page is ever executed: tools "
        "parse and lint only.",
        "",
        "## Tools and versions",
        "",
        "| Check | Tool and version | Block kinds |",
        "| --- | --- | --- |",
    ]
    for name in sorted(tools):
        lines.append(f"| `{_cell(name)}` | {_cell(tools[name])} | {_cell(', '.join(kinds.get(name, ())))} |")
    if not tools:
        lines.append("| — | no check ran in this build | — |")
    lines += [
        "",
        "## Kubernetes versions",
        "",
        f"Manifests are validated against the API schemas of Kubernetes "
        f"{_cell(version_range(kubernetes_versions) or 'none')} ({_cell(', '.join(kubernetes_versions))}); "
        'a block can narrow this with `data-k8s-versions="1.36,1.37"`.',
        "",
        "## Severity policy",
        "",
        f"Findings of severity {', '.join(f'**{s}**' for s in failing)} fail a block. "
        + (f"Findings of severity {', '.join(passing)} are reported but do not fail it. " if passing else "")
        + "A tool that is missing, crashes or times out never counts as a pass: the block is "
        "reported as not verified and the build fails.",
        "",
        "## What the line under a block means",
        "",
        "| Line | Meaning |",
        "| --- | --- |",
        "| Validated: … | every listed tool accepted the block |",
        "| Validated with placeholders: … | as above, for a partial object (see below) |",
        "| YAML and API rules checked; no schema for … | a custom resource nobody gave a schema for: "
        "its fields were not checked |",
        "| YAML checked; fragment type unknown | a fragment whose keys name no Kubernetes type |",
        "| Anti-pattern: fails … on purpose | the block shows what not to do; it must break the named rule |",
        "| Not checked: … | an author skipped the block, with the reason shown |",
        "| (no line) | no tool covers this kind of block (output, diagrams, prose) |",
        "",
        "## Directives",
        "",
        "Authors steer the checks with attributes in the fence header, which are not shown to readers, "
        'for example `` ``` { .yaml data-check="skip" data-reason="needs a CRD" } ``.',
        "",
        "| Attribute | Meaning |",
        "| --- | --- |",
    ]
    for key, meaning in directives.DIRECTIVES.items():
        lines.append(f"| `{_cell(key)}` | {_cell(meaning)} |")
    lines += [
        "",
        "A page is skipped with `check: false` and a `check_reason:` in its front matter. "
        "A misspelled or unknown directive is an error.",
        "",
        *_placeholders_section(),
        *_rules_section(),
        "## This build",
        "",
        _cell(summary_line) + ".",
        "",
    ]
    return "\n".join(lines)


def page_of(result: Result) -> str:
    """The page name of a result (for grouping)."""
    return result.block.page


def download_name(path: PurePosixPath) -> str:
    """The URL of a download relative to the site root."""
    return f"examples/{path.as_posix()}"


__all__ = ["checks_page", "examples_index", "index_rows", "relative_url", "status_line"]
