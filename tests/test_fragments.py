"""Fragments: YAML cut from a manifest, validated against the type its keys fit (or data-schema names)."""

from __future__ import annotations

from conftest import ROOT, make_block
from docs_examples.blocks.classify import classify
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.kubernetes import fragments
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.checks.yaml_syntax import YamlSyntax
from docs_examples.settings import Settings

SETTINGS = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.36", "1.37"), kubeconform="off")


def block(text: str, **attrs: str) -> Block:
    b = make_block(text, kind=Kind.OTHER, language="yaml", attrs=attrs)
    classify(b)
    return b


def check(b: Block) -> list:
    return KubernetesSchema(SETTINGS).check([b]).get(b.id, [])


def test_guesses() -> None:
    assert fragments.guess(["name", "image", "ports"]).name == "Container"
    assert fragments.guess(["requests", "limits"]).name == "ResourceRequirements"
    assert fragments.guess(["containers", "volumes"]).name == "PodSpec"
    assert fragments.guess(["httpGet", "periodSeconds"]).name == "Probe"
    assert fragments.guess(["replicas", "selector", "template"]).name == "DeploymentSpec"
    assert fragments.guess(["colour", "flavour"]) is None


def test_container_fragment_passes_without_required_fields() -> None:
    b = block("image: nginx:1.27\nports:\n  - containerPort: 80\n")
    assert b.kind is Kind.KUBERNETES_FRAGMENT
    assert check(b) == []


def test_container_fragment_with_unknown_field_and_wrong_type() -> None:
    b = block("name: web\nimage: nginx\nimagePullPolicy: Always\nport:\n  - containerPort: eighty\n")
    assert b.kind is Kind.KUBERNETES_FRAGMENT
    found = check(b)
    assert [(f.line, f.column, f.rule) for f in found] == [(4, 1, "schema/unknown-field")]
    assert found[0].hint == "did you mean `ports`?"
    assert found[0].versions == ("1.36", "1.37")


def test_required_fields_below_the_top_still_count() -> None:
    b = block("containers:\n  - image: nginx\n")
    found = check(b)
    assert [(f.line, f.column, f.rule) for f in found] == [(2, 5, "schema/required")]
    assert "`name`" in found[0].message


def test_resources_fragment_wrong_type_at_value() -> None:
    b = block("requests:\n  cpu: [1]\nlimits:\n  memory: 128Mi\n")
    found = check(b)
    assert [(f.line, f.column, f.rule) for f in found] == [(2, 8, "schema/type")]


def test_data_schema_names_the_type() -> None:
    b = block("- name: A\n  value: x\n- name: B\n  valeu: y\n", **{"data-schema": "EnvVar"})
    assert b.kind is Kind.KUBERNETES_FRAGMENT
    found = check(b)
    assert [(f.line, f.column, f.rule) for f in found] == [(4, 3, "schema/unknown-field")]
    assert found[0].hint == "did you mean `value`?"
    good = block("- name: A\n  value: x\n", **{"data-schema": "EnvVar"})
    assert check(good) == []


def test_unknown_data_schema_is_an_error_with_suggestions() -> None:
    b = block("name: x\n", **{"data-schema": "Containr"})
    [f] = check(b)
    assert (f.rule, f.line) == ("fragment/unknown-type", 0)
    assert "`Container`" in f.message


def test_yaml_that_fits_no_type_is_plain_yaml_and_passes_on_syntax_by_default() -> None:
    b = block("labels: [a]\ncolour: blue\nflavour: mint\nsize: 3\n")
    assert b.kind is Kind.YAML
    assert Settings(root=ROOT, cache_dir=None).unmarked_yaml == "ignore"
    assert YamlSyntax(SETTINGS).check([b]) == {}
    assert YamlSyntax(SETTINGS).describe() == "YAML syntax"
    broken = block("colour: blue\ncolour: red\n")
    assert [f.rule for f in YamlSyntax(SETTINGS).check([broken])[broken.id]] == ["duplicate-key"]


def test_unmarked_yaml_warning_keeps_the_strict_policy_unless_marked() -> None:
    b = block("labels: [a]\ncolour: blue\nflavour: mint\nsize: 3\n")
    warned = Settings(root=ROOT, cache_dir=None, unmarked_yaml="warning")
    [f] = YamlSyntax(warned).check([b])[b.id]
    assert (f.rule, f.severity.value, f.line) == ("unrecognised-yaml", "warning", 0)
    marked = block("colour: blue\n", **{"data-kind": "yaml"})
    assert YamlSyntax(warned).check([marked]) == {}
    strict = Settings(root=ROOT, cache_dir=None, unmarked_yaml="error")
    assert YamlSyntax(strict).check([b])[b.id][0].severity.value == "error"


def test_yaml_check_reports_syntax_and_duplicates_with_positions() -> None:
    b = make_block("a: 1\nb:\n  c: 2\n  c: 3\n---\nd: [\n", kind=Kind.KUBERNETES)
    found = YamlSyntax(SETTINGS).check([b])[b.id]
    assert [(f.line, f.column, f.rule) for f in found] == [(4, 3, "duplicate-key"), (7, 1, "yaml-syntax")]
    ok = make_block("services:\n  web:\n    image: nginx\n", kind=Kind.COMPOSE)
    assert YamlSyntax(SETTINGS).check([ok]) == {}
