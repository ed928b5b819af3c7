"""Checks: one module per tool. Each takes blocks and returns block-relative findings; none prints.

The registry maps a check name to ``module:Class`` and imports lazily, so a site without Kubernetes
examples never loads a schema, and a missing optional tool costs nothing until a block needs it.
"""

from __future__ import annotations

import importlib
from functools import cache

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.findings import Finding

# Order is the order findings are reported in for one block.
REGISTRY: dict[str, str] = {
    "yaml": "docs_examples.checks.yaml_syntax:YamlSyntax",
    "dockerfile-syntax": "docs_examples.checks.buildkit:BuildKitSyntax",
    "buildkit-checks": "docs_examples.checks.build_checks:BuildKitChecks",
    "hadolint": "docs_examples.checks.hadolint:Hadolint",
    "build-context": "docs_examples.checks.build_context:BuildContext",
    "bash": "docs_examples.checks.bash:BashSyntax",
    "shellcheck": "docs_examples.checks.shellcheck:ShellCheck",
    "compose": "docs_examples.checks.compose:ComposeConfig",
    "actionlint": "docs_examples.checks.actionlint:ActionLint",
    "kubernetes-schema": "docs_examples.checks.kubernetes.schema:KubernetesSchema",
    "kubernetes-rules": "docs_examples.checks.kubernetes.rules:KubernetesRules",
    "kustomize": "docs_examples.checks.kustomize:Kustomize",
    "prometheus": "docs_examples.checks.prometheus:Prometheus",
    "json": "docs_examples.checks.json_syntax:JsonSyntax",
    "python": "docs_examples.checks.python_syntax:PythonSyntax",
    "hcl": "docs_examples.checks.hcl:HclSyntax",
}


@cache
def check_class(name: str) -> type[Check]:
    module, _, attr = REGISTRY[name].partition(":")
    found: type[Check] = getattr(importlib.import_module(module), attr)
    return found


# Checks whose ``recognises`` can tell what an unlabelled YAML mapping is, asked in this order.
RECOGNISERS = ("kubernetes-schema",)


def recognise(keys: frozenset[str]) -> Kind | None:
    """What the checks say a YAML mapping with these top-level keys is (None: plain YAML to all of them)."""
    for name in RECOGNISERS:
        kind = check_class(name).recognises(keys)
        if kind is not None:
            return kind
    return None


def available() -> list[str]:
    """Every registered check, in report order. A check whose tool or library is missing is still here:
    it reports the missing tool on each block it applies to, never by disappearing."""
    return list(REGISTRY)


def merge_overlaps(block: Block, findings: list[Finding]) -> list[Finding]:
    """A block's findings with one finding per cause where two checks overlap: Docker's build checks and
    hadolint (:mod:`docs_examples.checks.build_checks.overlap`), ``bash -n`` and shellcheck's parser
    (:func:`docs_examples.checks.shellcheck.merge_parse_failure`). Called once per block, after its checks."""
    if not findings:
        return findings
    if block.kind is Kind.DOCKERFILE:
        from docs_examples.checks.build_checks import overlap  # lazily, like the checks themselves

        return overlap.merge(block.text, findings)
    if block.kind in (Kind.SHELL, Kind.CONSOLE):
        from docs_examples.checks.shellcheck import merge_parse_failure

        return merge_parse_failure(findings)
    return findings


__all__ = ["RECOGNISERS", "REGISTRY", "Check", "available", "check_class", "merge_overlaps", "recognise"]
