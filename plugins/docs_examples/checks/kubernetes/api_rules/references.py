"""K8S009–K8S013: references between objects shown on the same page.

The API server cannot see these: each object is valid alone. A page that shows a Service and the
Deployment it should select, but with labels that differ, teaches something that does not work; these
rules say so as warnings. A reference fails only when its target is shown on the page and does not match
(a wrong port name, a missing key, labels that differ from those of the workload of the Service's name, a
name one typo away from a shown object's). A target the page does not show at all (an Ingress whose
Service lives on another page, as most real pages have it) gets an informational note (K8S009, K8S011,
K8S012), or nothing (K8S013). A pod template without labels is an excerpt, not a pod a Service could
select; a placeholder (``<app-name>``) matches any value. What counts as shown is what the reader has in
view from the referring object (``Context.sees``): the same block, an earlier block, or a later one in the
same section. A later section is another topic or another setup the page describes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from docs_examples.blocks import placeholders
from docs_examples.checks.kubernetes.api_rules.model import (
    Context,
    Hit,
    Obj,
    Path,
    PodView,
    Rule,
    container_label,
    describe_labels,
    get,
    items,
    pods,
    same_namespace,
    string_map,
)
from docs_examples.findings import Severity

SCALABLE_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"}


def same(value: Any, wanted: Any) -> bool:
    """Equal, or one of them a placeholder (``<app-name>`` matches any value)."""
    return value == wanted or (value is not None and (placeholders.whole(value) or placeholders.whole(wanted)))


def selected_pods(service: Obj, selector: Mapping[str, str], candidates: Sequence[PodView]) -> list[PodView]:
    """The pods among ``candidates`` that a Service selector selects (same namespace, labels ⊇ selector)."""
    return [
        p
        for p in candidates
        if same_namespace(service, p.obj) and all(same(p.labels.get(k), want) for k, want in selector.items())
    ]


def near(name: str, names: Sequence[str]) -> str | None:
    """The shown name ``name`` is most likely a typo of, if one is close."""
    found = difflib.get_close_matches(name, [n for n in names if n != name], n=1, cutoff=0.6)
    return found[0] if found else None


def _shown_pods(candidates: Sequence[PodView]) -> str:
    """``Deployment "web" (app=web), Pod "db" (app=db)`` for messages."""
    return ", ".join(f"{p.obj.title} ({describe_labels(p.labels)})" for p in candidates[:4]) + (
        ", …" if len(candidates) > 4 else ""
    )


# -- K8S009 / K8S010 Services ---------------------------------------------------------------------------


def _services(objs: Sequence[Obj]) -> Iterator[tuple[Obj, dict[str, str]]]:
    """Every Service with a non-empty selector, and that selector."""
    for obj in objs:
        if obj.kind != "Service" or get(obj.data, "spec", "type") == "ExternalName":
            continue
        selector = string_map(get(obj.data, "spec", "selector"))
        if selector:
            yield obj, selector


def _meant(service: Obj, selector: Mapping[str, str], candidates: Sequence[PodView]) -> list[PodView]:
    """The shown pods a Service evidently means: the workload of its name, or pods that carry part of its
    selector. Pods whose template has no labels are excerpts, and are never meant."""
    labelled = [p for p in candidates if p.labels]
    by_name = [p for p in labelled if p.obj.name is not None and p.obj.name == service.name]
    partly = [p for p in labelled if any(p.labels.get(k) == v for k, v in selector.items())]
    return by_name or partly


def check_service_selectors(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S009: a Service's selector selects a pod shown on the page.

    Warning when the page shows the pods the Service evidently means (the workload of its name, or pods
    with part of its labels) and none carries all the selected labels; an informational note when the
    page shows none of them (the pods may come from another page).
    """
    for service, selector in _services(objs):
        candidates = pods(ctx.visible(service, objs))
        if selected_pods(service, selector, candidates):
            continue
        wanted = describe_labels(selector)
        meant = _meant(service, selector, candidates)
        if meant:
            yield Hit(
                "K8S009",
                service,
                ("spec", "selector"),
                f"{service.title} selects pods labelled {wanted}, but no pod on this page carries those "
                f"labels (shown: {_shown_pods(meant)}); the Service would have no endpoints",
                key=True,
            )
        else:
            shown = f" (it shows {_shown_pods(candidates)})" if candidates else " (the page shows no Pod or workload)"
            yield Hit(
                "K8S009",
                service,
                ("spec", "selector"),
                f"{service.title} selects pods labelled {wanted}; no pod on this page carries those labels" + shown,
                key=True,
                severity=Severity.INFO,
            )


