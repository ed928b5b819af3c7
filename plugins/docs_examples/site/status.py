"""Status lines: one honest sentence per block, made from its :class:`Result` and nothing else.

A passing block says what proved it ("Validated: hadolint 2.15.1 · no warnings"); an intended
anti-pattern says which rule it breaks on purpose; a skipped block says why it was not checked; an
unchecked block claims nothing. The text is plain (escaping happens where it becomes HTML).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docs_examples.blocks.model import Block, Kind
from docs_examples.findings import Category, Result, Status

KUBERNETES_KINDS = frozenset({Kind.KUBERNETES, Kind.KUBERNETES_FRAGMENT, Kind.KUSTOMIZATION})


@dataclass(frozen=True, slots=True)
class StatusLine:
    """``state`` names the CSS modifier (validated, anti-pattern, not-checked, failed, error)."""

    state: str
    text: str


def version_range(versions: Sequence[str]) -> str:
    """``1.35–1.37`` when the minors are consecutive, else ``1.30, 1.35``; ``""`` for none."""
    if not versions:
        return ""
    try:
        parsed = sorted((int(v.split(".")[0]), int(v.split(".")[1])) for v in versions)
    except (IndexError, ValueError):
        return ", ".join(versions)
    consecutive = all(b[0] == a[0] and b[1] == a[1] + 1 for a, b in itertools.pairwise(parsed))
    if len(parsed) > 1 and consecutive:
        return f"{parsed[0][0]}.{parsed[0][1]}–{parsed[-1][0]}.{parsed[-1][1]}"
    return ", ".join(f"{major}.{minor}" for major, minor in parsed)


def block_versions(block: Block, default: Sequence[str]) -> tuple[str, ...]:
    """The Kubernetes versions a block was checked against: its ``data-k8s-versions`` or the site's."""
    own = block.attrs.get("data-k8s-versions", "")
    versions = tuple(v.strip() for v in own.split(",") if v.strip())
    return versions or tuple(default)


def tools_of(result: Result, describe: Mapping[str, str]) -> list[str]:
    """What checked the block, in check order, each named once (``hadolint 2.15.1``)."""
    names: list[str] = []
    # YAML well-formedness is implied by every YAML tool; name it only when nothing else checked the block.
    runs = [run for run in result.checks if run.check != "yaml"] or result.checks
    for run in runs:
        name = describe.get(run.check) or run.tool_version or run.check
        if name not in names:
            names.append(name)
    return names


def _with_placeholders(result: Result) -> str:
    """`` with placeholders`` when the block was checked as a partial object."""
    return " with placeholders" if any(f.rule == "placeholders" for f in result.findings) else ""


def _partly_checked(result: Result) -> str | None:
    """What was checked when the schema part was not: a custom resource with no schema, or a fragment of
    unknown type (from the schema check's info findings), else None."""
    notes = [f for f in result.findings if f.tool == "kubernetes-schema" and not f.fails]
    kinds = list(dict.fromkeys(f.message.split(":", 1)[0] for f in notes if f.rule == "no-schema"))
    if kinds:
        return f"YAML and API rules checked{_with_placeholders(result)}; {', '.join(kinds)}"
    if any(f.rule == "fragment/unknown-type" for f in notes):
        return f"YAML checked{_with_placeholders(result)}; fragment type unknown"
    return None


def status_line(result: Result, describe: Mapping[str, str], kubernetes_versions: Sequence[str]) -> StatusLine | None:
    """The line under ``result``'s block, or None when nothing honest can be said (unchecked)."""
    tools = tools_of(result, describe)
    if result.block.kind in KUBERNETES_KINDS and tools:
        span = version_range(block_versions(result.block, kubernetes_versions))
        if span:
            tools.append(f"Kubernetes {span}")
    used = " · ".join(tools)
    if result.status is Status.PASSED:
        notes = len(result.findings)
        tail = "no warnings" if not notes else f"{notes} note{'s' if notes != 1 else ''} (info/style)"
        partly = _partly_checked(result)
        if partly:
            return StatusLine("validated", f"{partly} · {tail}")
        return StatusLine("validated", f"Validated{_with_placeholders(result)}: {used} · {tail}")
    if result.status is Status.EXPECTED_FAILURE:
        rules = result.note or ", ".join(sorted({f.rule for f in result.findings if f.fails}))
        return StatusLine("anti-pattern", f"Anti-pattern: fails {rules} on purpose (checked by {used})")
    if result.status is Status.SKIPPED:
        return StatusLine("not-checked", f"Not checked: {result.note or 'skipped'}")
    if result.status is Status.FAILED:
        failing = [f for f in result.findings if f.fails]
        first = failing[0] if failing else None
        what = f"{first.tool} {first.rule}" if first else "a check"
        more = f" and {len(failing) - 1} more" if len(failing) > 1 else ""
        return StatusLine("failed", f"Fails: {what}{more}")
    if result.status is Status.ERROR:
        errors = [f for f in result.findings if f.category is Category.TOOL_ERROR]
        tool = errors[0].tool if errors else "a tool"
        return StatusLine("error", f"Not verified: {tool} could not run")
    return None
