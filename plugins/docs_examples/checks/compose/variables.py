"""``${VAR}`` in a Compose file, the way documentation uses it: values the reader supplies.

Compose reads variables from the environment when it loads a file (``${VAR}``, ``$VAR``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?message}``, ``${VAR?message}``, ``${VAR:+other}``, ``${VAR+other}``, ``$$`` for
a dollar). This module finds every reference in the values of a loaded file (keys are never interpolated),
with the YAML path and line of each, and chooses for each variable the reader must supply an example value
that fits where it is used: a number for ``deploy.replicas``, a boolean for ``read_only``, a duration for
``healthcheck.interval``, a path for a bind mount's source, an address for the first part of
``"${BIND}:8080:80"``. Which fields Compose converts to which type comes from compose-go's interpolation
table (the fields it casts after substituting) and Compose's schema, checked against Compose 5 field by
field in the tests.

Nothing here reads the build machine's environment: values come from the page (``data-env``) or are the
placeholders below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from docs_examples.yaml_loader import Document

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")
REQUIRED = (":?", "?")
DEFAULTS = (":-", "-")
_MERGE = "tag:yaml.org,2002:merge"

# Placeholder values by what a field takes; each passes Compose 5 where that kind of field is used.
PLACEHOLDERS = {
    "text": "example",
    "number": "1",
    "port": "8080",
    "bool": "true",
    "bytes": "64m",
    "duration": "10s",
    "path": "./example",
    "address": "127.0.0.1",
    "pull-policy": "missing",
}
# When one variable is used in fields of several kinds, the value must fit the strictest.
_STRICTNESS = ("bool", "pull-policy", "duration", "bytes", "address", "number", "port", "path", "text")

# Service (and top-level resource) fields by the type Compose converts them to, by key name.
_BOOL_KEYS = frozenset(
    {
        "init",
        "oom_kill_disable",
        "privileged",
        "read_only",
        "stdin_open",
        "tty",
        "disable",
        "nocopy",
        "external",
        "internal",
        "attachable",
        "enable_ipv6",
        "create_host_path",
    }
)
_NUMBER_KEYS = frozenset(
    {
        "cpus",
        "cpu_count",
        "cpu_percent",
        "cpu_period",
        "cpu_quota",
        "cpu_rt_period",
        "cpu_rt_runtime",
        "cpu_shares",
        "oom_score_adj",
        "pids_limit",
        "pids",
        "replicas",
        "scale",
        "retries",
        "parallelism",
        "max_attempts",
        "max_replicas_per_node",
        "max_failure_ratio",
        "weight",
        "priority",
        "soft",
        "hard",
    }
)
_BYTES_KEYS = frozenset({"mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "shm_size", "memory"})
_DURATION_KEYS = frozenset(
    {"stop_grace_period", "interval", "timeout", "start_period", "start_interval", "delay", "window", "monitor"}
)


@dataclass(frozen=True, slots=True)
class Reference:
    """One ``$VAR`` / ``${VAR…}`` in a template: ``op`` is ``""`` or one of ``:-`` ``-`` ``:?`` ``?`` ``:+`` ``+``."""

    name: str
    op: str
    argument: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Use:
    """A reference at a place in the file: the value's YAML path, the block line, the kind of field."""

    name: str
    op: str
    line: int
    path: tuple[str | int, ...]
    kind: str
    argument: str = ""  # the default, message or alternative after the operator


def references(template: str) -> list[Reference] | None:
    """The top-level references of ``template``; None when Compose calls it an invalid interpolation format.

    ``$$`` is a literal dollar and a ``$`` not followed by a name or ``{`` is kept as it is; ``${`` must
    close (nested ``${…}`` counted) around a name and an optional operator.
    """
    found: list[Reference] = []
    i = template.find("$")
    while 0 <= i < len(template) - 1:
        following = template[i + 1]
        if following == "$":
            i = template.find("$", i + 2)
            continue
        if following == "{":
            close = _closing_brace(template, i)
            body = template[i + 2 : close] if close > 0 else ""
            name = _NAME.match(body)
            rest = body[name.end() :] if name else ""
            op = next((o for o in _OPERATORS if rest.startswith(o)), "")
            if close < 0 or name is None or (rest and not op):
                return None
            found.append(Reference(name.group(), op, rest[len(op) :], i, close + 1))
            i = template.find("$", close + 1)
            continue
        if name := _NAME.match(template, i + 1):
            found.append(Reference(name.group(), "", "", i, name.end()))
            i = template.find("$", name.end())
            continue
        i = template.find("$", i + 1)
    return found


