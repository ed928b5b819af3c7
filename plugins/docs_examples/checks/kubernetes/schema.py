"""The Kubernetes schema check: every manifest, fragment and kubectl heredoc, on every configured version.

A block passes only if each of its documents is valid on every version in ``kubernetes_versions`` (or
the block's ``data-k8s-versions``). Identical findings on several versions become one finding that lists
them (``… (on 1.35, 1.36)``, ``Finding.versions``). Manifests go to kubeconform when it is configured or on
PATH, else to the embedded engine; fragments always use the embedded engine (kubeconform needs a kind).
YAML syntax errors and duplicate keys of YAML blocks are the ``yaml`` check's to report; this check only
reports those of heredocs, which no other check reads as YAML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.checks.kubernetes import engine, fragments, heredoc, schemas
from docs_examples.checks.kubernetes.kubeconform import Kubeconform, Unvalidated
from docs_examples.checks.kubernetes.positions import SchemaError, to_finding
from docs_examples.findings import Finding, Severity
from docs_examples.settings import ConfigError
from docs_examples.yaml_loader import Document, gc_paused, load


@dataclass(slots=True)
class _Unit:
    """One document of one block, where it sits in the block, and the versions it must pass on."""

    block_id: str
    doc: Document
    line_offset: int
    versions: tuple[str, ...]
    fragment_type: str | None = None  # data-schema value, or "" to guess
    column_offset: int = 0  # a console heredoc's "> " prompt


class KubernetesSchema(Check):
    """Strict JSON-schema validation of Kubernetes examples, kubeconform or embedded."""

    name = "kubernetes-schema"
    tool = "kubernetes-schema"
    kinds = frozenset({Kind.KUBERNETES, Kind.KUBERNETES_FRAGMENT})

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        try:
            bundled = schemas.bundled_versions()
        except runner.ToolMissing:
            bundled = None  # the check says so on every block it applies to (version() raises it again)
        unbundled = [v for v in settings.kubernetes_versions if bundled and schemas.minor(v) not in bundled]
        if bundled and unbundled:
            raise ConfigError(
                f"kubernetes_versions: no schemas are bundled for Kubernetes {', '.join(unbundled)} "
                f"(kubernetes-validate {schemas.package_version()} has {bundled[0]} to {bundled[-1]})"
            )
        self.store = schemas.store_for(settings)
        self._kubeconform: Kubeconform | bool | None = False  # False: not looked up yet

    def applies(self, block: Block) -> bool:
        if block.kind in {Kind.SHELL, Kind.CONSOLE}:
            return bool(block.meta.get("kubectl_heredoc"))
        return block.kind in self.kinds

    # -- engine --------------------------------------------------------------------------------------

    def kubeconform(self) -> Kubeconform | None:
        """kubeconform when configured or on PATH ("auto"), None for the embedded engine.

        A configured path that does not exist raises ToolMissing: the author asked for it.
        """
        if self._kubeconform is False:
            setting = (self.settings.kubeconform or "auto").strip()
            binary = None
            if setting != "off":
                try:
                    binary = runner.find_tool("kubeconform", setting)
                except runner.ToolMissing:
                    if setting != "auto":
                        raise
            self._kubeconform = (
                Kubeconform(binary, self.store, workers=self.settings.workers, timeout=self.settings.timeout)
                if binary
                else None
            )
        return self._kubeconform  # type: ignore[return-value]

    def version(self) -> str:
        kc = self.kubeconform()
        base = kc.version() if kc else engine.version()
        return f"{base}, kubernetes-validate {schemas.package_version()} schemas"

    def describe(self) -> str:
        """``kubeconform strict`` or ``strict schemas (embedded engine)``: the proof, in reader's words."""
        return "kubeconform strict" if self.kubeconform() else "strict schemas (embedded engine)"

    # -- gathering -----------------------------------------------------------------------------------

    def _versions(self, block: Block) -> tuple[tuple[str, ...], list[Finding]]:
        """The versions this block must pass on, and findings for versions without schemas."""
        raw = block.attrs.get("data-k8s-versions")
        wanted = [v.strip() for v in raw.split(",") if v.strip()] if raw else list(self.settings.kubernetes_versions)
        bundled = schemas.bundled_versions()
        good, problems = [], []
        for v in wanted:
            if schemas.minor(v) in bundled:
                good.append(schemas.minor(v))
            else:
                problems.append(
                    Finding(
                        tool=self.tool,
                        rule="unknown-version",
                        severity=Severity.ERROR,
                        message=f"no schemas bundled for Kubernetes {v} (bundled: {bundled[0]}–{bundled[-1]})",
                        line=0,
                    )
                )
        return tuple(dict.fromkeys(good)), problems

    def _units(self, block: Block, versions: tuple[str, ...]) -> tuple[list[_Unit], list[Finding]]:
        """The documents to validate in ``block`` and the findings found while reading them."""
        units: list[_Unit] = []
        found: list[Finding] = []
        if block.kind in {Kind.SHELL, Kind.CONSOLE}:
            found_docs = heredoc.find(block.text, console=block.kind is Kind.CONSOLE)
            sources = [(h.text, h.first_line - 1, h.column_offset, True) for h in found_docs]
        else:
            sources = [(block.text, 0, 0, False)]
        fragment = block.kind is Kind.KUBERNETES_FRAGMENT
        for text, offset, shift, from_shell in sources:
            docs, problems = load(text)
            if from_shell:  # nobody else reads heredoc YAML: report its syntax here
                found += [
                    Finding(self.tool, p.rule, Severity.ERROR, p.message, line=p.line + offset, column=p.column + shift)
                    for p in problems
                ]
            for doc in docs:
                if fragment:
                    units.append(_Unit(block.id, doc, offset, versions, block.attrs.get("data-schema", ""), shift))
                elif isinstance(doc.data, dict) and doc.data.get("kind") and doc.data.get("apiVersion"):
                    units.append(_Unit(block.id, doc, offset, versions, None, shift))
                else:
                    found.append(self._not_a_manifest(doc, offset))
        return units, found

    def _not_a_manifest(self, doc: Document, offset: int) -> Finding:
        return Finding(
            tool=self.tool,
            rule="no-kind",
            severity=Severity.ERROR,
            message=f"document {doc.index + 1} has no apiVersion and kind, so no schema applies; "
            'split it into its own block or mark it with data-kind="yaml"',
            line=doc.start_line + offset,
            column=1,
        )

    # -- validating ----------------------------------------------------------------------------------

    def validate_manifests(self, text: str, *, source: str = "<rendered>") -> list[Finding]:
        """Findings for manifests that are no block of a page, such as kustomize's rendered output.

        The one call other checks use to have objects schema-checked: ``text`` is multi-document YAML,
        judged on the configured versions exactly as a manifest block is; lines count in ``text``.
        """
        block = Block(
            page=source, index=0, fence_line=1, end_line=1, language="yaml", text=text, origins=(),
            kind=Kind.KUBERNETES,
        )  # fmt: skip
        return self.check([block]).get(block.id, [])

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        with gc_paused():  # thousands of nodes and marks per page, and no cycles among them
            return self._check(blocks)

    def _check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        """Read every block's documents, validate them per version, merge findings across versions."""
        out: dict[str, list[Finding]] = defaultdict(list)
        units: list[_Unit] = []
        wanted: dict[str | None, tuple[tuple[str, ...], list[Finding]]] = {}  # per data-k8s-versions value
        for block in blocks:
            raw = block.attrs.get("data-k8s-versions")
            if raw not in wanted:
                wanted[raw] = self._versions(block)
            versions, problems = wanted[raw]
            out[block.id] += problems
            block_units, found = self._units(block, versions)
            out[block.id] += found
            units += block_units
        per_version: dict[tuple[int, str], list[Finding]] = defaultdict(list)
        manifests = [u for u in units if u.fragment_type is None]
        for n, unit in enumerate(units):
            if unit.fragment_type is not None:
                for version in unit.versions:
                    per_version[(n, version)] += self._fragment(unit, version)
        versions = sorted({v for u in manifests for v in u.versions}, key=schemas._key)
        for version in versions:
            for n, findings in self._manifests(units, manifests, version).items():
                per_version[(n, version)] += findings
        for n, unit in enumerate(units):
            merged = merge_versions([(v, per_version.get((n, v), [])) for v in unit.versions])
            out[unit.block_id] += [_shifted(f, unit.column_offset) for f in merged]
        return {k: sorted(v, key=lambda f: (f.line or 0, f.column or 0, f.rule)) for k, v in out.items() if v}

    def _manifests(self, units: list[_Unit], manifests: list[_Unit], version: str) -> dict[int, list[Finding]]:
        """Findings per unit index for every manifest that must pass on ``version``."""
        tool = engine.TOOL  # the findings are the same whichever engine ran; only the status line names it
        found: dict[int, list[Finding]] = defaultdict(list)
        todo: list[tuple[int, _Unit, Path]] = []
        index = {id(u): n for n, u in enumerate(units)}
        paths: dict[tuple[str, str], Path | None] = {}  # one store lookup per kind, not per document
        for unit in manifests:
            if version not in unit.versions:
                continue
            n = index[id(unit)]
            kind, api = str(unit.doc.data["kind"]), str(unit.doc.data["apiVersion"])
            if (kind, api) not in paths:
                paths[(kind, api)] = self.store.path(version, kind, api)
            path = paths[(kind, api)]
            if path is None:
                found[n].append(self._no_schema(unit, version, tool))
                continue
            todo.append((n, unit, path))
        kc = self.kubeconform()
        if kc is not None:
            results = kc.validate(version, [(str(n), unit.doc.data) for n, unit, _ in todo])
        else:
            results = {str(n): engine.validate(unit.doc.data, path) for n, unit, path in todo}
        for n, unit, path in todo:
            result = results.get(str(n), [])
            if isinstance(result, Unvalidated):  # kubeconform's statusError
                found[n].append(
                    self._no_schema(unit, version, tool)
                    if result.no_schema
                    else runner_error(tool, result.message, unit)
                )
                continue
            if result:  # the parsed schema explains errors; a valid document never needs it
                schema = engine.schema_of(path)
                found[n] += [to_finding(e, unit.doc, schema, tool=tool, line_offset=unit.line_offset) for e in result]
        return found

    def _no_schema(self, unit: _Unit, version: str, tool: str) -> Finding:
        """Why no schema applies to this manifest on ``version`` (removed API, custom resource …), at ``kind``."""
        missing = self.store.missing(version, str(unit.doc.data["kind"]), str(unit.doc.data["apiVersion"]))
        line, column = unit.doc.position_of(["kind"])
        return Finding(tool, missing.rule, Severity.ERROR, missing.message, line=line + unit.line_offset, column=column)

    def _fragment(self, unit: _Unit, version: str) -> list[Finding]:
        """Findings for one fragment document on ``version``, against the type named or guessed."""
        data = unit.doc.data
        items = data if isinstance(data, list) else [data]
        if unit.fragment_type:
            chosen = fragments.named(unit.fragment_type, version)
            if isinstance(chosen, str):
                return [Finding(self.tool, "fragment/unknown-type", Severity.ERROR, chosen, line=0)]
        else:
            keys = {k for item in items if isinstance(item, dict) for k in item}
            chosen = fragments.guess(keys, version)
            if chosen is None:
                return [
                    Finding(
                        self.tool,
                        "fragment/unknown-type",
                        Severity.WARNING,
                        "cannot tell which Kubernetes type this fragment is; name it with "
                        'data-schema="Container" (or PodSpec, Probe …) or mark it with data-kind="yaml"',
                        line=unit.doc.start_line + unit.line_offset,
                    )
                ]
        schema = self.store.type_schema(version, chosen.definition)
        if schema is None:
            message = f"{chosen.name} ({chosen.definition}) does not exist in Kubernetes {version}"
            return [Finding(self.tool, "no-schema", Severity.ERROR, message, line=0)]
        if isinstance(data, list):
            defs = schema.pop("definitions")
            schema = {"type": "array", "items": schema, "definitions": defs}
        errors: list[SchemaError] = engine.validate_with(
            data, schema, (version, chosen.definition, isinstance(data, list))
        )
        return [to_finding(e, unit.doc, schema, tool=engine.TOOL, line_offset=unit.line_offset) for e in errors]


