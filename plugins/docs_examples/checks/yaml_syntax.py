"""The ``yaml`` check: every YAML-ish block parses and has no duplicate keys.

Syntax errors and duplicate keys come from the Kubernetes YAML loader (the strictest reader of YAML on
the site), located at their line and column; a duplicate key's message names the line of its first
occurrence in the page (or snippet file). Placeholders and elisions (``<name>``, ``@VAR@``, ``{{ VAR }}``,
a ``...`` line: :mod:`docs_examples.blocks.placeholders`) are not syntax errors: the text is read with
them masked, every column kept. A block that is neither a manifest, a fragment, a Compose file, a workflow
nor any other known kind is plain YAML (Helm values, tool configuration, a one-line annotation): by default
it passes on its syntax alone, and its status line says "YAML syntax", nothing more. A site that wants every
such block marked sets ``unmarked_yaml: warning`` (or ``error``): an unmarked one is then reported as
``unrecognised-yaml`` unless it carries ``data-kind="yaml"``.
"""

from __future__ import annotations

from collections.abc import Sequence

from docs_examples import distributions
from docs_examples.blocks import placeholders
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import YamlProblem, load

_DOCUMENT_END = "expected '<document start>'"
_UNRECOGNISED = (
    "neither a Kubernetes manifest, a fragment, a Compose file nor a workflow; mark it with "
    'data-kind="yaml" if it is plain YAML data, or data-schema="…" if it is part of a Kubernetes object'
)


class YamlSyntax(Check):
    """YAML syntax, duplicate keys and unrecognised YAML."""

    name = "yaml"
    tool = "yaml"
    kinds = frozenset(
        {
            Kind.KUBERNETES,
            Kind.KUBERNETES_FRAGMENT,
            Kind.KUSTOMIZATION,
            Kind.COMPOSE,
            Kind.WORKFLOW,
            Kind.PROMETHEUS,
            Kind.PROMETHEUS_RULES,
            Kind.YAML,
        }
    )

    def version(self) -> str:
        return f"PyYAML {distributions.version('PyYAML')}"

    def describe(self) -> str:
        return "YAML syntax"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for block in blocks:
            findings = self._findings(block)
            if findings:
                out[block.id] = findings
        return out

    def _findings(self, block: Block) -> list[Finding]:
        """Syntax problems of one block, then the unrecognised-YAML finding when it applies."""
        _, problems = load(placeholders.mask_yaml(block.text).text)
        findings = [
            Finding(self.tool, p.rule, Severity.ERROR, explain(p, block.kind), line=p.line, column=p.column)
            for p in problems
        ]
        if block.kind is Kind.YAML and not block.meta.get("marked") and not findings:
            severity = (self.settings.unmarked_yaml or "ignore").lower()
            if severity in ("warning", "error"):
                findings.append(Finding(self.tool, "unrecognised-yaml", Severity(severity), _UNRECOGNISED, line=0))
        return findings


# The loader words a duplicate key for any reader; the block's own tool says what it does with one.
_REFUSED_BY = {
    Kind.KUBERNETES: "the API server rejects it",
    Kind.KUBERNETES_FRAGMENT: "the API server rejects it",
    Kind.KUSTOMIZATION: "kustomize rejects it",
    Kind.COMPOSE: "Compose rejects it",
}


def explain(problem: YamlProblem, kind: Kind) -> str:
    """PyYAML's wording, with the one case readers meet most often spelt out, in the block's tool's words.

    A duplicate key names its first occurrence as ``block line N``, which locating the finding turns into a
    line of the page (or of the snippet file).
    """
    message = placeholders.restore(problem.message)
    if problem.first_line:
        message = message.replace(
            f"(first on line {problem.first_line})", f"(first on block line {problem.first_line})"
        )
    if "duplicate key" in message and kind in _REFUSED_BY:
        message = f"{message}; {_REFUSED_BY[kind]}"
    if _DOCUMENT_END in message:
        return (
            f"{message}: content after a `...` document end needs a `---` line to start a new document "
            "(kubectl silently ignores it)"
        )
    return message
