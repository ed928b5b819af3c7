"""K8S002–K8S004: object names, label keys and values (also in selectors), annotation keys and size."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from docs_examples.checks.kubernetes import groups
from docs_examples.checks.kubernetes import validation as v
from docs_examples.checks.kubernetes.api_rules.model import (
    Context,
    Hit,
    Obj,
    Path,
    Rule,
    get,
    items,
    pod_of,
)
from docs_examples.checks.kubernetes.api_rules.workloads import OPERATORS
from docs_examples.findings import Severity

Validator = Callable[[str], list[str]]

# Name grammar per kind, as the API server's validation picks it. Kinds not listed use DNS-1123 subdomains,
# which is also what the API server applies to custom resources.
NAME_RULES: dict[str, tuple[Validator, str]] = {
    "Namespace": (v.dns1123_label, "a Namespace name is a DNS-1123 label"),
    "Service": (v.dns1035_label, "a Service name is a DNS-1035 label"),
    "Role": (v.path_segment_name, "this kind's name is a path segment"),
    "ClusterRole": (v.path_segment_name, "this kind's name is a path segment"),
    "RoleBinding": (v.path_segment_name, "this kind's name is a path segment"),
    "ClusterRoleBinding": (v.path_segment_name, "this kind's name is a path segment"),
    "FlowSchema": (v.path_segment_name, "this kind's name is a path segment"),
    "PriorityLevelConfiguration": (v.path_segment_name, "this kind's name is a path segment"),
}
SUBDOMAIN = (v.dns1123_subdomain, "this kind's name is a DNS-1123 subdomain")
CRONJOB_NAME_MAX = 52  # the controller appends an 11-character suffix to make Job names


def _joined(problems: list[str]) -> str:
    return "; ".join(problems)


# -- K8S002 names ---------------------------------------------------------------------------------------


def check_names(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S002: ``metadata.name``, ``generateName`` and ``namespace`` follow the grammar of their kind."""
    for obj in objs:
        check, grammar = NAME_RULES.get(obj.kind, SUBDOMAIN)
        name = get(obj.data, "metadata", "name")
        if isinstance(name, str):
            problems = check(name)
            if obj.kind == "CronJob" and len(name) > CRONJOB_NAME_MAX:
                problems.append(f"a CronJob name must be no more than {CRONJOB_NAME_MAX} characters")
            if problems:
                yield Hit(
                    "K8S002",
                    obj,
                    ("metadata", "name"),
                    f"{obj.kind or 'object'} name {name!r} is not valid ({grammar}): {_joined(problems)}",
                )
        prefix = get(obj.data, "metadata", "generateName")
        if isinstance(prefix, str) and (problems := v.prefix_name(prefix, check)):
            yield Hit(
                "K8S002",
                obj,
                ("metadata", "generateName"),
                f"{obj.title}: generateName {prefix!r} is not a valid name prefix ({grammar}): {_joined(problems)}",
            )
        namespace = get(obj.data, "metadata", "namespace")
        if isinstance(namespace, str) and (problems := v.dns1123_label(namespace)):
            yield Hit(
                "K8S002",
                obj,
                ("metadata", "namespace"),
                f"{obj.title}: namespace {namespace!r} is not valid: {_joined(problems)}",
            )


# -- K8S003 labels --------------------------------------------------------------------------------------

SELECTOR_KEYS = {"selector", "podSelector", "namespaceSelector", "labelSelector", "objectSelector"}
LABEL_SELECTOR_FIELDS = {"matchLabels", "matchExpressions"}


def label_map_hits(obj: Obj, path: Path, labels: Any, what: str) -> Iterator[Hit]:
    """Hits for every invalid key or value of a label map (``metadata.labels``, a map selector)."""
    if not isinstance(labels, Mapping):
        return
    for key, value in labels.items():
        if not isinstance(key, str):
            continue
        if problems := v.qualified_name(key):
            yield Hit(
                "K8S003",
                obj,
                (*path, key),
                f"{obj.title}: {what} key {key!r} is not valid: {_joined(problems)}",
                key=True,
            )
        if isinstance(value, str) and (problems := v.label_value(value)):
            yield Hit(
                "K8S003",
                obj,
                (*path, key),
                f"{obj.title}: {what} value {value!r} of {key} is not valid: {_joined(problems)}",
            )


def _expression_hits(obj: Obj, path: Path, expr: Mapping[str, Any]) -> Iterator[Hit]:
    """Hits for one ``matchExpressions`` entry: its key, operator and values."""
    key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values")
    if isinstance(key, str) and (problems := v.qualified_name(key)):
        yield Hit("K8S003", obj, (*path, "key"), f"{obj.title}: selector key {key!r} is not valid: {_joined(problems)}")
    if not isinstance(operator, str):
        return
    if operator not in OPERATORS:
        yield Hit(
            "K8S003",
            obj,
            (*path, "operator"),
            f"{obj.title}: selector operator {operator!r} is not valid: use In, NotIn, Exists or DoesNotExist",
        )
        return
    count = len(values) if isinstance(values, list) else 0
    if operator in {"In", "NotIn"} and count == 0:
        yield Hit("K8S003", obj, path, f"{obj.title}: selector operator {operator} needs at least one value")
    if operator in {"Exists", "DoesNotExist"} and count:
        yield Hit("K8S003", obj, (*path, "values"), f"{obj.title}: selector operator {operator} takes no values")
    for i, value in enumerate(values if isinstance(values, list) else ()):
        if isinstance(value, str) and (problems := v.label_value(value)):
            yield Hit(
                "K8S003",
                obj,
                (*path, "values", i),
                f"{obj.title}: selector value {value!r} is not valid: {_joined(problems)}",
            )


