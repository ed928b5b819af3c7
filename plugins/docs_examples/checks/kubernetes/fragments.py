"""Fragments: YAML cut out of a manifest (a Container, a PodSpec …), validated against that type.

A fragment has no apiVersion/kind, so its type is guessed from its top-level keys: the well-known type
whose properties cover the most keys wins (ties go to the more common type, in the order below). An
author names the type when the guess is wrong: ``data-schema="Container"`` (short or full name). The
type's top-level ``required`` is relaxed; everything below is checked strictly.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

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
