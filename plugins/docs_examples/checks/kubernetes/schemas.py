"""Offline Kubernetes schemas in kubeconform's standalone layout, generated once from kubernetes-validate.

kubernetes-validate bundles, per Kubernetes minor, one JSON schema per type (``deployment-apps-v1.json``)
whose ``$ref`` s point at ``/api/_definitions.json`` under an ``https://kubernetes.io`` ``$id``: nothing can
resolve them offline as they are. This module writes kubeconform's standalone layout instead::

    ~/.cache/docs-examples/schemas-<kubernetes-validate version>/v1.37.0-standalone-strict/deployment-apps-v1.json
    ~/.cache/docs-examples/schemas-<kubernetes-validate version>/v1.37.0-standalone/deployment-apps-v1.json

each file with the definitions it needs inlined under ``definitions`` and every ``$ref`` local
(``#/definitions/io.k8s.api.apps.v1.DeploymentSpec``). Both engines read these files. Files are made lazily,
one kind at a time (about a millisecond each once a version's definitions are loaded); ``MANIFEST.json``
records the kubernetes-validate version, and a different version wipes the generated folders.

It also knows why a kind has no schema: a removed API, a configuration kind or a custom resource.

The layout lives in this user's cache folder (``$XDG_CACHE_HOME``), never in the repository: both engines
trust these files, and a pull request could commit a folder of schemas that accept anything (issue 15).
In CI, or with the cache off, each process makes its own in a temporary folder.
"""

from __future__ import annotations

import atexit
import difflib
import importlib.util
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from docs_examples import distributions
from docs_examples.cache import in_ci, write_atomic
from docs_examples.checks.kubernetes import groups
from docs_examples.checks.runner import ToolMissing

# kubeconform's -schema-location template below a folder, per version folder and flat.
VERSIONED = "/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json"
FLAT = "/{{.ResourceKind}}{{.KindSuffix}}.json"


@cache
def bundle() -> Path:
    """kubernetes-validate's bundled schemas, found without importing it (its import pulls in jsonschema:
    0.15 s of every build, while only its schema files are used). A missing package is a missing tool."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:
        raise ToolMissing("kubernetes-validate")
    return Path(spec.origin).resolve().parent / "kubernetes-json-schema"


FORMAT = 2  # 2: annotations (description, x-kubernetes-*) left out of generated files
_REF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")


def package_version() -> str:
    """kubernetes-validate's version: the generated layout is keyed by it."""
    return distributions.version("kubernetes-validate") or "unknown"


@cache
def bundled_versions() -> tuple[str, ...]:
    """Kubernetes minors with bundled schemas, oldest first: ``("1.25", …, "1.37")``."""
    found = []
    for entry in bundle().glob("v*-local-strict"):
        parts = entry.name[1:].split("-", 1)[0].split(".")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            found.append((int(parts[0]), int(parts[1])))
    return tuple(f"{a}.{b}" for a, b in sorted(found))


def minor(version: str) -> str:
    """``"1.37"`` from ``"1.37"``, ``"v1.37.0"`` or ``"1.37.2"``."""
    parts = version.strip().lstrip("v").split(".")
    return ".".join(parts[:2])


def normalized(version: str) -> str:
    """kubeconform's ``NormalizedKubernetesVersion``: ``v1.37.0``."""
    return f"v{minor(version)}.0"


def split_api_version(api_version: str) -> tuple[str, str]:
    """``("apps", "v1")`` from ``apps/v1``; the core group is ``""``."""
    group, _, version = api_version.rpartition("/")
    return group, version


def schema_filename(kind: str, api_version: str) -> str:
    """kubeconform's file name: kind lower-cased, the group's first dot-component, the version."""
    group, version = split_api_version(api_version)
    parts = [kind.lower()]
    if group:
        parts.append(group.split(".")[0].lower())
    parts.append(version.lower())
    return "-".join(parts) + ".json"


def _local_ref(ref: str) -> str:
    for prefix in _REF_PREFIXES:
        if ref.startswith(prefix):
            return "#/definitions/" + ref[len(prefix) :]
    return ref


# Keywords whose value maps names to schemas (a property called ``description`` is kept), and keywords whose
# value is instance data, copied as it is.
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"})
_DATA = frozenset({"enum", "const", "default", "examples"})


def _annotation(keyword: str) -> bool:
    """Keywords no validator reads: descriptions (most of each file) and Kubernetes' ``x-kubernetes-*``."""
    return keyword == "description" or keyword.startswith("x-kubernetes-")


