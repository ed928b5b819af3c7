"""Fragments are validated only when their keys decide the type; an undecided one is YAML-checked with a note."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT, make_block
from docs_examples.blocks.classify import classify
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.kubernetes import fragments
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.checks.yaml_syntax import YamlSyntax
from docs_examples.findings import Severity, Status
from docs_examples.results import Result
from docs_examples.settings import Settings
from docs_examples.site.status import status_line

FAILING = (Severity.ERROR, Severity.WARNING)  # the default fail_on
SETTINGS = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")


def block(text: str) -> Block:
    b = make_block(text, kind=Kind.OTHER, language="yaml")
    classify(b)
    return b


def findings(b: Block) -> list:
    return YamlSyntax(SETTINGS).check([b]).get(b.id, []) + KubernetesSchema(SETTINGS).check([b]).get(b.id, [])


@pytest.mark.parametrize(
    ("text", "decided"),
    [
        ("resources:\n  requests:\n    cpu: 100m\n  limits:\n    memory: 1Gi\n", "Container"),
        ("requests:\n  cpu: 100m\nlimits:\n  memory: 1Gi\n", "ResourceRequirements"),
        ("spec:\n  containers:\n    - name: a\n      image: nginx\n", "PodTemplateSpec"),
        ("readinessProbe:\n  httpGet:\n    scheme: HTTPS\n", "Container"),
        ("replicas: 3\nselector:\n  matchLabels: {app: a}\n", "DeploymentSpec"),
        # spec, metadata, template, labels decide nothing: half the API has them, and every custom resource
        ("spec:\n  syncPolicy:\n    automated: {}\n", None),
        ("spec:\n  strategy:\n    type: Recreate\n", None),
        ("spec:\n  template:\n    spec:\n      containers: []\n", None),
        ("metadata:\n  annotations:\n    a: b\n", None),
        ("labels:\n  - traefik.enable=true\n", None),  # a Compose service's labels
        ("volumes:\n  - ./data:/data\n", None),  # a Compose service's volumes
        ("image:\n  repo: nginx\n  tag: latest\n", None),  # Helm values
        ("nodeSelector:\n  matchLabels:\n    role: x\n", None),  # a custom resource's selector
        ("spec:\n  activeDeadlineSeconds: 1\n  ttlStrategy: {}\n  podGC: {}\n", None),  # an Argo Workflow spec
    ],
)
def test_keys_decide_or_nothing_does(text: str, decided: str | None) -> None:
    guess = fragments.decide(yaml.safe_load(text), "1.37")
    assert (guess.name if guess else None) == decided


def test_resources_mapping_is_a_container_field_and_a_list_is_a_kustomization() -> None:
    requests = block("resources:\n  requests:\n    cpu: 100m\n")
    assert requests.kind is Kind.KUBERNETES_FRAGMENT
    assert findings(requests) == []
    listed = block("resources:\n  - deployment.yaml\n  - service.yaml\n")
    assert listed.kind is Kind.KUSTOMIZATION
    wrong = block("resources:\n  requests:\n    cpu: [1]\n")
    assert [(f.line, f.rule) for f in findings(wrong)] == [(3, "schema/type")]


def test_undecided_fragment_gets_a_note_and_passes() -> None:
    b = block("spec:\n  syncPolicy:\n    automated:\n      prune: true\n")
    assert b.kind is Kind.KUBERNETES_FRAGMENT
    [note] = findings(b)
    assert (note.rule, note.severity) == ("fragment/unknown-type", Severity.INFO)
    assert "data-schema" in note.message
    line = status_line(Result(block=b, status=Status.PASSED, findings=[b.locate(note)]), {}, ("1.37",))
    assert line is not None and line.text.startswith("YAML checked; fragment type unknown")


def test_undecided_fragment_still_gets_its_yaml_checked() -> None:
    b = block("spec:\n  syncPolicy: {}\n  syncPolicy: {}\n")
    assert [(f.line, f.rule) for f in findings(b) if f.severity in FAILING] == [(3, "duplicate-key")]


def test_a_fragment_is_read_as_a_patch_mappings_may_leave_out_required_fields() -> None:
    probe = block("readinessProbe:\n  httpGet:\n    scheme: HTTPS\n")  # port comes from the probe it changes
    assert findings(probe) == []
    nameless = block("spec:\n  containers:\n    - args: [--flag]\n")  # which container? a list item needs its key
    assert [(f.line, f.rule) for f in findings(nameless)] == [(3, "schema/required")]


def test_a_typo_in_a_decided_fragment_fails_at_its_line() -> None:
    b = block("spec:\n  containers:\n    - name: a\n      imagePullPolicy: Always\n      imagee: nginx\n")
    found = findings(b)
    assert [(f.line, f.rule) for f in found] == [(5, "schema/unknown-field")]
    assert found[0].hint == "did you mean `image`?"


def test_alternatives_in_one_block_are_checked_one_by_one() -> None:
    text = (
        "# Before:\nspec:\n  containers:\n    - name: a\n      args: [--old]\n\n"
        "# After:\nspec:\n  containers:\n    - name: a\n      argz: [--new]\n"
    )
    b = block(text)
    assert b.kind is Kind.KUBERNETES_FRAGMENT
    assert [(f.line, f.rule) for f in findings(b)] == [(11, "schema/unknown-field")]  # no duplicate `spec`
    real = block("spec:\n  containers: []\nspec:\n  volumes: []\n")  # no comment between: a real duplicate
    assert [f.rule for f in findings(real) if f.severity in FAILING] == ["duplicate-key"]
