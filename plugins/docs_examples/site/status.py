"""Status lines: one short, honest verdict per block, made from its :class:`Result` and nothing else.

A checked block names what checked it in plain words ("Checked: Kubernetes 1.35–1.37 schemas and API rules");
the versions of those tools go into the line's details, shown on request. An intended anti-pattern names
the rule it breaks on purpose; a skipped block says why it was not checked; an unchecked block claims
nothing. The text is plain (escaping, and links on rule ids, happen where it becomes HTML).

Every check gets its reader's name from :data:`READER_NAMES` or, for a check not listed there, from its own
label with versions and remarks taken out, so a new check appears in the lines without an edit here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docs_examples.blocks.model import Block
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.results import CheckRun, Result

# What readers call each known check; ``{versions}`` becomes "1.35–1.37". Names that start with the same word
# are joined in the line ("Kubernetes 1.35–1.37 schemas and API rules"; "BuildKit parser and build checks").
READER_NAMES: dict[str, str] = {
    "kubernetes-schema": "Kubernetes {versions} schemas",
    "kubernetes-rules": "Kubernetes API rules",
    "dockerfile-syntax": "BuildKit parser",
    "hadolint": "hadolint",
    "build-context": "build context",
    "bash": "bash syntax",
    "shellcheck": "ShellCheck",
    "actionlint": "actionlint",
    "compose": "Docker Compose",
    "kustomize": "kubectl kustomize",
    "prometheus": "promtool",
    "hcl": "HCL syntax",
    "python": "Python syntax",
    "json": "JSON syntax",
    "yaml": "YAML syntax",
}

# The details of a check whose version string would mislead readers; ``{version}`` is its first version
# number and ``{label}`` its label. Other checks show their version string, cleaned by :func:`plain_version`.
READER_DETAILS: dict[str, str] = {
    "dockerfile-syntax": "BuildKit's Dockerfile parser (Python package dockerfile {version})",
    "build-context": "build context: every COPY and ADD source exists beside the Dockerfile",
    "kubernetes-rules": "Kubernetes {label}",
    "python": "Python syntax: parsed by Python {version}, never run",
}

_PARENS = re.compile(r"\s*\([^()]*\)")
_VERSION = re.compile(r"\bv?\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.+~-]*)?")
_BUILD_METADATA = re.compile(r"(\d)\+[0-9A-Za-z.~-]+")  # 2.42.0+ds: a packager's suffix, not the version
_FINGERPRINT = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b")  # a content hash
_SPACES = re.compile(r"\s{2,}")


@dataclass(frozen=True, slots=True)
class StatusLine:
    """``state`` names the CSS modifier (validated, anti-pattern, not-checked, failed, error); ``text`` is the
    verdict on one line; ``details`` are the tools with their versions (shown on request); ``rules`` are the
    rule ids named in ``text``, which the page links to their explanation."""

    state: str
    text: str
    details: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()


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


def plain_version(text: str) -> str:
    """A tool's version as readers want it: remarks in brackets without a number ("(kjanat fork)"), a
    packager's ``+ds`` suffix and content hashes removed (``promtool 2.42.0+ds`` → ``promtool 2.42.0``)."""
    kept = _PARENS.sub(lambda m: m.group(0) if re.search(r"\d", m.group(0)) else "", text)
    kept = _FINGERPRINT.sub("", _BUILD_METADATA.sub(r"\1", kept))
    return _SPACES.sub(" ", kept).strip(" ,;:")


def label_name(label: str) -> str:
    """A check's name derived from its label: no versions, no remarks (``Docker Compose 5.6.1 (config)`` →
    ``Docker Compose``). Used for checks :data:`READER_NAMES` does not know."""
    name = _VERSION.sub("", _PARENS.sub("", label))
    name = _FINGERPRINT.sub("", name.split(":", 1)[0])
    return _SPACES.sub(" ", name).strip(" ,;:-") or label.strip()


def reader_name(check: str, describe: Mapping[str, str], versions: str = "") -> str:
    """What readers call ``check`` in a verdict."""
    known = READER_NAMES.get(check)
    if known is not None:
        return _SPACES.sub(" ", known.replace("{versions}", versions)).strip()
    return label_name(describe.get(check) or check)


def _runs(result: Result) -> list[CheckRun]:
    """The checks worth naming: YAML well-formedness is implied by every YAML tool, so it is named only when
    nothing else checked the block."""
    return [run for run in result.checks if run.check != "yaml"] or list(result.checks)


def _grouped(names: Sequence[str]) -> list[str]:
    """Names joined by their first word, in first-seen order: ``Kubernetes … schemas and API rules``."""
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        head, _, rest = name.partition(" ")
        key = head.lower()
        if key in groups and rest:
            groups[key].append(rest)
        elif key in groups:
            continue
        else:
            groups[key] = [name]
    return [_and(parts) for parts in groups.values()]


