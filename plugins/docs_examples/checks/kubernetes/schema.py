"""The Kubernetes schema check: every manifest, fragment and kubectl heredoc, on every configured version.

A block passes only if each of its documents is valid on every version in ``kubernetes_versions`` (or
the block's ``data-k8s-versions``). Identical findings on several versions become one finding that lists
them (``… (on 1.35, 1.36)``, ``Finding.versions``). Manifests go to kubeconform when it is configured or on
PATH, else to the embedded engine; fragments and custom resources validated from a CRD always use the
embedded engine (kubeconform needs a kind it can find in its schema locations).

What each document is checked against:

- a kind Kubernetes serves (``apps/v1`` Deployment): its bundled schema; an unknown kind or version of a
  served group is an error (``no-schema``: a typo; ``removed-api``, at the ``apiVersion:`` line);
- a custom resource (a group Kubernetes does not serve: ``argoproj.io``, ``postgresql.cnpg.io``): its CRD's
  schema when one is shown on the page or given in ``schemas`` (:mod:`crds`); else its fields are not
  checked, and an info finding says so and how to add one (``custom_resources_without_schema`` makes it
  a warning or an error), as for a component's configuration file (kubeconfig, kubeadm, audit policy);
- ``kind: List`` and ``*List`` kinds: each item as its own object, at its own lines;
- a fragment: the type ``data-schema`` names, or the one its keys decide (:mod:`fragments`); an undecided
  fragment is only YAML-checked, with an info finding. A fragment is read as a strategic-merge patch: its
  mappings may leave out required fields, its list items (a container, an env var) may not.

Placeholders and elisions (:mod:`docs_examples.blocks.placeholders`) make a document a partial object
(:mod:`partial`): what they stand for is not held against it, everything shown is checked, and an info
finding (``placeholders``) says what was read as a placeholder. Some shapes are excerpts without any
marker, because no complete object has them (:func:`excerpt`): no name, only metadata with labels or
annotations (how pages show where an annotation goes), a selecting workload with neither a selector nor
pod-template labels (a strategic-merge patch, or the partial YAML server-side apply takes). They are read
like fragments (their mappings may leave out required fields, their list items may not), and an info
finding (``excerpt``) says so; a workload with labels but no selector still fails.

YAML syntax errors and duplicate keys of YAML blocks are the ``yaml`` check's to report; this check only
reports those of heredocs, which no other check reads as YAML. Its scope is the page: a CRD shown on a
page validates the custom resources of that page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from docs_examples.blocks import placeholders
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.checks.kubernetes import crds, engine, fragments, heredoc, schemas
from docs_examples.checks.kubernetes.partial import Partial
from docs_examples.checks.kubernetes.positions import REQUIRED, UNKNOWN, SchemaError, to_finding
from docs_examples.checks.yaml_syntax import explain
from docs_examples.findings import Finding, Severity
from docs_examples.settings import ConfigError
from docs_examples.yaml_loader import Document, gc_paused, load

if TYPE_CHECKING:  # the kubeconform module is imported only when kubeconform runs
    from docs_examples.checks.kubernetes.kubeconform import Kubeconform

# ``custom_resources_without_schema`` → the severity of the finding that says a kind was not checked.
UNCHECKED_SEVERITY = {"unchecked": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}
LIST_FIELDS = frozenset({"apiVersion", "kind", "metadata", "items"})
SELECTING_WORKLOADS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"})


@dataclass(slots=True)
class _Unit:
    """One object of one block (a document, or an item of a List), where it sits in the block, and the
    versions it must pass on."""

    block_id: str
    doc: Document
    line_offset: int
    versions: tuple[str, ...]
    fragment_type: str | None = None  # data-schema value, or "" to guess
    column_offset: int = 0  # a console heredoc's "> " prompt
    partial: Partial = field(default_factory=Partial)
    page: str = ""


class KubernetesSchema(Check):
    """Strict JSON-schema validation of Kubernetes examples, kubeconform or embedded."""

    name = "kubernetes-schema"
    tool = "kubernetes-schema"
    kinds = frozenset({Kind.KUBERNETES, Kind.KUBERNETES_FRAGMENT})
    scope: ClassVar[Literal["block", "page"]] = "page"  # a CRD shown on the page validates its resources

    @classmethod
    def recognises(cls, keys: frozenset[str]) -> Kind | None:
        """A fragment when the keys are (mostly) fields of one well-known type (``fragments.guess``)."""
        return Kind.KUBERNETES_FRAGMENT if fragments.guess(keys) is not None else None

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
        self._compiled: dict[tuple[str, str], dict[str, Any]] = {}  # CRD schemas made standalone, per version

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
            self._kubeconform = None
            if binary:
                from docs_examples.checks.kubernetes.kubeconform import Kubeconform

                self._kubeconform = Kubeconform(
                    binary, self.store, workers=self.settings.workers, timeout=self.settings.timeout
                )
        return self._kubeconform  # type: ignore[return-value]

    def registry(self) -> crds.Registry:
        """The custom-resource schemas of the ``schemas`` paths, re-read when one of their files changes."""
        return crds.for_settings(self.settings)

    def version(self) -> str:
        kc = self.kubeconform()
        base = kc.version() if kc else engine.version()
        text = f"{base}, kubernetes-validate {schemas.package_version()} schemas"
        paths = tuple(getattr(self.settings, "schema_paths", ()) or ())
        if paths:  # the CRD files are part of the cache key: editing one re-checks its resources
            text += f", schemas {crds.Registry(paths).digest()}"
        return text

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
        """The objects to validate in ``block`` and the findings found while reading them."""
        units: list[_Unit] = []
        found: list[Finding] = []
        if block.kind in {Kind.SHELL, Kind.CONSOLE}:
            found_docs = heredoc.find(block.text, console=block.kind is Kind.CONSOLE)
            sources = [(h.text, h.first_line - 1, h.column_offset, True) for h in found_docs]
        else:
            sources = [(block.text, 0, 0, False)]
        fragment = block.kind is Kind.KUBERNETES_FRAGMENT
        for text, offset, shift, from_shell in sources:
            masked = placeholders.mask_yaml(text)
            docs, problems = load(masked.text)
            if from_shell:  # nobody else reads heredoc YAML: report its syntax here
                found += [
                    Finding(
                        self.tool,
                        p.rule,
                        Severity.ERROR,
                        explain(p, Kind.KUBERNETES),
                        line=p.line + offset,
                        column=p.column + shift,
                    )
                    for p in problems
                ]
            since = 1
            for doc in docs:
                partial = Partial.of(doc, masked, since)
                since = (doc.node.end_mark.line + 2) if doc.node is not None else since
                unit = _Unit(block.id, doc, offset, versions, None, shift, partial, block.page)
                if fragment:
                    unit.fragment_type = block.attrs.get("data-schema", "")
                    units.append(unit)
                elif _is_list(doc.data):
                    list_units, list_findings = self._list(unit, masked)
                    units += list_units
                    found += list_findings
                elif isinstance(doc.data, dict) and doc.data.get("kind") and doc.data.get("apiVersion"):
                    units.append(unit)
                else:
                    found.append(self._not_a_manifest(doc, offset))
        return units, found

    def _list(self, unit: _Unit, masked: placeholders.Masked) -> tuple[list[_Unit], list[Finding]]:
        """A ``List`` (or ``PodList`` …): each item as its own object, and unknown fields of the list."""
        doc, data = unit.doc, unit.doc.data
        list_kind = str(data["kind"])
        found = [
            Finding(
                self.tool,
                UNKNOWN,
                Severity.ERROR,
                f"unknown field `{key}` (a {list_kind} has apiVersion, kind, metadata and items)",
                line=doc.line_of([key], key=True) + unit.line_offset,
                column=doc.column_of([key], key=True),
            )
            for key in data
            if key not in LIST_FIELDS and unit.partial.keeps(SchemaError((), UNKNOWN, "", field=key))
        ]
        units = []
        for i, item in enumerate(data["items"]):
            node = doc.node_at(["items", i])
            if node is None:
                continue
            if isinstance(item, dict) and list_kind != "List" and not item.get("kind"):
                item = {"apiVersion": data.get("apiVersion"), "kind": list_kind[: -len("List")], **item}
            sub = Document(doc.index, item, node.start_mark.line + 1, node)
            if isinstance(item, dict) and item.get("kind") and item.get("apiVersion"):
                partial = Partial.of(sub, masked, node.start_mark.line + 1)
                units.append(
                    _Unit(
                        unit.block_id,
                        sub,
                        unit.line_offset,
                        unit.versions,
                        None,
                        unit.column_offset,
                        partial,
                        unit.page,
                    )
                )
            elif not placeholders.whole(item):
                found.append(self._not_a_manifest(sub, unit.line_offset, what=f"item {i + 1} of the {list_kind}"))
        return units, found

    def _not_a_manifest(self, doc: Document, offset: int, what: str = "") -> Finding:
        return Finding(
            tool=self.tool,
            rule="no-kind",
            severity=Severity.ERROR,
            message=f"{what or f'document {doc.index + 1}'} has no apiVersion and kind, so no schema applies; "
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
        """Read every block's objects, validate them per version, merge findings across versions."""
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
        page_crds = self._page_crds(blocks)
        per_version: dict[tuple[int, str], list[Finding]] = defaultdict(list)
        manifests: list[_Unit] = []
        custom: list[tuple[int, _Unit, crds.Found]] = []
        once: dict[int, list[Finding]] = defaultdict(list)  # findings that hold on every version alike
        for n, unit in enumerate(units):
            if unit.fragment_type is not None:
                for version in unit.versions:
                    per_version[(n, version)] += self._fragment(unit, version)
            elif (route := self._route(unit, page_crds.get(unit.page, {}))) is None:
                manifests.append(unit)
            elif isinstance(route, crds.Found):
                custom.append((n, unit, route))
            else:
                once[n].append(route)
        every_version = sorted({v for u in manifests for v in u.versions}, key=schemas._key)
        for version in every_version:
            for n, findings in self._manifests(units, manifests, version).items():
                per_version[(n, version)] += findings
        for n, unit, crd in custom:
            for version in unit.versions:
                per_version[(n, version)] += self._custom(unit, crd, version)
        for n, unit in enumerate(units):
            merged = merge_versions([(v, per_version.get((n, v), [])) for v in unit.versions])
            merged += once.get(n, [])
            if unit.partial and unit.partial.first_line():
                merged.append(self._partial_note(unit))
            out[unit.block_id] += [_shifted(f, unit.column_offset) for f in merged]
        return {k: sorted(v, key=lambda f: (f.line or 0, f.column or 0, f.rule)) for k, v in out.items() if v}

    def _page_crds(self, blocks: Sequence[Block]) -> dict[str, dict[crds.Key, crds.Found]]:
        """The CRDs shown on each page, by page."""
        texts: dict[str, list[str]] = defaultdict(list)
        for block in blocks:
            if block.kind is Kind.KUBERNETES and "CustomResourceDefinition" in block.text:
                texts[block.page].append(block.text)
        return {page: crds.page_crds(found) for page, found in texts.items()}

    def _route(self, unit: _Unit, shown: Mapping[crds.Key, crds.Found]) -> crds.Found | Finding | None:
        """How a manifest is validated: None for the bundled (or kubeconform-layout) schema of its kind, a
        CRD schema for a custom resource, or the finding that says its schema part is not checked."""
        kind, api = str(unit.doc.data["kind"]), str(unit.doc.data["apiVersion"])
        newest = max(unit.versions, key=schemas._key) if unit.versions else schemas.bundled_versions()[-1]
        config = schemas.is_config(kind, api)
        if not config and schemas.is_builtin(api, newest):
            return None
        if any(self.store.path(v, kind, api) for v in unit.versions):
            return None
        group, version = schemas.split_api_version(api)
        if not config:
            found = shown.get((group, kind, version)) or self.registry().lookup(group, kind, version)
            if found is not None:
                return found
        return self._unchecked(unit, kind, api, config)

    def _unchecked(self, unit: _Unit, kind: str, api: str, config: bool) -> Finding:
        """The finding for a kind whose schema part is not checked (a custom resource, a config file)."""
        setting = str(getattr(self.settings, "custom_resources_without_schema", "unchecked") or "unchecked")
        severity = UNCHECKED_SEVERITY.get(setting.lower(), Severity.INFO)
        group, version = schemas.split_api_version(api)
        if config:
            why = (
                "a configuration file of a Kubernetes component, not an API object, so its fields are not "
                'checked (YAML and API rules are); mark the block with data-kind="yaml" to say so'
            )
        else:
            why = (
                f"a custom resource ({group or 'core'} is not served by Kubernetes itself), so its fields are "
                "not checked (YAML and API rules are); add its CustomResourceDefinition to the `schemas` "
                f"option, or a JSON schema at {group}/{kind.lower()}_{version}.json in a `schemas` folder"
            )
        line, column = unit.doc.position_of(["kind"])
        return Finding(
            self.tool,
            "no-schema",
            severity,
            f"no schema for {kind} {api}: {why}",
            line=line + unit.line_offset,
            column=column,
        )

    def _partial_note(self, unit: _Unit) -> Finding:
        """The info finding that says which placeholders and elisions the document was read with."""
        return Finding(
            self.tool,
            "placeholders",
            Severity.INFO,
            placeholders.restore(unit.partial.describe()),
            line=unit.partial.first_line() + unit.line_offset,
        )

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
            if not isinstance(result, list):  # kubeconform's statusError (Unvalidated)
                found[n].append(
                    self._no_schema(unit, version, tool)
                    if result.no_schema
                    else runner_error(tool, result.message, unit)
                )
                continue
            kept = self._excerpt(unit, [e for e in result if unit.partial.keeps(e)], found[n])
            if kept:  # the parsed schema explains errors; a valid document never needs it
                schema = engine.schema_of(path)
                found[n] += [to_finding(e, unit.doc, schema, tool=tool, line_offset=unit.line_offset) for e in kept]
        return found

    def _no_schema(self, unit: _Unit, version: str, tool: str) -> Finding:
        """Why no schema applies to this built-in kind on ``version``: a removed API (at the ``apiVersion:``
        line, the value to change) or a kind the group does not have (at ``kind``)."""
        missing = self.store.missing(version, str(unit.doc.data["kind"]), str(unit.doc.data["apiVersion"]))
        line, column = unit.doc.position_of(["apiVersion"] if missing.rule == "removed-api" else ["kind"])
        rule = "no-schema" if missing.rule == "config" else missing.rule
        return Finding(tool, rule, Severity.ERROR, missing.message, line=line + unit.line_offset, column=column)

    def _excerpt(self, unit: _Unit, errors: list[SchemaError], found: list[Finding]) -> list[SchemaError]:
        """``errors`` without the required fields an evident excerpt leaves out (appending the info finding
        that says so to ``found``)."""
        why = excerpt(unit.doc.data)
        left_out = [e for e in errors if e.rule == REQUIRED and merged_into(e.path)] if why else []
        if not left_out:
            return errors
        message = f"{why}: the required fields it leaves out are not asked for; everything shown is checked"
        found.append(Finding(self.tool, "excerpt", Severity.INFO, message, line=unit.doc.start_line + unit.line_offset))
        return [e for e in errors if e not in left_out]

    def _custom(self, unit: _Unit, found: crds.Found, version: str) -> list[Finding]:
        """Findings for one custom resource on ``version``, against its CRD's schema (embedded engine)."""
        key = (found.key, version)
        if key not in self._compiled:
            self._compiled[key] = crds.with_object_meta(found.schema, version)
        schema = self._compiled[key]
        try:
            errors = engine.validate_with(unit.doc.data, schema, ("crd", *key))
        except ValueError as exc:  # a pattern or keyword the engine cannot compile
            message = f"the schema from {found.source} cannot be used: {exc}"
            return [
                Finding(self.tool, "bad-schema", Severity.ERROR, message, line=unit.doc.start_line + unit.line_offset)
            ]
        notes: list[Finding] = []
        kept = self._excerpt(unit, [e for e in errors if unit.partial.keeps(e)], notes)
        return notes + [to_finding(e, unit.doc, schema, tool=engine.TOOL, line_offset=unit.line_offset) for e in kept]

    def _fragment(self, unit: _Unit, version: str) -> list[Finding]:
        """Findings for one fragment document on ``version``, against the type named or decided."""
        data = unit.doc.data
        chosen: fragments.Guess | None
        if unit.fragment_type:
            named = fragments.named(unit.fragment_type, version)
            if isinstance(named, str):
                return [Finding(self.tool, "fragment/unknown-type", Severity.ERROR, named, line=0)]
            chosen = named
        else:
            chosen = fragments.decide(data, version)
            if chosen is None:
                return [
                    Finding(
                        self.tool,
                        "fragment/unknown-type",
                        Severity.INFO,
                        "fragment type unknown, so only its YAML is checked; name it with "
                        '`data-schema` (data-schema="Container", PodSpec, Probe …) to check its fields, '
                        'or mark it data-kind="yaml"',
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
        kept = [e for e in errors if unit.partial.keeps(e) and not (e.rule == REQUIRED and merged_into(e.path))]
        return [to_finding(e, unit.doc, schema, tool=engine.TOOL, line_offset=unit.line_offset) for e in kept]


def merged_into(path: Sequence[str | int]) -> bool:
    """Whether a fragment's object at ``path`` merges into one the reader already has, and so may leave out
    required fields: the fragment itself and every mapping in it (as a strategic-merge patch does). A list
    item may not: it is a new item, or it needs its key fields (a container's ``name``) to find the one it
    changes."""
    return not path or not isinstance(path[-1], int)


def excerpt(data: Any) -> str | None:
    """Why a manifest is evidently an excerpt (shown for some of its fields, or a patch), or None.

    No complete object has these shapes: no name (``metadata.name`` or ``generateName``), only metadata
    with labels or annotations where the kind has a spec, or a Deployment, ReplicaSet, StatefulSet or
    DaemonSet with neither a selector nor pod-template labels.
    """
    if not isinstance(data, Mapping):
        return None
    meta = data.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    if not meta.get("name") and not meta.get("generateName"):
        return "an object without a name is an excerpt"
    if set(data) <= {"apiVersion", "kind", "metadata"} and (meta.get("annotations") or meta.get("labels")):
        return "an object that shows only its metadata is an excerpt"
    spec = data.get("spec")
    if data.get("kind") in SELECTING_WORKLOADS and isinstance(spec, Mapping) and "selector" not in spec:
        template = spec.get("template")
        pod_meta = template.get("metadata") if isinstance(template, Mapping) else None
        if not (isinstance(pod_meta, Mapping) and pod_meta.get("labels")):
            return "a workload with neither a selector nor pod labels is a patch to an existing one"
    return None


def _is_list(data: Any) -> bool:
    """``kind: List`` or a ``*List`` kind holding a list of items."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data.get("apiVersion"):
        return False
    kind = data.get("kind")
    return isinstance(kind, str) and kind.endswith("List")


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
    seen: dict[tuple[Any, ...], list[str]] = {}
    first: dict[tuple[Any, ...], Finding] = {}
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