def _port_names(pod: PodView) -> set[str]:
    """Names of every port of every container (and sidecar init container) of a pod."""
    return {
        name
        for _, container in pod.containers(("initContainers", "containers"))
        for _, port in items(container, "ports")
        if isinstance(name := port.get("name"), str)
    }


def check_target_ports(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S010: a Service's named ``targetPort`` is a container port name of the pods it selects."""
    for service, selector in _services(objs):
        selected = selected_pods(service, selector, pods(ctx.visible(service, objs)))
        if not selected:
            continue  # K8S009 speaks about it
        names = set().union(*(_port_names(p) for p in selected))
        for i, port in items(service.data, "spec", "ports"):
            target = port.get("targetPort")
            if not isinstance(target, str) or target.isdigit() or target in names or placeholders.contains(target):
                continue
            shown = ", ".join(sorted(names)) or "none"
            pods_shown = ", ".join(p.obj.title for p in selected[:3])
            yield Hit(
                "K8S010",
                service,
                ("spec", "ports", i, "targetPort"),
                f"{service.title}: targetPort {target!r} is not a container port name of the pods it selects "
                f"({pods_shown}; port names: {shown})",
            )


# -- K8S011 HPA -----------------------------------------------------------------------------------------


def check_scale_targets(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S011: an HPA's ``scaleTargetRef`` names a workload shown on the page.

    Warning when the page shows an object of that name of another kind, or a workload whose name is one
    typo away; an informational note when it shows nothing of that name.
    """
    for hpa in objs:
        if hpa.kind != "HorizontalPodAutoscaler":
            continue
        ref = get(hpa.data, "spec", "scaleTargetRef")
        kind, name = get(ref, "kind"), get(ref, "name")
        if not isinstance(kind, str) or not isinstance(name, str) or placeholders.contains(name):
            continue
        visible = ctx.visible(hpa, objs)
        shown = [o for o in visible if o.kind in SCALABLE_KINDS | {kind} and o is not hpa and same_namespace(o, hpa)]
        if any(o.kind == kind and same(o.name, name) for o in shown):
            continue
        path = ("spec", "scaleTargetRef", "name")
        named = [o for o in shown if o.name == name]
        typo = near(name, [o.name for o in shown if o.name and o.kind == kind])
        if named:
            message = f"{hpa.title} scales {kind} {name!r}, but {name!r} on this page is a {named[0].kind}"
        elif typo:
            message = f"{hpa.title} scales {kind} {name!r}, which this page does not show; did you mean {typo!r}?"
        else:
            listed = f" (it shows {', '.join(o.title for o in shown[:4])})" if shown else ""
            yield Hit(
                "K8S011",
                hpa,
                path,
                f"{hpa.title} scales {kind} {name!r}, which this page does not show{listed}",
                severity=Severity.INFO,
            )
            continue
        yield Hit("K8S011", hpa, path, message)


# -- K8S012 Ingress -------------------------------------------------------------------------------------


def _backends(ingress: Obj) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """``(path, backend.service)`` of the default backend and every rule path."""
    default = get(ingress.data, "spec", "defaultBackend", "service")
    if isinstance(default, Mapping):
        yield ("spec", "defaultBackend", "service"), default
    for i, _ in items(ingress.data, "spec", "rules"):
        for j, path in items(ingress.data, "spec", "rules", i, "http", "paths"):
            service = get(path, "backend", "service")
            if isinstance(service, Mapping):
                yield ("spec", "rules", i, "http", "paths", j, "backend", "service"), service


def _port_hit(ingress: Obj, path: Path, backend: Mapping[str, Any], service: Obj) -> Hit | None:
    """A hit when the backend's port number or name is not a port of ``service``."""
    ports = [p for _, p in items(service.data, "spec", "ports")]
    number, name = get(backend, "port", "number"), get(backend, "port", "name")
    exposed = ", ".join(f"{p.get('name')}:{p.get('port')}" if p.get("name") else str(p.get("port")) for p in ports)
    if placeholders.contains(number) or placeholders.contains(name):
        return None
    if isinstance(number, int) and not isinstance(number, bool) and all(p.get("port") != number for p in ports):
        return Hit(
            "K8S012",
            ingress,
            (*path, "port", "number"),
            f"{ingress.title}: backend port {number} is not a port of {service.title} (it exposes {exposed or 'none'})",
        )
    if isinstance(name, str) and all(p.get("name") != name for p in ports):
        return Hit(
            "K8S012",
            ingress,
            (*path, "port", "name"),
            f"{ingress.title}: backend port {name!r} is not a port name of {service.title} "
            f"(it exposes {exposed or 'none'})",
        )
    return None


def check_ingress_backends(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S012: Ingress backends name a Service shown on the page and a port it exposes.

    Warning when the named Service is shown and lacks the port, or when the name is one typo away from a
    shown Service's; an informational note when the page does not show that Service.
    """
    for ingress in objs:
        if ingress.kind != "Ingress":
            continue
        services = [o for o in ctx.visible(ingress, objs) if o.kind == "Service" and same_namespace(o, ingress)]
        for path, backend in _backends(ingress):
            name = backend.get("name")
            if not isinstance(name, str) or placeholders.contains(name):
                continue
            target = next((s for s in services if s.name == name), None)
            if target is not None:
                if hit := _port_hit(ingress, path, backend, target):
                    yield hit
                continue
            typo = near(name, [s.name for s in services if s.name])
            if typo:
                message = f"{ingress.title}: backend Service {name!r} is not on this page; did you mean {typo!r}?"
                yield Hit("K8S012", ingress, (*path, "name"), message)
            else:
                listed = ", ".join(f'"{s.name}"' for s in services[:4] if s.name)
                shows = f" (it shows Service {listed})" if listed else ""
                message = f"{ingress.title}: backend Service {name!r} is not on this page{shows}"
                yield Hit("K8S012", ingress, (*path, "name"), message, severity=Severity.INFO)


# -- K8S013 Secret and ConfigMap keys -------------------------------------------------------------------


def _keys(obj: Obj) -> set[str]:
    """The keys a Secret (data, stringData) or ConfigMap (data, binaryData) holds."""
    fields = ("data", "stringData") if obj.kind == "Secret" else ("data", "binaryData")
    return {k for f in fields if isinstance(m := get(obj.data, f), Mapping) for k in m if isinstance(k, str)}


def _key_refs(pod: PodView) -> Iterator[tuple[Path, str, str, str, str]]:
    """``(path of key, kind, object name, key, what)`` for every key reference of a pod.

    Covers ``env[].valueFrom.secretKeyRef``/``configMapKeyRef`` and the ``items`` of secret, configMap
    and projected volumes; optional references are left out (a missing key is then fine).
    """
    for path, container in pod.containers():
        for i, env in items(container, "env"):
            for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                ref = get(env, "valueFrom", field)
                name, key = get(ref, "name"), get(ref, "key")
                if isinstance(name, str) and isinstance(key, str) and get(ref, "optional") is not True:
                    what = f"{container_label(path, container)} env {env.get('name')}"
                    yield (*path, "env", i, "valueFrom", field, "key"), kind, name, key, what
    for i, volume in items(pod.spec, "volumes"):
        base = (*pod.spec_path, "volumes", i)
        sources: list[tuple[Path, Any]] = [(base, volume)]
        sources += [((*base, "projected", "sources", j), s) for j, s in items(volume, "projected", "sources")]
        for where, source in sources:
            for field, kind, name_field in (("secret", "Secret", "secretName"), ("configMap", "ConfigMap", "name")):
                spec = get(source, field)
                name = get(spec, name_field) if where == base else get(spec, "name")
                if not isinstance(name, str) or get(spec, "optional") is True:
                    continue
                for k, item in items(spec, "items"):
                    key = item.get("key")
                    if isinstance(key, str):
                        yield (*where, field, "items", k, "key"), kind, name, key, f'volume "{volume.get("name")}"'


def check_key_refs(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S013: a Secret/ConfigMap key reference names a key of that object, when the page shows it."""
    for pod in pods(objs):
        visible = [o for o in ctx.visible(pod.obj, objs) if same_namespace(o, pod.obj)]
        for path, kind, name, key, what in _key_refs(pod):
            target = next((o for o in visible if o.kind == kind and o.name == name), None)
            if target is None or key in (keys := _keys(target)) or placeholders.contains(key):
                continue
            yield Hit(
                "K8S013",
                pod.obj,
                path,
                f"{pod.obj.title} {what} reads key {key!r} of {kind} {name!r}, but that {kind} on this page "
                f"has no such key (keys: {', '.join(sorted(keys)) or 'none'})",
            )


# The examples of the rules below: a failing and a passing example differ only in the value filled in.
_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
"""
_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: {label}
  template:
    metadata:
      labels:
        app: {label}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: {port}
              containerPort: 80
"""

_HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {target}
  minReplicas: 1
  maxReplicas: 5
"""
_INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  {port}
"""
_KEY_REF_EXAMPLE = """\
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  user: app
  {key}: s3cret
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: postgres:17
      env:
        - name: POSTGRES_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
"""

RULES = (
    Rule(
        id="K8S009",
        title="Service selects pods shown on the page",
        severity=Severity.WARNING,
        summary=(
            "When a page shows a Service with a selector and the pods it evidently means (the workload of "
            "its name, or pods with some of its labels), at least one of them carries every selected label "
            "(same namespace). When the page shows none of them, the finding is informational only: the "
            "pods may be defined on another page."
        ),
        fails_example=_SERVICE + "---\n" + _DEPLOYMENT.format(label="frontend", port="http"),
        passes_example=_SERVICE + "---\n" + _DEPLOYMENT.format(label="web", port="http"),
        scope="page",
        check=check_service_selectors,
    ),
    Rule(
        id="K8S010",
        title="Named targetPort exists in the selected pods",
        severity=Severity.WARNING,
        summary=(
            "A Service `targetPort` given by name is the name of a container port in the pods on the page "
            "that the Service selects."
        ),
        fails_example=_SERVICE + "---\n" + _DEPLOYMENT.format(label="web", port="web"),
        passes_example=_SERVICE + "---\n" + _DEPLOYMENT.format(label="web", port="http"),
        scope="page",
        check=check_target_ports,
    ),
    Rule(
        id="K8S011",
        title="HPA targets a workload shown on the page",
        severity=Severity.WARNING,
        summary=(
            "A HorizontalPodAutoscaler's `scaleTargetRef` (kind and name) names a Deployment, ReplicaSet, "
            "StatefulSet or ReplicationController on the page: a warning when the page shows that name as "
            "another kind or a workload one typo away, a note when it shows nothing of that name."
        ),
        fails_example=_DEPLOYMENT.format(label="web", port="http") + "---\n" + _HPA.format(target="wbe"),
        passes_example=_DEPLOYMENT.format(label="web", port="http") + "---\n" + _HPA.format(target="web"),
        scope="page",
        check=check_scale_targets,
    ),
    Rule(
        id="K8S012",
        title="Ingress backends name a Service and port shown on the page",
        severity=Severity.WARNING,
        summary=(
            "An Ingress backend's port number or name is a port of the Service it names, when the page "
            "shows that Service; a name one typo away from a shown Service's is a warning, a Service the "
            "page does not show a note."
        ),
        fails_example=_SERVICE
        + "---\n"
        + _DEPLOYMENT.format(label="web", port="http")
        + "---\n"
        + _INGRESS.format(port="number: 8080"),
        passes_example=_SERVICE
        + "---\n"
        + _DEPLOYMENT.format(label="web", port="http")
        + "---\n"
        + _INGRESS.format(port="name: http"),
        scope="page",
        check=check_ingress_backends,
    ),
    Rule(
        id="K8S013",
        title="Secret and ConfigMap keys exist",
        severity=Severity.WARNING,
        summary=(
            "An env `secretKeyRef`/`configMapKeyRef`, or an `items` key of a secret, configMap or projected "
            "volume, names a key of that Secret (`data`, `stringData`) or ConfigMap (`data`, "
            "`binaryData`) when the page shows the object. Optional references are not checked."
        ),
        fails_example=_KEY_REF_EXAMPLE.format(key="pass"),
        passes_example=_KEY_REF_EXAMPLE.format(key="password"),
        scope="page",
        check=check_key_refs,
    ),
)
