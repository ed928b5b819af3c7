"""Placeholders and elisions: each form is recognised, the YAML parses with every column kept, what the
placeholder stands for is not held against the example, and a real error next to it still fails at its line."""

from __future__ import annotations

import textwrap

import pytest

from conftest import ROOT, make_block
from docs_examples.blocks import placeholders
from docs_examples.blocks.classify import classify
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.kubernetes.rules import KubernetesRules
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.checks.yaml_syntax import YamlSyntax
from docs_examples.findings import Severity
from docs_examples.settings import Settings

FAILING = (Severity.ERROR, Severity.WARNING)  # the default fail_on
SETTINGS = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")


def yaml_block(text: str, **kw) -> Block:
    block = make_block(textwrap.dedent(text), kind=Kind.OTHER, language="yaml", **kw)
    classify(block)
    return block


def failing(block: Block) -> list[tuple[int, str]]:
    """``(line, rule)`` of every finding that fails the block, from the yaml, schema and rules checks."""
    out = []
    for check in (YamlSyntax(SETTINGS), KubernetesSchema(SETTINGS), KubernetesRules(SETTINGS)):
        if check.applies(block):
            out += [(f.line, f.rule) for f in check.check([block]).get(block.id, []) if f.severity in FAILING]
    return sorted(out)


def notes(block: Block) -> list[str]:
    return [f.message for f in KubernetesSchema(SETTINGS).check([block]).get(block.id, []) if f.rule == "placeholders"]


MANIFEST = """\
apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: argocd
type: Opaque
stringData:
  token: {value}
"""


# -- every form, as a value: the example passes, and says it was read with placeholders ----------------------


@pytest.mark.parametrize(
    ("form", "name", "value"),
    [
        ("angle", "<secret-name>", "<your-token>"),
        ("angle with spaces", "<the secret name>", "<bot access token>"),
        ("dollar-brace", "${SECRET_NAME}", "${TOKEN:-none}"),
        ("dollar", "$SECRET_NAME", "$TOKEN"),
        ("double-brace", "{{ SECRET_NAME }}", "{{TOKEN}}"),
        ("at", "@SECRET_NAME@", "@TOKEN@"),
        ("single-brace", "{name}", "{token}"),
        ("inside a value", "app-<env>-secret", "prefix-${TOKEN}"),
    ],
)
def test_each_value_form_passes_and_is_noted(form: str, name: str, value: str) -> None:
    block = yaml_block(MANIFEST.format(name=name, value=value))
    assert block.kind is Kind.KUBERNETES, form
    assert failing(block) == []
    [note] = notes(block)
    assert "checked as a partial object" in note


def test_placeholder_for_a_number_stands_for_any_value_of_that_type() -> None:
    text = DEPLOYMENT.replace("replicas: 2", "replicas: <replicas>").replace("Port: 80", "Port: @PORT@")
    assert failing(yaml_block(text)) == []


def test_a_real_error_next_to_a_placeholder_still_fails_at_its_line() -> None:
    text = DEPLOYMENT.replace("replicas: 2", "replicas: <replicas>\n  replicaz: 3")
    assert failing(yaml_block(text)) == [(7, "schema/unknown-field")]
    wrong = DEPLOYMENT.replace("image: nginx:1.27", "image: nginx:{tag}").replace("Port: 80", "Port: eighty")
    assert failing(yaml_block(wrong)) == [(19, "schema/type")]


def test_a_template_is_not_a_placeholder() -> None:
    assert not placeholders.whole("{{ .Values.image }}")
    assert not placeholders.contains("{{ .Values.image | quote }}")
    assert not placeholders.whole("{% if x %}")
    assert placeholders.whole("{{ IMAGE }}") and placeholders.whole("{{-IMAGE-}}")


# -- elisions -------------------------------------------------------------------------------------------------

DEPLOYMENT = """\
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
          ports:
            - containerPort: 80
"""


