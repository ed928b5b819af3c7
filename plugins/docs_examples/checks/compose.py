"""Compose files, loaded the way ``docker compose`` loads them: ``docker-compose config``.

Each block runs in its own process (Compose merges every ``-f`` file, so blocks cannot share one), the
blocks concurrently. A block that stands on the page alone runs in an empty temporary project folder; a
block included from a file (``--8<-- "snippets/app/compose.yaml"``) runs with that file's folder as the
project directory, so ``env_file`` and build contexts resolve. Only ``config`` is run: nothing is built,
pulled or started, no remote ``include:`` is fetched (Compose's git and OCI loaders are switched off: the
block fails with ``remote-include``), and no Docker engine is needed.

The environment is the runner's scrubbed one, so ``${VAR}`` never sees the build machine's variables:
``${VAR:-default}`` takes its default, and an unset ``${VAR}`` without a default gets Compose's own
"variable is not set" warning, reported as a **warning** (rule ``unset-variable``): the reader who copies
the file sees a blank value, which is worth fixing (give it a default or say ``${VAR:?message}``) but is not
a broken file. ``${VAR:?message}`` on an unset variable is a Compose error and reported as one.

Compose stops at its first error, so a block gets at most one error from Compose itself, plus warnings,
plus the build-context findings of this module (``missing-build-context``, ``missing-dockerfile``).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

import yaml

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity, tool_error
from docs_examples.yaml_loader import Document, first_document

TOOL = "docker-compose"
PROJECT_NAME = "docs-examples"
# One short-lived process per block: Go's garbage collector cost a quarter of Compose's CPU time here. No
# collection until the heap nears 256 MiB keeps small files fast and a huge one bounded.
GO_RUNTIME = {"GOGC": "off", "GOMEMLIMIT": "256MiB"}
# ``include:`` of a git repository or an OCI artifact makes Compose clone or pull it (it runs git, and
# fetches). Nothing is fetched while checking: these switch both loaders off, and Compose says so.
NO_REMOTE = {"COMPOSE_EXPERIMENTAL_GIT_REMOTE": "false", "COMPOSE_EXPERIMENTAL_OCI_REMOTE": "false"}

# logrus lines: time="…" level=warning msg="…"
_LOG = re.compile(r'^time="[^"]*"\s+level=(?P<level>\w+)\s+msg="(?P<msg>(?:[^"\\]|\\.)*)"\s*$')
_VALIDATING = re.compile(r"^validating [^:]+:\s*(?P<rest>.*)$")
_GO_YAML = re.compile(r"L(?P<line>\d+)\.C(?P<col>\d+)(?!.*L\d+\.C\d+)")  # the last mark: the problem
_YAML_LINE = re.compile(r"\byaml: line (?P<line>\d+)")
_UNSET = re.compile(r'The "(?P<var>[^"]+)" variable is not set')
_DEPENDS = re.compile(r'service "(?P<svc>[^"]+)" depends on undefined service "?(?P<dep>[^":]+)"?')
_REFERS = re.compile(
    r'service "(?P<svc>[^"]+)" refers to undefined (?P<what>network|volume|config|secret) "?(?P<name>[^":\s]+)"?'
)
_ADDITIONAL = re.compile(r"^(?P<path>\S*)\s*additional propert(?:y|ies) '?(?P<names>[^']+?)'? (?:is|are)? ?not allowed")
_FALSE_SCHEMA = re.compile(r"^(?P<path>\S+) false schema$")
_INTERPOLATING = re.compile(r"^error while interpolating (?P<path>\S+?):")
_QUOTED_PATH = re.compile(r"^'(?P<path>[^']+)'")
_LEADING_PATH = re.compile(r"^(?P<path>[A-Za-z_][\w-]*(?:\.[\w.-]+)+)\b")
_ENV_FILE = re.compile(r"^env file (?P<file>\S+) not found")
_REMOTE_DISABLED = re.compile(r"^(?P<what>git|OCI) remote resource is disabled by")


class ComposeConfig(Check):
    """``docker-compose config --quiet`` per block, with every message placed on a line of the block."""

    name: ClassVar[str] = "compose"
    tool: ClassVar[str] = TOOL
    reads_files = True  # its context, bases or rule files: see Check.reads_files
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.COMPOSE})

    def binary(self) -> str:
        return runner.find_tool("docker-compose")

    def version(self) -> str:
        """``Docker Compose 5.6.1``."""
        out = runner.run([self.binary(), "version", "--short"], timeout=self.settings.timeout)
        text = out.stdout.strip().removeprefix("v")
        if out.returncode != 0 or not text:
            raise runner.ToolFailed(TOOL, f"version: {out.stderr.strip()[:300] or 'no output'}")
        return f"Docker Compose {text.splitlines()[0]}"

    def describe(self) -> str:
        return f"{self.version()} (config)"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        binary = self.binary()
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
            results = pool.map(lambda b: (b.id, self.check_block(b, binary)), blocks)
            return {block_id: found for block_id, found in results if found}

    # -- one block --------------------------------------------------------------------------------------

    def project_dir(self, block: Block) -> Path | None:
        """The folder of the file a block was included from (under ``settings.root``), else None."""
        if not block.includes:
            return None
        first = block.origins[0].file if block.origins else ""
        source = first if first in block.includes else block.includes[0]
        folder = (self.settings.root / source).resolve().parent
        return folder if folder.is_dir() else None

    def check_block(self, block: Block, binary: str) -> list[Finding]:
        """Run Compose on one block and turn everything it said into located findings."""
        project = self.project_dir(block)
        doc = first_document(block.text)
        with tempfile.TemporaryDirectory(prefix="docs-examples-compose-") as tmp:
            compose_file = Path(tmp) / "compose.yaml"
            compose_file.write_text(block.text, encoding="utf-8")
            workdir = project or Path(tmp) / "project"
            workdir.mkdir(exist_ok=True)
            argv = [binary, "--project-name", PROJECT_NAME, "--project-directory", str(workdir)]
            argv += ["-f", str(compose_file), "config", "--quiet"]
            out = runner.run(argv, timeout=self.settings.timeout, cwd=workdir, env=GO_RUNTIME | NO_REMOTE)
            scrub = [(str(compose_file), self.display_name(block)), (f"{workdir}/", ""), (f"{tmp}/", "")]
        scrub.append((str(self.settings.root) + "/", ""))
        findings = self.parse_output(out.stderr, out.returncode, block, doc, scrub)
        if project is not None:
            findings += self.build_context_findings(block, doc, project)
        return findings

    @staticmethod
    def display_name(block: Block) -> str:
        return block.title or (block.includes[0] if block.includes else "compose.yaml")

    # -- parsing Compose's output -----------------------------------------------------------------------

    def parse_output(
        self, stderr: str, returncode: int, block: Block, doc: Document | None, scrub: list[tuple[str, str]]
    ) -> list[Finding]:
        """Warnings come as logrus lines; the error (non-zero exit) as the remaining plain lines."""
        findings: list[Finding] = []
        plain: list[str] = []
        for raw in stderr.splitlines():
            line = _scrub(raw, scrub)
            m = _LOG.match(line)
            if m:
                msg = m["msg"].replace('\\"', '"').replace("\\\\", "\\")
                if m["level"] in ("warning", "error", "fatal"):
                    findings.append(self.warning(msg, block, doc, m["level"]))
            elif line.strip():
                plain.append(line.strip())
        if returncode != 0:
            errors = _split_errors(plain)
            if not errors:
                return [tool_error(TOOL, f"config exited {returncode} without a message")]
            findings += [self.error(msg, block, doc) for msg in errors]
        return findings

    def warning(self, msg: str, block: Block, doc: Document | None, level: str) -> Finding:
        """Compose's warnings: the obsolete ``version`` attribute and unset variables, mainly."""
        if "attribute `version` is obsolete" in msg:
            return Finding(
                TOOL,
                "obsolete-version",
                Severity.WARNING,
                "the top-level `version` attribute is obsolete and ignored by Compose; remove it",
                line=_line(doc, ["version"]) or 1,
                column=1,
            )
        unset = _UNSET.search(msg)
        if unset:
            line = _text_line(block.text, "${" + unset["var"]) or _text_line(block.text, "$" + unset["var"])
            return Finding(
                TOOL,
                "unset-variable",
                Severity.WARNING,
                f"{msg} Give it a default (${{{unset['var']}:-value}}) or require it (${{{unset['var']}:?message}}).",
                line=line,
            )
        severity = Severity.WARNING if level == "warning" else Severity.ERROR
        return Finding(TOOL, "compose-warning", severity, msg, line=self.path_line(msg, doc))

    def error(self, msg: str, block: Block, doc: Document | None) -> Finding:
        """One Compose error, with a rule and the line it names."""
        rule, line, column = "config", None, None
        if m := _VALIDATING.match(msg):
            msg = m["rest"].strip()
            rule = "schema"
        if m := _GO_YAML.search(msg) or _YAML_LINE.search(msg):
            rule, line = "yaml-syntax", int(m["line"])
            column = int(m["col"]) if "col" in m.groupdict() else None
        elif m := _DEPENDS.search(msg):
            rule = "undefined-service"
            path = ["services", m["svc"], "depends_on"]
            line = _item_line(doc, path, m["dep"]) or _line(doc, path)
        elif m := _REFERS.search(msg):
            rule = f"undefined-{m['what']}"
            path = ["services", m["svc"], m["what"] + "s"]
            line = _item_line(doc, path, m["name"]) or _line(doc, path)
        elif m := _ADDITIONAL.match(msg):
            rule = "schema"
            parent = _path(m["path"])
            names = [n.strip(" '") for n in m["names"].split(",")]
            msg = f"{m['path'] or 'top level'}: additional property {', '.join(names)} is not allowed"
            line = _line(doc, [*parent, names[0]]) or _line(doc, parent)
        elif m := _FALSE_SCHEMA.match(msg):
            rule = "schema"
            path = _path(m["path"])
            msg = f"{'.'.join(map(str, path[:-1]))}: additional property {path[-1]} is not allowed"
            line = _line(doc, path)
        elif m := _INTERPOLATING.match(msg):
            rule = "interpolation"
            line = _line(doc, _path(m["path"]), key=False)
        elif m := _REMOTE_DISABLED.match(msg):
            rule = "remote-include"
            msg = (
                f"a {m['what']} include is not fetched while checking, so Compose cannot load this file; "
                'show the included file on the page, or mark the block data-check="skip" with a reason'
            )
            line = _line(doc, ["include"])
        elif _ENV_FILE.match(msg):
            rule = "missing-env-file"
            line = _text_line(block.text, "env_file")
        else:
            line = self.path_line(msg, doc) or _value_line(msg, block.text)
        msg = msg.removesuffix(": invalid compose project")
        return Finding(TOOL, rule, Severity.ERROR, msg, line=line or 1, column=column)

    @staticmethod
    def path_line(msg: str, doc: Document | None) -> int | None:
        """Line of a path named at the start of a message (``services.web.ports must be …``)."""
        m = _QUOTED_PATH.match(msg) or _LEADING_PATH.match(msg)
        return _line(doc, _path(m["path"])) if m else None

    # -- build contexts of included files ---------------------------------------------------------------

    def build_context_findings(self, block: Block, doc: Document | None, project: Path) -> list[Finding]:
        """Every local ``build.context`` must be a folder and its ``dockerfile`` a file, beside the snippet."""
        if doc is None or not isinstance(doc.node_at(["services"]), yaml.MappingNode):
            return []
        findings = []
        for service in doc.data["services"]:
            findings += _build_problems(service, doc, ["services", service, "build"], project)
        return findings


