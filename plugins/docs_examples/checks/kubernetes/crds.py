"""Schemas for custom resources, keyed by group, kind and version so that two groups never collide.

Three sources, looked up in this order:

1. a CRD shown on the same page (a block, or a file it includes): it validates that page's custom
   resources;
2. CRD manifests (``kind: CustomResourceDefinition``, YAML or JSON, files or folders named in the
   ``schemas`` option): every served version's ``openAPIV3Schema``, converted by :func:`convert`;
3. JSON schemas in the kubeconform / CRDs-catalog layout below a ``schemas`` folder:
   ``{group}/{kind}_{version}.json`` (kind lower-cased, as the catalog writes it, or as the CRD spells it).

The conversion follows what the API server does with a structural schema: an object's properties are the
only fields it keeps, so an unknown field is an error (``additionalProperties: false``) unless
``x-kubernetes-preserve-unknown-fields`` says otherwise; ``x-kubernetes-int-or-string`` is an integer or a
string; ``x-kubernetes-embedded-resource`` is an object with ``apiVersion``, ``kind`` and ``metadata``; and
``metadata`` of the resource itself is the built-in ObjectMeta. Descriptions, defaults and formats are left
out (no validator needs them); ``nullable`` allows null.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docs_examples.blocks import placeholders
from docs_examples.checks.kubernetes import schemas
from docs_examples.yaml_loader import load

Key = tuple[str, str, str]  # (group, kind, version)
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
MAX_FILES = 5000  # files read below one schemas folder, at most
MAX_BYTES = 20_000_000  # a file larger than this is not a schema anyone wrote by hand

# OpenAPI v3 keywords that are validation in JSON Schema too, copied as they are.
_COPIED = (
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "multipleOf",
    "required",
)


def _structural(node: Any) -> dict[str, Any]:
    """The JSON schema for one OpenAPI v3 node of a CRD (see the module docstring)."""
    if not isinstance(node, Mapping):
        return {}
    out: dict[str, Any] = {k: node[k] for k in _COPIED if k in node}
    if node.get("x-kubernetes-int-or-string"):
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    elif isinstance(node.get("type"), str):
        out["type"] = [node["type"], "null"] if node.get("nullable") else node["type"]
    if node.get("exclusiveMinimum") is True and "minimum" in node:
        out["exclusiveMinimum"] = out.pop("minimum")
    if node.get("exclusiveMaximum") is True and "maximum" in node:
        out["exclusiveMaximum"] = out.pop("maximum")
    if isinstance(node.get("properties"), Mapping):
        out["properties"] = {str(k): _structural(v) for k, v in node["properties"].items()}
    if isinstance(node.get("items"), Mapping):
        out["items"] = _structural(node["items"])
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            out.setdefault(key, []).extend(_structural(v) for v in node[key])
    if isinstance(node.get("not"), Mapping):
        out["not"] = _structural(node["not"])
    extra = node.get("additionalProperties")
    if isinstance(extra, bool):
        out["additionalProperties"] = extra
    elif isinstance(extra, Mapping):
        out["additionalProperties"] = _structural(extra)
    if node.get("x-kubernetes-embedded-resource"):
        props = out.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    keeps_unknown = node.get("x-kubernetes-preserve-unknown-fields") is True
    is_object = node.get("type") == "object" or "properties" in out
    if is_object and "additionalProperties" not in out and not keeps_unknown and "properties" in out:
        out["additionalProperties"] = False
    return out


def convert(crd: Mapping[str, Any]) -> dict[Key, dict[str, Any]]:
    """The schema of every served version of a ``CustomResourceDefinition`` (v1, or v1beta1's single
    ``spec.validation``), by (group, kind, version). Versions without a schema are left out."""
    spec = crd.get("spec")
    if not isinstance(spec, Mapping):
        return {}
    group, names = spec.get("group"), spec.get("names")
    kind = names.get("kind") if isinstance(names, Mapping) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return {}
    shared = _get(spec, "validation", "openAPIV3Schema")
    out: dict[Key, dict[str, Any]] = {}
    listed = spec.get("versions")
    versions: list[Any] = listed if isinstance(listed, list) else []
    if not versions and isinstance(spec.get("version"), str):
        versions = [{"name": spec["version"], "served": True}]
    for entry in versions:
        if not isinstance(entry, Mapping) or entry.get("served") is False or not isinstance(entry.get("name"), str):
            continue
        schema = _get(entry, "schema", "openAPIV3Schema") or shared
        if isinstance(schema, Mapping):
            out[(group, kind, entry["name"])] = root_schema(schema)
    return out


def root_schema(openapi: Mapping[str, Any]) -> dict[str, Any]:
    """A CRD version's whole-resource schema: its structural schema, with ``apiVersion``, ``kind`` and a
    ``metadata`` that is the built-in ObjectMeta (bound by :func:`with_object_meta`)."""
    root = _structural(openapi)
    props = root.setdefault("properties", {})
    props.setdefault("apiVersion", {"type": "string"})
    props.setdefault("kind", {"type": "string"})
    props["metadata"] = {"$ref": "#/$defs/" + OBJECT_META}
    root.setdefault("type", "object")
    if "additionalProperties" not in root and openapi.get("x-kubernetes-preserve-unknown-fields") is not True:
        root["additionalProperties"] = False
    return root


def with_object_meta(root: Mapping[str, Any], version: str) -> dict[str, Any]:
    """``root`` made standalone for Kubernetes ``version``: ObjectMeta and what it uses inlined."""
    return schemas.standalone(dict(root), schemas.definitions(schemas.minor(version), True))


def _get(data: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(step)
    return data


def is_crd(data: Any) -> bool:
    """Whether a loaded document is a CustomResourceDefinition."""
    return (
        isinstance(data, Mapping)
        and data.get("kind") == "CustomResourceDefinition"
        and str(data.get("apiVersion", "")).startswith("apiextensions.k8s.io/")
    )


def from_text(text: str) -> dict[Key, dict[str, Any]]:
    """Every CRD schema in a YAML (or JSON) text: a file, or a block shown on a page."""
    if "CustomResourceDefinition" not in text:
        return {}
    docs, _ = load(placeholders.mask_yaml(text).text)
    out: dict[Key, dict[str, Any]] = {}
    for doc in docs:
        items = doc.data.get("items") if isinstance(doc.data, Mapping) and doc.data.get("kind") == "List" else None
        for data in items if isinstance(items, list) else [doc.data]:
            if is_crd(data):
                out.update(convert(data))
    return out


# -- the configured sources -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    """A schema for one custom resource and where it came from (for messages and the cache key)."""

    schema: dict[str, Any]
    source: str  # "crds/application-crd.yaml", "the CRD on this page" …
    key: str  # digest of the schema, to compile it once


@dataclass(slots=True)
class Registry:
    """Custom-resource schemas from the ``schemas`` paths (CRD manifests and catalog-layout folders)."""

    paths: tuple[Path, ...]
    root: Path | None = None
    _crds: dict[Key, Found] | None = field(default=None, repr=False)

    def _label(self, path: Path) -> str:
        if self.root is not None:
            try:
                return str(path.relative_to(self.root))
            except ValueError:
                pass
        return str(path)

    def crds(self) -> dict[Key, Found]:
        """Every CRD manifest's schemas below the configured paths, read once."""
        if self._crds is None:
            found: dict[Key, Found] = {}
            for path in _files(self.paths, (".yaml", ".yml", ".json")):
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                for key, schema in from_text(text).items():
                    found.setdefault(key, Found(schema, self._label(path), _digest(schema)))
            self._crds = found
        return self._crds

    def catalog(self, group: str, kind: str, version: str) -> Found | None:
        """A ``{group}/{kind}_{version}.json`` schema below a configured folder, if there is one."""
        for folder in self.paths:
            if not folder.is_dir():
                continue
            for name in (f"{kind.lower()}_{version}.json", f"{kind}_{version}.json"):
                path = folder / group / name
                schema = _json_file(path)
                if schema is not None:
                    return Found(schema, self._label(path), str(path))
        return None

    def lookup(self, group: str, kind: str, version: str) -> Found | None:
        """The schema of one custom resource from the configured paths, or None."""
        return self.crds().get((group, kind, version)) or self.catalog(group, kind, version)

    def digest(self) -> str:
        """Names, sizes and times of every file the schemas come from (part of the cache key)."""
        h = hashlib.blake2b(digest_size=6)
        for path in _files(self.paths, (".yaml", ".yml", ".json")):
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return h.hexdigest()


