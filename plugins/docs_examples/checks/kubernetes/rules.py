"""The Kubernetes API rules check: what the API server's validation rejects beyond the schema.

Scope is the page: all Kubernetes blocks of one page are loaded together so that cross-references
(a Service and the Deployment it selects) can be checked. Each finding lands on the block that holds the
object it is about, at the line the YAML loader gives for the rule's JSON path (block-relative, as the
loader counts lines in the text it was given). Documents that failed to load or are not mappings are
skipped: the YAML and schema checks report those.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar, Literal

from docs_examples import yaml_loader
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.checks.kubernetes.api_rules import RULES, RULES_BY_ID, Context, Hit, Obj, evaluate
from docs_examples.findings import Finding

TOOL = "k8s-rules"
_SOURCES = (Path(__file__).parent / "api_rules", Path(__file__).parent / "validation.py")


def _rules_digest() -> str:
    """A digest of the rule sources: a changed rule must not be answered from the cache."""
    h = hashlib.blake2b(digest_size=6)
    files = sorted(p for src in _SOURCES for p in ([src] if src.is_file() else src.glob("*.py")))
    for path in files:
        h.update(path.read_bytes())
    return h.hexdigest()


def objects_of(block: Block) -> list[Obj]:
    """The API objects of one block: loaded documents that are mappings with a string ``kind``."""
    documents, _problems = yaml_loader.load(block.text)
    return [
        Obj(doc.data, ref=(block, doc))
        for doc in documents
        if isinstance(doc.data, Mapping) and isinstance(doc.data.get("kind"), str)
    ]


def to_finding(hit: Hit) -> tuple[str, Finding]:
    """``(block id, finding)`` for a hit, positioned at its path in the block."""
    block, document = hit.obj.ref
    line, column = document.position_of(hit.path, key=hit.key)
    rule = RULES_BY_ID[hit.rule]
    return block.id, Finding(
        tool=TOOL,
        rule=hit.rule,
        severity=hit.severity or rule.severity,
        message=hit.message,
        line=line,
        column=column,
        versions=hit.versions,
    )


class KubernetesRules(Check):
    """API-server rules (K8S001…) on every Kubernetes block, with cross-references within a page."""

    name: ClassVar[str] = "kubernetes-rules"
    tool: ClassVar[str] = TOOL
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.KUBERNETES})
    scope: ClassVar[Literal["block", "page"]] = "page"

    def describe(self) -> str:
        return f"API rules {RULES[0].id}–{RULES[-1].id}"

    def version(self) -> str:
        """``k8s-rules <digest of the rule sources>``: in-process, never missing."""
        return f"{TOOL} {_rules_digest()}"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        """Findings per block id, for all pages among ``blocks``."""
        ctx = Context(versions=tuple(self.settings.kubernetes_versions))
        pages: dict[str, list[Block]] = defaultdict(list)
        for block in blocks:
            if self.applies(block):
                pages[block.page].append(block)
        out: dict[str, list[Finding]] = {}
        for page_blocks in pages.values():
            objs = [obj for block in page_blocks for obj in objects_of(block)]
            for hit in evaluate(objs, ctx):
                block_id, finding = to_finding(hit)
                out.setdefault(block_id, []).append(finding)
        for findings in out.values():
            findings.sort(key=lambda f: (f.line or 0, f.rule))
        return out
