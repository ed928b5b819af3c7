"""Fragments: YAML cut out of a manifest (a Container, a PodSpec …), validated against that type.

A fragment has no apiVersion/kind. Classification calls YAML a fragment when its top-level keys are
mostly fields of a well-known type (:func:`guess`). The check then validates it only when the keys *decide*
the type (:func:`decide`): every key at the top and every value's shape fit the type, at least one field
that only some types have is shown (``resources`` holding ``requests``/``limits``, ``containers``,
``image``), and no level below is foreign to it. ``spec``, ``metadata``, ``template``, ``labels`` and the like
decide nothing: half the API has them, and so has every custom resource. An undecided fragment is only
YAML-checked, with an info finding; an author names the type with ``data-schema="Container"`` (short or
full name). The schema check reads a fragment as a strategic-merge patch (``schema.merged_into``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from docs_examples.checks.kubernetes import schemas

# Short name → definition, most common first (the order breaks ties).
WELL_KNOWN: dict[str, str] = {
    "Container": "io.k8s.api.core.v1.Container",
    "PodSpec": "io.k8s.api.core.v1.PodSpec",
    "PodTemplateSpec": "io.k8s.api.core.v1.PodTemplateSpec",
    "DeploymentSpec": "io.k8s.api.apps.v1.DeploymentSpec",
    "ServiceSpec": "io.k8s.api.core.v1.ServiceSpec",
    "ObjectMeta": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    "ResourceRequirements": "io.k8s.api.core.v1.ResourceRequirements",
    "Probe": "io.k8s.api.core.v1.Probe",
    "SecurityContext": "io.k8s.api.core.v1.SecurityContext",
    "PodSecurityContext": "io.k8s.api.core.v1.PodSecurityContext",
    "Volume": "io.k8s.api.core.v1.Volume",
    "VolumeMount": "io.k8s.api.core.v1.VolumeMount",
    "EnvVar": "io.k8s.api.core.v1.EnvVar",
    "ContainerPort": "io.k8s.api.core.v1.ContainerPort",
    "ServicePort": "io.k8s.api.core.v1.ServicePort",
    "StatefulSetSpec": "io.k8s.api.apps.v1.StatefulSetSpec",
    "DaemonSetSpec": "io.k8s.api.apps.v1.DaemonSetSpec",
    "JobSpec": "io.k8s.api.batch.v1.JobSpec",
    "CronJobSpec": "io.k8s.api.batch.v1.CronJobSpec",
    "DeploymentStrategy": "io.k8s.api.apps.v1.DeploymentStrategy",
    "LabelSelector": "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
    "Affinity": "io.k8s.api.core.v1.Affinity",
    "Toleration": "io.k8s.api.core.v1.Toleration",
    "TopologySpreadConstraint": "io.k8s.api.core.v1.TopologySpreadConstraint",
    "Lifecycle": "io.k8s.api.core.v1.Lifecycle",
    "IngressSpec": "io.k8s.api.networking.v1.IngressSpec",
    "HorizontalPodAutoscalerSpec": "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
    "NetworkPolicySpec": "io.k8s.api.networking.v1.NetworkPolicySpec",
    "PersistentVolumeClaimSpec": "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
}
# A guess needs at least this share of the keys to be properties of the type.
MIN_COVERAGE = 0.75


@dataclass(frozen=True, slots=True)
class Guess:
    """The type a fragment is validated against, and how sure the guess is."""

    name: str  # short name: Container
    definition: str  # io.k8s.api.core.v1.Container
    coverage: float  # share of the fragment's keys that are properties of the type


@cache
def _properties(definition: str, version: str) -> frozenset[str]:
    """The property names of one definition on one bundled version.

    Read from the type's own bundled file (``container-v1.json``, 10 kB) when there is one: guessing a
    fragment's type then costs no load of the version's 1.8 MB ``_definitions.json``, which was the largest
    single cost of classifying a warm build. The two agree on every well-known type of every bundled
    version (tests/test_fragment_properties.py); any other definition reads the full set.
    """
    own = _own_file(definition, version)
    if own is not None:
        return own
    d = schemas.definitions(version, True).get(definition, {})
    return frozenset(d.get("properties") or {})


def _own_file(definition: str, version: str) -> frozenset[str] | None:
    """Property names from the definition's per-type bundled file, or None when it has none."""
    group_version = _GROUP_VERSIONS.get(definition.rsplit(".", 1)[0])
    if group_version is None:
        return None
    name = schemas.schema_filename(definition.rsplit(".", 1)[1], group_version)
    data = schemas._bundled_source(schemas.minor(version), True, name)  # cached, shared with the schema store
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        return None
    return frozenset(data["properties"])


