"""Typed options of the ``docs-examples`` MkDocs plugin.

Every option is flat, as in ``mkdocs.yml``::

    plugins:
      - docs-examples:
          kubernetes_versions: ["1.35", "1.36", "1.37"]
          fail_on: warning

The CLI reads the same names from ``mkdocs.yml`` (``settings.from_mkdocs_yml``), so both adapters agree.
Paths are relative to the folder of ``mkdocs.yml``, never to the working directory.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

SEVERITIES = ("error", "warning", "info", "style")


class _Versions(c.ListOfItems):
    """A list of Kubernetes minors as strings; a bare ``1.30`` would be read as the float 1.3."""

    def __init__(self, default: list[str]) -> None:
        super().__init__(c.Type(str), default=default)

    def run_validation(self, value: object) -> list[str]:
        if isinstance(value, list) and any(isinstance(v, float | int) for v in value):
            raise base.ValidationError(
                f'write Kubernetes versions as quoted strings, e.g. ["1.35", "1.36"] (got {value!r}: '
                "YAML reads 1.30 as the number 1.3)"
            )
        return super().run_validation(value)


class ExamplesConfig(base.Config):
    """Options of the examples plugin, grouped as in the README."""

    # -- General ----------------------------------------------------------------------------------------

    enabled = c.Type(bool, default=True)
    """Check examples at all. ``enabled: !ENV [CHECK_EXAMPLES, true]`` lets a quick preview skip them."""

    # -- Caching ----------------------------------------------------------------------------------------

    cache = c.Type(bool, default=True)
    """Keep results of unchanged blocks between builds. ``cache: false`` re-runs every tool."""

    cache_dir = c.Type(str, default=".cache/plugin/docs-examples")
    """Where the cache lives, beside mkdocs.yml. ``cache_dir: .cache/plugin/docs-examples``"""

    # -- Kubernetes -------------------------------------------------------------------------------------

    kubernetes_versions = _Versions(default=["1.35", "1.36", "1.37"])
    """Kubernetes minors every manifest must be valid on. ``kubernetes_versions: ["1.35", "1.36", "1.37"]``"""

    kubeconform = c.Type(str, default="auto")
    """``auto`` (kubeconform from PATH, else the embedded schema engine), ``off`` (embedded engine only),
    or a path to the binary. ``kubeconform: /usr/local/bin/kubeconform``"""

    schemas_dir = c.Optional(c.Type(str))
    """Extra schemas (CRDs) in kubeconform's layout. ``schemas_dir: schemas``"""

    # -- Tools ------------------------------------------------------------------------------------------

    hadolint_config = c.Optional(c.Type(str))
    """hadolint's configuration; ``.hadolint.yaml`` beside mkdocs.yml when unset. ``hadolint_config: .hadolint.yaml``"""

    timeout = c.Type((int, float), default=120)
    """Seconds one tool process may run before it counts as a tool error. ``timeout: 120``"""

    jobs = c.Type(int, default=0)
    """Tool processes run at once; 0 means one per CPU. ``jobs: 2``"""

    disabled_checks = c.ListOfItems(c.Type(str), default=[])
    """Check names to leave out (see "How examples are checked"). ``disabled_checks: [shellcheck]``"""

    # -- Policy -----------------------------------------------------------------------------------------

    fail_on = c.Choice(SEVERITIES, default="warning")
    """Lowest severity that fails a block (and, with ``--strict``, the build). ``fail_on: warning``"""

    unmarked_yaml = c.Choice(("ignore", "warning", "error"), default="ignore")
    """What a YAML block that is no known kind gets beyond its syntax check: ``ignore`` (it passes on YAML
    syntax and duplicate keys, as Helm values and tool configuration should), or ``warning``/``error``
    (``unrecognised-yaml`` unless it is marked ``data-kind="yaml"``). ``unmarked_yaml: warning``"""

    # -- Site -------------------------------------------------------------------------------------------

    decorate = c.Type(bool, default=True)
    """Put a status line ("Validated: hadolint 2.15.1 · no warnings") under each block. ``decorate: true``"""

    downloads = c.Type(bool, default=True)
    """Publish each block as a file under ``site/examples/`` and link it. ``downloads: true``"""

    archives = c.Type(dict, default={"example-service.zip": "snippets/app"})
    """Folders published as zip archives under ``site/examples/``, by archive name.
    ``archives: {example-service.zip: snippets/app}``"""

    index_page = c.Optional(c.Type(str))
    """Path of the generated examples index under the docs folder (empty string: none).
    ``index_page: examples/index.md``"""

    checks_page = c.Optional(c.Type(str))
    """Path of the generated "How examples are checked" page (empty string: none).
    ``checks_page: examples/how-examples-are-checked.md``"""

    # -- Reports ----------------------------------------------------------------------------------------

    report_json = c.Optional(c.Type(str))
    """Also write the JSON report (contract v1) here, relative to mkdocs.yml. ``report_json: build/examples.json``"""

    report_sarif = c.Optional(c.Type(str))
    """Also write a SARIF 2.1.0 report for code scanning. ``report_sarif: build/examples.sarif``"""

    report_junit = c.Optional(c.Type(str))
    """Also write a JUnit XML report (one testcase per block). ``report_junit: build/examples.xml``"""

    # -- Deprecated -------------------------------------------------------------------------------------

    kubernetes = c.Deprecated(
        message="The option '{}' is deprecated: use 'kubernetes_versions' and 'kubeconform' instead.",
        option_type=c.Type(dict),
    )
    """Old nested form ``kubernetes: {versions: [...], kubeconform: auto}``; still honoured."""

    def page_path(self, key: str, default: str) -> str | None:
        """A generated page's path: the default when unset, None when set to an empty string."""
        value = self[key]
        if value is None:
            return default
        return value.strip() or None

    def options(self) -> dict[str, Any]:
        """The options ``settings.from_options`` reads, with the deprecated nested form mapped in."""
        old = self.kubernetes or {}
        return {
            "cache": self.cache,
            "cache_dir": self.cache_dir,
            "kubernetes_versions": [str(v) for v in old.get("versions", ())] or self.kubernetes_versions,
            "kubeconform": old.get("kubeconform") or self.kubeconform,
            "schemas_dir": self.schemas_dir or old.get("schemas_dir"),
            "hadolint_config": self.hadolint_config,
            "fail_on": self.fail_on,
            "timeout": self.timeout,
            "jobs": self.jobs,
            "disabled_checks": list(self.disabled_checks),
            "unmarked_yaml": self.unmarked_yaml,
        }