def _files(paths: Sequence[Path], suffixes: tuple[str, ...]) -> Iterator[Path]:
    """The files named, and the files below the folders named, with one of ``suffixes``."""
    for path in paths:
        if path.is_file() and path.suffix in suffixes:
            yield path
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file())
            yield from found[:MAX_FILES]


def _json_file(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _digest(schema: Mapping[str, Any]) -> str:
    return hashlib.blake2b(json.dumps(schema, sort_keys=True).encode(), digest_size=10).hexdigest()


def page_crds(texts: Iterable[str]) -> dict[Key, Found]:
    """The CRDs shown in the blocks of one page."""
    out: dict[Key, Found] = {}
    for text in texts:
        for key, schema in from_text(text).items():
            out.setdefault(key, Found(schema, "the CRD shown on this page", _digest(schema)))
    return out


@cache
def registry(paths: tuple[Path, ...], root: Path | None, digest: str) -> Registry:
    """One registry per set of paths and state of their files: a build reads each CRD file once, and a
    changed file (``mkdocs serve``) is read again."""
    return Registry(paths, root)


def for_settings(settings: Any) -> Registry:
    """The registry of the ``schemas`` paths of ``settings`` (``schemas``, then the old ``schemas_dir``)."""
    paths = tuple(getattr(settings, "schema_paths", ()) or ())
    return registry(paths, getattr(settings, "root", None), Registry(paths).digest())