# Definition prefix → the apiVersion kubernetes-validate names its per-type files by (core is ``v1``).
_GROUP_VERSIONS = {
    "io.k8s.api.core.v1": "v1",
    "io.k8s.api.apps.v1": "apps/v1",
    "io.k8s.api.batch.v1": "batch/v1",
    "io.k8s.api.networking.v1": "networking.k8s.io/v1",
    "io.k8s.api.autoscaling.v2": "autoscaling/v2",
    "io.k8s.apimachinery.pkg.apis.meta.v1": "meta/v1",
}


def guess(keys: Iterable[str], version: str | None = None) -> Guess | None:
    """The well-known type whose properties cover ``keys`` best, or None when none covers enough."""
    wanted = {k for k in keys if isinstance(k, str)}
    if not wanted:
        return None
    version = version or schemas.bundled_versions()[-1]
    best: Guess | None = None
    for name, definition in WELL_KNOWN.items():
        covered = len(wanted & _properties(definition, version)) / len(wanted)
        if best is None or covered > best.coverage:
            best = Guess(name, definition, covered)
    return best if best is not None and best.coverage >= MIN_COVERAGE else None


def named(name: str, version: str | None = None) -> Guess | str:
    """The type ``data-schema`` names (``Container`` or a full definition name), or an error message."""
    version = version or schemas.bundled_versions()[-1]
    defs = schemas.definitions(version, True)
    if name in WELL_KNOWN:
        return Guess(name, WELL_KNOWN[name], 1.0)
    if name in defs:
        return Guess(name.rsplit(".", 1)[-1], name, 1.0)
    by_short = [d for d in defs if d.rsplit(".", 1)[-1] == name]
    if by_short:  # prefer stable versions: io.k8s.api.autoscaling.v2 over v2beta2
        by_short.sort(key=lambda d: ("alpha" in d or "beta" in d, d))
        return Guess(name, by_short[0], 1.0)
    shorts = sorted({d.rsplit(".", 1)[-1] for d in defs})
    near = difflib.get_close_matches(name, shorts, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(f'`{n}`' for n in near)}?" if near else ""
    return f'data-schema="{name}" names no Kubernetes type{hint}'


# -- deciding -----------------------------------------------------------------------------------------------

# Fields that many types (and custom resources) have: showing them decides no type.
GENERIC = frozenset(
    {
        "apiVersion",
        "kind",
        "metadata",
        "spec",
        "status",
        "template",
        "selector",
        "name",
        "namespace",
        "labels",
        "annotations",
        "type",
        "data",
        "items",
        "key",
        "value",
        "values",
        "path",
        "operator",
        "enabled",
        "version",
        "description",
    }
)
# Keys that wrap what decides a fragment's type (``spec:`` around PodSpec fields): what they hold must fit
# as well as a top level does.
WRAPPERS = frozenset({"spec", "template"})
_MAX_DEPTH = 6


@dataclass(slots=True)
class _Fit:
    """How well a value fits a schema: keys seen and matched at the top, anywhere, and whether a level
    below matched nothing at all (it is something else)."""

    top_total: int = 0
    top_matched: int = 0
    matched: int = 0
    evidence: bool = False
    foreign: bool = False


