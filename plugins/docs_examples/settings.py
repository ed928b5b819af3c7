"""Settings, independent of MkDocs: every option is declared once here and validated once, by :func:`from_options`.

An option is a field of :class:`Settings` made with :func:`option`: its default, the function that checks
and normalises what a user wrote, its group, and a docstring with a YAML example. Both adapters read the
same declarations: the MkDocs plugin's config class is generated from them (``config.py``), the CLI reads
the ``docs-examples`` entry of ``mkdocs.yml`` and its own flags through the same :func:`from_options`, and
the README's configuration reference is tested against them. A bad value is a :class:`ConfigError` that
names the option and the accepted values (the CLI exits 2; the plugin raises a PluginError).

Every relative path is resolved against ``root`` (the folder of ``mkdocs.yml``), never the working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from docs_examples.blocks import templates
from docs_examples.suppress import IgnoreRule, parse_ignore

# Kubernetes minors supported upstream in late 2026, through the newest schema bundled by kubernetes-validate.
DEFAULT_KUBERNETES_VERSIONS = ("1.35", "1.36", "1.37")
SEVERITIES = ("error", "warning", "info", "style")
PLUGIN_NAME = "docs-examples"


class ConfigError(Exception):
    """A setting the user must fix; the CLI exits 2 and the plugin raises a PluginError."""


# -- value checkers: each takes what YAML (or a flag) gave and returns the normalised value ---------------

Parse = Callable[[Any], Any]


def _did_you_mean(value: object, choices: Any) -> str:
    import difflib  # only for a wrong value

    near = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def choice(*choices: str) -> Parse:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"{value!r} is not one of: {', '.join(choices)}{_did_you_mean(value, choices)}")
        return value

    parse.__doc__ = " | ".join(choices)
    return parse


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def optional_text(value: Any) -> str | None:
    return None if value is None else text(value)


def number(minimum: float, *, integer: bool = False) -> Parse:
    def parse(value: Any) -> float | int:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or value < minimum:
            what = "a whole number" if integer else "a number"
            raise ValueError(f"expected {what} of at least {minimum:g}, got {value!r}")
        return value

    return parse


def text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(value)


_MINOR = re.compile(r"^1\.\d{1,2}$")


def kubernetes_versions(value: Any) -> tuple[str, ...]:
    """Kubernetes minors as quoted strings: YAML reads a bare ``1.30`` as the number 1.3."""
    if isinstance(value, list | tuple) and any(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise ValueError(
            f'write Kubernetes versions as quoted strings, e.g. ["1.35", "1.36"] (got {list(value)!r}: '
            "YAML reads 1.30 as the number 1.3)"
        )
    versions = text_list(value)
    if not versions:
        raise ValueError('name at least one Kubernetes version, e.g. ["1.37"]')
    for v in versions:
        if not _MINOR.match(v):
            raise ValueError(f'{v!r} is not a Kubernetes minor version such as "1.37"')
    return versions


OFF = ("off", "false", "no")


def kubeconform_value(value: Any) -> str:
    """``auto`` | ``off`` (also YAML's false, ``no``) | a path to an executable kubeconform."""
    if value is False or (isinstance(value, str) and value.strip().lower() in OFF):
        return "off"
    if isinstance(value, str) and value.strip() == "auto":
        return "auto"
    if isinstance(value, str) and "/" in value:
        return value.strip()
    raise ValueError(
        f"{value!r} is not auto, off or a path to the kubeconform binary (a path has a slash: ./bin/kubeconform)"
    )


def paths(value: Any) -> tuple[str, ...]:
    """A path or a list of paths (files or folders, relative to mkdocs.yml)."""
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return text_list(value)


def folders(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError(f"expected a mapping of names to folders, got {value!r}")
    return dict(value)


# -- declaring options ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Declaration:
    """How an option is written and checked. ``verdict``: a change re-checks every block (cache key)."""

    parse: Parse
    group: str
    doc: str
    verdict: bool = False


def option(default: Any, parse: Parse, *, group: str, doc: str, verdict: bool = False) -> Any:
    """A :class:`Settings` field that users set in ``mkdocs.yml``; ``doc`` ends with a YAML example."""
    meta = {"option": Declaration(parse, group, doc, verdict)}
    if isinstance(default, list | dict | tuple):
        frozen = default
        return field(default_factory=lambda: type(frozen)(frozen), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(slots=True)
class Settings:
    """Everything a run depends on. Options (fields made with :func:`option`) come from ``mkdocs.yml``;
    the first five fields come from MkDocs' own configuration (``docs_dir``, ``pymdownx.snippets``, the
    ``macros`` plugin and ``extra:``)."""

    root: Path = field(default_factory=Path.cwd)
    docs_dir: Path | None = None
    snippet_paths: list[Path] = field(default_factory=list)  # pymdownx.snippets base_path, resolved
    snippet_dedent: bool = False  # pymdownx.snippets dedent_subsections: sections and line ranges dedented
    macros: dict[str, Any] | None = None  # the macros plugin's markers and extra: (blocks.templates.macros_options)

    # -- General --
    enabled: bool = option(
        True, boolean, group="General", doc="Check examples at all. ``enabled: !ENV [CHECK_EXAMPLES, true]``"
    )
    # -- Caching --
    cache: bool = option(
        True, boolean, group="Caching", doc="Keep results of unchanged blocks between builds. ``cache: true``"
    )
    cache_dir: Path | None = option(
        ".cache/plugin/docs-examples",
        text,
        group="Caching",
        doc="Where the cache lives, beside mkdocs.yml. ``cache_dir: .cache/plugin/docs-examples``",
    )
    # -- Kubernetes --
    kubernetes_versions: tuple[str, ...] = option(
        DEFAULT_KUBERNETES_VERSIONS,
        kubernetes_versions,
        group="Kubernetes",
        verdict=True,
        doc="Kubernetes minors every manifest must be valid on (quoted). "
        '``kubernetes_versions: ["1.35", "1.36", "1.37"]``',
    )
    kubeconform: str = option(
        "auto",
        kubeconform_value,
        group="Kubernetes",
        verdict=True,
        doc="``auto`` (kubeconform from PATH, else the embedded engine), ``off`` (embedded engine; YAML's "
        '``false`` and ``no`` also mean off), or a path to the binary. ``kubeconform: "off"``',
    )
    schemas: tuple[Path, ...] = option(
        (),
        paths,
        group="Kubernetes",
        verdict=True,
        doc="Schemas for custom resources: CRD manifests (``kind: CustomResourceDefinition``, YAML or JSON), "
        "and folders of them or of JSON schemas in the CRDs-catalog layout (``{group}/{kind}_{version}.json``) "
        "or kubeconform's (``{kind}-{group}-{version}.json``). ``schemas: [crds/, schemas/]``",
    )
    schemas_dir: Path | None = option(
        None,
        optional_text,
        group="Kubernetes",
        verdict=True,
        doc="Deprecated, still honoured: one more ``schemas`` folder, in kubeconform's layout; ``schemas/`` "
        "beside mkdocs.yml when neither is set and it is present. ``schemas_dir: schemas``",
    )
    # -- Tools --
    hadolint_config: Path | None = option(
        None,
        optional_text,
        group="Tools",
        verdict=True,
        doc="hadolint's configuration; ``.hadolint.yaml`` beside mkdocs.yml when unset and present. "
        "``hadolint_config: .hadolint.yaml``",
    )
    timeout: float = option(
        120.0,
        number(1),
        group="Tools",
        doc="Seconds one tool process may run before it counts as a tool error. ``timeout: 120``",
    )
    jobs: int = option(
        0, number(0, integer=True), group="Tools", doc="Tool processes run at once; 0 means one per CPU. ``jobs: 2``"
    )
    tool_memory: int = option(
        2048,
        number(0, integer=True),
        group="Tools",
        doc="MiB of address space one tool process may use (RLIMIT_AS; the Go tools need about 1,000 to start); "
        "its CPU time is capped at ``timeout`` seconds too. 0: no memory limit. ``tool_memory: 2048``",
    )
    disabled_checks: tuple[str, ...] = option(
        (),
        text_list,
        group="Tools",
        verdict=True,
        doc='Checks to leave out, by name (see "How examples are checked"). ``disabled_checks: [prometheus]``',
    )
    # -- Policy --
    fail_on: str = option(
        "warning",
        choice(*SEVERITIES),
        group="Policy",
        verdict=True,
        doc="Lowest severity that fails a block (and, with ``--strict``, the build). ``fail_on: warning``",
    )
    unmarked_yaml: str = option(
        "ignore",
        choice("warning", "error", "ignore"),
        group="Policy",
        verdict=True,
        doc="What a YAML block that is no known kind gets beyond its syntax check: ``ignore`` (it passes on YAML "
        "syntax and duplicate keys, as Helm values and tool configuration should), or ``warning``/``error`` "
        '(``unrecognised-yaml`` unless it is marked ``data-kind="yaml"``). ``unmarked_yaml: warning``',
    )
    custom_resources_without_schema: str = option(
        "unchecked",
        choice("unchecked", "warning", "error"),
        group="Policy",
        verdict=True,
        doc="A custom resource (a group Kubernetes does not serve) with no schema in ``schemas`` and no CRD on "
        "its page: ``unchecked`` checks its YAML and API rules and says so in an info finding; ``warning`` or "
        "``error`` fails it. ``custom_resources_without_schema: unchecked``",
    )
    baseline: str | None = option(
        ".docs-examples-baseline.json",
        optional_text,
        group="Policy",
        doc="The baseline file, beside mkdocs.yml: the failures it records (``docs-examples baseline``) are "
        "reported, marked, and do not fail; empty: none. ``baseline: .docs-examples-baseline.json``",
    )
    ignore: tuple[IgnoreRule, ...] = option(
        (),
        parse_ignore,
        group="Policy",
        doc="Rules that do not fail on pages (gitignore-style patterns, relative to mkdocs.yml), each with "
        "a reason shown in reports. "
        '``ignore: {"docs/legacy/*.md": {rules: [SC2086], reason: "kept as published in 2019"}}``',
    )
    # -- Limits --
    max_page_bytes: int = option(
        2 * 1024 * 1024,
        number(1024, integer=True),
        group="Limits",
        verdict=True,
        doc="Largest page, in bytes, before and after its ``--8<--`` snippets are expanded; a larger one is "
        "an error (``page-too-large``) and the site is not built. ``max_page_bytes: 2097152``",
    )
    max_blocks_per_page: int = option(
        1000,
        number(1, integer=True),
        group="Limits",
        verdict=True,
        doc="Most fenced blocks checked on one page; the rest are an error (``too-many-blocks``) and "
        "unchecked. ``max_blocks_per_page: 1000``",
    )
    # -- Site (the MkDocs plugin's; the CLI reads and validates them too) --
    decorate: bool = option(
        True,
        boolean,
        group="Site",
        doc='Put a status line ("Checked: BuildKit parser · hadolint") under each checked block. ``decorate: true``',
    )
    downloads: bool = option(
        True,
        boolean,
        group="Site",
        doc="Publish each block as a file under ``site/examples/`` and link it. ``downloads: true``",
    )
    archives: dict[str, str] = option(
        {"example-service.zip": "snippets/app"},
        folders,
        group="Site",
        doc="Folders published as zip archives under ``site/examples/``. "
        "``archives: {example-service.zip: snippets/app}``",
    )
    index_page: str | None = option(
        "examples/index.md",
        optional_text,
        group="Site",
        doc="The generated examples index, under the docs folder (empty: none). ``index_page: examples/index.md``",
    )
    checks_page: str | None = option(
        "examples/how-examples-are-checked.md",
        optional_text,
        group="Site",
        doc='The generated "How examples are checked" page (empty: none). '
        "``checks_page: examples/how-examples-are-checked.md``",
    )
    # -- Reports --
    report_json: str | None = option(
        None,
        optional_text,
        group="Reports",
        doc="Also write the JSON report (contract v1) here. ``report_json: build/examples.json``",
    )
    report_sarif: str | None = option(
        None,
        optional_text,
        group="Reports",
        doc="Also write a SARIF 2.1.0 report for code scanning. ``report_sarif: build/examples.sarif``",
    )
    report_junit: str | None = option(
        None,
        optional_text,
        group="Reports",
        doc="Also write a JUnit XML report (one testcase per block). ``report_junit: build/examples.xml``",
    )

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.docs_dir = self._abs(self.docs_dir) or self.root / "docs"
        # Not resolved: a symbolic link on the way must stay visible, so that a folder committed as a link
        # out of the project is refused (docs_examples.guard) rather than followed.
        self.snippet_paths = [p for p in (self._abs(p, resolve=False) for p in self.snippet_paths) if p] or [self.root]
        self.cache_dir = self._abs(self.cache_dir, resolve=False) if self.cache else None
        if self.schemas_dir is None and not self.schemas and (self.root / "schemas").is_dir():
            self.schemas_dir = self.root / "schemas"
        self.schemas_dir = self._abs(self.schemas_dir)
        self.schemas = tuple(p for p in (self._abs(p) for p in self.schemas) if p is not None)
        if self.hadolint_config is None and (self.root / ".hadolint.yaml").is_file():
            self.hadolint_config = self.root / ".hadolint.yaml"
        self.hadolint_config = self._abs(self.hadolint_config)
        self.kubernetes_versions = tuple(str(v) for v in self.kubernetes_versions)
        if self.kubeconform not in ("auto", "off"):
            self.kubeconform = str(self._abs(self.kubeconform))
        self.disabled_checks = tuple(self.disabled_checks)

    def _abs(self, p: Path | str | None, *, resolve: bool = True) -> Path | None:
        if p is None or p == "":
            return None
        p = Path(p)
        if p.is_absolute():
            return p
        return (self.root / p).resolve() if resolve else Path(os.path.normpath(self.root / p))

    @property
    def schema_paths(self) -> tuple[Path, ...]:
        """Every place custom-resource schemas come from: ``schemas``, then the old ``schemas_dir``."""
        extra = (self.schemas_dir,) if self.schemas_dir is not None else ()
        return tuple(dict.fromkeys((*self.schemas, *extra)))

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 2

    def page_path(self, name: str) -> str | None:
        """A generated page's path (``index_page``, ``checks_page``): None when set to an empty string."""
        value = getattr(self, name)
        return value.strip() or None if isinstance(value, str) else None

    def digest(self) -> str:
        """What the verdicts depend on, for the cache key: the options declared ``verdict=True``."""
        data = {name: value for name, value in asdict(self).items() if name in _VERDICT_OPTIONS}
        data["macros"] = self.macros  # the site's markers and extra: decide what a block renders to
        if self.hadolint_config and self.hadolint_config.is_file():
            data["hadolint_config"] = self.hadolint_config.read_text(encoding="utf-8", errors="replace")
        return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=12).hexdigest()

    def overridden(self, **values: Any) -> Settings:
        """A copy with some options set from another source (the CLI's flags), validated like mkdocs.yml's."""
        parsed = {name: parse_option(name, value, source="command line") for name, value in values.items()}
        if "cache" in parsed and not parsed["cache"]:
            parsed["cache_dir"] = None
        return replace(self, **parsed)


def declarations() -> dict[str, Declaration]:
    """Every option by name, in the order of the README's configuration reference."""
    return {f.name: f.metadata["option"] for f in fields(Settings) if "option" in f.metadata}


def defaults() -> dict[str, Any]:
    """Every option's default value (as users write it)."""
    out: dict[str, Any] = {}
    for f in fields(Settings):
        if "option" in f.metadata:
            out[f.name] = _default(f)
    return out


def _default(f: Field[Any]) -> Any:
    if f.default is not MISSING:
        return f.default
    factory: Callable[[], Any] = f.default_factory  # type: ignore[assignment]  # MISSING was ruled out above
    return factory()


_VERDICT_OPTIONS = frozenset(name for name, d in declarations().items() if d.verdict)
DEPRECATED = {"kubernetes": "use 'kubernetes_versions' and 'kubeconform' instead"}


def parse_option(name: str, value: Any, *, source: str = "mkdocs.yml") -> Any:
    """The checked, normalised value of one option; a ConfigError naming it and what it accepts."""
    declared = declarations()
    if name not in declared:
        raise ConfigError(f"{source}: unknown {PLUGIN_NAME} option {name!r}{_did_you_mean(name, declared)}")
    try:
        return declared[name].parse(value)
    except ValueError as exc:
        raise ConfigError(f"{source}: {PLUGIN_NAME} option {name!r}: {exc}") from None


def from_options(
    root: Path,
    options: Mapping[str, Any],
    *,
    docs_dir: Any = None,
    snippets: Any = None,
    warn: Callable[[str], None] | None = None,
    validated: bool = False,
    macros: dict[str, Any] | None = None,
) -> Settings:
    """Settings from the plugin's options as written in ``mkdocs.yml``: every value validated here, once.

    ``snippets`` is the pymdownx.snippets configuration (a mapping), or just its ``base_path``. The old
    nested form ``kubernetes: {versions, kubeconform, schemas_dir}`` is still honoured, with a message to
    ``warn`` (the plugin logs it; MkDocs' strict mode counts it). ``validated``: MkDocs has already run
    each option's check (``config.py``); only the deprecated form's values are checked here then.
    ``macros`` is what :func:`~docs_examples.blocks.templates.macros_options` read from the macros plugin.
    """
    values = dict(options)
    unchecked: set[str] = set()  # values from the deprecated form, which MkDocs has not checked
    old = values.pop("kubernetes", None)
    if old is not None:
        if not isinstance(old, dict):
            raise ConfigError(f"mkdocs.yml: {PLUGIN_NAME} option 'kubernetes': expected a mapping, got {old!r}")
        if warn:
            warn(f"the option 'kubernetes' is deprecated: {DEPRECATED['kubernetes']}")
        renamed = {"versions": "kubernetes_versions", "kubeconform": "kubeconform", "schemas_dir": "schemas_dir"}
        for key, value in old.items():
            if key not in renamed:
                raise ConfigError(f"mkdocs.yml: unknown key {key!r} in the deprecated 'kubernetes' option")
            values[renamed[key]] = value  # the old form wins: MkDocs fills in every default of the new ones
            unchecked.add(renamed[key])
    parsed = {
        name: parse_option(name, value) if name in unchecked or not validated else value
        for name, value in values.items()
    }
    snippet_config = snippets if isinstance(snippets, dict) else {"base_path": snippets}
    base_path = snippet_config.get("base_path") or ["."]
    if isinstance(base_path, str | Path):
        base_path = [base_path]
    return Settings(
        root=root,
        docs_dir=docs_dir,
        snippet_paths=[Path(p) for p in base_path],
        snippet_dedent=bool(snippet_config.get("dedent_subsections", False)),
        macros=macros,
        **parsed,
    )


# -- reading mkdocs.yml without MkDocs (the CLI) ----------------------------------------------------------


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing ``!ENV`` or ``!!python/…`` tags.

    ``!ENV [NAME, default]`` gives its default (nothing from this machine's environment is read), a bare
    ``!ENV NAME`` gives None, and ``!!python/name:…`` gives its text.
    """


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return None if suffix == "ENV" else loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        return items[-1] if suffix == "ENV" and len(items) > 1 else None if suffix == "ENV" else items
    return None


_TolerantLoader.add_multi_constructor("!", _tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tag)


def config_entries(items: Any) -> dict[str, Any]:
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


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as data, tags made harmless; a ConfigError when it cannot be read or is no mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a mapping")
    return data


def from_mkdocs_yml(path: Path, warn: Callable[[str], None] | None = None) -> Settings:
    """Settings for the CLI: the plugin's entry of ``mkdocs.yml``, or defaults beside it."""
    data = read_mkdocs_yml(path)
    options = config_entries(data.get("plugins")).get(PLUGIN_NAME, {})
    if not isinstance(options, dict):
        raise ConfigError(f"{path}: the {PLUGIN_NAME} plugin's options must be a mapping")
    snippets = config_entries(data.get("markdown_extensions")).get("pymdownx.snippets", {})
    try:
        return from_options(
            path.parent.resolve(),
            options,
            docs_dir=data.get("docs_dir", "docs"),
            snippets=snippets if isinstance(snippets, dict) else {},
            warn=warn,
            macros=templates.macros_options(config_entries(data.get("plugins")), data.get("extra")),
        )
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("mkdocs.yml:", f"{path}:", 1)) from None
