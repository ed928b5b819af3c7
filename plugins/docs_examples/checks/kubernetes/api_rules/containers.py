"""K8S005–K8S008, K8S014 and K8S015: containers, ports, environment, resources, probe ports, volumes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from docs_examples.checks.kubernetes import validation as v
from docs_examples.checks.kubernetes.api_rules.model import (
    Context,
    Hit,
    Obj,
    Path,
    Rule,
    container_label,
    get,
    items,
    pod_of,
)
from docs_examples.findings import Severity

RELAXED_ENV_SINCE = (1, 34)  # RelaxedEnvironmentVariableValidation is on by default from this minor
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HANDLERS = ("httpGet", "tcpSocket", "grpc")


def _joined(problems: list[str]) -> str:
    return "; ".join(problems)


def _minor(version: str) -> tuple[int, int]:
    """``"1.33"`` → ``(1, 33)``; unparseable versions count as the newest."""
    try:
        major, minor = version.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (99, 0)


# -- K8S005 container names -----------------------------------------------------------------------------


def check_container_names(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S005: every container name is a DNS-1123 label, unique across all containers of the pod."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is None:
            continue
        seen: dict[str, Path] = {}
        for path, container in pod.containers():
            name = container.get("name")
            if not isinstance(name, str):
                continue
            if problems := v.dns1123_label(name):
                yield Hit(
                    "K8S005",
                    obj,
                    (*path, "name"),
                    f"{obj.title}: container name {name!r} is not valid: {_joined(problems)}",
                )
            if name in seen:
                first = seen[name]
                yield Hit(
                    "K8S005",
                    obj,
                    (*path, "name"),
                    f"{obj.title}: container name {name!r} is used twice ({first[-2]}[{first[-1]}] and "
                    f"{path[-2]}[{path[-1]}]); names must be unique across containers, initContainers and "
                    "ephemeralContainers",
                )
            else:
                seen[name] = path


# -- K8S006 ports ---------------------------------------------------------------------------------------


def container_port_hits(obj: Obj, path: Path, container: Mapping[str, Any]) -> Iterator[Hit]:
    """Port names (IANA_SVC_NAME, unique in the container) and port numbers of one container."""
    who = f"{obj.title} {container_label(path, container)}"
    names: set[str] = set()
    for i, port in items(container, "ports"):
        here = (*path, "ports", i)
        name = port.get("name")
        if isinstance(name, str) and name:
            if problems := v.iana_svc_name(name):
                yield Hit(
                    "K8S006", obj, (*here, "name"), f"{who}: port name {name!r} is not valid: {_joined(problems)}"
                )
            elif name in names:
                yield Hit("K8S006", obj, (*here, "name"), f"{who}: port name {name!r} is used twice in this container")
            names.add(name)
        for field in ("containerPort", "hostPort"):
            number = port.get(field)
            if isinstance(number, int) and not isinstance(number, bool) and (problems := v.port_number(number)):
                if field == "hostPort" and number == 0:
                    continue  # 0 means "no host port"
                yield Hit("K8S006", obj, (*here, field), f"{who}: {field} {number} {_joined(problems)}")


def service_port_hits(obj: Obj) -> Iterator[Hit]:
    """Service port names (DNS-1123 labels, unique, required with several ports), numbers and targetPorts."""
    ports = list(items(obj.data, "spec", "ports"))
    names: set[str] = set()
    pairs: dict[tuple[int, str], int] = {}  # (port, protocol) → first index
    for i, port in ports:
        here = ("spec", "ports", i)
        name = port.get("name")
        if isinstance(name, str) and name:
            if problems := v.dns1123_label(name):
                yield Hit(
                    "K8S006", obj, (*here, "name"), f"{obj.title}: port name {name!r} is not valid: {_joined(problems)}"
                )
            elif name in names:
                yield Hit("K8S006", obj, (*here, "name"), f"{obj.title}: port name {name!r} is used twice")
            names.add(name)
        elif len(ports) > 1:
            yield Hit(
                "K8S006",
                obj,
                here,
                f"{obj.title}: ports[{i}] has no name; a Service with several ports must name every one",
            )
        number = port.get("port")
        if isinstance(number, int) and not isinstance(number, bool) and (problems := v.port_number(number)):
            yield Hit("K8S006", obj, (*here, "port"), f"{obj.title}: port {number} {_joined(problems)}")
        elif isinstance(number, int) and not isinstance(number, bool):
            pair = (number, str(port.get("protocol") or "TCP"))
            if pair in pairs:
                yield Hit(
                    "K8S006",
                    obj,
                    (*here, "port"),
                    f"{obj.title}: port {number}/{pair[1]} is listed twice (ports[{pairs[pair]}] and ports[{i}])",
                )
            pairs.setdefault(pair, i)
        target = port.get("targetPort")
        if isinstance(target, bool):
            continue
        if isinstance(target, int) and (problems := v.port_number(target)):
            yield Hit("K8S006", obj, (*here, "targetPort"), f"{obj.title}: targetPort {target} {_joined(problems)}")
        elif isinstance(target, str) and not target.isdigit() and (problems := v.iana_svc_name(target)):
            yield Hit(
                "K8S006",
                obj,
                (*here, "targetPort"),
                f"{obj.title}: targetPort {target!r} is not a valid port name: {_joined(problems)}",
            )


def check_ports(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S006 over container ports of every pod and the ports of every Service."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is not None:
            for path, container in pod.containers():
                yield from container_port_hits(obj, path, container)
        if obj.kind == "Service":
            yield from service_port_hits(obj)


# -- K8S007 environment ---------------------------------------------------------------------------------


def _strict_versions(ctx: Context) -> tuple[str, ...]:
    """The configured versions that still apply the pre-1.34 environment variable name grammar."""
    return tuple(ver for ver in ctx.versions if _minor(ver) < RELAXED_ENV_SINCE)


def _env_name_hit(obj: Obj, path: Path, name: str, what: str, ctx: Context) -> Hit | None:
    """A hit when ``name`` is rejected on every configured version, or on the older ones only."""
    if problems := v.env_var_name(name):
        return Hit("K8S007", obj, path, f"{what} {name!r} is not valid: {_joined(problems)}")
    strict = _strict_versions(ctx)
    if strict and (problems := v.strict_env_var_name(name)):
        shown = ", ".join(strict)
        return Hit(
            "K8S007",
            obj,
            path,
            f"{what} {name!r} is rejected by Kubernetes {shown} (before 1.34): {_joined(problems)}",
            versions=strict,
        )
    return None


def env_hits(obj: Obj, path: Path, container: Mapping[str, Any], ctx: Context) -> Iterator[Hit]:
    """Env var names and envFrom prefixes of one container, and duplicate names (warnings)."""
    who = f"{obj.title} {container_label(path, container)}"
    seen: dict[str, int] = {}
    for i, env in items(container, "env"):
        name = env.get("name")
        if not isinstance(name, str):
            continue
        if hit := _env_name_hit(obj, (*path, "env", i, "name"), name, f"{who}: env var name", ctx):
            yield hit
        if name in seen:
            yield Hit(
                "K8S007",
                obj,
                (*path, "env", i, "name"),
                f"{who}: env var {name!r} is defined twice (env[{seen[name]}] and env[{i}]); the later one hides "
                "the earlier, and `kubectl apply` may drop one of them",
                severity=Severity.WARNING,
            )
        else:
            seen[name] = i
    for i, source in items(container, "envFrom"):
        prefix = source.get("prefix")
        if not isinstance(prefix, str) or not prefix:
            continue
        if hit := _env_name_hit(obj, (*path, "envFrom", i, "prefix"), prefix, f"{who}: envFrom prefix", ctx):
            yield hit


def check_env(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S007 over every container of every pod."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is not None:
            for path, container in pod.containers():
                yield from env_hits(obj, path, container, ctx)


# -- K8S008 resources -----------------------------------------------------------------------------------


def _quantities(obj: Obj, path: Path, values: Any, who: str) -> tuple[dict[str, Decimal], list[Hit]]:
    """Parsed quantities of a requests/limits map, and a hit for every value that is not a quantity."""
    parsed: dict[str, Decimal] = {}
    hits: list[Hit] = []
    if not isinstance(values, Mapping):
        return parsed, hits
    for resource, raw in values.items():
        if not isinstance(resource, str) or raw is None:
            continue
        try:
            amount = v.parse_quantity(raw)
        except v.QuantityError as exc:
            hits.append(Hit("K8S008", obj, (*path, resource), f"{who}: {path[-1]}.{resource}: {exc}"))
            continue
        if amount < 0:
            hits.append(
                Hit("K8S008", obj, (*path, resource), f"{who}: {path[-1]}.{resource} {raw} must not be negative")
            )
            continue
        parsed[resource] = amount
    return parsed, hits


def resource_hits(obj: Obj, path: Path, resources: Mapping[str, Any], who: str) -> Iterator[Hit]:
    """Unparseable quantities, and every request greater than its limit, in one ``resources`` block."""
    requests, bad_requests = _quantities(obj, (*path, "requests"), resources.get("requests"), who)
    limits, bad_limits = _quantities(obj, (*path, "limits"), resources.get("limits"), who)
    yield from bad_requests
    yield from bad_limits
    for resource, request in requests.items():
        limit = limits.get(resource)
        if limit is not None and request > limit:
            shown_request = resources["requests"][resource]
            shown_limit = resources["limits"][resource]
            yield Hit(
                "K8S008",
                obj,
                (*path, "requests", resource),
                f"{who}: {resource} request {shown_request} is greater than its limit {shown_limit}; the API "
                f"server rejects it: must be less than or equal to {resource} limit",
            )


def check_resources(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S008 over every container (and the pod-level ``resources``) of every pod."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is None:
            continue
        pod_resources = get(obj.data, *pod.spec_path, "resources")
        if isinstance(pod_resources, Mapping):
            yield from resource_hits(obj, (*pod.spec_path, "resources"), pod_resources, f"{obj.title} pod")
        for path, container in pod.containers(("initContainers", "containers")):
            resources = container.get("resources")
            if isinstance(resources, Mapping):
                who = f"{obj.title} {container_label(path, container)}"
                yield from resource_hits(obj, (*path, "resources"), resources, who)


# -- K8S014 probe ports ---------------------------------------------------------------------------------


def _handlers(container: Mapping[str, Any]) -> Iterator[tuple[Path, str]]:
    """``(path, port name)`` of every probe or lifecycle handler that names its port."""
    places: list[Path] = [(probe,) for probe in PROBES]
    places += [("lifecycle", hook) for hook in ("postStart", "preStop")]
    for place in places:
        for handler in HANDLERS:
            port = get(container, *place, handler, "port")
            if isinstance(port, str) and port and not port.isdigit():
                yield (*place, handler, "port"), port


def check_probe_ports(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S014: a probe or lifecycle handler's named port is a port name of the same container."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is None:
            continue
        for path, container in pod.containers(("initContainers", "containers")):
            declared = {p.get("name") for _, p in items(container, "ports")}
            for where, port in _handlers(container):
                if port in declared:
                    continue
                known = ", ".join(sorted(n for n in declared if isinstance(n, str))) or "none"
                yield Hit(
                    "K8S014",
                    obj,
                    (*path, *where),
                    f"{obj.title} {container_label(path, container)}: {'.'.join(map(str, where))} names port "
                    f"{port!r}, but the container declares no port of that name (declared: {known}); the "
                    "kubelet fails this probe or hook",
                )


# -- K8S015 volumes -------------------------------------------------------------------------------------


def _volume_names(obj: Obj, pod_spec: Mapping[str, Any]) -> set[str]:
    """Volume names a container may mount: the pod's volumes and a StatefulSet's claim templates."""
    names = {n for _, vol in items(pod_spec, "volumes") if isinstance(n := vol.get("name"), str)}
    if obj.kind == "StatefulSet":
        names |= {
            n
            for _, claim in items(obj.data, "spec", "volumeClaimTemplates")
            if isinstance(n := get(claim, "metadata", "name"), str)
        }
    return names


def check_volumes(objs: Sequence[Obj], ctx: Context) -> Iterator[Hit]:
    """K8S015: volume names valid and unique; every volumeMount names a volume; mount paths unique."""
    for obj in objs:
        pod = pod_of(obj)
        if pod is None:
            continue
        seen: set[str] = set()
        for i, volume in items(pod.spec, "volumes"):
            name = volume.get("name")
            if not isinstance(name, str):
                continue
            path = (*pod.spec_path, "volumes", i, "name")
            if problems := v.dns1123_label(name):
                yield Hit("K8S015", obj, path, f"{obj.title}: volume name {name!r} is not valid: {_joined(problems)}")
            elif name in seen:
                yield Hit("K8S015", obj, path, f"{obj.title}: volume name {name!r} is used twice")
            seen.add(name)
        available = _volume_names(obj, pod.spec)
        for path, container in pod.containers():
            who = f"{obj.title} {container_label(path, container)}"
            mount_paths: set[str] = set()
            for i, mount in items(container, "volumeMounts"):
                name, mount_path = mount.get("name"), mount.get("mountPath")
                if isinstance(name, str) and name not in available:
                    known = ", ".join(sorted(available)) or "none"
                    yield Hit(
                        "K8S015",
                        obj,
                        (*path, "volumeMounts", i, "name"),
                        f"{who}: volumeMount {name!r} names no volume of the pod (volumes: {known}); the API "
                        "server rejects it: Not found",
                    )
                if isinstance(mount_path, str):
                    if mount_path in mount_paths:
                        yield Hit(
                            "K8S015",
                            obj,
                            (*path, "volumeMounts", i, "mountPath"),
                            f"{who}: mountPath {mount_path!r} is used twice; mount paths must be unique",
                        )
                    mount_paths.add(mount_path)


_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
"""