def label_selector_hits(obj: Obj, path: Path, selector: Mapping[str, Any]) -> Iterator[Hit]:
    """Hits for a LabelSelector (``matchLabels`` and ``matchExpressions``)."""
    yield from label_map_hits(obj, (*path, "matchLabels"), selector.get("matchLabels"), "selector label")
    for i, expr in items(selector, "matchExpressions"):
        yield from _expression_hits(obj, (*path, "matchExpressions", i), expr)


def _selectors(data: Any, path: Path) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """Every LabelSelector-shaped mapping under a selector-named key, anywhere in the object."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            if key in SELECTOR_KEYS and isinstance(value, Mapping) and value and set(value) <= LABEL_SELECTOR_FIELDS:
                yield (*path, key), value
            else:
                yield from _selectors(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _selectors(value, (*path, i))


def check_labels(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S003: labels of objects and pod templates, map selectors, LabelSelectors and nodeSelector."""
    for obj in objs:
        yield from label_map_hits(obj, ("metadata", "labels"), get(obj.data, "metadata", "labels"), "label")
        pod = pod_of(obj)
        if pod is not None and pod.meta_path != ("metadata",):
            yield from label_map_hits(obj, (*pod.meta_path, "labels"), get(obj.data, *pod.meta_path, "labels"), "label")
        if pod is not None:
            path = (*pod.spec_path, "nodeSelector")
            yield from label_map_hits(obj, path, get(obj.data, *path), "nodeSelector")
        if obj.kind == "CronJob":
            path = ("spec", "jobTemplate", "metadata", "labels")
            yield from label_map_hits(obj, path, get(obj.data, *path), "label")
        if obj.kind in {"Service", "ReplicationController"}:
            yield from label_map_hits(obj, ("spec", "selector"), get(obj.data, "spec", "selector"), "selector label")
        if not groups.is_served(obj.api_version):
            continue  # a custom resource's spec is its CRD's business: only its metadata is the API server's
        for path, selector in _selectors(obj.data, ()):
            if path == ("spec", "selector") and obj.kind in {"Service", "ReplicationController"}:
                continue
            yield from label_selector_hits(obj, path, selector)


# -- K8S004 annotations ---------------------------------------------------------------------------------


def annotation_hits(obj: Obj, path: Path, annotations: Any) -> Iterator[Hit]:
    """Hits for invalid annotation keys (checked lower-cased, as the API does) and the total size."""
    if not isinstance(annotations, Mapping):
        return
    size = 0
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        size += len(key.encode()) + (len(value.encode()) if isinstance(value, str) else 0)
        if problems := v.qualified_name(key.lower()):
            yield Hit(
                "K8S004",
                obj,
                (*path, key),
                f"{obj.title}: annotation key {key!r} is not valid: {_joined(problems)}",
                key=True,
            )
    if size > v.TOTAL_ANNOTATION_SIZE:
        yield Hit(
            "K8S004",
            obj,
            path,
            f"{obj.title}: annotations total {size} bytes; the API server accepts at most "
            f"{v.TOTAL_ANNOTATION_SIZE} (256 KiB)",
            key=True,
        )


def check_annotations(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S004 on the object's and its pod template's annotations."""
    for obj in objs:
        yield from annotation_hits(obj, ("metadata", "annotations"), get(obj.data, "metadata", "annotations"))
        pod = pod_of(obj)
        if pod is not None and pod.meta_path != ("metadata",):
            path = (*pod.meta_path, "annotations")
            yield from annotation_hits(obj, path, get(obj.data, *path))


RULES = (
    Rule(
        id="K8S002",
        title="Valid object name and namespace",
        severity=Severity.ERROR,
        summary=(
            "`metadata.name` must be a DNS-1123 subdomain for most kinds; a DNS-1123 label for a Namespace; "
            "a DNS-1035 label (starting with a letter) for a Service; a path segment (no `/` or `%`) for RBAC "
            "objects. A CronJob name has at most 52 characters. `generateName` is checked as a prefix and "
            "`metadata.namespace` as a DNS-1123 label."
        ),
        fails_example="""\
apiVersion: v1
kind: Service
metadata:
  name: 1st-web
spec:
  ports:
    - port: 80
""",
        passes_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web-1
  namespace: shop
spec:
  ports:
    - port: 80
""",
        check=check_names,
    ),
    Rule(
        id="K8S003",
        title="Valid label keys, label values and selectors",
        severity=Severity.ERROR,
        summary=(
            "Label keys are qualified names (an optional DNS-subdomain prefix and `/`, then at most 63 "
            "alphanumerics, `-`, `_` or `.`); label values are empty or at most 63 such characters, "
            "alphanumeric at both ends. Checked in `metadata.labels`, pod template labels, `nodeSelector`, "
            "Service selectors and every LabelSelector (operators In, NotIn, Exists, DoesNotExist)."
        ),
        fails_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web-
spec:
  containers:
    - name: web
      image: nginx:1.27
""",
        passes_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
    tier: ""
spec:
  containers:
    - name: web
      image: nginx:1.27
""",
        check=check_labels,
    ),
    Rule(
        id="K8S004",
        title="Valid annotation keys and size",
        severity=Severity.ERROR,
        summary=(
            "Annotation keys are qualified names (compared lower-cased), and all annotations of an object "
            "together hold at most 256 KiB."
        ),
        fails_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    example.com/owner/team: platform
data:
  mode: fast
""",
        passes_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    example.com/owner: platform
data:
  mode: fast
""",
        check=check_annotations,
    ),
)
