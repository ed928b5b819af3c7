"""Map a path in a YAML document (``services.web.ports``) to the line it is written on.

A small node walker over :func:`yaml.compose`: it builds nodes (with their marks) and never constructs
Python objects, so nothing in the text can run. Checks whose tools report paths instead of lines use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml


def root_node(text: str, document: int = 0) -> yaml.Node | None:
    """The node tree of the ``document``-th YAML document of ``text``, or None if it does not parse."""
    try:
        for i, node in enumerate(yaml.compose_all(text, Loader=yaml.SafeLoader)):
            if i == document:
                return node
    except (yaml.YAMLError, RecursionError):
        return None
    return None


def _child(node: yaml.Node, step: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of ``step`` under ``node``; for a sequence the key is the item itself."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return key, value
        return None
    if isinstance(node, yaml.SequenceNode):
        try:
            index = int(step)
        except (TypeError, ValueError):
            return None
        if 0 <= index < len(node.value):
            return node.value[index], node.value[index]
    return None


def find(node: yaml.Node | None, path: Sequence[str | int]) -> tuple[yaml.Node | None, yaml.Node | None, int]:
    """Walk ``path`` from ``node``: (key node, value node, steps matched). Stops at the first missing step."""
    key: yaml.Node | None = None
    depth = 0
    for step in path:
        if node is None:
            break
        pair = _child(node, step)
        if pair is None:
            break
        key, node = pair
        depth += 1
    return key, node, depth


def line_of(node: yaml.Node | None, path: Sequence[str | int], *, key: bool = True) -> int | None:
    """1-based line of ``path`` (its key when ``key``, else its value); the deepest existing ancestor if
    the path does not exist to the end; None when not even its first step exists."""
    k, v, depth = find(node, path)
    if depth == 0:
        return None
    target = k if key and k is not None else v
    return target.start_mark.line + 1 if target is not None else None


def item_line(node: yaml.Node | None, path: Sequence[str | int], name: str) -> int | None:
    """Line of the entry ``name`` in the list or mapping at ``path`` (``depends_on: [db]`` → the ``db``
    line); an entry such as ``data:/var/lib`` matches ``data`` by its first colon-separated part."""
    _, container, depth = find(node, path)
    if depth != len(path) or container is None:
        return None
    if isinstance(container, yaml.MappingNode):
        entries = [k for k, _ in container.value]
    elif isinstance(container, yaml.SequenceNode):
        entries = list(container.value)
    else:
        return None
    for entry in entries:
        if isinstance(entry, yaml.ScalarNode) and str(entry.value).split(":", 1)[0] == name:
            return entry.start_mark.line + 1
        if isinstance(entry, yaml.MappingNode):  # long syntax: {source: data, target: /x} / {name: x}
            for k, v in entry.value:
                if k.value in ("source", "name") and isinstance(v, yaml.ScalarNode) and v.value == name:
                    return v.start_mark.line + 1
    return None
