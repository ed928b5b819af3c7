"""The YAML loader: Kubernetes' dialect, duplicate keys, positions of every value, and no tracebacks."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from docs_examples.yaml_loader import DUPLICATE, SYNTAX, Document, YamlProblem, first_document, load

POD = textwrap.dedent(
    """\
    apiVersion: v1
    kind: Pod  # (1)!
    metadata:
      name: web
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports:
            - containerPort: 80
    """
)


def test_plain_manifest_loads_with_positions_of_keys_and_values() -> None:
    docs, problems = load(POD)
    assert problems == []
    [doc] = docs
    assert doc.data["spec"]["containers"][0]["ports"][0]["containerPort"] == 80
    assert doc.start_line == 1
    assert doc.line_of(["metadata", "name"]) == 4
    assert doc.column_of(["metadata", "name"]) == 9  # the value `web`
    assert doc.column_of(["metadata", "name"], key=True) == 3
    assert doc.line_of(["spec", "containers", 0, "image"]) == 10
    assert doc.line_of(["spec", "containers", 0, "ports", 0, "containerPort"], key=True) == 12
    assert doc.line_of(["spec", "containers", 0]) == 9  # a list item: its first line


def test_missing_path_lands_on_nearest_existing_ancestor() -> None:
    [doc], _ = load(POD)
    assert doc.line_of(["spec", "containers", 0, "resources", "limits"]) == 9
    assert doc.line_of(["metadata", "namespace"]) == 3  # the parent's key line
    assert doc.line_of(["nope"]) == 1
    assert doc.line_of(["spec", "containers", 5]) == 8
    assert not doc.exists(["metadata", "namespace"])
    assert doc.exists(["metadata", "labels", "app"])


def test_node_at_gives_the_yaml_node_of_an_existing_path_only() -> None:
    [doc], _ = load(POD + "  volumes: ~\n")
    image = doc.node_at(["spec", "containers", 0, "image"])
    assert image is not None and image.value == "nginx:1.27" and image.start_mark.line + 1 == 10
    assert doc.node_at(["spec", "volumes"]).value == "~"  # the YAML text, not the loaded None
    assert doc.node_at(["spec", "containers", 0]).start_mark.line + 1 == 9
    assert doc.node_at(["metadata", "namespace"]) is None
    assert doc.node_at(["spec", "containers", 3]) is None


def test_first_document_is_document_zero_or_none() -> None:
    doc = first_document("# a comment\nservices:\n  web: {}\n---\nother: 1\n")
    assert doc is not None and doc.index == 0 and doc.line_of(["services", "web"], key=True) == 3
    assert first_document("a: 1\n---\nb: [\n").data == {"a": 1}  # a later syntax error does not matter
    assert first_document("services:\n  web: [\n") is None
    assert first_document("") is None
    assert first_document("---\n---\nservices: {}\n") is None  # document 0 is empty


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata: {}\n"
    docs, problems = load(text)
    assert problems == [YamlProblem(5, 3, problems[0].message, DUPLICATE)]
    assert "first on line 4" in problems[0].message
    assert docs[0].data["metadata"]["name"] == "b"  # loading goes on


def test_merge_keys_and_anchors_are_not_duplicates() -> None:
    text = textwrap.dedent(
        """\
        base: &base
          image: nginx
          imagePullPolicy: Always
        containers:
          - <<: *base
            name: a
            imagePullPolicy: IfNotPresent
          - *base
        """
    )
    [doc], problems = load(text)
    assert problems == []
    assert doc.data["containers"][0] == {"image": "nginx", "imagePullPolicy": "IfNotPresent", "name": "a"}
    assert doc.data["containers"][1] == {"image": "nginx", "imagePullPolicy": "Always"}
    assert doc.line_of(["containers", 0, "imagePullPolicy"]) == 7  # the override, not the anchor's
    assert doc.line_of(["containers", 0, "image"]) == 2  # merged: where the value is written


def test_multi_document_with_document_end_and_empty_documents() -> None:
    text = "a: 1\n---\n---\n# only a comment\nb: 2\n...\n---\nc: 3\n"
    docs, problems = load(text)
    assert problems == []
    assert [(d.index, d.data, d.start_line) for d in docs] == [(0, {"a": 1}, 1), (2, {"b": 2}, 5), (3, {"c": 3}, 8)]


def test_syntax_error_is_located_and_earlier_documents_survive() -> None:
    text = "a: 1\n---\nb: [1, 2\nc: 3\n"
    docs, problems = load(text)
    assert [d.data for d in docs] == [{"a": 1}]
    [problem] = problems
    assert problem.rule == SYNTAX
    assert problem.line == 4
    assert problem.column >= 1


def test_tab_indentation_error_is_located() -> None:
    _, [problem] = load("a:\n\tb: 1\n")
    assert (problem.line, problem.rule) == (2, SYNTAX)


def test_go_only_single_quote_escape_is_accepted_silently() -> None:
    """Decision: Go's YAML (what kubectl uses) accepts ``\\'`` in double quotes; so do we, with no finding.

    The corpus file pods/inject/envars-file-container.yaml relies on it.
    """
    docs, problems = load('command: ["sh", "-c", "echo \\\'hi\\\'"]\nnext: 1\n')
    assert problems == []
    assert docs[0].data["command"][2] == "echo 'hi'"
    assert docs[0].line_of(["next"]) == 2


def test_other_unknown_escapes_are_still_errors() -> None:
    _, [problem] = load('a: "bad \\q escape"\n')
    assert (problem.line, problem.rule) == (1, SYNTAX)
    assert "escape" in problem.message


def test_data_is_json_like() -> None:
    [doc], _ = load("1: one\ntrue: yes\ncreated: 2024-01-02\nbin: !!binary aGk=\nref: !Ref thing\nn: null\n")
    assert doc.data == {"1": "one", "true": True, "created": "2024-01-02", "bin": "aGk=", "ref": "thing", "n": None}


def test_self_referencing_alias_is_a_problem_not_a_loop() -> None:
    docs, [problem] = load("a: &x [1, *x]\n")
    assert docs == []
    assert problem.line == 1


def test_binary_junk_is_a_problem() -> None:
    docs, [problem] = load("kind: Pod\n\x00\x01\x02\xff")
    assert docs == []
    assert (problem.line, problem.rule) == (2, SYNTAX)


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    for text in ("[" * 100_000, "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 3000))):
        _, problems = load(text)
        assert problems, text[:20]


def test_a_megabyte_loads() -> None:
    text = "items:\n" + "".join(f"  - name: item-{i}\n    value: '{i}'\n" for i in range(30_000))
    assert len(text) > 1_000_000
    [doc], problems = load(text)
    assert problems == []
    assert doc.line_of(["items", 29_999, "value"]) == 3 + 2 * 29_999  # item i starts on line 2 + 2i


def test_document_without_node_falls_back_to_start() -> None:
    doc = Document(index=0, data={}, start_line=7)
    assert doc.line_of(["a"]) == 7
    assert doc.column_of(["a"]) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"\\#\n\t ,.?<\x00é")), max_size=80))
def test_never_raises(text: str) -> None:
    docs, problems = load(text)
    for p in problems:
        assert p.line >= 1
        assert p.column >= 1
    for d in docs:
        assert d.line_of(["a", 0, "b"]) >= 1
