"""The Kubernetes schema check with the embedded engine: every finding kind, failing and passing, at its line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, make_block
from docs_examples.blocks.classify import classify
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.kubernetes import schemas
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.settings import Settings

DEPLOYMENT = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
            - name: web
              image: nginx:1.27
              imagePullPolicy: IfNotPresent
              ports:
                - containerPort: 80
    """
)


def run(text: str, *, versions: tuple[str, ...] = ("1.37",), kind: Kind = Kind.KUBERNETES, **kw) -> list:
    """Findings of the embedded engine for one block (positions block-relative)."""
    settings = Settings(root=ROOT, cache_dir=None, kubernetes_versions=versions, kubeconform="off", **kw)
    block = make_block(text, kind=kind)
    return run_blocks(settings, [block])[block.id]


def run_blocks(settings: Settings, blocks: list[Block]) -> dict[str, list]:
    check = KubernetesSchema(settings)
    assert all(check.applies(b) for b in blocks)
    found = check.check(blocks)
    return {b.id: found.get(b.id, []) for b in blocks}


def where(findings: list) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule) for f in findings]


def test_valid_deployment_passes_on_every_default_version() -> None:
    assert run(DEPLOYMENT, versions=("1.35", "1.36", "1.37")) == []


def test_unknown_field_at_its_key_with_did_you_mean() -> None:
    findings = run(DEPLOYMENT.replace("  replicas: 2", "  replicaz: 2"))
    assert where(findings) == [(6, 3, "schema/unknown-field")]
    [f] = findings
    assert "`spec.replicaz`" in f.message
    assert f.hint == "did you mean `replicas`?"
    assert f.tool == "kubernetes-schema"
    assert f.versions == ("1.37",)


def test_unknown_field_deep_in_a_list_item() -> None:
    findings = run(DEPLOYMENT.replace("          imagePullPolicy:", "          imagePulPolicy:"))
    assert where(findings) == [(18, 11, "schema/unknown-field")]
    assert findings[0].hint == "did you mean `imagePullPolicy`?"


def test_wrong_type_at_the_value() -> None:
    findings = run(DEPLOYMENT.replace("replicas: 2", 'replicas: "two"'))
    assert where(findings) == [(6, 13, "schema/type")]
    assert "`spec.replicas` must be integer, not string" in findings[0].message


def test_int_or_string_accepts_both_and_rejects_a_list() -> None:
    ok = DEPLOYMENT.replace("- containerPort: 80", "- containerPort: 80\n                  name: http")
    svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n      targetPort: {}\n"
    assert run(ok) == []
    assert run(svc.format("http")) == []
    assert run(svc.format("8080")) == []
    findings = run(svc.format("[1]"))
    assert where(findings) == [(8, 19, "schema/type")]
    assert "string or integer" in findings[0].message


def test_missing_required_at_the_parent() -> None:
    findings = run(DEPLOYMENT.replace("        - name: web\n          image:", "        - image:"))
    assert where(findings) == [(16, 11, "schema/required")]
    assert "missing required field `name` in `spec.template.spec.containers[0]`" in findings[0].message


def test_missing_required_spec_at_the_document() -> None:
    findings = run("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n")
    assert where(findings) == [(1, 1, "schema/required")]


def test_multi_document_findings_land_in_the_right_document() -> None:
    text = (
        DEPLOYMENT
        + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namez: x\nspec:\n  ports:\n    - port: 80\n"
    )
    findings = run(text)
    assert where(findings) == [(26, 3, "schema/unknown-field")]
    assert findings[0].hint == "did you mean `name`?"


def test_removed_api_says_when_and_what_to_use() -> None:
    text = DEPLOYMENT.replace("apps/v1", "extensions/v1beta1")
    findings = run(text)
    assert where(findings) == [(1, 13, "removed-api")]  # at the apiVersion, the value to change
    assert "removed in Kubernetes 1.16; use apps/v1" in findings[0].message
    hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n"
    [f] = run(hpa, versions=("1.37",))
    assert "removed in Kubernetes 1.26; use autoscaling/v2" in f.message


def test_api_removed_inside_the_bundled_range_is_found_from_the_schemas() -> None:
    text = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: f\nspec: {}\n"
    findings = run(text, versions=("1.31", "1.37"))
    assert [(f.line, f.rule, f.versions) for f in findings] == [
        (1, "removed-api", ("1.37",)),
        (5, "schema/required", ("1.31",)),  # valid API on 1.31, but spec lacks its required fields
    ]
    assert "removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1" in findings[0].message