def _and(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def tools_of(result: Result, describe: Mapping[str, str], kubernetes_versions: Sequence[str] = ()) -> list[str]:
    """What checked the block, in check order, each named once, in readers' words."""
    span = version_range(block_versions(result.block, kubernetes_versions)) if kubernetes_versions else ""
    names = _grouped([reader_name(run.check, describe, span) for run in _runs(result)])
    if len(names) == 1 and names[0].endswith("syntax"):
        names[0] += " only"  # parsed, not validated against anything: say so
    return names


def details_of(result: Result, describe: Mapping[str, str], kubernetes_versions: Sequence[str]) -> tuple[str, ...]:
    """One line per check with the tool and its version (``hadolint 2.15.1``, ``promtool 2.42.0``,
    ``Kubernetes 1.35–1.37 schemas: jsonschema-rs 0.61.0, …``)."""
    span = version_range(block_versions(result.block, kubernetes_versions))
    out: list[str] = []
    for run in _runs(result):
        name = reader_name(run.check, describe, span)
        template = READER_DETAILS.get(run.check)
        if template is not None:
            number = _VERSION.search(run.tool_version or "")
            line = template.format(version=number.group(0) if number else "", label=describe.get(run.check, ""))
            if line not in out:
                out.append(line)
            continue
        version = plain_version(run.tool_version or "")
        if not re.search(r"\d", version):  # no version number left (a content hash): the check's label says more
            version = plain_version(describe.get(run.check, "")) or version
        # "hadolint 2.15.1" says it all; "promtool: …" only when the version does not start with the name.
        named = not version or version.lower().startswith(name.lower())
        line = (version or name) if named else f"{name}: {version}"
        if line not in out:
            out.append(line)
    return tuple(out)


def _rule_ids(text: str) -> tuple[str, ...]:
    """The rule ids of a comma-separated note (``DL3007, K8S001``)."""
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def reader_sets(result: Result) -> str:
    """`` · the reader sets POSTGRES_PASSWORD``: the variables a Compose example requires from the reader's
    environment (its ``required-variable`` notes end with the name); ``""`` when there are none."""
    names = [
        f.message.rsplit(": ", 1)[-1]
        for f in result.findings
        if f.rule == "required-variable" and f.severity is Severity.INFO and ": " in f.message
    ]
    unique = list(dict.fromkeys(names))
    return f" · the reader sets {', '.join(unique)}" if unique else ""


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


def known_failures(result: Result) -> list[Finding]:
    """The failing findings of a block that the site's baseline or ignore option keeps from failing it."""
    if result.status not in (Status.PASSED, Status.SKIPPED):
        return []
    return [f for f in result.findings if f.suppressed is not None]


def status_line(result: Result, describe: Mapping[str, str], kubernetes_versions: Sequence[str]) -> StatusLine | None:
    """The line under ``result``'s block, or None when nothing honest can be said (unchecked)."""
    used = " · ".join(tools_of(result, describe, kubernetes_versions))
    details = details_of(result, describe, kubernetes_versions)
    if known := known_failures(result):  # suppressed by the site: the example still fails, and says so
        one = known[0]
        more = f" and {len(known) - 1} more" if len(known) > 1 else ""
        why = "recorded in the baseline" if one.suppressed and one.suppressed.by == "baseline" else "ignored"
        return StatusLine("failed", f"Known failure ({why}): {one.tool} {one.rule}{more}", details, (one.rule,))
    if result.status is Status.PASSED:
        notes = len(result.findings)
        tail = f" · {notes} note{'s' if notes != 1 else ''}" if notes else ""
        partly = _partly_checked(result)
        if partly:
            return StatusLine("validated", f"{partly}{tail}", details)
        return StatusLine(
            "validated", f"Checked{_with_placeholders(result)}: {used}{tail}{reader_sets(result)}", details
        )
    if result.status is Status.EXPECTED_FAILURE:
        rules = _rule_ids(result.note or ", ".join(sorted({f.rule for f in result.findings if f.fails})))
        return StatusLine("anti-pattern", f"Anti-pattern: fails {', '.join(rules)} on purpose", details, rules)
    if result.status is Status.SKIPPED:
        return StatusLine("not-checked", f"Not checked: {result.note or 'skipped'}")
    if result.status is Status.FAILED:
        failing = [f for f in result.findings if f.fails]
        first = failing[0] if failing else None
        what = f"{first.tool} {first.rule}" if first else "a check"
        more = f" and {len(failing) - 1} more" if len(failing) > 1 else ""
        return StatusLine("failed", f"Fails: {what}{more}", details, (first.rule,) if first else ())
    if result.status is Status.ERROR:
        errors = [f for f in result.findings if f.category is Category.TOOL_ERROR]
        tool = errors[0].tool if errors else "a tool"
        return StatusLine("error", f"Not verified: {tool} could not run")
    return None
