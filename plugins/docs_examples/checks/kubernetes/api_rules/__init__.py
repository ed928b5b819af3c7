"""Kubernetes API rules that a JSON schema cannot express, one small module per family.

``RULES`` is the registry (id, title, severity, summary and a failing and a passing example for each);
the docs render their rules table from it with :func:`docs_rules_table`. Importing this package loads
only the standard library, the findings vocabulary and the placeholder recogniser: no YAML, no schemas.

Rules see a page as a list of :class:`Obj` and yield :class:`Hit` records (object, JSON path, message);
:func:`evaluate` runs them all. The check in ``checks/kubernetes/rules.py`` loads blocks and turns hits
into located findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from docs_examples.checks.kubernetes.api_rules import containers, metadata, references, workloads
from docs_examples.checks.kubernetes.api_rules.model import Context, Hit, Obj, Rule
from docs_examples.tables import markdown_table

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (*workloads.RULES, *metadata.RULES, *containers.RULES, *references.RULES),
        key=lambda rule: rule.id,
    )
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def evaluate(objs: Sequence[Obj], ctx: Context | None = None, *, only: Sequence[str] | None = None) -> list[Hit]:
    """Every hit of every rule (or of the rules in ``only``) on one page's objects, in rule order."""
    ctx = ctx or Context()
    hits: list[Hit] = []
    for rule in RULES:
        if rule.check is None or (only is not None and rule.id not in only):
            continue
        hits.extend(rule.check(objs, ctx))
    return hits


def docs_rules_table() -> str:
    """The rules as a Markdown table: id, title, severity, scope and summary."""
    rows = [
        (f"`{rule.id}`", rule.title, rule.severity.value, "page" if rule.scope == "page" else "object", rule.summary)
        for rule in RULES
    ]
    return markdown_table(("Rule", "Title", "Severity", "Scope", "What it checks"), rows)


__all__ = ["RULES", "RULES_BY_ID", "Context", "Hit", "Obj", "Rule", "docs_rules_table", "evaluate"]
