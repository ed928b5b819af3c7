"""``kind: List`` and ``*List`` kinds: every item is its own object, for the schema and the API rules, at its lines."""

from __future__ import annotations

import textwrap

from conftest import ROOT, make_block
from docs_examples.blocks.classify import classify
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.kubernetes.rules import KubernetesRules
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.settings import Settings

SETTINGS = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")

LIST = textwrap.dedent(
    """\
    apiVersion: v1
    kind: List
    metadata:
      resourceVersion: ""
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
      - apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
    """
)


def block(text: str) -> Block:
    b = make_block(text, kind=Kind.OTHER, language="yaml")
    classify(b)
    return b


def schema(b: Block) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule) for f in KubernetesSchema(SETTINGS).check([b]).get(b.id, [])]


def test_a_valid_list_passes_and_is_a_manifest() -> None:
    b = block(LIST)
    assert b.kind is Kind.KUBERNETES
    assert schema(b) == []  # no "no-schema" for List: its items are what is checked


def test_an_error_in_an_item_fails_at_its_line() -> None:
    assert schema(block(LIST.replace("      replicas: 2", "      replicaz: 2"))) == [(17, 7, "schema/unknown-field")]
    assert schema(block(LIST.replace("  data:", "  dataa:"))) == [(10, 5, "schema/unknown-field")]


def test_an_item_without_kind_and_an_unknown_field_of_the_list() -> None:
    text = "apiVersion: v1\nkind: List\nitemz: []\nitems:\n  - metadata:\n      name: a\n"
    assert schema(block(text)) == [(3, 1, "schema/unknown-field"), (5, 1, "no-kind")]


def test_a_typed_list_gives_its_items_their_kind() -> None:
    text = "apiVersion: v1\nkind: PodList\nitems:\n  - metadata: {name: a}\n    spec:\n      containers: []\n"
    assert schema(block(text)) == []
    assert schema(block(text + "      hostNetwrk: true\n")) == [(7, 7, "schema/unknown-field")]


def test_api_rules_judge_each_item() -> None:
    b = block(LIST.replace("- name: web", "- name: Web"))
    found = KubernetesRules(SETTINGS).check([b]).get(b.id, [])
    assert [(f.line, f.rule) for f in found] == [(25, "K8S005")]  # the `name:` of the container item
