"""Places in a Compose file named the way Compose names them in its messages.

Compose writes paths several ways: ``services.web.ports``, ``services[web].mem_limit``,
``services.web.ports.[].target`` (any item of the list), and a service name may itself hold dots. Walking
the node tree with those rules, merge keys (``<<: *base``) included, gives the line of the key or value a
message is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from docs_examples.yaml_loader import Document

_MERGE = "tag:yaml.org,2002:merge"
_ANY = "[]"


@dataclass(frozen=True, slots=True)
class Place:
    """A 1-based line and column in the block."""

    line: int
    column: int


def split(dotted: str) -> list[str]:
    """``services[web].ports.[].target`` → ``["services", "web", "ports", "[]", "target"]``."""
    text = dotted.strip().strip("'\"")
    parts: list[str] = []
    for piece in re.split(r"(\[[^\]]*\])", text):
        if piece.startswith("["):
            parts.append(_ANY if piece == "[]" else piece[1:-1])
        else:
            parts.extend(p for p in piece.split(".") if p)
    return parts


def _place(node: Node) -> Place:
    return Place(node.start_mark.line + 1, node.start_mark.column + 1)


def children(mapping: MappingNode) -> Iterator[tuple[ScalarNode, Node]]:
    """A mapping's own keys and values, then those its merge keys bring in."""
    merged: list[Node] = []
    for key, value in mapping.value:
        if key.tag == _MERGE:
            merged.extend(value.value if isinstance(value, SequenceNode) else [value])
        elif isinstance(key, ScalarNode):
            yield key, value
    for m in merged:
        if isinstance(m, MappingNode):
            yield from children(m)


def child(mapping: Node | None, name: str) -> tuple[ScalarNode, Node] | None:
    """``(key, value)`` of ``name`` in ``mapping``: its own last occurrence, else the first a merge brings."""
    if not isinstance(mapping, MappingNode):
        return None
    own = [(k, v) for k, v in mapping.value if isinstance(k, ScalarNode) and k.tag != _MERGE and str(k.value) == name]
    if own:
        return own[-1]
    return next(((k, v) for k, v in children(mapping) if str(k.value) == name), None)


Step = tuple[Node | None, Node | None, int]  # key node, value node, path parts matched


def walk(node: Node | None, parts: Sequence[str], want: str | None = None) -> Step:
    """Follow ``parts`` as far as they go: ``(key node, value node, parts matched)``.

    ``[]`` matches any list item; with ``want``, an item whose scalar at the end of the path holds ``want``
    is preferred. A mapping key may contain dots (``services.my.app``): the longest matching key wins.
    """
    best: Step = (None, node, 0)
    if not parts or node is None:
        return best
    head = parts[0]
    if isinstance(node, SequenceNode):
        items = list(node.value) if head == _ANY else _indexed(node, head)
        for item in items:
            key, value, depth = walk(item, parts[1:], want)
            candidate = (key if depth else item, value, depth + 1)
            if _better(candidate, best, len(parts), want):
                best = candidate
        return best
    if isinstance(node, MappingNode):
        for n in range(len(parts), 0, -1):
            pair = child(node, ".".join(parts[:n]))
            if pair is None:
                continue
            key, value, depth = walk(pair[1], parts[n:], want)
            candidate = (key if depth else pair[0], value, depth + n)
            if _better(candidate, best, len(parts), want):
                best = candidate
    return best


def _indexed(node: SequenceNode, head: str) -> list[Node]:
    return [node.value[int(head)]] if head.isdigit() and int(head) < len(node.value) else []


def _better(candidate: Step, best: Step, total: int, want: str | None) -> bool:
    """Deeper wins; at full depth, the first one holding ``want`` wins over one that does not."""
    if candidate[2] != best[2]:
        return candidate[2] > best[2]
    if want is None or candidate[2] != total:
        return False
    return _holds(candidate[1], want) and not _holds(best[1], want)


