"""The API groups Kubernetes serves itself; a kind of any other group is a custom resource.

Standard library only: the API rules (whose docs table imports nothing heavy) and the schema store both
read it. ``SERVED_GROUPS`` is every group of the bundled schemas in some version and the groups of APIs
removed before them; tests/test_k8s_custom_resources.py checks it against the bundle.
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
