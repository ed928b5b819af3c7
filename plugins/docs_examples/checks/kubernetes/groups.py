"""The API groups Kubernetes serves itself, and which other kinds the API server is known to store.

Standard library only: the API rules (whose docs table imports nothing heavy) and the schema store both
read it. ``SERVED_GROUPS`` is every group of the bundled schemas in some version and the groups of APIs
removed before them (tests/test_k8s_custom_resources.py checks it against the bundle); a kind of any
other group is a custom resource, or a component's configuration file (``CONFIG_GROUPS``, kubeconfig).
"""

from __future__ import annotations

SERVED_GROUPS = frozenset(
    {
        "",
        "admission.k8s.io",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "extensions",
        "flowcontrol.apiserver.k8s.io",
        "imagepolicy.k8s.io",
        "internal.apiserver.k8s.io",
        "lifecycle.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    }
)


def group_of(api_version: str) -> str:
    """``apps`` of ``apps/v1``; the core group (``v1``) is ``""``."""
    return api_version.rpartition("/")[0]


def is_served(api_version: str) -> bool:
    """Whether Kubernetes itself serves ``api_version``'s group (core, apps, networking.k8s.io …)."""
    return group_of(api_version) in SERVED_GROUPS


# Groups whose kinds are configuration files read by a component, never sent to the API server.
CONFIG_GROUPS = (
    "audit.k8s.io",
    "apiserver.k8s.io",
    "apiserver.config.k8s.io",
    "kubeadm.k8s.io",
    "kind.x-k8s.io",
    "client.authentication.k8s.io",
    "eventratelimit.admission.k8s.io",
    "podsecurity.admission.config.k8s.io",
    "pod-security.admission.config.k8s.io",
    "imagepolicy.k8s.io",
)
# Kubernetes-community API groups: a CRD in them needs API review, so their kinds are API objects
# (Gateway API, volume snapshots, Cluster API …), unless they are configuration kinds.
COMMUNITY_SUFFIXES = (".k8s.io", ".kubernetes.io", ".x-k8s.io")


def is_config(kind: str, api_version: str) -> bool:
    """Whether a kind is a component's configuration file (kubeconfig, audit policy, kubeadm, kind …)."""
    group = group_of(api_version)
    if api_version == "v1" and kind == "Config":  # a kubeconfig file
        return True
    return group.endswith(".config.k8s.io") or group in CONFIG_GROUPS


def stored(kind: str, api_version: str, namespaced: bool = False) -> bool:
    """Whether the API server is known to store objects of this kind without knowing its CRD: a served
    group, a Kubernetes-community group, or an object placed in a namespace. Configuration kinds never."""
    if is_config(kind, api_version):
        return False
    group = group_of(api_version)
    return group in SERVED_GROUPS or group.endswith(COMMUNITY_SUFFIXES) or namespaced