def _holds(node: Node | None, want: str) -> bool:
    return isinstance(node, ScalarNode) and want in str(node.value)


def path(
    documents: Sequence[Document], dotted: str | Sequence[str], *, key: bool = True, want: str | None = None
) -> Place | None:
    """Where ``dotted`` is (its key, or its value with ``key=False``); the deepest part of it that exists;
    None when not even its first part does."""
    parts = split(dotted) if isinstance(dotted, str) else list(dotted)
    best: tuple[Node | None, Node | None, int] = (None, None, 0)
    for doc in documents:
        found = walk(doc.node, parts, want)
        if found[2] > best[2]:
            best = found
    key_node, value_node, depth = best
    if depth == 0:
        return None
    if depth == len(parts) and not key and value_node is not None:
        return _place(value_node)
    return _place(key_node if key_node is not None else value_node)  # type: ignore[arg-type]


def entry(documents: Sequence[Document], dotted: str | Sequence[str], name: str) -> Place | None:
    """Where the entry ``name`` of the list or mapping at ``dotted`` is (``depends_on: [db]`` → ``db``); an
    entry like ``data:/var/lib`` matches ``data``; long-syntax items match by ``source``, ``name`` or
    ``service``."""
    parts = split(dotted) if isinstance(dotted, str) else list(dotted)
    for doc in documents:
        _, container, depth = walk(doc.node, parts)
        if depth != len(parts):
            continue
        if isinstance(container, MappingNode):
            for k, _ in children(container):
                if str(k.value) == name:
                    return _place(k)
        if isinstance(container, SequenceNode):
            for item in container.value:
                if isinstance(item, ScalarNode) and str(item.value).split(":", 1)[0] == name:
                    return _place(item)
                if isinstance(item, MappingNode):
                    for k, v in children(item):
                        if (
                            str(k.value) in ("source", "name", "service")
                            and isinstance(v, ScalarNode)
                            and v.value == name
                        ):
                            return _place(v)
    return None


def scalar(documents: Sequence[Document], needle: str, under: str | None = None) -> Place | None:
    """The first scalar value equal to ``needle`` (else containing it), below a key named ``under`` if given."""
    exact: Place | None = None
    partial: Place | None = None
    for doc in documents:
        for trail, node in scalars(doc.node):
            if under is not None and under not in trail:
                continue
            value = str(node.value)
            if value == needle and exact is None:
                exact = _place(node)
            elif needle in value and partial is None:
                partial = _place(node)
    return exact or partial


def scalars_equal(documents: Sequence[Document], needle: str) -> list[Place]:
    """Every scalar value that is exactly ``needle``, in file order."""
    found = [_place(node) for doc in documents for _, node in scalars(doc.node) if str(node.value) == needle]
    return sorted(set(found), key=lambda p: (p.line, p.column))


def scalars(root: Node | None) -> Iterator[tuple[tuple[str, ...], ScalarNode]]:
    """Every scalar value with the keys above it (aliases followed once: the caller bounded them)."""
    stack: list[tuple[tuple[str, ...], Node]] = [((), root)] if root is not None else []
    seen: set[int] = set()
    while stack:
        trail, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            yield trail, node
        elif isinstance(node, SequenceNode):
            stack.extend((trail, item) for item in reversed(node.value))
        elif isinstance(node, MappingNode):
            stack.extend(((*trail, str(k.value)), v) for k, v in reversed(list(children(node))))


def later(documents: Sequence[Document], base: Sequence[str], names: Sequence[str]) -> Place | None:
    """The last in the file of the keys ``names`` (each a dotted path below ``base``) that exist."""
    places = []
    for name in names:
        parts = [*base, *split(name)]
        for doc in documents:
            _, _, depth = walk(doc.node, parts)
            if depth == len(parts):
                found = path([doc], parts)
                if found is not None:
                    places.append(found)
    return max(places, key=lambda p: (p.line, p.column)) if places else None
