"""Custom resources: unchecked without a schema (and said so), validated from each CRD source, keyed by group,
kind and version; the built-in groups are what the bundle serves."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.kubernetes import crds, groups, schemas
from docs_examples.checks.kubernetes.rules import KubernetesRules
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.findings import Severity, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Result
from docs_examples.settings import Settings, from_mkdocs_yml
from docs_examples.site.status import status_line

FAILING = (Severity.ERROR, Severity.WARNING)  # the default fail_on
CRD = textwrap.dedent(
    """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: shirts.stable.example.com
    spec:
      group: stable.example.com
      names: {kind: Shirt, plural: shirts}
      scope: Namespaced
      versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [color]
                  properties:
                    color: {type: string, enum: [red, blue]}
                    size: {x-kubernetes-int-or-string: true}
                    extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    note: {type: string, nullable: true}
                    template:
                      type: object
                      x-kubernetes-embedded-resource: true
                      x-kubernetes-preserve-unknown-fields: true
        - name: v0
          served: false
          storage: false
          schema:
            openAPIV3Schema: {type: object}
    """
)
SHIRT = "apiVersion: stable.example.com/v1\nkind: Shirt\nmetadata:\n  name: s\nspec:\n  color: blue\n"


def settings(**kw) -> Settings:
    return Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off", **kw)


def schema_findings(config: Settings, *blocks: Block) -> dict[str, list]:
    found = KubernetesSchema(config).check(list(blocks))
    return {b.id: found.get(b.id, []) for b in blocks}


def where(findings: list) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in findings if f.severity in FAILING]


# -- the built-in groups ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_served_groups_are_every_group_of_the_bundle() -> None:
    found = {
        g.get("group", "")
        for v in schemas.bundled_versions()
        for d in schemas.definitions(v, True).values()
        for g in d.get("x-kubernetes-group-version-kind") or []
    }
    removed = {schemas.split_api_version(api)[0] for api, _ in schemas.REMOVED}
    assert frozenset(found | removed) == groups.SERVED_GROUPS


def test_gateway_api_and_argo_are_custom_resources_apps_is_not() -> None:
    assert schemas.is_builtin("apps/v1", "1.37") and schemas.is_builtin("v1", "1.37")
    assert not schemas.is_builtin("gateway.networking.k8s.io/v1", "1.37")
    assert not schemas.is_builtin("argoproj.io/v1alpha1", "1.37")


# -- without a schema ---------------------------------------------------------------------------------------------


def test_custom_resource_without_schema_is_unchecked_and_its_status_says_so() -> None:
    block = make_block(SHIRT, kind=Kind.KUBERNETES)
    [note] = schema_findings(settings(), block)[block.id]
    assert (note.rule, note.severity, note.line) == ("no-schema", Severity.INFO, 2)
    assert "custom resource" in note.message and "`schemas` option" in note.message
    result = Result(block=block, status=Status.PASSED, findings=[block.locate(note)])
    line = status_line(result, {}, ("1.37",))
    assert line is not None
    assert line.text.startswith("YAML and API rules checked; no schema for Shirt stable.example.com/v1")


def test_config_file_kinds_are_unchecked_too() -> None:
    kind_config = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: control-plane\n"
    kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\n"
    for text in (kind_config, kubeconfig):
        block = make_block(text, kind=Kind.KUBERNETES)
        [note] = schema_findings(settings(), block)[block.id]
        assert (note.rule, note.severity) == ("no-schema", Severity.INFO)
        assert "configuration file" in note.message


def test_setting_makes_a_missing_schema_fail() -> None:
    block = make_block(SHIRT, kind=Kind.KUBERNETES)
    for value, severity in (("warning", Severity.WARNING), ("error", Severity.ERROR)):
        [f] = schema_findings(settings(custom_resources_without_schema=value), block)[block.id]
        assert (f.rule, f.severity) == ("no-schema", severity)


# -- converting a CRD ----------------------------------------------------------------------------------------------


def test_conversion_keeps_the_structural_rules() -> None:
    converted = crds.convert(yaml.safe_load(CRD))
    assert set(converted) == {("stable.example.com", "Shirt", "v1")}  # v0 is not served
    root = converted[("stable.example.com", "Shirt", "v1")]
    spec = root["properties"]["spec"]
    assert spec["additionalProperties"] is False and root["additionalProperties"] is False
    assert spec["properties"]["size"] == {"anyOf": [{"type": "integer"}, {"type": "string"}]}
    assert "additionalProperties" not in spec["properties"]["extra"]
    assert spec["properties"]["note"]["type"] == ["string", "null"]
    assert {"apiVersion", "kind", "metadata"} <= set(spec["properties"]["template"]["properties"])
    assert root["properties"]["metadata"]["$ref"].endswith("ObjectMeta")


# -- source 1: CRD manifests named in `schemas` --------------------------------------------------------------------


def test_crd_file_named_in_schemas_validates_its_resources(tmp_path: Path) -> None:
    (tmp_path / "shirt-crd.yaml").write_text(CRD, encoding="utf-8")
    config = settings(schemas=(tmp_path / "shirt-crd.yaml",))
    ok = make_block(SHIRT + "  size: 3\n  extra: {anything: [1, 2]}\n  note: null\n", kind=Kind.KUBERNETES)
    assert schema_findings(config, ok)[ok.id] == []
    bad = make_block(SHIRT.replace("color: blue", "colour: blue") + "  size: [3]\n", kind=Kind.KUBERNETES, index=1)
    found = schema_findings(config, bad)[bad.id]
    assert where(found) == [(5, "schema/required"), (6, "schema/unknown-field"), (7, "schema/type")]
    assert next(f for f in found if f.rule == "schema/unknown-field").hint == "did you mean `color`?"
    meta = make_block(SHIRT.replace("  name: s", "  name: s\n  labelz: {}"), kind=Kind.KUBERNETES, index=2)
    assert where(schema_findings(config, meta)[meta.id]) == [(5, "schema/unknown-field")]  # ObjectMeta is strict


def test_crd_folder_in_schemas_and_the_old_schemas_dir_name(tmp_path: Path) -> None:
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "all.yaml").write_text("---\n" + CRD, encoding="utf-8")
    bad = make_block(SHIRT.replace("blue", "green"), kind=Kind.KUBERNETES)
    for config in (settings(schemas=(tmp_path / "crds",)), settings(schemas_dir=tmp_path / "crds")):
        [f] = schema_findings(config, bad)[bad.id]
        assert (f.line, f.rule) == (6, "schema/enum")


# -- source 2: the kubeconform / CRDs-catalog layout ----------------------------------------------------------------


def test_catalog_layout_and_two_groups_with_one_kind(tmp_path: Path) -> None:
    def write(group: str, allowed: list[str]) -> None:
        folder = tmp_path / group
        folder.mkdir()
        schema = {
            "type": "object",
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {"type": "object", "additionalProperties": False, "properties": {k: {} for k in allowed}},
            },
        }
        (folder / "cluster_v1.json").write_text(json.dumps(schema), encoding="utf-8")

    write("postgresql.cnpg.io", ["instances"])
    write("cluster.x-k8s.io", ["controlPlaneRef"])
    config = settings(schemas=(tmp_path,))
    cnpg = make_block(
        "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n",
        kind=Kind.KUBERNETES,
    )
    capi = make_block(cnpg.text.replace("postgresql.cnpg.io", "cluster.x-k8s.io"), kind=Kind.KUBERNETES, index=1)
    found = schema_findings(config, cnpg, capi)
    assert found[cnpg.id] == []
    assert where(found[capi.id]) == [(6, "schema/unknown-field")]  # the other group's Cluster has no instances


# -- source 3: a CRD shown on the page ------------------------------------------------------------------------


def test_crd_shown_on_the_page_validates_that_page_only() -> None:
    crd = make_block(CRD, kind=Kind.KUBERNETES, page="docs/shirts.md", index=0)
    here = make_block(SHIRT.replace("blue", "green"), kind=Kind.KUBERNETES, page="docs/shirts.md", index=1)
    elsewhere = make_block(SHIRT.replace("blue", "green"), kind=Kind.KUBERNETES, page="docs/other.md", index=0)
    found = schema_findings(settings(), crd, here, elsewhere)
    assert found[crd.id] == []
    assert where(found[here.id]) == [(6, "schema/enum")]
    assert [(f.rule, f.severity) for f in found[elsewhere.id]] == [("no-schema", Severity.INFO)]
    assert KubernetesSchema.scope == "page"  # the cache keys a resource on the CRD beside it


# -- the API rules on custom resources --------------------------------------------------------------------------------


def test_metadata_rules_on_a_kind_nobody_defined_are_notes() -> None:
    plugin = "apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: pluginName\n"
    namespaced = plugin.replace("  name: pluginName", "  name: pluginName\n  namespace: argocd")
    gateway = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: example.com/alb\n"

    def k8s002(text: str, *extra: Block) -> list[Severity]:
        block = make_block(text, kind=Kind.KUBERNETES, index=len(extra))
        found = KubernetesRules(settings()).check([*extra, block]).get(block.id, [])
        return [f.severity for f in found if f.rule == "K8S002"]

    assert k8s002(plugin) == [Severity.INFO]  # may be a tool's configuration file written like a manifest
    assert k8s002(namespaced) == [Severity.ERROR]  # placed in a namespace: stored by the API server
    assert k8s002(gateway) == [Severity.ERROR]  # a Kubernetes-community group
    shirt = SHIRT.replace("name: s", "name: Shirt_1")
    assert k8s002(shirt) == [Severity.INFO]
    assert k8s002(shirt, make_block(CRD, kind=Kind.KUBERNETES)) == [Severity.ERROR]  # its CRD is on the page


def test_selectors_inside_a_custom_resource_are_its_crds_business() -> None:
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a\nspec:\n  generators:\n"
        "    - clusters:\n        selector:\n          matchLabels:\n            env: '{{.path.basename}}'\n"
    )
    block = make_block(text, kind=Kind.KUBERNETES)
    assert KubernetesRules(settings()).check([block]) == {}


# -- the proof on a real site: Argo CD's own CRDs validate its Application examples ----------------------------------


@pytest.mark.slow
def test_argo_cd_examples_validated_with_argo_cds_crds(corpus: Path) -> None:
    root = corpus / "real-sites" / "argo-cd"
    config = from_mkdocs_yml(root / "mkdocs.yml")
    config.cache_dir = None
    config.schemas = (root / "crds",)
    names = ["docs/user-guide/sync-options.md", "docs/operator-manual/notifications/services/telegram.md"]
    pages = [Page(name, (root / name).read_bytes(), root / name) for name in names]
    report = Pipeline(config, only=["yaml", "kubernetes-schema"]).run(pages)
    apps = [r for r in report.results if "kind: Application\n" in r.block.text]
    assert len(apps) > 20
    assert not any(f.rule == "no-schema" for r in apps for f in r.findings)  # every one was validated
    failing = {(f.file, f.line, f.rule) for r in apps for f in r.findings if f.fails}
    # annotation values must be strings: `abc: 123` and `…telegram: -1000000000000`
    assert failing == {
        ("docs/user-guide/sync-options.md", 514, "schema/type"),
        ("docs/operator-manual/notifications/services/telegram.md", 34, "schema/type"),
    }
    without = from_mkdocs_yml(root / "mkdocs.yml")
    without.cache_dir = None
    report = Pipeline(without, only=["yaml", "kubernetes-schema"]).run(pages)
    assert not any(f.fails for r in report.results for f in r.findings if "kind: Application\n" in r.block.text)