@pytest.mark.parametrize(
    "elision",
    ["...", "…", "(...)", "(…)", "# ...", "# (...)", "# ... other fields ...", "# <snip>", "# snip"],
)
def test_each_elision_line_relaxes_required_where_it_sits(elision: str) -> None:
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n"
        "    matchLabels: {app: web}\n  " + elision + "\n"
    )
    block = yaml_block(text)
    assert block.kind is Kind.KUBERNETES
    assert failing(block) == []  # the template is left out on purpose
    without = yaml_block(text.replace("  " + elision + "\n", ""))
    assert (5, "schema/required") in failing(without)


@pytest.mark.parametrize(("form", "value"), [("elided-list", "[...]"), ("elided-map", "{...}"), ("value", "...")])
def test_elided_values_stand_for_any_value(form: str, value: str) -> None:
    text = MANIFEST.format(name="s", value="x").replace("type: Opaque", f"data: {value}")
    assert failing(yaml_block(text)) == [], form


def test_unknown_field_next_to_an_elision_is_still_an_error() -> None:
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicaz: 3\n  ...\n"
    assert failing(yaml_block(text)) == [(6, "schema/unknown-field")]


def test_document_end_then_content_is_an_elision_and_a_real_document_end_is_not() -> None:
    elided = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n...\n\nstringData:\n  a: b\n"
    assert failing(yaml_block(elided)) == []
    ended = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n...\n---\napiVersion: v1\nkind: ConfigMap\n"
    masked = placeholders.mask_yaml(ended)
    assert masked.text == ended and masked.spots == []


def test_ellipsis_inside_a_block_scalar_is_text() -> None:
    text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  key: |\n    -----BEGIN-----\n    ...\n"
    masked = placeholders.mask_yaml(text)
    assert masked.text == text and masked.spots == []


def test_a_block_that_stops_at_a_key_leaves_its_value_out() -> None:
    text = DEPLOYMENT.replace("          ports:\n            - containerPort: 80\n", "          ports:\n")
    assert failing(yaml_block(text)) == []


# -- the YAML check, columns, rules -------------------------------------------------------------------------------


def test_masking_keeps_every_column_and_restores_the_text() -> None:
    text = "a: @VAR@\nb: {{ X }}\nc: [...]\nd: {tag}\ne: x-<y>\n"
    masked = placeholders.mask_yaml(text)
    assert [len(line) for line in masked.text.split("\n")] == [len(line) for line in text.split("\n")]
    assert placeholders.restore(masked.text) == text
    assert [s.form for s in masked.spots] == ["at", "double-brace", "elided-list", "single-brace", "angle"]


def test_yaml_check_accepts_placeholders_but_not_broken_yaml() -> None:
    ok = make_block("name: @NAME@\nvalue: {{ VALUE }}\nlist: [...]\n...\n", kind=Kind.YAML, attrs={"data-kind": "yaml"})
    ok.meta["marked"] = True
    assert YamlSyntax(SETTINGS).check([ok]) == {}
    broken = make_block("name: @NAME@\nvalue: [unclosed\n", kind=Kind.YAML)
    [f] = YamlSyntax(SETTINGS).check([broken])[broken.id]
    assert (f.rule, f.severity) == ("yaml-syntax", Severity.ERROR)


def test_rules_skip_what_a_placeholder_stands_for_but_not_the_rest() -> None:
    text = MANIFEST.format(name="<secret-name>", value="x").replace("namespace: argocd", "namespace: Bad_NS")
    assert failing(yaml_block(text)) == [(5, "K8S002")]  # the namespace is wrong, the name is a stand-in
    annotations = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
        "    notifications.argoproj.io/subscribe.<trigger>.slack: x\n    example.com/port.${NAME}: 3000\n"
    )
    # the placeholder key is not judged by K8S004, but an annotation value must still be a string
    assert failing(yaml_block(annotations)) == [(7, "schema/type")]


def test_placeholder_labels_match_any_selector() -> None:
    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: <app>\n"
    pod = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers: []\n"
    found = KubernetesRules(SETTINGS).check([yaml_block(service + pod)])
    assert all(f.severity is Severity.INFO or f.rule != "K8S009" for fs in found.values() for f in fs)


