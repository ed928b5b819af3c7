"""kubeconform, batched: one process per Kubernetes version for every document of the run.

Each document is written as JSON (the data our YAML loader read, so both engines judge the same data)
to its own file in one temporary folder, then::

    kubeconform -strict -output json -summary -n <workers> -kubernetes-version 1.37.0
        -schema-location '<cache>/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/...'
        [-schema-location '<schemas_dir>/...'] <files…>

Its JSON names each invalid resource's file, status (``statusValid``, ``statusInvalid``, ``statusError``,
``statusSkipped``, ``statusEmpty``), message and, since v0.6.4, ``validationErrors`` (``path``, ``msg``).
Messages are parsed into the same :class:`SchemaError` s as the embedded engine's; both the wording of
santhosh-tekuri/jsonschema v5 (kubeconform ≤ 0.6) and v6 (0.7) are understood.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docs_examples.checks import runner
from docs_examples.checks.kubernetes.positions import ENUM, REQUIRED, TYPE, UNKNOWN, SchemaError
from docs_examples.checks.kubernetes.schemas import SchemaStore, minor

TOOL = "kubeconform"

_QUOTED = re.compile(r"""['"]([^'"]*)['"]""")
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^additional ?properties (.+) not allowed", re.I), UNKNOWN),
    (re.compile(r"^missing propert(?:y|ies):? (.+)$", re.I), REQUIRED),
    (re.compile(r"^expected (.+), but got (\w+)", re.I), TYPE),
    (re.compile(r"^got (\w+), want (.+)$", re.I), TYPE),
    (re.compile(r"^value must be one of (.+)$", re.I), ENUM),
]
# kubeconform ≤ 0.6.3 put everything in msg: "... jsonschema: '/spec' does not validate with <url>: <msg>"
_LEGACY = re.compile(r"'(/[^']*|)' does not validate with [^:]+:[^:]*: (.+?)(?:$|\n)")


def pointer(path: str) -> tuple[str | int, ...]:
    """``("spec", "containers", 0)`` from the JSON pointer ``/spec/containers/0``."""
    out: list[str | int] = []
    for part in path.strip().strip("/").split("/"):
        if part == "":
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


def parse_message(path: str, msg: str) -> list[SchemaError]:
    """Engine-neutral errors from one kubeconform validation error."""
    where = pointer(path)
    text = msg.strip()
    for pattern, rule in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        if rule in (UNKNOWN, REQUIRED):
            names = _QUOTED.findall(m.group(1)) or [m.group(1).strip()]
            return [SchemaError(where, rule, text, field=n) for n in names]
        if rule == TYPE:
            wanted = m.group(1) if pattern.pattern.startswith("^expected") else m.group(2)
            types = tuple(t for t in re.split(r"\s+or\s+|,\s*", wanted) if t and t != "null")
            return [SchemaError(where, TYPE, text, expected=types)]
        return [SchemaError(where, ENUM, text, expected=tuple(_QUOTED.findall(m.group(1))))]
    return [SchemaError(where, "schema/other", text)]


def parse_output(stdout: str) -> dict[str, list[SchemaError] | str]:
    """Per file name: its schema errors, or a string when kubeconform could not validate it."""
    try:
        data = json.loads(stdout)
    except ValueError as exc:
        raise runner.ToolFailed(TOOL, f"output is not JSON: {stdout.strip()[:300]!r}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise runner.ToolFailed(TOOL, f"unexpected output: {stdout.strip()[:300]!r}")
    out: dict[str, list[SchemaError] | str] = {}
    for res in data["resources"]:
        if not isinstance(res, dict):
            continue
        name = Path(str(res.get("filename", ""))).name
        status = res.get("status")
        if status == "statusInvalid":
            out[name] = _errors_of(res)
        elif status == "statusError":
            out[name] = str(res.get("msg") or "kubeconform could not validate this document")
    return out


def _errors_of(resource: dict[str, Any]) -> list[SchemaError]:
    errors: list[SchemaError] = []
    for item in resource.get("validationErrors") or []:
        msg = str(item.get("msg", ""))
        if msg.startswith("doesn't validate with") or not msg:
            continue
        errors.extend(parse_message(str(item.get("path", "")), msg))
    if not errors:
        for m in _LEGACY.finditer(str(resource.get("msg", ""))):
            errors.extend(parse_message(m.group(1), m.group(2)))
    if not errors:
        errors.append(SchemaError((), "schema/other", str(resource.get("msg") or "invalid")))
    return errors


class Kubeconform:
    """Runs one kubeconform process per version over every document of the run."""

    def __init__(self, binary: str, store: SchemaStore, *, workers: int, timeout: float) -> None:
        self.binary = binary
        self.store = store
        self.workers = workers
        self.timeout = timeout

    def version(self) -> str:
        return "kubeconform " + runner.version_of([self.binary, "-v"], timeout=self.timeout).lstrip("v")

    def validate(self, version: str, documents: Sequence[tuple[str, Any]]) -> dict[str, list[SchemaError] | str]:
        """Errors per document id for ``(id, data)`` pairs, validated on Kubernetes ``version``."""
        if not documents:
            return {}
        with tempfile.TemporaryDirectory(prefix="docs-examples-kubeconform-") as folder:
            names: dict[str, str] = {}
            files = []
            for n, (doc_id, data) in enumerate(documents):
                name = f"doc-{n:06d}.json"
                (Path(folder) / name).write_text(json.dumps(data), encoding="utf-8")
                names[name] = doc_id
                files.append(name)
            argv = [self.binary, "-strict", "-output", "json", "-summary", "-n", str(self.workers)]
            argv += ["-kubernetes-version", f"{minor(version)}.0"]
            for location in [self.store.template(), *self.store.extra_templates()]:
                argv += ["-schema-location", location]
            out = runner.run([*argv, *files], timeout=self.timeout, cwd=folder)
        if out.returncode not in (0, 1):
            raise runner.ToolFailed(TOOL, f"exit {out.returncode}: {out.stderr.strip()[:500]}")
        return {names[k]: v for k, v in parse_output(out.stdout).items() if k in names}
