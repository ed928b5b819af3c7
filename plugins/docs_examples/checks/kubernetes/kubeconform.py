"""kubeconform, batched: one process per Kubernetes version for every document of the run.

Each document is written as JSON (the data our YAML loader read, so both engines judge the same data)
to its own file in one temporary folder, then::

    kubeconform -strict -output json -n <workers> -kubernetes-version 1.37.0
        -schema-location '<cache>/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/...'
        [-schema-location '<schemas_dir>/...'] <files…>

What it prints, as recorded from the real v0.7.0 (``../shared/corpus/kubeconform-v0.7.0/``): one entry per
resource that is not valid, with its file, kind, name, version, status and a message. For an invalid
resource the errors are only in that message, after ``jsonschema validation failed with '<schema>#'``, as
segments ``- at '<JSON pointer>': <message>``; each level of nesting adds two spaces before the dash
(santhosh-tekuri/jsonschema v6 prints one line per error, indented, and kubeconform joins the lines with
spaces). ``validationErrors`` holds only the first level of that tree (often ``validation failed``), so it
is read only when the message has no segments (kubeconform ≤ 0.6). A ``kind: List`` is validated item by
item and reported as the items. Every error becomes the same :class:`SchemaError` the embedded engine gives
for it, so both engines produce the same findings.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docs_examples.checks import runner
from docs_examples.checks.kubernetes.positions import ANY_OF, ENUM, ONE_OF, REQUIRED, TYPE, UNKNOWN, SchemaError
from docs_examples.checks.kubernetes.schemas import SchemaStore, minor

TOOL = "kubeconform"

Where = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Unvalidated:
    """kubeconform could not validate a document (``statusError``): no schema, or data it could not read."""

    message: str
    no_schema: bool = False


Result = list[SchemaError] | Unvalidated

# -- reading one message ---------------------------------------------------------------------------------

# Patterns are kept as text: ``re`` compiles each on first use, so a run without kubeconform pays nothing.
_QUOTED = r"'((?:[^'\\]|\\.)*)'"
_ESCAPE = r"(?s)\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)"
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "v": "\v", "a": "\a", "b": "\b"}
# " - at '/spec': " — one space, then two more per level below the first, then the quoted pointer.
_SEGMENT = r" ((?:  )*)- at '((?:[^'\\]|\\.)*)': "
_FILE_URL = r"'?file://[^' ]*'?"

# The leaf messages of santhosh-tekuri/jsonschema (v6 first, then v5 wording), as the embedded engine's rules.
_LEAVES: list[tuple[str, str]] = [
    (r"(?i)^additional ?p?roperties (.+) not allowed", UNKNOWN),
    (r"(?i)^missing propert(?:y|ies):? (.+)$", REQUIRED),
    (r"^got (\S+), want (.+)$", TYPE),
    (r"^expected (.+), but got (\w+)$", TYPE),
    (r"^value must be (?:one of )?(.+)$", ENUM),
    (r"^enum failed", ENUM),
    (r"^oneOf failed, none matched", ONE_OF),
    (r"^oneOf failed, subschemas", "schema/one-of-multiple-valid"),
    (r"^anyOf failed", ANY_OF),
    (r"^not failed", "schema/not"),
    (r"^false schema", "schema/false-schema"),
    (r"^(min|max)(Length|Items|Properties): got", ""),
    (r"^(minimum|maximum|exclusiveMinimum|exclusiveMaximum|multipleOf): got", ""),
    (r" does not match pattern ", "schema/pattern"),
    (r"^'.*' is not valid \S+: ", "schema/format"),
    (r"^items at \d+ and \d+ are equal", "schema/unique-items"),
    (r"^invalid property ", "schema/property-names"),
    (r"contains schema", "schema/contains"),
    (r"additionalItem\(s\) not allowed", "schema/additional-items"),
]
# Parents: a group of errors below one keyword, shown only as the errors it holds.
_GROUPS = r"^(?:validation failed|allOf failed)$"
# Parents that the embedded engine reports as one error at their own path (the branches are not errors).
_ALTERNATIVES = {ONE_OF, ANY_OF, "schema/one-of-multiple-valid"}


def unquote(text: str) -> str:
    """The string that santhosh-tekuri/jsonschema's ``quote`` printed (Go ``%q`` escapes, ``\\'`` for ``'``)."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    return re.sub(_ESCAPE, one, text)


def quoted_names(text: str) -> list[str]:
    """``['a', 'b']`` from ``'a', 'b'``."""
    return [unquote(q) for q in re.findall(_QUOTED, text)]


