"""Directives: what an author writes in a fence's brace header to steer the checks.

Written as attributes, which attr_list and superfences keep out of the rendered page::

    ``` { .dockerfile title="Dockerfile" data-check="expect-fail" data-expect="DL3007" }
    ``` { .yaml data-check="skip" data-reason="needs a cluster-specific CRD" }
    ``` { .yaml data-schema="Container" }
    ``` { .yaml data-kind="yaml" }          (plain YAML data, not an API object)

and ``check: false`` with ``check_reason: …`` in a page's front matter. A misspelled directive is an
error, as rustdoc lints typos in code-block attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docs_examples.blocks.model import Block, Kind
from docs_examples.findings import Category, Finding, Severity

CHECK_VALUES = ("skip", "expect-fail")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DIRECTIVES = {
    "data-check": "skip | expect-fail",
    "data-reason": 'why a block is skipped (required with data-check="skip")',
    "data-expect": "rule ids the expect-fail block must break, comma-separated (DL3007, K8S001 …)",
    "data-schema": "Kubernetes type of a fragment (Container, PodSpec …)",
    "data-kind": "override the detected kind (" + ", ".join(k.value for k in Kind) + ")",
    "data-k8s-versions": "Kubernetes versions for this block only, comma-separated (1.36,1.37)",
    "data-filename": "file name for the download link when there is no title",
    "data-env": "example values for a Compose file's ${VARIABLES}, this block only (NAME=value,OTHER=1)",
}
# Attributes that Material / superfences / highlight understand; never reported.
RENDER_OPTIONS = {"title", "hl_lines", "linenums", "anchor_linenums", "id", "class", "lang", "select"}


@dataclass(frozen=True, slots=True)
class Directive:
    skip: bool = False
    expect_fail: bool = False
    expect: tuple[str, ...] = ()
    reason: str | None = None


def _problem(rule: str, message: str, hint: str | None = None) -> Finding:
    return Finding(
        tool="docs-examples",
        rule=rule,
        severity=Severity.ERROR,
        message=message,
        line=0,  # the fence line: Block.locate maps line 0 to the fence
        category=Category.DIRECTIVE,
        hint=hint,
    )


def parse(block: Block) -> tuple[Directive, list[Finding]]:
    """The block's directive and the problems with how it is written."""
    problems: list[Finding] = []
    for key in block.attrs:
        if key in DIRECTIVES or key in RENDER_OPTIONS:
            continue
        import difflib  # only for an attribute that is neither a directive nor a render option

        if key.startswith("data-") or difflib.get_close_matches(key, list(DIRECTIVES), n=1, cutoff=0.75):
            near = difflib.get_close_matches(key, list(DIRECTIVES), n=1, cutoff=0.6)
            problems.append(
                _problem(
                    "unknown-directive",
                    f"unknown directive {key!r}",
                    hint=f"did you mean `{near[0]}`?" if near else "known: " + ", ".join(DIRECTIVES),
                )
            )
    value = block.attrs.get("data-check")
    if value is not None and value not in CHECK_VALUES:
        import difflib  # only for a wrong value

        near = difflib.get_close_matches(value, CHECK_VALUES, n=1, cutoff=0.5)
        problems.append(
            _problem(
                "unknown-directive",
                f"unknown data-check value {value!r} (expected one of: {', '.join(CHECK_VALUES)})",
                hint=f"did you mean `{near[0]}`?" if near else None,
            )
        )
    kind = block.attrs.get("data-kind")
    if kind is not None and kind not in {k.value for k in Kind}:
        problems.append(_problem("unknown-directive", f"unknown data-kind {kind!r}"))
    reason = (block.attrs.get("data-reason") or "").strip() or None
    if value == "skip" and not reason:
        problems.append(_problem("skip-without-reason", 'data-check="skip" needs data-reason="…"'))
    if "data-env" in block.attrs:
        _, wrong = env_values(block.attrs["data-env"])
        if block.kind is not Kind.COMPOSE:
            wrong.append("data-env gives values to a Compose file's variables; this block is not a Compose file")
        problems += [_problem("invalid-data-env", message) for message in wrong]
    expect = tuple(r.strip() for r in block.attrs.get("data-expect", "").split(",") if r.strip())
    if expect and value != "expect-fail":
        problems.append(_problem("expect-without-expect-fail", 'data-expect only works with data-check="expect-fail"'))
    return Directive(skip=value == "skip", expect_fail=value == "expect-fail", expect=expect, reason=reason), problems


def env_values(value: str) -> tuple[dict[str, str], list[str]]:
    """``data-env="NAME=value,OTHER=1"``: the values, and what is wrong with how they are written.

    Entries are separated by commas (a value cannot hold one); a name is letters, digits and ``_``, not
    starting with a digit. Only the page gives these values: the build machine's environment is never read.
    """
    values: dict[str, str] = {}
    wrong: list[str] = []
    for entry in (e.strip() for e in value.split(",")):
        name, equals, text = entry.partition("=")
        name = name.strip()
        if not entry:
            continue
        if not equals or not _ENV_NAME.fullmatch(name):
            wrong.append(f"data-env entry {entry!r} is not NAME=value")
        elif name in values:
            wrong.append(f"data-env sets {name} twice")
        else:
            values[name] = text
    return values, wrong


def page_skip(front_matter: dict[str, Any], page: str) -> tuple[str | None, list[Finding]]:
    """``check: false`` in front matter: the reason, or a problem when the reason is missing."""
    if front_matter.get("check", True) is not False:
        return None, []
    reason = str(front_matter.get("check_reason") or "").strip()
    if not reason:
        return "page skipped", [
            _problem("skip-without-reason", "front matter `check: false` needs `check_reason: …`").moved(
                file=page, line=1
            )
        ]
    return reason, []
