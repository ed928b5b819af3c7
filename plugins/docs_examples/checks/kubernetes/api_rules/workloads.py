"""K8S001: a workload's selector must select the pods of its own template."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from docs_examples.blocks import placeholders
from docs_examples.checks.kubernetes.api_rules.model import (
    Context,
    Hit,
    Obj,
    Path,
    Rule,
    describe_labels,
    get,
    items,
    pod_of,
    string_map,
)
from docs_examples.findings import Severity

# Kinds whose selector is a LabelSelector the API server requires to match the template.
LABEL_SELECTOR_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}
OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist"}
SUFFIX = "the API server rejects it: selector does not match template labels"


def expression_matches(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool | None:
    """Whether one ``matchExpressions`` entry selects ``labels``; None when the entry is malformed."""
    key, operator = expr.get("key"), expr.get("operator")
    if not isinstance(key, str) or operator not in OPERATORS:
        return None
    raw = expr.get("values")
    values = {str(v) for v in raw} if isinstance(raw, list) else set()
    present = key in labels
    if operator == "In":
        return present and labels[key] in values
    if operator == "NotIn":
        return not present or labels[key] not in values
    if operator == "Exists":
        return present
    return not present


def _expression_text(expr: Mapping[str, Any]) -> str:
    """``tier In (front, web)`` for messages."""
    values = expr.get("values")
    shown = f" ({', '.join(str(v) for v in values)})" if isinstance(values, list) and values else ""
    return f"{expr.get('key')} {expr.get('operator')}{shown}"


def _label_problem(labels: Mapping[str, str], key: str, want: str) -> str:
    """Why ``key=want`` is not among ``labels``."""
    if not labels:
        return "the pod template has no labels"
    if key not in labels:
        return f"the pod template has no label {key} (it has {describe_labels(labels)})"
    return f"the pod template has {key}={labels[key]}"


def mismatches(
    obj: Obj, selector_path: Path, selector: Mapping[str, Any], labels: Mapping[str, str], *, plain: bool
) -> Iterator[Hit]:
    """One hit per selector term that the template labels do not satisfy.

    ``plain`` means a map selector (ReplicationController) rather than a LabelSelector.
    """
    match_labels = selector if plain else selector.get("matchLabels")
    base = selector_path if plain else (*selector_path, "matchLabels")
    for key, want in string_map(match_labels).items():
        stands_in = key in labels and (placeholders.whole(want) or placeholders.whole(labels[key]))
        if labels.get(key) != want and not stands_in:
            yield Hit(
                "K8S001",
                obj,
                (*base, key),
                f"{obj.title}: selector requires {key}={want} but {_label_problem(labels, key, want)}; {SUFFIX}",
            )
    if plain:
        return
    for i, expr in items(selector, "matchExpressions"):
        if expression_matches(expr, labels) is False:
            yield Hit(
                "K8S001",
                obj,
                (*selector_path, "matchExpressions", i),
                f"{obj.title}: selector expression `{_expression_text(expr)}` does not match the pod "
                f"template labels ({describe_labels(labels)}); {SUFFIX}",
            )


def _is_empty(selector: Mapping[str, Any]) -> bool:
    """A LabelSelector that selects everything: no labels and no expressions."""
    return not string_map(selector.get("matchLabels")) and not list(items(selector, "matchExpressions"))


def check_selectors(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S001 over every workload of the page."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is None or pod.meta_path[:2] != ("spec", "template"):
            continue
        selector = get(obj.data, "spec", "selector")
        labels = pod.labels
        if obj.kind in LABEL_SELECTOR_KINDS or (obj.kind == "Job" and get(obj.data, "spec", "manualSelector") is True):
            if not isinstance(selector, Mapping):
                continue  # missing or mistyped: the schema check reports it
            if _is_empty(selector) and obj.kind != "Job":
                yield Hit(
                    "K8S001",
                    obj,
                    ("spec", "selector"),
                    f"{obj.title}: an empty selector is invalid for a {obj.kind} (it would select every pod "
                    "of the namespace); give it matchLabels that the template labels carry",
                )
                continue
            yield from mismatches(obj, ("spec", "selector"), selector, labels, plain=False)
        elif obj.kind == "ReplicationController" and isinstance(selector, Mapping):
            yield from mismatches(obj, ("spec", "selector"), selector, labels, plain=True)


RULES = (
    Rule(
        id="K8S001",
        title="Selector matches the pod template",
        severity=Severity.ERROR,
        summary=(
            "A Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, or a Job with "
            "`manualSelector: true`, must select its own template: every `matchLabels` pair is a template "
            "label and every `matchExpressions` entry (In, NotIn, Exists, DoesNotExist) holds for the "
            "template labels. An empty selector is rejected too."
        ),
        fails_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
        passes_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
    matchExpressions:
      - {key: tier, operator: NotIn, values: [db]}
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
        check=check_selectors,
    ),
)