def pointer(path: str, data: Any = None) -> Where:
    """``("spec", "containers", 0)`` from the JSON pointer ``/spec/containers/0``.

    A numeric token is a list index only where ``data`` holds a list there (a map key may be ``"80"``);
    without data, every numeric token is taken for an index.
    """
    out: list[str | int] = []
    node = data
    for raw in path.strip().split("/")[1:] if path.strip() else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        index = part.isdigit() and (isinstance(node, list) or data is None)
        out.append(int(part) if index else part)
        try:
            node = node[out[-1]] if node is not None else None
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _keyword_rule(keyword: str) -> str:
    """``schema/min-length`` for ``minLength``: a bounds keyword's rule, as the embedded engine names it."""
    return "schema/" + re.sub(r"(?<!^)([A-Z])", r"-\1", keyword).lower()


def parse_message(where: Where, msg: str) -> list[SchemaError]:
    """Engine-neutral errors from one error message at ``where`` (one per property it names)."""
    text = msg.strip()
    for pattern, rule in _LEAVES:
        m = re.search(pattern, text)
        if not m:
            continue
        if rule in (UNKNOWN, REQUIRED):
            names = quoted_names(m.group(1)) or [m.group(1).strip()]
            return [SchemaError(where, rule, text, field=n) for n in names]
        if rule == TYPE:
            wanted = m.group(1) if text.startswith("expected") else m.group(2)
            types = tuple(t for t in re.split(r"\s+or\s+|,\s*", wanted) if t and t != "null")
            return [SchemaError(where, TYPE, text, expected=types)]
        if rule == ENUM:
            return [SchemaError(where, ENUM, text, expected=tuple(quoted_names(m.group(1))))]
        return [SchemaError(where, rule or _keyword_rule(m.group(0).split(":")[0]), text)]
    return [SchemaError(where, "schema/other", re.sub(_FILE_URL, "<schema>", text))]