def _shifted(finding: Finding, columns: int) -> Finding:
    """The finding moved right by a console prompt's width."""
    if not columns or not finding.column:
        return finding
    return finding.moved(column=finding.column + columns)


def runner_error(tool: str, message: str, unit: _Unit) -> Finding:
    """kubeconform could not validate one document (statusError): the document's first line."""
    return Finding(
        tool, "tool-error", Severity.ERROR, f"kubeconform: {message}", line=unit.doc.start_line + unit.line_offset
    )


def merge_versions(per_version: list[tuple[str, list[Finding]]]) -> list[Finding]:
    """One finding per distinct (rule, position, message), naming every version it holds on."""
    seen: dict[tuple, list[str]] = {}
    first: dict[tuple, Finding] = {}
    for version, findings in per_version:
        for f in findings:
            key = (f.tool, f.rule, f.line, f.column, f.message.replace(f" in Kubernetes {version}", ""), f.hint)
            seen.setdefault(key, []).append(version)
            first.setdefault(key, f)
    merged = []
    for key, versions in seen.items():
        f = first[key]
        message = key[4] if len(versions) > 1 else f.message
        label = ", ".join(dict.fromkeys(versions))
        merged.append(f.moved(message=f"{message} (on {label})", versions=tuple(dict.fromkeys(versions))))
    return merged
