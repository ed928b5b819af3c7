"""The Kubernetes API rules check: what the API server's validation rejects beyond the schema.

Scope is the page: all Kubernetes blocks of one page are loaded together so that cross-references
(a Service and the Deployment it selects) can be checked. Each finding lands on the block that holds the
object it is about, at the line the YAML loader gives for the rule's JSON path (block-relative, as the
loader counts lines in the text it was given). Documents that failed to load or are not mappings are
skipped: the YAML and schema checks report those. The items of a ``List`` are objects of their own.

Placeholders (``name: <app-name>``, an annotation key ``subscribe.<trigger>.slack``) are masked before
loading (:mod:`docs_examples.blocks.placeholders`); a hit about a value or key that holds one is not
reported, since the rule cannot know what the reader will write there.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from docs_examples import yaml_loader
from docs_examples.blocks import placeholders
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.base import Check
from docs_examples.checks.kubernetes import crds, groups
from docs_examples.checks.kubernetes.api_rules import RULES, RULES_BY_ID, Context, Hit, Obj, evaluate
from docs_examples.checks.kubernetes.partial import Partial
from docs_examples.findings import Finding, Severity

TOOL = "k8s-rules"
# Rules on what the API server checks of every object it stores (names, labels, annotations): for a kind
# it is not known to store (a tool's configuration file written like a manifest, with no CRD and no
# namespace) they are informational.
METADATA_RULES = frozenset({"K8S002", "K8S003", "K8S004"})
_SOURCES = (Path(__file__).parent / "api_rules", Path(__file__).parent / "validation.py")


def _rules_digest() -> str:
    """A digest of the rule sources: a changed rule must not be answered from the cache."""
    h = hashlib.blake2b(digest_size=6)
    files = sorted(p for src in _SOURCES for p in ([src] if src.is_file() else src.glob("*.py")))
    for path in files:
        h.update(path.read_bytes())
    return h.hexdigest()


def objects_of(block: Block) -> list[Obj]:
    """The API objects of one block: loaded documents that are mappings with a string ``kind``, and the
    items of the Lists among them. ``Obj.ref`` is ``(block, document, partial view)``."""
    masked = placeholders.mask_yaml(block.text)
    documents, _problems = yaml_loader.load(masked.text)
    out: list[Obj] = []
    since = 1
    for doc in documents:
        partial = Partial.of(doc, masked, since)
        since = doc.node.end_mark.line + 2 if doc.node is not None else since
        if not isinstance(doc.data, Mapping) or not isinstance(doc.data.get("kind"), str):
            continue
        items = doc.data.get("items")
        if str(doc.data["kind"]).endswith("List") and isinstance(items, list):
            out += _items(block, doc, items, masked)
        else:
            out.append(Obj(doc.data, ref=(block, doc, partial)))
    return out


def _items(block: Block, doc: yaml_loader.Document, items: list[Any], masked: placeholders.Masked) -> list[Obj]:
    """The objects of a List, each with its own document (positions kept)."""
    out = []
    list_kind = str(doc.data["kind"])
    for i, item in enumerate(items):
        node = doc.node_at(["items", i])
        if node is None or not isinstance(item, Mapping):
            continue
        if not isinstance(item.get("kind"), str) and list_kind != "List":
            item = {"apiVersion": doc.data.get("apiVersion"), "kind": list_kind[: -len("List")], **item}
        if isinstance(item.get("kind"), str):
            sub = yaml_loader.Document(doc.index, item, node.start_mark.line + 1, node)
            out.append(Obj(item, ref=(block, sub, Partial.of(sub, masked, node.start_mark.line + 1))))
    return out


def to_finding(hit: Hit) -> tuple[str, Finding] | None:
    """``(block id, finding)`` for a hit, positioned at its path in the block; None when the hit is about a
    value or key that holds a placeholder."""
    block, document, partial = hit.obj.ref
    if not partial.judges(hit.path):
        return None
    line, column = document.position_of(hit.path, key=hit.key)
    rule = RULES_BY_ID[hit.rule]
    return block.id, Finding(
        tool=TOOL,
        rule=hit.rule,
        severity=hit.severity or rule.severity,
        message=placeholders.restore(hit.message),
        line=line,
        column=column,
        versions=hit.versions,
    )


def sees(source: Obj, target: Obj) -> bool:
    """Whether the reader has ``target`` in view from ``source``: the same block, an earlier block of the
    page, or a later one in the same section (or a subsection of it). Content tabs are read in order, like
    sections: pages use them for topics (a Deployment tab, then a Service tab) as well as alternatives."""
    a, b = source.ref[0], target.ref[0]
    return a is b or b.index < a.index or b.headings[: len(a.headings)] == a.headings


def _api_object(obj: Obj, shown: Mapping[crds.Key, crds.Found], registry: crds.Registry) -> bool:
    """Whether the API server is known to store this object: a served or Kubernetes-community group, an
    object placed in a namespace, or a custom resource whose CRD is shown on the page or in ``schemas``."""
    if groups.stored(obj.kind, obj.api_version, namespaced=obj.namespace is not None):
        return True
    group, _, version = obj.api_version.rpartition("/")
    return (group, obj.kind, version) in shown or registry.lookup(group, obj.kind, version) is not None


def _unknown_kind(finding: Finding, obj: Obj) -> Finding:
    """A metadata rule's finding on a kind no CRD defines: informational, and saying why."""
    why = (
        f" ({obj.kind} {obj.api_version} has no known CRD: if it is an API object, the API server rejects "
        "this; if it is a tool's configuration file, its own rules apply)"
    )
    return finding.moved(severity=Severity.INFO, message=finding.message + why)


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
        ctx = Context(versions=tuple(self.settings.kubernetes_versions), sees=sees)
        pages: dict[str, list[Block]] = defaultdict(list)
        for block in blocks:
            if self.applies(block):
                pages[block.page].append(block)
        out: dict[str, list[Finding]] = {}
        registry = crds.for_settings(self.settings)
        for page_blocks in pages.values():
            objs = [obj for block in page_blocks for obj in objects_of(block)]
            shown = crds.page_crds(b.text for b in page_blocks if "CustomResourceDefinition" in b.text)
            for hit in evaluate(objs, ctx):
                located = to_finding(hit)
                if located is None:
                    continue
                if hit.rule in METADATA_RULES and not _api_object(hit.obj, shown, registry):
                    located = (located[0], _unknown_kind(located[1], hit.obj))
                out.setdefault(located[0], []).append(located[1])
        for findings in out.values():
            findings.sort(key=lambda f: (f.line or 0, f.rule))
        return out