def segments(msg: str) -> list[tuple[int, str, str]]:
    """``(depth, pointer, message)`` for each ``- at '<pointer>': <message>`` of kubeconform's message."""
    found = list(re.finditer(_SEGMENT, msg))
    out = []
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(msg)
        out.append((len(m.group(1)) // 2 + 1, unquote(m.group(2)), msg[m.end() : end].strip()))
    return out


def errors_in(msg: str, data: Any) -> list[SchemaError]:
    """The errors of kubeconform's top-level message: its leaves, and each oneOf/anyOf as one error.

    A parent's ``validation failed`` only says that errors follow below it; a oneOf or anyOf that no branch
    matched is one error at its own path (its branches' errors explain why each branch did not fit).
    """
    out: list[SchemaError] = []
    parts = segments(msg)
    skip_below: int | None = None
    for n, (depth, path, text) in enumerate(parts):
        if skip_below is not None:
            if depth > skip_below:
                continue
            skip_below = None
        errors = parse_message(pointer(path, data), text)
        if errors[0].rule in _ALTERNATIVES:
            out += errors
            skip_below = depth
            continue
        has_children = n + 1 < len(parts) and parts[n + 1][0] > depth
        if has_children or re.match(_GROUPS, text):
            continue
        out += errors
    return out


def _legacy(resource: dict[str, Any], data: Any) -> list[SchemaError]:
    """kubeconform ≤ 0.6: errors in ``validationErrors`` or, before 0.6.4, as ``'<ptr>' does not validate``."""
    errors: list[SchemaError] = []
    for item in resource.get("validationErrors") or []:
        msg = str(item.get("msg", "")) if isinstance(item, dict) else ""
        if msg and not re.match(_GROUPS, msg) and not msg.startswith("doesn't validate with"):
            errors += parse_message(pointer(str(item.get("path", "")), data), msg)
    if not errors:
        for m in re.finditer(r"'(/[^']*|)' does not validate with [^:]+:[^:]*: (.+?)(?:$|\n)", str(resource["msg"])):
            errors += parse_message(pointer(m.group(1), data), m.group(2))
    return errors


def errors_of(resource: dict[str, Any], data: Any) -> list[SchemaError]:
    """The errors of one ``statusInvalid`` resource, never empty (the message itself, at worst)."""
    msg = str(resource.get("msg") or "")
    errors = errors_in(msg, data) or _legacy({**resource, "msg": msg}, data)
    if not errors:
        errors = [SchemaError((), "schema/other", re.sub(_FILE_URL, "<schema>", msg) or "invalid")]
    return sorted(set(errors), key=lambda e: (len(e.path), [str(p) for p in e.path], e.rule, e.field or ""))


# -- Lists -----------------------------------------------------------------------------------------------


def signature(data: Any) -> tuple[str, str, str]:
    """``(kind, version, name)`` as kubeconform names a resource in its output."""
    if not isinstance(data, dict):
        return ("", "", "")

    def text(mapping: Any, key: str) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value if isinstance(value, str) else ""

    meta = data.get("metadata")
    generated = text(meta, "generateName")
    name = generated + "{{ generateName }}" if generated else text(meta, "name")
    return (text(data, "kind"), text(data, "apiVersion"), name)


def is_list(data: Any) -> bool:
    """A ``kind: List`` that kubeconform expands into its items (its kind compared without case)."""
    return (
        isinstance(data, dict) and str(data.get("kind", "")).lower() == "list" and isinstance(data.get("items"), list)
    )


def resources(data: Any) -> Iterator[tuple[Where, Any]]:
    """Each resource kubeconform validates in one document, with its path in the document."""
    if is_list(data):
        for i, item in enumerate(data["items"]):
            yield ("items", i), item
    else:
        yield (), data


def _place(entry: dict[str, Any], data: Any, taken: set[Where]) -> tuple[Where, Any]:
    """The resource of ``data`` that an output entry is about: the first one of its signature not yet taken."""
    wanted = (str(entry.get("kind", "")), str(entry.get("version", "")), str(entry.get("name", "")))
    candidates = list(resources(data))
    for prefix, item in candidates:
        if prefix not in taken and signature(item) == wanted:
            return prefix, item
    return candidates[0] if len(candidates) == 1 else ((), data)


# -- reading the whole output ----------------------------------------------------------------------------


def parse_output(stdout: str, documents: dict[str, Any] | None = None) -> dict[str, Result]:
    """Per file name: its schema errors, or :class:`Unvalidated` when kubeconform could not validate it.

    ``documents`` maps each file name to the data written to it, to tell list indexes from numeric keys
    and to place the items of a List.
    """
    try:
        data = json.loads(stdout)
    except ValueError as exc:
        raise runner.ToolFailed(TOOL, f"output is not JSON: {stdout.strip()[:300]!r}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise runner.ToolFailed(TOOL, f"unexpected output: {stdout.strip()[:300]!r}")
    documents = documents or {}
    out: dict[str, Result] = {}
    taken: dict[str, set[Where]] = {}
    for entry in data["resources"]:
        if not isinstance(entry, dict):
            continue
        name = Path(str(entry.get("filename", ""))).name
        status = entry.get("status")
        if status == "statusError":
            msg = str(entry.get("msg") or "kubeconform could not validate this document")
            no_schema = msg.startswith("could not find schema")
            out[name] = Unvalidated(re.sub(_FILE_URL, "<schema>", msg), no_schema=no_schema)
        elif status == "statusInvalid" and not isinstance(out.get(name), Unvalidated):
            prefix, item = _place(entry, documents.get(name), taken.setdefault(name, set()))
            taken[name].add(prefix)
            errors = [
                SchemaError((*prefix, *e.path), e.rule, e.detail, e.field, e.expected) for e in errors_of(entry, item)
            ]
            out[name] = [*out.get(name, []), *errors]  # type: ignore[misc]
    return out


class Kubeconform:
    """Runs one kubeconform process per version over every document of the run."""

    def __init__(self, binary: str, store: SchemaStore, *, workers: int, timeout: float) -> None:
        self.binary = binary
        self.store = store
        self.workers = workers
        self.timeout = timeout

    def version(self) -> str:
        return "kubeconform " + runner.version_of([self.binary, "-v"], timeout=self.timeout).lstrip("v")

    def argv(self, version: str) -> list[str]:
        """Everything before the file names: strict, JSON output, the version and the schema layouts."""
        argv = [self.binary, "-strict", "-output", "json", "-n", str(self.workers)]
        argv += ["-kubernetes-version", f"{minor(version)}.0"]
        for location in [self.store.template(), *self.store.extra_templates()]:
            argv += ["-schema-location", location]
        return argv

    def validate(self, version: str, documents: Sequence[tuple[str, Any]]) -> dict[str, Result]:
        """Errors per document id for ``(id, data)`` pairs, validated on Kubernetes ``version``."""
        if not documents:
            return {}
        with tempfile.TemporaryDirectory(prefix="docs-examples-kubeconform-") as folder:
            names: dict[str, str] = {}
            written: dict[str, Any] = {}
            for n, (doc_id, data) in enumerate(documents):
                name = f"doc-{n:06d}.json"
                (Path(folder) / name).write_text(json.dumps(data), encoding="utf-8")
                names[name], written[name] = doc_id, data
            out = runner.run([*self.argv(version), *names], timeout=self.timeout, cwd=folder)
        if out.returncode not in (0, 1):
            raise runner.ToolFailed(TOOL, f"exit {out.returncode}: {out.stderr.strip()[:500]}")
        return {names[k]: v for k, v in parse_output(out.stdout, written).items() if k in names}