# -- helpers --------------------------------------------------------------------------------------------


def _scrub(text: str, replacements: list[tuple[str, str]]) -> str:
    """Replace temporary and machine paths with names the reader knows."""
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def _split_errors(lines: list[str]) -> list[str]:
    """Compose's error text: one line, or a header ending in ``:`` followed by one line per problem."""
    if len(lines) > 1 and lines[0].rstrip().endswith(":"):
        return lines[1:]
    return [" ".join(lines)] if lines else []


def _path(dotted: str) -> list[str | int]:
    """``services[web].ports.0`` → ``["services", "web", "ports", 0]``."""
    out: list[str | int] = []
    for part in re.split(r"\.|\[|\]", dotted.strip("'\"")):
        if part:
            out.append(int(part) if part.isdigit() else part)
    return out


def _line(doc: Document | None, path: Sequence[str | int], *, key: bool = True) -> int | None:
    """Line of ``path``'s key (its value with ``key=False``); where only the first steps of ``path``
    exist, that of the deepest one; None when not even the first step exists."""
    if doc is None:
        return None
    depth = next((n for n in range(len(path), 0, -1) if doc.exists(path[:n])), 0)
    return doc.line_of(path[:depth], key=key) if depth else None


def _item_line(doc: Document | None, path: Sequence[str | int], name: str) -> int | None:
    """Line of the entry ``name`` in the list or mapping at ``path`` (``depends_on: [db]`` → the ``db``
    line); an entry such as ``data:/var/lib`` matches ``data`` by its first colon-separated part."""
    container = doc.node_at(path) if doc is not None else None
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


