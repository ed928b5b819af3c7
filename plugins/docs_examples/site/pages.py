"""The generated pages: the examples index and "How examples are checked".

Both are Markdown made from the run's :class:`~docs_examples.pipeline.Report` and the settings the
pipeline used, so they cannot drift from what was really checked. Page-derived text (titles, headings,
tab names) is HTML-escaped; nothing here contains a fenced block, so these pages add no code blocks.
"""

from __future__ import annotations

import importlib
import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import PurePosixPath

from docs_examples import directives
from docs_examples.findings import Severity, Status
from docs_examples.results import Result
from docs_examples.site.status import known_failures, plain_version, status_line, tools_of, version_range

STATUS_WORDS = {
    Status.PASSED: "passed",
    Status.FAILED: "failed",
    Status.SKIPPED: "skipped (reason given)",
    Status.EXPECTED_FAILURE: "anti-pattern, fails on purpose",
    Status.UNCHECKED: "no check for this kind",
    Status.ERROR: "not verified (tool error)",
}
# The status filter of the index: one choice per group of statuses, in this order.
STATUS_FILTERS = (
    ("passed", "Checked, passed", (Status.PASSED,)),
    ("expected-failure", "Anti-patterns (fail on purpose)", (Status.EXPECTED_FAILURE,)),
    ("not-checked", "Not checked", (Status.SKIPPED, Status.UNCHECKED)),
    ("failed", "Failed", (Status.FAILED, Status.ERROR)),
)


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


def rule_anchor(rule: str) -> str:
    """The id of a rule's row on "How examples are checked" (``K8S001`` → ``rule-k8s001``)."""
    return "rule-" + (re.sub(r"[^a-z0-9]+", "-", rule.lower()).strip("-") or "x")


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
    group: str = ""  # the status filter this row belongs to (STATUS_FILTERS)


def _group(status: Status) -> str:
    """The status filter a status belongs to."""
    return next(key for key, _, statuses in STATUS_FILTERS if status in statuses)


def index_rows(
    results: Sequence[Result],
    page_urls: Mapping[str, str],
    page_titles: Mapping[str, str],
    describe: Mapping[str, str],
    from_url: str,
    kubernetes_versions: Sequence[str] = (),
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
                checks=", ".join(tools_of(result, describe, kubernetes_versions)) or "—",
                status="known failure" if known_failures(result) else STATUS_WORDS[result.status],
                state=result.status.value,
                href=relative_url(url, from_url) + "#" + anchor_id(block.index),
                group="failed" if known_failures(result) else _group(result.status),
            )
        )
    return rows


def _select(name: str, label: str, choices: Sequence[tuple[str, str]]) -> str:
    """A labelled ``<select>`` of the index's filter bar; the first choice is "all"."""
    options = "".join(f'<option value="{escape(v, quote=True)}">{escape(text)}</option>' for v, text in choices)
    return (
        f'<label class="dx-filter__field">{escape(label)} '
        f'<select data-dx-filter-{name}="dx-examples-table"><option value="">All</option>{options}</select></label>'
    )


def _filter_bar(rows: Sequence[IndexRow]) -> str:
    """Search box, kind and status filters; only the choices that occur are offered, with their counts."""
    kinds = sorted({row.kind for row in rows})
    kind_choices = [(k, f"{k} ({sum(r.kind == k for r in rows)})") for k in kinds]
    status_choices = [
        (key, f"{text} ({n})") for key, text, _ in STATUS_FILTERS if (n := sum(r.group == key for r in rows))
    ]
    return (
        '<div class="dx-filter" role="search">'
        '<label class="dx-filter__field dx-filter__field--text">Search '
        '<input type="search" placeholder="page, section, tool …" '
        'autocomplete="off" data-dx-filter="dx-examples-table"></label>'
        + _select("kind", "Kind", kind_choices)
        + _select("status", "Status", status_choices)
        + '<output class="dx-filter__count" aria-live="polite"></output></div>'
    )


def examples_index(rows: Sequence[IndexRow]) -> str:
    """Markdown of the examples index: filters and one table row per example.

    The table has no class, so Material styles it like every other table and wraps it in its own scrolling
    box; each link opens the example's page at the block, in the tab that holds it (``examples.js``).
    """
    lines = [
        "# Examples index",
        "",
        f"Every code example on this site ({len(rows)} blocks), with what checked it and the outcome. "
        "Search by words, or choose a kind or a status; a link opens the page at the example, in its tab.",
        "",
        _filter_bar(rows),
        "",
        '<table id="dx-examples-table">',
        "<thead><tr><th>Example</th><th>Kind</th><th>Checked by</th><th>Status</th></tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        lines.append(
            f'<tr data-dx-kind="{escape(row.kind, quote=True)}" data-dx-state="{escape(row.state, quote=True)}" '
            f'data-dx-group="{escape(row.group, quote=True)}">'
            f'<td><a href="{escape(row.href, quote=True)}">{escape(row.section)}</a>'
            f'<br><span class="dx-examples__page">{escape(row.page)}</span></td>'
            f'<td data-label="Kind">{escape(row.kind)}</td><td data-label="Checked by">{escape(row.checks)}</td>'
            f'<td data-label="Status">{escape(row.status)}</td></tr>'
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
        "placeholders. JSON blocks read the same elisions, comments (JSONC) and members shown without their "
        "object; a `json-relaxed` note says what was read, and a real syntax error still fails at its line.",
        "",
        forms_table().strip(),
        "",
    ]