# -- reuse for other languages --------------------------------------------------------------------------------


def test_find_lists_forms_in_any_text_and_can_be_limited() -> None:
    shell = "kubectl -n <namespace> get pods\nhelm install x --set image.tag={tag}\n# ...\n"
    spots = placeholders.find(shell, ["angle", "single-brace", "ellipsis-comment"])
    assert [(s.line, s.form, s.text) for s in spots] == [
        (1, "angle", "<namespace>"),
        (2, "single-brace", "{tag}"),
        (3, "ellipsis-comment", "# ..."),
    ]
    assert placeholders.find("echo $HOME", ["angle"]) == []


def test_the_catalogue_is_rendered_for_the_docs() -> None:
    table = placeholders.forms_table()
    assert table.count("\n") == len(placeholders.FORMS) + 2
    for form in placeholders.FORMS:
        assert f"`{form.example}`" in table


def test_the_readme_and_the_checks_page_list_every_form() -> None:
    from docs_examples.site import pages

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = pages.checks_page({}, {}, ("1.37",), "warning", "0 blocks")
    assert placeholders.forms_table() in readme  # the same table as the recogniser's own catalogue
    assert placeholders.forms_table().strip() in page
    assert "## Placeholders and elisions" in page


# -- masked secrets and a JSON-style member between elisions ---------------------------------------------------

MASKED_REPO = """\
apiVersion: v1
kind: Secret
metadata:
  name: repo
type: Opaque
stringData:
  url: https://github.com/example/apps.git
  username: ****
  password: ********
"""


def test_masked_secret_is_a_placeholder_not_an_alias() -> None:
    block = yaml_block(MASKED_REPO)
    assert block.kind is Kind.KUBERNETES
    assert failing(block) == []
    [note] = notes(block)
    assert "`****`" in note and "`********`" in note
    masked = placeholders.mask_yaml(MASKED_REPO)
    assert [(s.line, s.form) for s in masked.spots] == [(8, "masked"), (9, "masked")]
    assert placeholders.whole("****") and not placeholders.whole("pa**word")


def test_a_real_error_beside_a_masked_secret_still_fails_at_its_line() -> None:
    twice = MASKED_REPO + "  username: ****\n"
    assert failing(yaml_block(twice)) == [(10, "duplicate-key")]
    typo = MASKED_REPO.replace("stringData:", "stringDatta:")
    assert failing(yaml_block(typo)) == [(6, "schema/unknown-field")]


def test_a_real_alias_is_still_read_as_an_alias() -> None:
    assert placeholders.find("a: *anchor\nb: **\n", ["masked"]) == []
    undefined = make_block("a: *anchor\n", kind=Kind.YAML)
    [f] = YamlSyntax(SETTINGS).check([undefined])[undefined.id]
    assert f.rule == "yaml-syntax" and f.line == 1


MEMBER = """...
    "args": ["aws", "--cluster-name", "my-eks-cluster", "--role-arn", "arn:aws:iam::<ACCOUNT_ID>:role/<ROLE>"],
...
"""


def test_a_comma_before_an_elision_belongs_to_it() -> None:
    block = make_block(MEMBER, kind=Kind.YAML)
    assert YamlSyntax(SETTINGS).check([block]) == {}
    masked = placeholders.mask_yaml(MEMBER)
    assert [len(line) for line in masked.text.split("\n")] == [len(line) for line in MEMBER.split("\n")]


def test_a_stray_comma_without_an_elision_after_it_is_still_an_error() -> None:
    text = MEMBER.replace("...\n", "", 2).replace("],", "],") + '"env": {}\n'
    block = make_block(text, kind=Kind.YAML)
    [f] = YamlSyntax(SETTINGS).check([block])[block.id]
    assert (f.rule, f.line) == ("yaml-syntax", 1)
    inside = make_block("...\nkey: [a, b\n...\n", kind=Kind.YAML)  # an unclosed list between elisions
    assert [f.rule for f in YamlSyntax(SETTINGS).check([inside])[inside.id]] == ["yaml-syntax"]
