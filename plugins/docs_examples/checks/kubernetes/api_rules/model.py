"""The vocabulary of the API rules: a rule, an object on a page, a hit, and safe ways to walk manifests.

Rules never see YAML nodes or blocks. They receive every :class:`Obj` of one page and yield :class:`Hit`
records naming a JSON path inside one object; the check turns the path into a line with the loader.
Manifests on a page can have any shape, so every accessor here type-checks instead of trusting the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from docs_examples.findings import Severity

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may know besides the page: the Kubernetes versions the site claims, and which objects of
    the page a reader has in view from another (``sees(a, b)``: may ``a`` refer to ``b``?)."""

    versions: tuple[str, ...] = ()
    sees: Callable[[Obj, Obj], bool] | None = field(default=None, compare=False)

    def visible(self, source: Obj, targets: Iterable[Obj]) -> list[Obj]:
        """The ``targets`` that ``source`` may refer to (all of them unless ``sees`` says otherwise)."""
        return [t for t in targets if self.sees is None or t is source or self.sees(source, t)]


@dataclass(frozen=True, slots=True)
class Obj:
    """One API object (a YAML mapping with ``kind``) on a page.

    ``ref`` is an opaque handle for the caller (the block and loaded document) so that a hit can be
    located; rules never look inside it.
    """

    data: Mapping[str, Any]
    ref: Any = None

    @property
    def kind(self) -> str:
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else ""

    @property
    def api_version(self) -> str:
        api = self.data.get("apiVersion")
        return api if isinstance(api, str) else ""

    @property
    def name(self) -> str | None:
        name = get(self.data, "metadata", "name")
        return name if isinstance(name, str) else None

    @property
    def namespace(self) -> str | None:
        ns = get(self.data, "metadata", "namespace")
        return ns if isinstance(ns, str) else None

    @property
    def title(self) -> str:
        """``Deployment "web"`` for messages."""
        return f'{self.kind or "object"} "{self.name}"' if self.name else (self.kind or "object")


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's verdict on one place: the object, a path inside it, and a message.

    ``key`` points at the key of ``path`` rather than its value. ``severity`` overrides the rule's
    severity (K8S007 reports duplicates as warnings); ``versions`` names the Kubernetes versions on which
    the hit holds when it does not hold on all of them.
    """

    rule: str
    obj: Obj
    path: Path
    message: str
    key: bool = False
    severity: Severity | None = None
    versions: tuple[str, ...] = ()


Checker = Callable[[Sequence[Obj], Context], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One named rule and its row in the docs' rules table.

    ``fails_example`` is a manifest (one block, possibly several documents) on which the rule reports,
    ``passes_example`` one on which it does not; the tests run both.
    """

    id: str
    title: str
    severity: Severity
    summary: str
    fails_example: str
    passes_example: str
    scope: Literal["object", "page"] = "object"
    check: Checker | None = field(default=None, repr=False, compare=False)


# -- safe access ----------------------------------------------------------------------------------------


def get(data: Any, *path: str | int) -> Any:
    """The value at ``path`` or None, whatever the shapes on the way (lists where maps were expected …)."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or not -len(data) <= step < len(data):
                return None
        elif not isinstance(data, Mapping) or step not in data:
            return None
        data = data[step]
    return data


def mapping(data: Any, *path: str | int) -> Mapping[str, Any]:
    """The mapping at ``path``, or an empty one when it is missing or not a mapping."""
    value = get(data, *path)
    return value if isinstance(value, Mapping) else {}


def items(data: Any, *path: str | int) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, item)`` for every mapping in the list at ``path`` (other items are skipped)."""
    value = get(data, *path)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                yield i, item


def string_map(data: Any) -> dict[str, str]:
    """The string-to-scalar entries of a mapping, values as the API sees them (``1`` → ``"1"``)."""
    if not isinstance(data, Mapping):
        return {}
    return {k: str(v) for k, v in data.items() if isinstance(k, str) and isinstance(v, (str, int, float))}


def describe_labels(labels: Mapping[str, str]) -> str:
    """``app=web, tier=front`` (``(none)`` for no labels)."""
    return ", ".join(f"{k}={v}" for k, v in labels.items()) or "(none)"


def same_namespace(a: Obj, b: Obj) -> bool:
    """Whether two objects can live in one namespace: only two different explicit namespaces rule it out."""
    return a.namespace is None or b.namespace is None or a.namespace == b.namespace


# -- pods inside objects --------------------------------------------------------------------------------

# Where each kind keeps its pod template (the Pod itself is handled apart).
TEMPLATE_PATHS: dict[str, Path] = {
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
}
CONTAINER_GROUPS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class PodView:
    """A pod as an object defines it: the Pod itself or a workload's template."""

    obj: Obj
    meta_path: Path  # path of the pod's metadata
    spec_path: Path  # path of the pod's spec

    @property
    def labels(self) -> dict[str, str]:
        return string_map(get(self.obj.data, *self.meta_path, "labels"))

    @property
    def spec(self) -> Mapping[str, Any]:
        return mapping(self.obj.data, *self.spec_path)

    def containers(self, groups: Sequence[str] = CONTAINER_GROUPS) -> Iterator[tuple[Path, Mapping[str, Any]]]:
        """``(path, container)`` for every container mapping in ``groups``."""
        for group in groups:
            for i, container in items(self.spec, group):
                yield (*self.spec_path, group, i), container


def pod_of(obj: Obj) -> PodView | None:
    """The pod an object defines, or None for objects that define none."""
    if obj.kind == "Pod":
        return PodView(obj, ("metadata",), ("spec",))
    path = TEMPLATE_PATHS.get(obj.kind)
    if path is None or not isinstance(get(obj.data, *path), Mapping):
        return None
    return PodView(obj, (*path, "metadata"), (*path, "spec"))


def pods(objs: Iterable[Obj]) -> list[PodView]:
    """Every pod the objects define."""
    return [p for p in map(pod_of, objs) if p is not None]


def container_label(path: Path, container: Mapping[str, Any]) -> str:
    """``container "app"`` (or ``containers[0]`` when unnamed) for messages."""
    name = container.get("name")
    if isinstance(name, str) and name:
        return f'container "{name}"'
    return f"{path[-2]}[{path[-1]}]"