def _build_checks_section() -> list[str]:
    """Docker's build checks: every rule, what it checks, and whether it is decided without a daemon."""
    from docs_examples.checks.build_checks.rules import docs_rules_table  # data only: the standard library

    return [
        "## Docker build checks",
        "",
        "Every Dockerfile also gets Docker's build checks (`docker build --check`), decided from the file: "
        "warnings, errors under `# check=error=true`, and `# check=skip=…` is honoured as BuildKit does. "
        "Where hadolint reports the same cause, the two become one finding with both rule ids. A block "
        "without any `FROM` is an excerpt: one `excerpt` note, and its lines are checked as a stage whose "
        "`FROM` is not shown.",
        "",
        docs_rules_table().strip(),
        "",
    ]


def _compose_section() -> list[str]:
    """How Compose excerpts and Swarm stack files are read, from the Compose check's own rules."""
    from docs_examples.checks.compose.excerpts import docs_table  # data only: no tool runs

    return [
        "## Compose excerpts and stack files",
        "",
        "A Compose block is checked with `docker-compose config` as a reader would paste it. What a block "
        "evidently leaves out is given to Compose as a stand-in, so that everything it shows is still "
        "checked, and an info finding says what was read:",
        "",
        docs_table().strip(),
        "",
    ]


def checks_page(
    tools: Mapping[str, str],
    kinds: Mapping[str, Sequence[str]],
    kubernetes_versions: Sequence[str],
    fail_on: str,
    summary_line: str,
    named_rules: Sequence[NamedRule] = (),
) -> str:
    """Markdown of "How examples are checked", from the tools that really ran and the settings used.

    Every row of a rules table (a table whose first column is "Rule") gets an anchor, so a rule id under an
    example links to its explanation; ``named_rules`` adds a row for each rule id the status lines name that
    no other table explains."""
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
        version = _cell(plain_version(tools[name]))
        lines.append(f"| `{_cell(name)}` | {version} | {_cell(', '.join(kinds.get(name, ())))} |")
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
        "| Checked: … | every listed tool accepted the block; open the line for the tools' versions |",
        "| Checked with placeholders: … | as above, for a partial object (see below) |",
        "| YAML and API rules checked; no schema for … | a custom resource nobody gave a schema for: "
        "its fields were not checked |",
        "| YAML checked; fragment type unknown | a fragment whose keys name no Kubernetes type |",
        "| Anti-pattern: fails … on purpose | the block shows what not to do; it must break the named rule |",
        "| Not checked: … | an author skipped the block, with the reason shown |",
        "| (no line) | no tool covers this kind of block (output, diagrams, prose) |",
        "",
        "A rule id in a line links to the rule's row below.",
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
        *_build_checks_section(),
        *_compose_section(),
        "## This build",
        "",
        _cell(summary_line) + ".",
        "",
    ]
    text = "\n".join(lines)
    return anchor_rule_rows(text + _named_rules_section(named_rules, rule_rows(text)))


# -- rules named under the examples ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedRule:
    """A rule id a status line names, the tool that reports it and what that tool says about it."""

    rule: str
    tool: str
    message: str


_RULE_HEADER = re.compile(r"^\|\s*Rule\s*\|")
_RULE_CELL = re.compile(r"^\|\s*(<span class=\"dx-rule-anchor\"[^>]*></span>\s*)?`([^`|]+)`\s*\|")


def _rule_table_rows(markdown: str) -> Iterator[tuple[int, str, bool]]:
    """``(line index, rule id, has an anchor)`` of each row of every table whose first column is "Rule"."""
    in_table = False
    for i, line in enumerate(markdown.split("\n")):
        if _RULE_HEADER.match(line):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and (cell := _RULE_CELL.match(line)):
            yield i, cell.group(2), bool(cell.group(1))


def rule_rows(markdown: str) -> set[str]:
    """Rule ids that have a row in a rules table of ``markdown``."""
    return {rule for _, rule, _ in _rule_table_rows(markdown)}


def anchor_rule_rows(markdown: str) -> str:
    """``markdown`` with an anchor (:func:`rule_anchor`) in the first cell of each rules-table row."""
    lines = markdown.split("\n")
    seen: set[str] = set()
    for i, rule, anchored in _rule_table_rows(markdown):
        anchor = rule_anchor(rule)
        if anchor in seen or anchored:
            continue
        seen.add(anchor)
        lines[i] = lines[i].replace("|", f'| <span class="dx-rule-anchor" id="{anchor}"></span>', 1)
    return "\n".join(lines)


def _named_rules_section(named: Sequence[NamedRule], explained: set[str]) -> str:
    """The rules that lines under examples name and no table above explains, in the tools' own words."""
    rows = {r.rule: r for r in named if r.rule not in explained}
    if not rows:
        return ""
    lines = [
        "",
        "## Other rules named under the examples",
        "",
        "Rules of the tools themselves that a line under an example names, with what the tool reported:",
        "",
        "| Rule | Tool | What the tool reports |",
        "| --- | --- | --- |",
    ]
    for rule in sorted(rows):
        lines.append(f"| `{_cell(rule)}` | {_cell(rows[rule].tool)} | {_cell(rows[rule].message)} |")
    return "\n".join(lines) + "\n"


def page_of(result: Result) -> str:
    """The page name of a result (for grouping)."""
    return result.block.page


def download_name(path: PurePosixPath) -> str:
    """The URL of a download relative to the site root."""
    return f"examples/{path.as_posix()}"


__all__ = ["checks_page", "examples_index", "index_rows", "relative_url", "status_line"]