RULES = (
    Rule(
        id="K8S005",
        title="Container names unique and valid",
        severity=Severity.ERROR,
        summary=(
            "Every container name is a DNS-1123 label, unique across `containers`, `initContainers` and "
            "`ephemeralContainers` of the pod (Pods and every workload template)."
        ),
        fails_example=_POD
        + """\
    - name: app
      image: nginx:1.27
    - name: app
      image: busybox:1.37
""",
        passes_example=_POD
        + """\
    - name: app
      image: nginx:1.27
    - name: log-shipper
      image: busybox:1.37
""",
        check=check_container_names,
    ),
    Rule(
        id="K8S006",
        title="Port names and numbers",
        severity=Severity.ERROR,
        summary=(
            "Container port names are IANA service names (at most 15 lower-case letters, digits and `-`, "
            "with a letter), unique within the container; Service port names are DNS-1123 labels, unique, "
            "and required when the Service has several ports; a Service lists each port/protocol once; port "
            "numbers are 1–65535; a named "
            "`targetPort` is a valid port name."
        ),
        fails_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      ports:
        - name: http-metrics-port
          containerPort: 9090
""",
        passes_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      ports:
        - name: metrics
          containerPort: 9090
""",
        check=check_ports,
    ),
    Rule(
        id="K8S007",
        title="Environment variable names",
        severity=Severity.ERROR,
        summary=(
            "Env var names and `envFrom` prefixes are printable ASCII without `=` (Kubernetes 1.34+), and "
            "also `[-._a-zA-Z][-._a-zA-Z0-9]*` when an older configured version requires it. A name defined "
            "twice in one container is a warning: the later entry hides the earlier."
        ),
        fails_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      env:
        - name: MODE=fast
          value: "1"
""",
        passes_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      env:
        - name: MODE
          value: fast
""",
        check=check_env,
    ),
    Rule(
        id="K8S008",
        title="Resource requests within limits",
        severity=Severity.ERROR,
        summary=(
            "Every quantity in `resources.requests` and `resources.limits` parses (`500m`, `1.5Gi`, `1e3`; "
            "not `512MB`), and no request is greater than the limit of the same resource, in every "
            "container and in pod-level resources."
        ),
        fails_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      resources:
        requests:
          memory: 1Gi
          cpu: 500m
        limits:
          memory: 512Mi
          cpu: "1"
""",
        passes_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      resources:
        requests:
          memory: 512Mi
          cpu: 0.5
        limits:
          memory: 1G
          cpu: 500m
""",
        check=check_resources,
    ),
    Rule(
        id="K8S014",
        title="Probe ports exist",
        severity=Severity.WARNING,
        summary=(
            "A liveness, readiness or startup probe, or a lifecycle hook, that names its port "
            "(`port: http`) names a port declared by the same container; the API server accepts any valid "
            "name, but the kubelet cannot resolve an undeclared one."
        ),
        fails_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      ports:
        - name: web
          containerPort: 80
      readinessProbe:
        httpGet:
          path: /
          port: http
""",
        passes_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      ports:
        - name: http
          containerPort: 80
      readinessProbe:
        httpGet:
          path: /
          port: http
""",
        check=check_probe_ports,
    ),
    Rule(
        id="K8S015",
        title="Volume mounts resolve",
        severity=Severity.ERROR,
        summary=(
            "Volume names are DNS-1123 labels, unique in the pod; every container `volumeMounts[].name` "
            "names a volume of the pod (or a StatefulSet `volumeClaimTemplates` entry); a container mounts "
            "each `mountPath` once."
        ),
        fails_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      volumeMounts:
        - name: config
          mountPath: /etc/app
  volumes:
    - name: settings
      configMap:
        name: app-settings
""",
        passes_example=_POD
        + """\
    - name: app
      image: nginx:1.27
      volumeMounts:
        - name: config
          mountPath: /etc/app
  volumes:
    - name: config
      configMap:
        name: app-settings
""",
        check=check_volumes,
    ),
)
