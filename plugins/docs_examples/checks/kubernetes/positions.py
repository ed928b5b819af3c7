"""From a schema error at a JSON path to a finding at a line of the block.

Both engines (kubeconform and the embedded one) describe an error as a :class:`SchemaError`: the path of
the object or value concerned, a rule and the property involved. This module places it the way a reader
looks for it: an unknown field on the line of that key (with the closest allowed property as a hint), a
wrong type or a value outside an enum on the line of the value, a missing required field on the line of
the parent.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docs_examples.blocks.placeholders import restore
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import Document

UNKNOWN = "schema/unknown-field"
TYPE = "schema/type"
REQUIRED = "schema/required"
ENUM = "schema/enum"
ONE_OF = "schema/one-of-not-valid"
ANY_OF = "schema/any-of"

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation, engine-neutral.

    ``path`` names the object that has the unknown field or lacks the required one, or else the value
    that has the wrong type or value. ``field`` is the unknown or missing property.
    """

    path: Path
    rule: str
    detail: str
    field: str | None = None
    expected: tuple[str, ...] = ()


def dotted(path: Sequence[str | int]) -> str:
    """``spec.containers[0].image`` from ``("spec", "containers", 0, "image")``."""
    out = ""
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
        else:
            out += ("." if out else "") + str(seg)
    return out or "(document)"


# -- walking the schema ---------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], node: Any, depth: int = 0) -> dict[str, Any]:
    """Follow local ``$ref`` s (``#/definitions/...``) to the schema they name."""
    while isinstance(node, dict) and "$ref" in node and depth < 50:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node, depth = target, depth + 1
    return node if isinstance(node, dict) else {}


def _branches(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The node and the branches of its ``oneOf``/``anyOf``/``allOf``, resolved."""
    out = [node]
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(key, []) or []:
            out.append(_resolve(schema, sub))
    return out


def schema_at(schema: dict[str, Any], path: Sequence[str | int]) -> dict[str, Any]:
    """The sub-schema that describes the instance at ``path`` (empty when the schema does not say)."""
    node = _resolve(schema, schema)
    for seg in path:
        nxt: dict[str, Any] = {}
        for branch in _branches(schema, node):
            if isinstance(seg, int):
                items = branch.get("items")
                if isinstance(items, dict):
                    nxt = _resolve(schema, items)
            else:
                props = branch.get("properties") or {}
                if seg in props:
                    nxt = _resolve(schema, props[seg])
                elif isinstance(branch.get("additionalProperties"), dict):
                    nxt = _resolve(schema, branch["additionalProperties"])
            if nxt:
                break
        node = nxt
    return node


def properties_at(schema: dict[str, Any], path: Sequence[str | int]) -> list[str]:
    """The property names allowed for the object at ``path``."""
    names: list[str] = []
    node = schema_at(schema, path)
    for branch in _branches(schema, node):
        names.extend(branch.get("properties") or {})
    return names


def types_at(schema: dict[str, Any], path: Sequence[str | int]) -> tuple[str, ...]:
    """The JSON types allowed at ``path`` (``null`` left out: every optional field allows it)."""
    found: list[str] = []
    for branch in _branches(schema, schema_at(schema, path)):
        t = branch.get("type")
        for name in [t] if isinstance(t, str) else t or []:
            if name != "null" and name not in found:
                found.append(name)
    return tuple(found)


def suggestion(name: str, allowed: Sequence[str]) -> str | None:
    """``did you mean `replicas`?`` for the closest allowed property, if any is close."""
    near = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    if not near:
        lowered = {a.lower(): a for a in allowed}
        if name.lower() in lowered:
            near = [lowered[name.lower()]]
    return f"did you mean `{near[0]}`?" if near else None


def json_type(value: Any) -> str:
    """The JSON type name of a loaded YAML value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def value_at(data: Any, path: Sequence[str | int]) -> Any:
    """The loaded value at ``path``, or None."""
    for seg in path:
        try:
            data = data[seg]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# -- placing --------------------------------------------------------------------------------------------


def _short(values: Sequence[str], limit: int = 8) -> str:
    shown = [f"`{v}`" for v in values[:limit]]
    return ", ".join(shown) + (f" … ({len(values)} values)" if len(values) > limit else "")


def to_finding(
    error: SchemaError,
    doc: Document,
    schema: dict[str, Any],
    *,
    tool: str,
    line_offset: int = 0,
) -> Finding:
    """The finding for ``error`` in ``doc``, at block lines (``line_offset`` added for heredocs)."""
    where = dotted(error.path)
    hint = None
    rule = error.rule
    if rule in (ONE_OF, ANY_OF) and types_at(schema, error.path):  # int-or-string and the like
        rule = TYPE
    if rule == UNKNOWN and error.field is not None:
        full = (*error.path, error.field)
        line, column = doc.position_of(full, key=True)
        message = f"unknown field `{dotted(full)}`"
        hint = suggestion(error.field, properties_at(schema, error.path))
    elif rule == REQUIRED and error.field is not None:
        line, column = doc.position_of(error.path, key=True) if error.path else (doc.start_line, 1)
        message = f"missing required field `{error.field}` in `{where}`"
    elif rule == TYPE:
        line, column = doc.position_of(error.path)
        expected = types_at(schema, error.path) or error.expected
        got = json_type(value_at(doc.data, error.path))
        message = f"`{where}` must be {' or '.join(expected) or 'another type'}, not {got}"
    elif rule == ENUM:
        line, column = doc.position_of(error.path)
        allowed = tuple(str(v) for v in schema_at(schema, error.path).get("enum", [])) or error.expected
        message = f"`{where}` must be one of {_short(allowed)}; got `{value_at(doc.data, error.path)}`"
    else:
        line, column = doc.position_of(error.path)
        message = f"`{where}`: {error.detail}"
    return Finding(
        tool=tool,
        rule=rule,
        severity=Severity.ERROR,
        message=restore(message),
        line=line + line_offset,
        column=column,
        hint=hint,
    )
