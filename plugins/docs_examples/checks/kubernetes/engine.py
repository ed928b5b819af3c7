"""The embedded schema engine: jsonschema-rs, in process, one compiled validator per schema file.

Chosen by measurement on the 406 corpus resources that have a schema at Kubernetes 1.37 (strict,
standalone layout; see tests/test_k8s_corpus.py for the end-to-end times):

==============  =============  ==============  =================================
library          compile (all)  validate (all)  full error list with paths
==============  =============  ==============  =================================
jsonschema-rs    0.08 s         0.004 s         yes (``iter_errors``, instance paths)
fastjsonschema   8.0 s          0.03 s          no (stops at the first error)
jsonschema       0.003 s        0.32 s          yes
==============  =============  ==============  =================================
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

from docs_examples import distributions
from docs_examples.checks import runner
from docs_examples.checks.kubernetes.positions import ENUM, REQUIRED, TYPE, UNKNOWN, SchemaError, types_at

TOOL = "kubernetes-schema"


def version() -> str:
    """``jsonschema-rs 0.61.0``, part of the cache key; ToolMissing when the library is not installed."""
    _library()
    return f"jsonschema-rs {distributions.version('jsonschema-rs')}"


@cache
def _library() -> Any:
    """jsonschema-rs, imported when first needed: a missing wheel is a missing tool, never a missing check."""
    return runner.library("jsonschema_rs", "jsonschema-rs")


_LOCK = threading.Lock()


@cache
def _schema(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


@cache
def _validator(path: Path) -> Any:
    """The compiled validator of one schema file; jsonschema-rs parses the JSON text itself, which is
    faster than ``json.loads`` and handing it a dict, and the dict is only needed to explain errors."""
    return _library().validator_for(path.read_text(encoding="utf-8"))


def schema_of(path: Path) -> dict[str, Any]:
    """The parsed schema file (shared with positions for did-you-mean and expected types)."""
    with _LOCK:
        return _schema(path)


def _errors(error: Any, schema: Callable[[], dict[str, Any]]) -> list[SchemaError]:
    """Engine-neutral errors from one jsonschema-rs error (an unknown-fields error names several).

    ``schema`` gives the parsed schema, read only when a oneOf/anyOf error needs its types.
    """
    path = tuple(error.instance_path)
    kind = error.kind
    name = type(kind).__name__
    if name == "AdditionalProperties":
        return [SchemaError(path, UNKNOWN, error.message, field=str(f)) for f in kind.unexpected]
    if name == "Required":
        return [SchemaError(path, REQUIRED, error.message, field=str(kind.property))]
    if name == "Type":
        return [SchemaError(path, TYPE, error.message)]
    if name == "Enum":
        return [SchemaError(path, ENUM, error.message, expected=tuple(str(v) for v in kind.options))]
    if name in {"OneOfNotValid", "AnyOf"} and types_at(schema(), path):
        return [SchemaError(path, TYPE, error.message)]
    rule = "schema/" + "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")
    return [SchemaError(path, rule, error.message)]


def validate(data: Any, schema_path: Path) -> list[SchemaError]:
    """Every schema error of ``data`` against the schema file at ``schema_path``."""
    with _LOCK:
        validator = _validator(schema_path)
    return _collect(validator, lambda: schema_of(schema_path), data)


_COMPILED: dict[Hashable, Any] = {}


def validate_with(data: Any, schema: dict[str, Any], key: Hashable) -> list[SchemaError]:
    """Every schema error of ``data`` against an in-memory schema (fragments), compiled once per ``key``."""
    with _LOCK:
        validator = _COMPILED.get(key)
        if validator is None:
            validator = _COMPILED[key] = _library().validator_for(schema)
    return _collect(validator, lambda: schema, data)


def _collect(validator: Any, schema: Callable[[], dict[str, Any]], data: Any) -> list[SchemaError]:
    out: list[SchemaError] = []
    try:
        for error in validator.iter_errors(data):
            out.extend(_errors(error, schema))
    except (ValueError, TypeError, OverflowError) as exc:  # data JSON cannot hold (a NaN key, a huge int)
        out.append(SchemaError((), "schema/not-json", f"the document cannot be read as JSON: {exc}"))
    return sorted(set(out), key=lambda e: (len(e.path), [str(p) for p in e.path], e.rule, e.field or ""))