def _rewrite(node: Any, needed: set[str], *, names: bool = False) -> Any:
    """A copy of the schema ``node`` with every ``$ref`` local and annotations left out, collecting the
    definition names it uses. ``names``: ``node`` maps names to schemas (the value of ``properties``).

    Leaving out the annotations makes the files about a fifth of their size, so each engine reads and
    compiles them faster; validation is the same (no validator reads them).
    """
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if names:
                out[k] = _rewrite(v, needed)
                continue
            if _annotation(k):
                continue
            if k == "$ref" and isinstance(v, str):
                v = _local_ref(v)
                if v.startswith("#/definitions/"):
                    needed.add(v[len("#/definitions/") :])
            out[k] = v if k in _DATA else _rewrite(v, needed, names=k in _NAME_MAPS)
        return out
    if isinstance(node, list):
        return [_rewrite(v, needed) for v in node]
    return node


def standalone(root: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """``root`` with the definitions it reaches inlined and every reference local."""
    needed: set[str] = set()
    top: dict[str, Any] = _rewrite({k: v for k, v in root.items() if k != "$id"}, needed)
    inlined: dict[str, Any] = {}
    todo = sorted(needed)
    while todo:
        name = todo.pop()
        if name in inlined or name not in definitions:
            continue
        more: set[str] = set()
        inlined[name] = _rewrite(definitions[name], more)
        todo.extend(more - set(inlined))
    top["definitions"] = inlined
    return top


@dataclass(frozen=True, slots=True)
class Missing:
    """Why there is no schema for a kind: ``rule`` is ``removed-api`` or ``no-schema``."""

    rule: str
    message: str


# APIs removed before the oldest bundled schema (1.25), with their replacement.
REMOVED: dict[tuple[str, str], tuple[str, str]] = {}


def _removed(api_version: str, kinds: str, removed_in: str, use: str) -> None:
    for kind in kinds.split():
        REMOVED[(api_version, kind)] = (removed_in, use)


_removed("extensions/v1beta1", "Deployment DaemonSet ReplicaSet", "1.16", "apps/v1")
_removed("extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1")
_removed("extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1")
_removed("extensions/v1beta1", "PodSecurityPolicy", "1.16", "Pod Security Admission (no replacement kind)")
_removed("apps/v1beta1", "Deployment StatefulSet ReplicaSet ControllerRevision", "1.16", "apps/v1")
_removed("apps/v1beta2", "Deployment StatefulSet DaemonSet ReplicaSet ControllerRevision", "1.16", "apps/v1")
_removed("policy/v1beta1", "PodSecurityPolicy", "1.25", "Pod Security Admission (no replacement kind)")
_removed("policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1")
_removed("batch/v1beta1", "CronJob", "1.25", "batch/v1")
_removed("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", "autoscaling/v2")
_removed("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2")
_removed("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.22", "networking.k8s.io/v1")
_RBAC = "rbac.authorization.k8s.io"
_removed(f"{_RBAC}/v1beta1", "Role ClusterRole RoleBinding ClusterRoleBinding", "1.22", f"{_RBAC}/v1")
_removed("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", "apiextensions.k8s.io/v1")
_removed(
    "admissionregistration.k8s.io/v1beta1",
    "ValidatingWebhookConfiguration MutatingWebhookConfiguration",
    "1.22",
    "admissionregistration.k8s.io/v1",
)
_removed("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", "scheduling.k8s.io/v1")
_removed("storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment", "1.22", "storage.k8s.io/v1")
_removed("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1")
_removed("coordination.k8s.io/v1beta1", "Lease", "1.22", "coordination.k8s.io/v1")
_removed("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.22", "certificates.k8s.io/v1")
_removed("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "discovery.k8s.io/v1")
_removed("events.k8s.io/v1beta1", "Event", "1.25", "events.k8s.io/v1")
_removed("node.k8s.io/v1beta1", "RuntimeClass", "1.25", "node.k8s.io/v1")

CONFIG_GROUPS = groups.CONFIG_GROUPS
SERVED_GROUPS = groups.SERVED_GROUPS


@cache
def served_groups(version: str) -> frozenset[str]:
    """The groups served by Kubernetes itself: :data:`SERVED_GROUPS`, those of ``version``'s schemas and
    those of removed APIs."""
    own = {split_api_version(api)[0] for apis in _kinds(minor(version)).values() for api in apis}
    return SERVED_GROUPS | own | {split_api_version(api)[0] for api, _ in REMOVED}


def is_builtin(api_version: str, version: str) -> bool:
    """Whether ``api_version``'s group is served by Kubernetes itself (core, apps, networking.k8s.io …)."""
    group, _ = split_api_version(api_version)
    return group in SERVED_GROUPS or group in served_groups(version)  # the bundle is read only for others


def is_config(kind: str, api_version: str) -> bool:
    """Whether a kind is a component's configuration file (kubeconfig, audit policy, kubeadm …)."""
    return groups.is_config(kind, api_version)


_is_config = is_config


class SchemaStore:
    """The standalone layout in one folder, generated on demand, plus schemas in kubeconform's layout from
    the ``schemas`` folders (``<kind>-<group>-<version>.json``, flat or per version)."""

    def __init__(self, directory: Path | None, extra: Path | Sequence[Path] | None = None) -> None:
        self.directory = directory if directory is not None else _process_temp_dir()
        self.extras: tuple[Path, ...] = (extra,) if isinstance(extra, Path) else tuple(extra or ())
        self._lock = threading.Lock()
        self._checked = False

    # -- layout --------------------------------------------------------------------------------------

    def folder(self, version: str, *, strict: bool) -> Path:
        return self.directory / f"{normalized(version)}-standalone{'-strict' if strict else ''}"

    def template(self) -> str:
        """kubeconform's ``-schema-location`` for this layout."""
        return str(self.directory) + VERSIONED

    def extra_templates(self) -> list[str]:
        """``-schema-location`` values for the CRD folders: flat, and per version."""
        return [str(base) + layout for base in self.extras for layout in (VERSIONED, FLAT)]

    def _check_manifest(self) -> None:
        """Wipe generated folders made from another kubernetes-validate version (once per store)."""
        if self._checked:
            return
        manifest = self.directory / "MANIFEST.json"
        want = {"format": FORMAT, "kubernetes-validate": package_version()}
        try:
            have = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            have = None
        if have != want:
            self.directory.mkdir(parents=True, exist_ok=True)
            if have is not None:  # absent: a new folder, which a concurrent first run may be filling already
                import shutil  # only when an upgrade replaces the layout

                for old in self.directory.glob("v*-standalone*"):
                    shutil.rmtree(old, ignore_errors=True)
            write_atomic(manifest, json.dumps(want).encode("utf-8"))
        self._checked = True

    # -- lookups -------------------------------------------------------------------------------------

    def bundled_path(self, version: str, kind: str, api_version: str, *, strict: bool = True) -> Path | None:
        """The standalone schema of a built-in kind, generated if needed; None when the version lacks it."""
        name = schema_filename(kind, api_version)
        target = self.folder(version, strict=strict) / name
        with self._lock:
            self._check_manifest()
            if target.is_file():
                return target
            source = _bundled_source(minor(version), strict, name)
            if source is None or not _declares(source, kind, api_version):
                return None
            doc = standalone(source, definitions(minor(version), strict))
            write_atomic(target, json.dumps(doc, separators=(",", ":")).encode("utf-8"))
        return target

    def extra_path(self, version: str, kind: str, api_version: str, *, strict: bool = True) -> Path | None:
        """A schema in kubeconform's layout from a ``schemas`` folder, per-version folder first."""
        name = schema_filename(kind, api_version)
        for extra in self.extras:
            for folder in (
                extra / f"{normalized(version)}-standalone{'-strict' if strict else ''}",
                extra / f"{normalized(version)}-standalone",
                extra,
            ):
                if (folder / name).is_file():
                    return folder / name
        return None

    def path(self, version: str, kind: str, api_version: str, *, strict: bool = True) -> Path | None:
        """The schema to validate ``kind``/``api_version`` against on ``version``, or None."""
        return self.bundled_path(version, kind, api_version, strict=strict) or self.extra_path(
            version, kind, api_version, strict=strict
        )

    def missing(self, version: str, kind: str, api_version: str) -> Missing:
        """Why there is no schema for this built-in kind on ``version``, as a finding would say it.

        ``rule`` is ``removed-api`` (the API existed), ``no-schema`` (a typo, a kind of another group, an API
        that arrives later), or ``config`` (a component's configuration file, not an API object).
        """
        what = f"no schema for {kind} {api_version} in Kubernetes {minor(version)}"
        known = REMOVED.get((api_version, kind))
        if known:
            removed_in, use = known
            return Missing("removed-api", f"{what}: this API was removed in Kubernetes {removed_in}; use {use}")
        present = [v for v in bundled_versions() if _bundled_source(v, True, schema_filename(kind, api_version))]
        older = [v for v in present if _key(v) < _key(version)]
        if older:
            removed_in = _next_minor(older[-1])
            newer = self._replacement(version, kind)
            use = f"; use {newer}" if newer else ""
            return Missing("removed-api", f"{what}: this API was removed in Kubernetes {removed_in}{use}")
        if present:
            return Missing("no-schema", f"{what}: this API only exists from Kubernetes {present[0]} on")
        if _is_config(kind, api_version):
            return Missing(
                "config",
                f"{what}: a configuration file kind, not an API object; mark the block with "
                'data-kind="yaml" to check it as plain YAML',
            )
        return Missing("no-schema", f"{what}: {self._no_such_kind(version, kind, api_version)}")

    def _no_such_kind(self, version: str, kind: str, api_version: str) -> str:
        """Why a kind of a group Kubernetes serves has no schema: a typo, or a kind of another group."""
        group, _ = split_api_version(api_version)
        kinds = _kinds(minor(version))
        if kind in kinds:
            return f"{kind} is served as {', '.join(kinds[kind])}, not {api_version}"
        in_group = sorted(k for k, apis in kinds.items() if any(split_api_version(a)[0] == group for a in apis))
        near = difflib.get_close_matches(kind, in_group, n=1, cutoff=0.6)
        label = f"group {group}" if group else "the core group (v1)"
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"{label} has no kind {kind} (a typo, or an API of another group?){hint}"

    def _replacement(self, version: str, kind: str) -> str | None:
        """Another apiVersion of ``kind`` that does exist on ``version`` (``apps/v1`` for Deployment)."""
        for api in _kinds(minor(version)).get(kind, ()):
            return api
        return None

    # -- types (fragments) ---------------------------------------------------------------------------

    def type_schema(self, version: str, type_name: str, *, strict: bool = True) -> dict[str, Any] | None:
        """A standalone schema for one definition (``io.k8s.api.core.v1.Container``), top-level
        ``required`` relaxed, for validating fragments."""
        defs = definitions(minor(version), strict)
        if type_name not in defs:
            return None
        root = {k: v for k, v in defs[type_name].items() if k != "required"}
        return standalone({"$schema": "https://json-schema.org/draft/2020-12/schema", **root}, defs)


def _key(version: str) -> tuple[int, int]:
    a, _, b = minor(version).partition(".")
    return (int(a) if a.isdigit() else 0, int(b) if b.isdigit() else 0)


def _next_minor(version: str) -> str:
    a, b = _key(version)
    return f"{a}.{b + 1}"


@cache
def _bundled_source(version: str, strict: bool, name: str) -> dict[str, Any] | None:
    path = bundle() / f"v{version}.0-local{'-strict' if strict else ''}" / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@cache
def definitions(version: str, strict: bool) -> dict[str, Any]:
    """Every definition of one bundled version, by its full name."""
    path = bundle() / f"v{minor(version)}.0-local{'-strict' if strict else ''}" / "_definitions.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8")).get("$defs", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


@cache
def _kinds(version: str) -> dict[str, tuple[str, ...]]:
    """Kind → the apiVersions that serve it on ``version``, from the definitions' group-version-kinds."""
    out: dict[str, list[str]] = {}
    for d in definitions(version, True).values():
        gvks = d.get("x-kubernetes-group-version-kind") or []
        if len(gvks) != 1:
            continue
        g = gvks[0]
        api = f"{g['group']}/{g['version']}" if g.get("group") else g.get("version", "")
        out.setdefault(g.get("kind", ""), []).append(api)
    return {k: tuple(sorted(v, key=lambda a: ("beta" in a or "alpha" in a, a))) for k, v in out.items()}


def _declares(source: dict[str, Any], kind: str, api_version: str) -> bool:
    """Whether a bundled file is the schema of this exact kind and group (not ``DeploymentSpec``)."""
    group, version = split_api_version(api_version)
    for gvk in source.get("x-kubernetes-group-version-kind") or []:
        if gvk.get("kind") == kind and gvk.get("group", "") == group and gvk.get("version") == version:
            return True
    return False


_TEMP: list[Path] = []


def _process_temp_dir() -> Path:
    """One throw-away layout per process when the cache is off, removed at exit."""
    if not _TEMP:
        import shutil  # only without a cache folder: most runs never import these
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="docs-examples-schemas-"))
        _TEMP.append(path)
        atexit.register(shutil.rmtree, path, True)
    return _TEMP[0]


def store_for(settings: Any) -> SchemaStore:
    """The store the settings ask for: this user's, outside the repository, or a per-process temp folder
    (cache off, in CI, or no writable cache folder)."""
    directory = _user_folder() if settings.cache_dir and not in_ci() else None
    return _store(directory, settings.schemas_dir)


def _user_folder() -> Path | None:
    """``$XDG_CACHE_HOME/docs-examples/schemas-<kubernetes-validate version>``, made if need be, or None."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        if not base.is_absolute():  # relative to the working folder: perhaps inside the repository
            return None
        folder = base / "docs-examples" / f"schemas-{package_version()}"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):
        return None
    return folder


@cache
def _store(directory: Path | None, extra: Path | None) -> SchemaStore:
    return SchemaStore(directory, extra)