SHIRT = "apiVersion: stable.example.com/v1\nkind: Shirt\nmetadata:\n  name: s\nspec:\n  color: blue\n"


def test_custom_resource_without_schema_is_unchecked_unless_asked() -> None:
    [f] = run(SHIRT)  # a group Kubernetes does not serve: the schema part is not checked, and said so
    assert (f.line, f.rule, f.severity.value) == (2, "no-schema", "info")
    assert "Shirt stable.example.com/v1" in f.message
    assert "stable.example.com/shirt_v1.json" in f.message
    for setting in ("warning", "error"):
        [f] = run(SHIRT, custom_resources_without_schema=setting)
        assert (f.line, f.rule, f.severity.value) == (2, "no-schema", setting)


def test_builtin_group_with_an_unknown_kind_is_still_an_error() -> None:
    [f] = run(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet"))
    assert (f.line, f.rule, f.severity.value) == (2, "no-schema", "error")
    assert "did you mean Deployment?" in f.message
    [f] = run("apiVersion: networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\n")
    assert (f.rule, f.severity.value) == ("no-schema", "error")  # Gateway API is gateway.networking.k8s.io


def test_custom_resource_schema_from_schemas_dir(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["spec"],
        "additionalProperties": False,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"color": {"type": "string"}, "size": {"enum": ["S", "M", "L"]}},
            },
        },
    }
    (tmp_path / "shirt-stable-v1.json").write_text(json.dumps(schema), encoding="utf-8")
    assert run(SHIRT, schemas_dir=tmp_path) == []
    findings = run(SHIRT.replace("color", "colour"), schemas_dir=tmp_path)
    assert where(findings) == [(6, 3, "schema/unknown-field")]
    assert findings[0].hint == "did you mean `color`?"
    # enums: the built-in schemas only have them on apiVersion/kind, CRDs have them anywhere
    findings = run(SHIRT + "  size: XL\n", schemas_dir=tmp_path)
    assert where(findings) == [(7, 9, "schema/enum")]
    assert "must be one of `S`, `M`, `L`; got `XL`" in findings[0].message
    assert run(SHIRT + "  size: M\n", schemas_dir=tmp_path) == []


def test_config_kind_says_it_is_not_an_api_object() -> None:
    [f] = run("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n")
    assert f.rule == "no-schema"
    assert 'data-kind="yaml"' in f.message


def test_findings_on_several_versions_merge_and_name_them() -> None:
    text = DEPLOYMENT.replace("  replicas: 2", "  replicaz: 2")
    [f] = run(text, versions=("1.35", "1.36", "1.37"))
    assert f.versions == ("1.35", "1.36", "1.37")
    assert f.message.endswith("(on 1.35, 1.36, 1.37)")


def test_field_that_only_exists_in_newer_versions_fails_only_on_older() -> None:
    pod = textwrap.dedent(
        """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: c
              image: busybox
              env:
                - name: A
                  valueFrom:
                    fileKeyRef:
                      volumeName: v
                      path: a.env
                      key: A
          volumes:
            - name: v
              emptyDir: {}
        """
    )
    findings = run(pod, versions=("1.32", "1.33", "1.34", "1.37"))  # fileKeyRef arrived in 1.34
    assert where(findings) == [(12, 13, "schema/unknown-field")]
    assert findings[0].versions == ("1.32", "1.33")
    assert findings[0].message.endswith("(on 1.32, 1.33)")


def test_block_version_override() -> None:
    settings = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")
    text = "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata:\n  name: d\nspec: {}\n"
    block = make_block(text, kind=Kind.KUBERNETES, attrs={"data-k8s-versions": "1.33, 1.37"})
    [f] = run_blocks(settings, [block])[block.id]
    assert (f.rule, f.versions) == ("no-schema", ("1.33",))
    assert "only exists from Kubernetes 1.34 on" in f.message
    bad = make_block(DEPLOYMENT, kind=Kind.KUBERNETES, attrs={"data-k8s-versions": "1.20"}, index=1)
    [f] = run_blocks(settings, [bad])[bad.id]
    assert (f.rule, f.line) == ("unknown-version", 0)


def test_yaml_syntax_errors_are_left_to_the_yaml_check() -> None:
    text = DEPLOYMENT + "---\napiVersion: v1\nkind: [oops\n"
    assert run(text) == []  # the first document is valid; the broken one is the yaml check's


def test_document_without_kind_in_a_manifest_block() -> None:
    [f] = run(DEPLOYMENT + "---\nfoo: bar\n")
    assert (f.line, f.rule) == (22, "no-kind")