def _resolve(defs: Mapping[str, Any], node: Any) -> Mapping[str, Any]:
    for _ in range(20):
        if not isinstance(node, Mapping) or "$ref" not in node:
            break
        node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
    return node if isinstance(node, Mapping) else {}


def _types(defs: Mapping[str, Any], node: Mapping[str, Any]) -> set[str]:
    """The JSON types a schema node allows (empty: any), through oneOf/anyOf branches."""
    found: set[str] = set()
    t = node.get("type")
    found.update([t] if isinstance(t, str) else t or [])
    for key in ("oneOf", "anyOf"):
        for branch in node.get(key) or []:
            found |= _types(defs, _resolve(defs, branch))
    return found - {"null"}


def _shape_fits(defs: Mapping[str, Any], node: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` has the shape the schema expects: a mapping, a list or a scalar."""
    types = _types(defs, node)
    if not types or value is None:
        return True
    if isinstance(value, Mapping):
        return "object" in types
    if isinstance(value, list):
        return "array" in types
    return bool(types - {"object", "array"})


def _fit(
    defs: Mapping[str, Any], node: Mapping[str, Any], value: Any, fit: _Fit, depth: int, wrapped: bool = False
) -> None:
    """Add to ``fit`` how ``value`` (a mapping or a list) fits the schema ``node``.

    ``wrapped``: ``value`` is what a wrapper (``spec``, ``template``) holds at the top of the fragment; it
    decides the type as the top level does, so it must fit as well as the top level.
    """
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        items = _resolve(defs, node.get("items"))
        for item in value:
            if isinstance(item, Mapping | list):
                if not _shape_fits(defs, items, item):
                    fit.foreign = True
                _fit(defs, items, item, fit, depth + 1)
            elif not _shape_fits(defs, items, item):
                fit.foreign = True
        return
    if not isinstance(value, Mapping):
        return
    props = node.get("properties") or {}
    if not props:  # a map (labels, nodeSelector, requests): free keys; its values must not be objects
        extra = _resolve(defs, node.get("additionalProperties"))
        nested = [v for v in value.values() if isinstance(v, Mapping)]
        if nested and len(nested) == len(value) and "object" not in _types(defs, extra) and _types(defs, extra):
            fit.foreign = True
        return
    total = matched = 0
    for key, child in value.items():
        total += 1
        schema = _resolve(defs, props[key]) if key in props else None
        if schema is None or not _shape_fits(defs, schema, child):
            continue
        matched += 1
        if key not in GENERIC:
            fit.evidence = True
        _fit(defs, schema, child, fit, depth + 1, (depth == 0 or wrapped) and key in WRAPPERS)
    if depth == 0:
        fit.top_total, fit.top_matched = total, matched
    elif total and (not matched or (wrapped and matched / total < MIN_COVERAGE)):
        fit.foreign = True
    fit.matched += matched


def decide(data: Any, version: str | None = None) -> Guess | None:
    """The well-known type a fragment's keys decide, or None when they decide none (see the module)."""
    mappings = [d for d in (data if isinstance(data, list) else [data]) if isinstance(d, Mapping)]
    if not mappings:
        return None
    version = version or schemas.bundled_versions()[-1]
    defs = schemas.definitions(schemas.minor(version), True)
    best: tuple[tuple[float, int], Guess] | None = None
    for name, definition in WELL_KNOWN.items():
        node = defs.get(definition)
        if node is None:
            continue
        fit = _Fit()
        for item in mappings:
            one = _Fit()
            _fit(defs, node, item, one, 0)
            fit.top_total += one.top_total
            fit.top_matched += one.top_matched
            fit.matched += one.matched
            fit.evidence |= one.evidence
            fit.foreign |= one.foreign
        coverage = fit.top_matched / fit.top_total if fit.top_total else 0.0
        if fit.foreign or not fit.evidence or coverage < MIN_COVERAGE:
            continue
        score = (coverage, fit.matched)
        if best is None or score > best[0]:
            best = (score, Guess(name, definition, coverage))
    return best[1] if best else None