def _text_line(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return i
    return None


def _value_line(msg: str, text: str) -> int | None:
    """Line of the value a message ends with (``invalid containerPort: abc`` → the line holding ``abc``)."""
    tail = msg.rsplit(": ", 1)[-1].strip(" '\"") if ": " in msg else ""
    return _text_line(text, tail) if len(tail) >= 2 else None


def _is_remote(context: str) -> bool:
    return "://" in context or context.startswith(("git@", "github.com/")) or "$" in context


def _build_problems(service: str, doc: Document, path: list[str | int], project: Path) -> list[Finding]:
    """Findings for one service's ``build:`` at ``path`` (short string form or mapping form)."""
    build = doc.node_at(path)
    if build is None:
        return []
    context_line = dockerfile_line = doc.line_of(path, key=True)
    dockerfile = "Dockerfile"
    if isinstance(build, yaml.ScalarNode):
        context = str(build.value or ".")
    elif isinstance(build, yaml.MappingNode):
        cv = doc.node_at([*path, "context"])
        context = str(cv.value) if isinstance(cv, yaml.ScalarNode) and cv.value else "."
        context_line = doc.line_of([*path, "context"], key=True) if cv is not None else context_line
        dv = doc.node_at([*path, "dockerfile"])
        if isinstance(dv, yaml.ScalarNode) and dv.value:
            dockerfile, dockerfile_line = str(dv.value), doc.line_of([*path, "dockerfile"], key=True)
        if doc.exists([*path, "dockerfile_inline"]):
            dockerfile = ""
    else:
        return []
    if _is_remote(context):
        return []
    folder = (project / context).resolve()
    if not folder.is_dir():
        return [
            Finding(
                TOOL,
                "missing-build-context",
                Severity.ERROR,
                f"service {service}: build context {context!r} does not exist beside the Compose file",
                line=context_line,
            )
        ]
    if dockerfile and "$" not in dockerfile and not (folder / dockerfile).is_file():
        return [
            Finding(
                TOOL,
                "missing-dockerfile",
                Severity.ERROR,
                f"service {service}: Dockerfile {dockerfile!r} not found in build context {context!r}",
                line=dockerfile_line,
            )
        ]
    return []