HEREDOC = textwrap.dedent(
    """\
    kubectl create namespace demo
    kubectl apply -f - <<'EOF'
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    dataa:
      key: value
    EOF
    cat <<EOF | kubectl apply -f -
    apiVersion: v1
    kind: Namespace
    metadata:
      name: ok
    EOF
    """
)


def test_heredoc_manifest_in_shell_at_its_markdown_line() -> None:
    block = make_block(HEREDOC, kind=Kind.SHELL, language="bash", fence_line=10)
    classify(block)
    assert block.meta.get("kubectl_heredoc")
    settings = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")
    [f] = run_blocks(settings, [block])[block.id]
    assert where([f]) == [(7, 1, "schema/unknown-field")]
    assert f.hint == "did you mean `data`?"
    assert block.locate(f).line == 17  # fence on line 10, block line 7


def test_heredoc_in_console_block_with_prompts_and_a_yaml_problem() -> None:
    text = "$ kubectl apply -f - <<EOF\n> apiVersion: v1\n> kind: Namespace\n> kind: Again\n> EOF\n"
    block = make_block(text, kind=Kind.CONSOLE, language="console")
    classify(block)
    settings = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")
    findings = run_blocks(settings, [block])[block.id]
    # columns count the "> " prompt; the last `kind` wins, as in kubectl, and has no schema
    assert where(findings) == [(4, 3, "duplicate-key"), (4, 9, "no-schema")]


def test_shell_without_kubectl_heredoc_is_not_checked() -> None:
    block = make_block("cat <<EOF > x.yaml\nkind: Pod\nEOF\n", kind=Kind.SHELL, language="bash")
    classify(block)
    settings = Settings(root=ROOT, cache_dir=None)
    assert not KubernetesSchema(settings).applies(block)


def test_configured_kubeconform_path_that_does_not_exist_is_tool_missing(tmp_path: Path) -> None:
    from docs_examples.checks.runner import ToolMissing

    settings = Settings(root=ROOT, cache_dir=None, kubeconform=str(tmp_path / "kubeconform"))
    with pytest.raises(ToolMissing):
        KubernetesSchema(settings).version()


def test_auto_without_kubeconform_uses_the_embedded_engine() -> None:
    check = KubernetesSchema(Settings(root=ROOT, cache_dir=None, kubeconform="off"))
    assert check.version().startswith("jsonschema-rs ")


# -- the standalone layout --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "api", "name"),
    [
        ("Deployment", "apps/v1", "deployment-apps-v1.json"),
        ("Service", "v1", "service-v1.json"),
        ("Ingress", "networking.k8s.io/v1", "ingress-networking-v1.json"),
        ("ClusterRole", "rbac.authorization.k8s.io/v1", "clusterrole-rbac-v1.json"),
    ],
)
def test_kubeconform_file_names(kind: str, api: str, name: str) -> None:
    assert schemas.schema_filename(kind, api) == name


def test_standalone_layout_is_local_and_keyed_by_package_version(tmp_path: Path) -> None:
    store = schemas.SchemaStore(tmp_path)
    strict = store.path("1.37", "Deployment", "apps/v1")
    loose = store.path("1.37", "Deployment", "apps/v1", strict=False)
    assert strict == tmp_path / "v1.37.0-standalone-strict" / "deployment-apps-v1.json"
    assert loose == tmp_path / "v1.37.0-standalone" / "deployment-apps-v1.json"
    text = strict.read_text(encoding="utf-8")
    assert "_definitions.json" not in text
    assert "$defs" not in text
    doc = json.loads(text)
    assert "io.k8s.api.apps.v1.DeploymentSpec" in doc["definitions"]
    assert doc["definitions"]["io.k8s.api.core.v1.Container"]["additionalProperties"] is False
    assert "additionalProperties" not in json.loads(loose.read_text())["definitions"]["io.k8s.api.core.v1.Container"]
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    assert manifest["kubernetes-validate"] == schemas.package_version()
    (tmp_path / "MANIFEST.json").write_text('{"kubernetes-validate": "0.0.1"}')
    again = schemas.SchemaStore(tmp_path)
    assert again.path("1.37", "Service", "v1") is not None
    assert not strict.exists()  # made from another version: wiped
    assert store.path("1.37", "DeploymentSpec", "apps/v1") is None  # a type, not a kind


def test_bundled_versions() -> None:
    versions = schemas.bundled_versions()
    assert versions[0] == "1.25"
    assert versions[-1] == "1.37"
