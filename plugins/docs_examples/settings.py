"""Check settings, independent of MkDocs.

The MkDocs plugin fills :class:`Settings` from its typed config (``config.py``); the CLI fills it from the
``docs-examples`` entry of ``mkdocs.yml`` when there is one. Either way the pipeline sees the same object.
Every relative path is resolved against ``root`` (the folder of ``mkdocs.yml``), never the working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docs_examples.blocks import templates

# Kubernetes minors supported upstream in late 2026, through the newest schema bundled by kubernetes-validate.
DEFAULT_KUBERNETES_VERSIONS = ("1.35", "1.36", "1.37")


@dataclass(slots=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    docs_dir: Path | None = None
    snippet_paths: list[Path] = field(default_factory=list)  # pymdownx.snippets base_path, resolved
    snippet_dedent: bool = False  # pymdownx.snippets dedent_subsections: sections and line ranges dedented
    cache_dir: Path | None = None  # None disables the cache
    kubernetes_versions: tuple[str, ...] = DEFAULT_KUBERNETES_VERSIONS
    kubeconform: str = "auto"  # "auto" (PATH), "off" (embedded engine), or a path to the binary
    schemas_dir: Path | None = None  # extra CRD schemas in kubeconform's layout
    hadolint_config: Path | None = None
    fail_on: str = "warning"  # lowest severity that fails a block
    timeout: float = 120.0  # seconds for one tool process
    jobs: int = 0  # concurrent tool processes; 0 = os.cpu_count()
    disabled_checks: tuple[str, ...] = ()
    unmarked_yaml: str = "ignore"  # YAML that is no known kind: ignore (syntax only) | warning | error
    macros: dict[str, Any] | None = None  # the site's mkdocs-macros markers and extra: (blocks.templates)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.docs_dir = self._abs(self.docs_dir) or self.root / "docs"
        self.snippet_paths = [self._abs(p) for p in self.snippet_paths] or [self.root]
        self.cache_dir = self._abs(self.cache_dir)
        self.schemas_dir = self._abs(self.schemas_dir)
        if self.hadolint_config is None and (self.root / ".hadolint.yaml").is_file():
            self.hadolint_config = self.root / ".hadolint.yaml"
        self.hadolint_config = self._abs(self.hadolint_config)
        self.kubernetes_versions = tuple(str(v) for v in self.kubernetes_versions)

    def _abs(self, p: Path | str | None) -> Path | None:
        if p is None or p == "":
            return None
        p = Path(p)
        return p if p.is_absolute() else (self.root / p).resolve()

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 2

    def digest(self) -> str:
        """What the verdicts depend on, for the cache key."""
        data = asdict(self)
        for k in ("root", "docs_dir", "cache_dir", "jobs", "timeout", "snippet_paths"):
            data.pop(k)
        if self.hadolint_config and self.hadolint_config.is_file():
            data["hadolint_config"] = self.hadolint_config.read_text(encoding="utf-8", errors="replace")
        return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=12).hexdigest()


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing ``!ENV`` or ``!!python/…`` tags: they load as None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def _entries(items: Any) -> dict[str, Any]:
    """MkDocs lists plugins and extensions as names or one-key mappings; make one dict of them."""
    out: dict[str, Any] = {}
    if isinstance(items, dict):
        return {str(k): v or {} for k, v in items.items()}
    for item in items or ():
        if isinstance(item, str):
            out[item] = {}
        elif isinstance(item, dict):
            for k, v in item.items():
                out[str(k)] = v or {}
    return out


PLUGIN_NAME = "docs-examples"


def from_options(
    root: Path, options: dict[str, Any], *, docs_dir: Any = None, snippets: Any = None, macros: Any = None
) -> Settings:
    """Settings from the plugin's option names, shared by ``mkdocs.yml`` readers and the MkDocs adapter.

    The options are flat (``kubernetes_versions``, ``kubeconform``, ``cache`` …), as the README documents.
    ``snippets`` is the pymdownx.snippets configuration (a mapping), or just its ``base_path``; ``macros`` is
    what :func:`~docs_examples.blocks.templates.macros_options` read from the mkdocs-macros plugin.
    """
    snippet_config = snippets if isinstance(snippets, dict) else {"base_path": snippets}
    base_path = snippet_config.get("base_path") or ["."]
    if isinstance(base_path, str | Path):
        base_path = [base_path]
    cache_enabled = options.get("cache", True)
    return Settings(
        root=root,
        docs_dir=docs_dir,
        snippet_paths=[Path(p) for p in base_path],
        snippet_dedent=bool(snippet_config.get("dedent_subsections", False)),
        cache_dir=Path(options.get("cache_dir") or ".cache/plugin/docs-examples") if cache_enabled else None,
        kubernetes_versions=tuple(options.get("kubernetes_versions") or DEFAULT_KUBERNETES_VERSIONS),
        kubeconform=str(options.get("kubeconform") or "auto"),
        schemas_dir=options.get("schemas_dir") or ("schemas" if (root / "schemas").is_dir() else None),
        hadolint_config=options.get("hadolint_config"),
        fail_on=str(options.get("fail_on", "warning")),
        timeout=float(options.get("timeout", 120)),
        jobs=int(options.get("jobs", 0)),
        disabled_checks=tuple(options.get("disabled_checks", ())),
        unmarked_yaml=str(options.get("unmarked_yaml", "ignore")),
        macros=macros,
    )


def from_mkdocs_yml(path: Path) -> Settings:
    """Settings for the CLI: the plugin's entry of ``mkdocs.yml``, or defaults beside it."""
    root = path.parent.resolve()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a mapping")
    options = _entries(data.get("plugins")).get(PLUGIN_NAME, {})
    snippets = _entries(data.get("markdown_extensions")).get("pymdownx.snippets", {})
    return from_options(
        root,
        options if isinstance(options, dict) else {},
        docs_dir=data.get("docs_dir", "docs"),
        snippets=snippets if isinstance(snippets, dict) else {},
        macros=templates.macros_options(_entries(data.get("plugins")), data.get("extra")),
    )


class ConfigError(Exception):
    """A setting the user must fix; the CLI exits 2 and the plugin raises a PluginError."""
