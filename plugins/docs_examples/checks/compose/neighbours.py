"""Files a Compose file names beside itself: ``include``, ``extends.file``, ``env_file``, ``label_file``.

``docker-compose config`` opens these while it loads the file, so this module looks at them first, and
Compose runs only when every one is safe to open:

- a block that stands alone on the page has none of them beside it: each is one ``missing-neighbour-file``
  finding at its key, with the hint to include the files from ``snippets/`` (or ``required: false`` for an
  env file) — never Compose's "open …: no such file or directory" on line 1;
- a block included from ``snippets/`` has its folder: a file there is read (and the files *it* names are
  screened the same way), but only inside that folder. An absolute path, a ``../`` that leaves it, a
  symlink that resolves outside it, a variable the build machine sets (``${HOME}``), a device or anything
  that is not a regular file is refused with ``neighbour-outside-folder``, and Compose is not run at all,
  so the file is never opened. The project's own ``.env`` (which Compose reads unasked) is screened too.

Findings name files as the page wrote them and never quote what is in them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from docs_examples.checks.compose import variables
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import Document, limit_problem, load

TOOL = "docker-compose"
MAX_FILE_BYTES = 1024 * 1024  # a neighbour file larger than this is not screened, hence not read
MAX_DEPTH = 8  # include / extends chains deeper than this are refused
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|oci://)", re.IGNORECASE)
MENTIONS = re.compile(r"\b(?:include|extends|env_file|label_file)\b")


@dataclass(frozen=True, slots=True)
class Reference:
    """One file named in a Compose file: what names it, the path as written, where (block line)."""

    key: str  # include | extends.file | env_file | label_file
    written: str
    line: int
    column: int
    required: bool = True
    project_directory: str | None = None  # an include entry's own project folder


@dataclass(slots=True)
class Survey:
    """What the neighbour files allow: findings, and how Compose may be run."""

    findings: list[Finding] = field(default_factory=list)
    refused: bool = False  # a file outside the folder: Compose must not run
    missing_env: bool = False  # an env file is missing: run Compose without reading env files
    missing: set[str] = field(default_factory=set)  # resolved paths reported missing (Compose's own errors drop)
    origin: dict[str, tuple[int, int]] = field(default_factory=dict)  # resolved path → (line, column) naming it


def references(documents: list[Document]) -> list[Reference]:
    """Every local file named by ``documents`` (remote includes are Compose's to refuse)."""
    found: list[Reference] = []
    for doc in documents:
        root = doc.node
        if not isinstance(root, MappingNode):
            continue
        for key, value in root.value:
            if _text(key) == "include":
                found.extend(_includes(value))
            elif _text(key) == "services" and isinstance(value, MappingNode):
                for _, service in value.value:
                    found.extend(_service_files(service))
    return [r for r in found if not _REMOTE.match(r.written)]


def _includes(node: Node) -> Iterator[Reference]:
    items = node.value if isinstance(node, SequenceNode) else [node]
    for item in items:
        if isinstance(item, ScalarNode):
            yield _ref("include", item)
        elif isinstance(item, MappingNode):
            project = _child(item, "project_directory")
            project_dir = str(project.value) if isinstance(project, ScalarNode) else None
            for path in _strings(_child(item, "path")):
                yield _ref("include", path, project_directory=project_dir)
            for env in _strings(_child(item, "env_file")):
                yield _ref("env_file", env)
            if isinstance(project, ScalarNode):
                yield _ref("include.project_directory", project)


def _service_files(service: Node) -> Iterator[Reference]:
    if not isinstance(service, MappingNode):
        return
    extends = _child(service, "extends")
    if isinstance(extends, MappingNode) and isinstance(f := _child(extends, "file"), ScalarNode):
        yield _ref("extends.file", f)
    for key in ("env_file", "label_file"):
        value = _child(service, key)
        items = value.value if isinstance(value, SequenceNode) else [value] if value is not None else []
        for item in items:
            if isinstance(item, ScalarNode):
                yield _ref(key, item)
            elif isinstance(item, MappingNode) and isinstance(p := _child(item, "path"), ScalarNode):
                req = _child(item, "required")
                optional = isinstance(req, ScalarNode) and str(req.value).lower() in ("false", "no", "off", "n")
                yield _ref(key, p, required=not optional)


def _ref(key: str, node: ScalarNode, **extra: object) -> Reference:
    mark = node.start_mark
    return Reference(key, str(node.value), mark.line + 1, mark.column + 1, **extra)  # type: ignore[arg-type]


def _child(mapping: MappingNode, name: str) -> Node | None:
    found = None
    for key, value in mapping.value:
        if _text(key) == name:
            found = value
    return found


def _strings(node: Node | None) -> list[ScalarNode]:
    if isinstance(node, ScalarNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [n for n in node.value if isinstance(n, ScalarNode)]
    return []


def _text(node: Node) -> str | None:
    return str(node.value) if isinstance(node, ScalarNode) else None


# -- screening ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Screen:
    """Screens the files named by one block, against the block's folder ``root``."""

    root: Path  # the block's folder: nothing outside it is opened
    env: Mapping[str, str]  # what Compose will substitute (page values, placeholders)
    machine: frozenset[str]  # variables the tool's environment sets: their values are the machine's
    standalone: bool  # the block stands alone on the page (its folder is an empty temporary one)
    shown: str  # the folder as the reader knows it (snippets/app/)
    survey: Survey = field(default_factory=Survey)
    seen: set[Path] = field(default_factory=set)

    def run(self, documents: list[Document]) -> Survey:
        """Screen the block's references (and, through included files, theirs) and the folder's ``.env``."""
        self._dotenv(self.root, (1, 1))
        for ref in references(documents):
            self._one(ref, [self.root], (ref.line, ref.column), depth=0, via=None)
        return self.survey

    def _one(self, ref: Reference, bases: list[Path], at: tuple[int, int], depth: int, via: str | None) -> None:
        """Screen one reference, resolved against every folder Compose may resolve it against."""
        target, why = self._target(ref, bases, via)
        if ref.key == "include.project_directory" and why is None:
            return  # a folder Compose resolves paths against: it stays inside, and is never opened
        if why is None and target is not None and target.exists():
            why = _unsafe(target, self.root, self.shown)
        if why is not None:
            self._refuse(ref, at, via, why)
        elif target is None:
            return  # an invalid interpolation: Compose reports it before it opens anything
        elif not target.exists():
            self._missing(ref, target, at, via)
        else:
            self.survey.origin.setdefault(str(target), at)
            if ref.key in ("include", "extends.file"):
                self._nested(ref, target, bases, at, depth, via or ref.written)

    def _target(self, ref: Reference, bases: list[Path], via: str | None) -> tuple[Path | None, str | None]:
        """Where ``ref`` points (by name, inside the folder), or why it may not be followed."""
        written = ref.written
        if via is not None and "$" in written:
            return None, "uses a variable in a file included from this block (not screened)"
        if any(f"${name}" in written or f"${{{name}" in written for name in self.machine):
            return None, "uses a variable the build machine sets"
        expanded = variables.expand(written, self.env)
        if not expanded:
            return None, None  # an invalid interpolation: Compose reports it before it opens anything
        if posixpath.isabs(expanded) or expanded.startswith("~"):
            return None, "is an absolute path"
        targets = [_inside(base / expanded, self.root) for base in bases]
        if any(t is None for t in targets):
            return None, f"leaves {self.shown}"
        return targets[0], None

    def _nested(
        self, ref: Reference, target: Path, bases: list[Path], at: tuple[int, int], depth: int, via: str
    ) -> None:
        """The files an included or extended file names, screened as the block's own (relative to it too)."""
        real = target.resolve()
        if real in self.seen:
            return  # a cycle: Compose reports it ("include cycle detected")
        self.seen.add(real)
        if depth >= MAX_DEPTH:
            self._refuse(ref, at, via, f"starts a chain of more than {MAX_DEPTH} included files")
            return
        text = real.read_text(encoding="utf-8", errors="replace")
        if (problem := limit_problem(text)) is not None:
            self._refuse(ref, at, via, f"is past a YAML limit ({problem.message})")
            return
        documents, _ = load(text)
        folder = target.parent
        nested_bases = [folder, *(b for b in bases if b != folder)]
        if ref.project_directory:  # relative to the including file's folder
            project = _inside(bases[0] / ref.project_directory, self.root)
            if project is not None:
                nested_bases.insert(0, project)
                self._dotenv(project, at)
        self._dotenv(folder, at)
        for inner in references(documents):
            self._one(inner, nested_bases, at, depth + 1, via)

    def _dotenv(self, folder: Path, at: tuple[int, int]) -> None:
        """A project folder's ``.env``, which Compose reads without being asked: inside, and a file."""
        if self.standalone:
            return
        dotenv = folder / ".env"
        if not dotenv.exists() and not dotenv.is_symlink():
            return
        real = dotenv.resolve()
        if not real.is_relative_to(self.root.resolve()) or not real.is_file():
            self.survey.refused = True
            self.survey.findings.append(
                _finding(
                    "neighbour-outside-folder",
                    f"the .env file beside this Compose file leads out of {self.shown} or is not a regular file; "
                    "Compose reads it unasked, so Compose is not run",
                    at,
                    "make .env a plain file in the folder, or remove it",
                )
            )

    def _refuse(self, ref: Reference, at: tuple[int, int], via: str | None, why: str) -> None:
        self.survey.refused = True
        where = (
            f"{via}, included here, names {ref.written!r} ({ref.key}), which" if via else f"{ref.key} {ref.written!r}"
        )
        self.survey.findings.append(
            _finding(
                "neighbour-outside-folder",
                f"{where} {why}; only files inside {self.shown} are read, so Compose is not run on this block",
                at,
                f"keep every file the Compose file names inside {self.shown}",
            )
        )

    def _missing(self, ref: Reference, target: Path, at: tuple[int, int], via: str | None) -> None:
        if ref.key in ("env_file", "label_file") and not ref.required:
            return
        if ref.key == "env_file":
            self.survey.missing_env = True
        self.survey.missing.add(str(target))
        what = {"include": "included file", "extends.file": "extended file"}.get(ref.key, ref.key.replace("_", " "))
        if via:
            message = f"{via}, included here, names the {what} {ref.written!r}, which is not in {self.shown}"
        elif self.standalone:
            message = f"{what} {ref.written!r} is not there when this block is pasted alone"
        else:
            message = f"{what} {ref.written!r} is not in {self.shown}, beside this Compose file"
        self.survey.findings.append(_finding("missing-neighbour-file", message, at, self._hint(ref)))

    def _hint(self, ref: Reference) -> str:
        optional = (
            " (or mark the entry `required: false` if the reader may not have one)" if ref.key == "env_file" else ""
        )
        if self.standalone:
            return (
                f"put this Compose file and {ref.written} in snippets/ and include the block with "
                f'--8<-- "…/compose.yaml", so both are checked together{optional}'
            )
        return f"add {ref.written} to {self.shown}{optional}"


def _unsafe(target: Path, root: Path, shown: str) -> str | None:
    """Why an existing ``target`` may not be opened: a symlink out of ``root``, not a file, too large."""
    real = target.resolve()
    if not real.is_relative_to(root.resolve()):
        return f"is a symlink that leads out of {shown}"
    if not real.is_file():
        return "is not a regular file"
    if real.stat().st_size > MAX_FILE_BYTES:
        return f"is larger than {MAX_FILE_BYTES // 1024} KiB"
    return None


def _inside(path: Path, root: Path) -> Path | None:
    """``path`` with ``..`` resolved by name (no symlinks followed); None when that leaves ``root``."""
    normal = Path(posixpath.normpath(str(path)))
    return normal if normal == root or normal.is_relative_to(root) else None


def _finding(rule: str, message: str, at: tuple[int, int], hint: str) -> Finding:
    return Finding(TOOL, rule, Severity.ERROR, message, line=at[0], column=at[1], hint=hint)