def _closing_brace(template: str, start: int) -> int:
    """Index of the ``}`` that closes the ``${`` at ``start`` (inner ``${`` counted), -1 when none does."""
    depth, i = 0, start
    while i < len(template):
        if template.startswith("${", i):
            depth += 1
            i += 2
            continue
        if template[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def expand(template: str, env: Mapping[str, str]) -> str | None:
    """``template`` as Compose substitutes it from ``env`` (an unset variable is empty); None when malformed
    or when a ``:?``/``?`` variable is missing."""
    refs = references(template)
    if refs is None:
        return None
    out, last = [], 0
    for ref in refs:
        out.append(template[last : ref.start].replace("$$", "$"))
        value = _substitute(ref, env)
        if value is None:
            return None
        out.append(value)
        last = ref.end
    out.append(template[last:].replace("$$", "$"))
    return "".join(out)


def _substitute(ref: Reference, env: Mapping[str, str]) -> str | None:
    """The value of one reference, operators applied."""
    value = env.get(ref.name)
    if ref.op in DEFAULTS:
        unset = value is None or (ref.op == ":-" and value == "")
        return expand(ref.argument, env) if unset else value
    if ref.op in (":+", "+"):
        present = value is not None and (ref.op == "+" or value != "")
        return expand(ref.argument, env) if present else ""
    if ref.op in REQUIRED and (value is None or (ref.op == ":?" and value == "")):
        return None
    return value or ""


# -- where references are used --------------------------------------------------------------------------


def uses(documents: list[Document]) -> list[Use]:
    """Every reference in the values of ``documents``, in file order; defaults' inner references included."""
    found: list[Use] = []
    for doc in documents:
        for path, node in _scalars(doc.node):
            if "$" not in str(node.value):
                continue
            refs = references(str(node.value))
            if refs:
                found.extend(_uses_of(str(node.value), refs, path, node))
    found.sort(key=lambda u: u.line)
    return found


def _uses_of(value: str, refs: list[Reference], path: tuple[str | int, ...], node: ScalarNode) -> Iterator[Use]:
    for ref in refs:
        kind = field_kind(path, value, ref.start)
        line = _line_in(node, value, ref.start)
        pending = [ref]
        while pending:  # a default is substituted when its variable is unset: its references count, nested too
            here = pending.pop(0)
            yield Use(here.name, here.op, line, path, kind, here.argument)
            if here.op in DEFAULTS:
                pending += references(here.argument) or []


def _line_in(node: ScalarNode, value: str, offset: int) -> int:
    """Block line of character ``offset`` of a scalar's value (a literal block's lines are its own)."""
    line = node.start_mark.line + 1
    if node.style == "|":
        return line + 1 + value.count("\n", 0, offset)
    return line


def _scalars(root: Node | None) -> Iterator[tuple[tuple[str | int, ...], ScalarNode]]:
    """Every scalar value under ``root`` with its path; merge keys (``<<: *base``) merge into their mapping.

    Follows aliases, as the loaded data does: the caller has bounded their expansion first.
    """
    stack: list[tuple[tuple[str | int, ...], Node]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        if isinstance(node, ScalarNode):
            yield path, node
        elif isinstance(node, SequenceNode):
            stack.extend(((*path, i), item) for i, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                if key.tag == _MERGE:
                    merged = value.value if isinstance(value, SequenceNode) else [value]
                    stack.extend((path, m) for m in merged if isinstance(m, MappingNode))
                elif isinstance(key, ScalarNode):
                    stack.append(((*path, str(key.value)), value))


def field_kind(path: tuple[str | int, ...], value: str, offset: int) -> str:
    """What the field at ``path`` takes, for the reference at ``offset`` of its ``value``."""
    keys = [p for p in path if isinstance(p, str)]
    last = keys[-1] if keys else ""
    special = _service_field(path, keys, last, value, offset) if len(path) >= 3 and path[0] == "services" else None
    if special:
        return special
    if last in _BOOL_KEYS:
        return "bool"
    if last in _NUMBER_KEYS or (len(keys) >= 3 and keys[2] == "ulimits"):
        return "number"
    if last in _BYTES_KEYS or (last == "size" and "tmpfs" in keys):
        return "bytes"
    if last in _DURATION_KEYS:
        return "duration"
    return "text"


def _service_field(path: tuple[str | int, ...], keys: list[str], last: str, value: str, offset: int) -> str | None:
    """Kinds that depend on where in a service the field is (ports, volumes, modes, depends_on)."""
    field = keys[2]
    item = isinstance(path[-1], int)
    if field == "ports":
        if item:
            return _port_part(value, offset)
        return "port" if last in ("target", "published") else None
    if field == "expose":
        return "port"
    if field == "volumes" and item and _part_index(value, offset)[0] == 0:
        return "path"
    if field in ("secrets", "configs") and last == "mode":
        return "number"
    if field == "depends_on" and last in ("restart", "required"):
        return "bool"
    if last == "count":
        return "number"
    if last == "pull_policy":
        return "pull-policy"
    if last in ("restart", "mode"):
        return "text"
    return None


def _part_index(value: str, offset: int) -> tuple[int, int]:
    """Which colon-separated part of ``value`` the reference at ``offset`` is in, and how many parts."""
    flat = []
    refs = references(value) or []
    last = 0
    for ref in refs:  # other references may hold colons of their own (``${A:-x}``): blank them out
        flat.append(value[last : ref.start])
        flat.append("\0" if ref.start == offset else "x")
        last = ref.end
    flat.append(value[last:])
    text = "".join(flat)
    here = text.find("\0")
    return text.count(":", 0, max(here, 0)), text.count(":") + 1


def _port_part(value: str, offset: int) -> str:
    """``[ADDRESS:]HOST:CONTAINER``: the first of three parts is an address, every other part a port."""
    index, parts = _part_index(value, offset)
    return "address" if parts == 3 and index == 0 else "port"


def placeholder(kinds: list[str]) -> str:
    """A value that fits every kind of field a variable is used in (the strictest one's)."""
    for kind in _STRICTNESS:
        if kind in kinds:
            return PLACEHOLDERS[kind]
    return PLACEHOLDERS["text"]


def dotenv_names(text: str) -> set[str]:
    """Names a project's ``.env`` file defines (``NAME=…`` or ``export NAME=…``); values are never kept."""
    names = set()
    for raw in text.splitlines():
        line = raw.strip().removeprefix("export ").lstrip()
        name = _NAME.match(line)
        if name and line[name.end() :].lstrip().startswith("="):
            names.add(name.group())
    return names
