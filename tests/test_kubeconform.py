"""The kubeconform engine gives the same findings as the embedded engine, from kubeconform's real output.

kubeconform is in no registry this machine reaches. What the real v0.7.0 printed for ten manifests is
recorded in ``../shared/corpus/kubeconform-v0.7.0/``; ``tests/kubeconform_standin.py`` is a STAND-IN that
replays those recordings (byte for byte, proven below) and refuses anything it has no recording for. With
it on PATH as ``kubeconform``, these tests run the kubeconform path end to end (argv, output parsing,
positions, the pipeline, the CLI) on real kubeconform output and compare it with the embedded engine. The
real-binary tests at the end run wherever a real kubeconform is on PATH and are skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kubeconform_standin
from conftest import ROOT, cli, make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.kubernetes import engine
from docs_examples.checks.kubernetes.kubeconform import (
    Kubeconform,
    Unvalidated,
    errors_in,
    parse_message,
    parse_output,
    pointer,
    segments,
    unquote,
)
from docs_examples.checks.kubernetes.positions import ANY_OF, ENUM, ONE_OF, REQUIRED, TYPE, UNKNOWN, to_finding
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.checks.kubernetes.schemas import store_for
from docs_examples.settings import Settings
from docs_examples.yaml_loader import load

RECORDED = kubeconform_standin.RECORDED
NAMES = sorted(p.stem for p in (RECORDED / "in").glob("*.yaml")) or ["(no recordings)"]
needs_recordings = pytest.mark.skipif(
    not (RECORDED / "in").is_dir(), reason=f"the recorded kubeconform output is not at {RECORDED}"
)
LAYOUT = kubeconform_standin.LAYOUT


def _real_kubeconform() -> str | None:
    """A real kubeconform on PATH (not this stand-in), or None."""
    found = shutil.which("kubeconform")
    if not found or Path(found).resolve() == Path(kubeconform_standin.__file__).resolve():
        return None
    return found


real_binary = pytest.mark.skipif(
    _real_kubeconform() is None, reason="kubeconform is in no registry this machine reaches"
)


@pytest.fixture
def standin_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The STAND-IN on PATH as ``kubeconform``, for this test only (the runner's tool lookup is reset)."""
    if not (RECORDED / "in").is_dir():
        pytest.skip(f"the recorded kubeconform output is not at {RECORDED}")
    link = kubeconform_standin.install(tmp_path / "standin-bin")
    monkeypatch.setenv("PATH", f"{link.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    runner._find_cached.cache_clear()
    yield link
    runner._find_cached.cache_clear()


def recorded(name: str) -> str:
    return (RECORDED / "in" / f"{name}.yaml").read_text(encoding="utf-8")


def check_with(kubeconform: str, cache: Path | None = None) -> KubernetesSchema:
    settings = Settings(root=ROOT, cache_dir=cache, kubernetes_versions=("1.37",), kubeconform=kubeconform)
    return KubernetesSchema(settings)


def findings_of(check: KubernetesSchema, text: str) -> list[tuple]:
    block = make_block(text, kind=Kind.KUBERNETES)
    found = check.check([block]).get(block.id, [])
    return [(f.tool, f.rule, f.severity, f.line, f.column, f.message, f.hint, f.versions) for f in found]


# -- the stand-in is the recordings ----------------------------------------------------------------------


@needs_recordings
@pytest.mark.parametrize("name", NAMES)
def test_standin_prints_each_recording_byte_for_byte(name: str) -> None:
    argv = ["-strict", "-output", "json", "-kubernetes-version", "1.37.0", "-schema-location", "/s/" + LAYOUT]
    out = subprocess.run(
        [sys.executable, kubeconform_standin.__file__, *argv, f"{name}.yaml"],
        cwd=RECORDED / "in",
        capture_output=True,
        check=False,
    )
    assert out.stdout == (RECORDED / "out" / f"{name}.json").read_bytes(), out.stderr
    codes = dict(line.split() for line in (RECORDED / "out" / "exit-codes.txt").read_text().splitlines() if line)
    assert out.returncode == int(codes[name])


@needs_recordings
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-kubernetes-version", "1.36.0"], "recorded with -kubernetes-version 1.37.0"),
        (["-summary"], "no recording made with -summary"),
        (["-output", "text"], "recorded with -output json"),
    ],
)
def test_standin_refuses_options_it_has_no_recording_for(tmp_path: Path, args: list[str], says: str) -> None:
    base = {"-strict": None, "-output": "json", "-kubernetes-version": "1.37.0", "-schema-location": "/s/" + LAYOUT}
    argv = [a for k, v in base.items() if k not in args for a in ([k] if v is None else [k, v])]
    (tmp_path / "a.yaml").write_text(recorded("10-valid"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, kubeconform_standin.__file__, *argv, *args, "a.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (out.returncode, out.stdout) == (2, "")
    assert says in out.stderr and "STAND-IN" in out.stderr


def test_standin_refuses_a_resource_never_recorded(standin_on_path: Path, tmp_path: Path) -> None:
    text = recorded("10-valid").replace("value", "another value")
    check = check_with("auto")
    assert check.version().startswith("kubeconform 0.7.0 STAND-IN")
    with pytest.raises(runner.ToolFailed, match="was never recorded"):
        findings_of(check, text)


# -- the same findings from both engines -----------------------------------------------------------------

EXPECTED_RULES = {
    "01-nested-unknown-field": [(UNKNOWN, 19, "did you mean `limits`?")],
    "02-nested-wrong-type": [(TYPE, 6, None), (TYPE, 19, None)],
    "03-several-errors": [
        (REQUIRED, 5, None),
        (UNKNOWN, 6, "did you mean `replicas`?"),
        (UNKNOWN, 10, "did you mean `template`?"),
    ],
    "04-top-level-unknown": [(UNKNOWN, 5, "did you mean `data`?")],
    "05-missing-required-nested": [(REQUIRED, 7, None), (REQUIRED, 9, None)],
    "06-multi-document": [(UNKNOWN, 17, "did you mean `ipFamilies`?")],
    "07-enum": [],
    "08-list": [(UNKNOWN, 14, "did you mean `data`?")],  # each item is its own object, as kubeconform reads a List
    "09-custom-resource": [("no-schema", 2, None)],
    "10-valid": [],
}


@needs_recordings
@pytest.mark.parametrize("name", NAMES)
def test_both_engines_give_identical_findings(
    name: str, standin_on_path: Path, runner_calls: list[list[str]], tmp_path: Path
) -> None:
    text = recorded(name)
    embedded = findings_of(check_with("off"), text)
    via_kubeconform = findings_of(check_with("auto", tmp_path / "cache"), text)
    assert via_kubeconform == embedded
    got = [(rule, line, hint) for _, rule, _, line, _, _, hint, _ in embedded]
    want = EXPECTED_RULES[name]
    assert got == want
    if name != "09-custom-resource":  # no schema for a custom resource: kubeconform is never asked
        assert [c for c in runner_calls if c[0] == str(standin_on_path)], "kubeconform was not run"


@needs_recordings
@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("07-enum", "10-valid")])
def test_each_error_is_the_embedded_engines(name: str, standin_on_path: Path, tmp_path: Path) -> None:
    """Below the findings: kubeconform's errors are the embedded engine's (path, rule, property), one by one.

    Lists are given to kubeconform whole, as kubeconform reads them; it reports the items.
    """
    store = store_for(Settings(root=ROOT, cache_dir=tmp_path / "cache", kubernetes_versions=("1.37",)))
    kc = Kubeconform(str(standin_on_path), store, workers=2, timeout=60)
    docs, _ = load(recorded(name))
    results = kc.validate("1.37", [(str(n), d.data) for n, d in enumerate(docs)])
    for n, doc in enumerate(docs):
        wanted: list[tuple] = []
        for prefix, item in (
            [(("items", i), x) for i, x in enumerate(doc.data["items"])] if name == "08-list" else [((), doc.data)]
        ):
            path = store.path("1.37", item["kind"], item["apiVersion"])
            if path is None:
                wanted = ["no schema"]
                continue
            wanted += [((*prefix, *e.path), e.rule, e.field) for e in engine.validate(item, path)]
        got = results.get(str(n), [])
        if isinstance(got, Unvalidated):
            assert got.no_schema and wanted == ["no schema"]
            assert got.message == "could not find schema for Cluster"
            continue
        assert sorted((e.path, e.rule, e.field) for e in got) == sorted(wanted)


@needs_recordings
def test_list_items_are_placed_in_the_list(standin_on_path: Path, tmp_path: Path) -> None:
    """kubeconform reports a List's items as resources of their own; their errors land in the List."""
    store = store_for(Settings(root=ROOT, cache_dir=tmp_path / "cache", kubernetes_versions=("1.37",)))
    kc = Kubeconform(str(standin_on_path), store, workers=2, timeout=60)
    [doc], _ = load(recorded("08-list"))
    [error] = kc.validate("1.37", [("list", doc.data)])["list"]  # type: ignore[misc]
    schema_path = store.path("1.37", "ConfigMap", "v1")
    assert schema_path is not None
    [embedded] = engine.validate(doc.data["items"][1], schema_path)
    assert (error.path, error.rule, error.field) == (("items", 1, *embedded.path), embedded.rule, embedded.field)
    finding = to_finding(error, doc, engine.schema_of(schema_path), tool=engine.TOOL)
    assert (finding.rule, finding.line, finding.column, finding.message) == (
        UNKNOWN,
        14,
        5,
        "unknown field `items[1].dataa`",
    )


# -- a block's status never depends on the engine --------------------------------------------------------


def page_of(*blocks: tuple[str, str]) -> str:
    """A Markdown page of YAML blocks: ``(attributes, text)`` each."""
    return "# Page\n\n" + "".join(f"```yaml{(' ' + a) if a else ''}\n{t}```\n\n" for a, t in blocks)


@needs_recordings
def test_status_and_findings_do_not_depend_on_the_engine(standin_on_path: Path, tmp_path: Path) -> None:
    expect = '{ data-check="expect-fail" data-expect="schema/unknown-field" }'
    page = page_of(
        (expect, recorded("01-nested-unknown-field")),
        ("", recorded("03-several-errors")),
        ("", recorded("02-nested-wrong-type")),
        ("", recorded("10-valid")),
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "k8s.md").write_text(page, encoding="utf-8")
    reports = {}
    for engine_setting in ("off", "auto"):
        out = cli(tmp_path, "check", "--no-cache", "-k", "1.37", "--kubeconform", engine_setting, "-f", "json",
                  "-o", f"{engine_setting}.json", "docs", path=os.environ["PATH"])  # fmt: skip
        assert out.returncode == 1, out.stdout + out.stderr
        reports[engine_setting] = json.loads((tmp_path / f"{engine_setting}.json").read_text(encoding="utf-8"))
    blocks = {k: [(b["fence_line"], b["status"], b["findings"]) for b in r["blocks"]] for k, r in reports.items()}
    assert blocks["auto"] == blocks["off"]
    assert [s for _, s, _ in blocks["off"]] == ["expected-failure", "failed", "failed", "passed"]
    assert "kubeconform 0.7.0 STAND-IN" in json.dumps(reports["auto"])  # it did run, and says it is a stand-in


@needs_recordings
def test_broken_block_with_kubeconform_on_path_names_the_rule_and_the_hint(
    standin_on_path: Path, tmp_path: Path
) -> None:
    """What ``test_cli::test_a_broken_block_exits_1_with_markdown_lines`` asks, on a recorded manifest.

    It failed with kubeconform on PATH because the finding said ``[kubeconform schema/other] `spec`:
    validation failed`` (the errors are only in kubeconform's message, and the tool name changed).
    """
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.md").write_text(page_of(("", recorded("03-several-errors"))), encoding="utf-8")
    outs = {s: cli(tmp_path, "check", "--no-cache", "-k", "1.37", "--kubeconform", s, "docs") for s in ("auto", "off")}
    for out in outs.values():
        assert out.returncode == 1
        assert "docs/broken.md:9:3: error: [kubernetes-schema schema/unknown-field]" in out.stdout, out.stdout
        assert "did you mean `replicas`?" in out.stdout
    body = {s: [ln for ln in o.stdout.splitlines() if ln.startswith("docs/")] for s, o in outs.items()}
    assert body["auto"] == body["off"]


@needs_recordings
def test_rendered_kustomize_objects_with_kubeconform_on_path(standin_on_path: Path, tmp_path: Path) -> None:
    """What ``test_check_kustomize::test_rendered_objects_are_schema_checked`` asks, on a recorded manifest."""
    from conftest import included_block
    from docs_examples.checks.kustomize import Kustomize

    base = tmp_path / "k8s" / "base"
    base.mkdir(parents=True)
    (base / "deployment.yaml").write_text(recorded("03-several-errors"), encoding="utf-8")
    (base / "kustomization.yaml").write_text("resources:\n  - deployment.yaml\n", encoding="utf-8")
    found = {}
    for setting in ("auto", "off"):
        settings = Settings(root=tmp_path, cache_dir=None, kubernetes_versions=("1.37",), kubeconform=setting)
        block = included_block(tmp_path, "k8s/base/kustomization.yaml", kind=Kind.KUSTOMIZATION)
        found[setting] = [(f.rule, f.message) for f in Kustomize(settings).check([block]).get(block.id, [])]
    assert found["auto"] == found["off"]
    assert any("Deployment/web" in m and "replicaz" in m for _, m in found["auto"]), found


# -- reading kubeconform's messages ----------------------------------------------------------------------

V6 = (
    "problem validating schema. Check JSON formatting: jsonschema validation failed with "
    "'file:///home/u/.cache/schemas/v1.37.0-standalone-strict/deployment-apps-v1.json#'"
)


def test_segments_carry_their_depth() -> None:
    msg = V6 + " - at '/spec': validation failed   - at '/spec': missing property 'template'     - at '/a': x"
    assert segments(msg) == [
        (1, "/spec", "validation failed"),
        (2, "/spec", "missing property 'template'"),
        (3, "/a", "x"),
    ]


def test_group_parents_are_dropped_and_every_leaf_kept() -> None:
    msg = (
        V6 + " - at '/spec': validation failed   - at '/spec': missing property 'template'"
        "   - at '/spec': additional properties 'replicaz', 'templates' not allowed"
    )
    got = [(e.path, e.rule, e.field) for e in errors_in(msg, {"spec": {}})]
    assert got == [
        (("spec",), REQUIRED, "template"),
        (("spec",), UNKNOWN, "replicaz"),
        (("spec",), UNKNOWN, "templates"),
    ]


def test_a_one_of_is_one_error_at_its_path() -> None:
    """Constructed in santhosh-tekuri/jsonschema v6's format (not recorded): int-or-string given a boolean."""
    data = {"spec": {"ports": [{"targetPort": True}]}}
    msg = (
        V6 + " - at '/spec/ports/0/targetPort': oneOf failed, none matched"
        "   - at '/spec/ports/0/targetPort': got boolean, want string or null"
        "   - at '/spec/ports/0/targetPort': got boolean, want integer"
    )
    [error] = errors_in(msg, data)
    assert (error.path, error.rule) == (("spec", "ports", 0, "targetPort"), ONE_OF)
    [anyof] = errors_in(V6 + " - at '/x': anyOf failed   - at '/x': got boolean, want string", {"x": True})
    assert anyof.rule == ANY_OF


def test_validation_errors_alone_are_never_the_findings() -> None:
    """v0.7.0 puts ``validation failed`` in validationErrors; the message is what holds the errors."""
    entry = {
        "filename": "doc-000000.json",
        "kind": "Service",
        "name": "api",
        "version": "v1",
        "status": "statusInvalid",
        "msg": V6 + " - at '/spec': additional properties 'ipFamily' not allowed",
        "validationErrors": [{"path": "/spec", "msg": "validation failed"}],
    }
    out = parse_output(json.dumps({"resources": [entry]}), {"doc-000000.json": {"spec": {"ipFamily": "IPv4"}}})
    [error] = out["doc-000000.json"]  # type: ignore[misc]
    assert (error.path, error.rule, error.field) == (("spec",), UNKNOWN, "ipFamily")


@pytest.mark.parametrize(
    ("msg", "rule", "field", "expected"),
    [
        ("additional properties 'replicaz' not allowed", UNKNOWN, "replicaz", ()),  # v6
        ("additionalProperties 'replicaz' not allowed", UNKNOWN, "replicaz", ()),  # v5
        ("missing property 'name'", REQUIRED, "name", ()),
        ("missing properties: 'spec'", REQUIRED, "spec", ()),
        ("expected integer, but got string", TYPE, None, ("integer",)),
        ("got string, want null or integer", TYPE, None, ("integer",)),
        ("value must be one of 'S', 'M'", ENUM, None, ("S", "M")),
        ("value must be 'apps/v1'", ENUM, None, ("apps/v1",)),
        ("maxLength: got 70, want 63", "schema/max-length", None, ()),
        ("exclusiveMinimum: got 0, want 0", "schema/exclusive-minimum", None, ()),
        ("'a b' does not match pattern '^[a-z]+$'", "schema/pattern", None, ()),
        ("something new", "schema/other", None, ()),
    ],
)
def test_message_parsing(msg: str, rule: str, field: str | None, expected: tuple) -> None:
    [e] = parse_message(("spec",), msg)
    assert (e.rule, e.field, e.expected) == (rule, field, expected)


def test_quoted_names_and_pointers_are_unescaped() -> None:
    assert unquote(r"it\'s a\\b\n\u00e9") == "it's a\\b\né"
    [a, b] = parse_message((), r"additional properties 'it\'s', 'a~b' not allowed")
    assert (a.field, b.field) == ("it's", "a~b")
    assert pointer("/spec/containers/0/a~1b") == ("spec", "containers", 0, "a/b")
    data = {"metadata": {"labels": {"80": "x"}}, "spec": {"ports": [{"port": 1}]}}
    assert pointer("/metadata/labels/80", data) == ("metadata", "labels", "80")  # a key, not an index
    assert pointer("/spec/ports/0", data) == ("spec", "ports", 0)
    assert pointer("") == ()


def test_status_error_is_unvalidated_and_no_schema_is_said_so() -> None:
    entries = [
        {"filename": "/tmp/x/doc-1.json", "status": "statusError", "msg": "could not find schema for Cluster"},
        {"filename": "doc-2.json", "status": "statusError", "msg": "error unmarshalling resource: bad"},
        {"filename": "doc-3.json", "status": "statusValid"},
    ]
    out = parse_output(json.dumps({"resources": entries}))
    assert out["doc-1.json"] == Unvalidated("could not find schema for Cluster", no_schema=True)
    assert out["doc-2.json"] == Unvalidated("error unmarshalling resource: bad", no_schema=False)
    assert "doc-3.json" not in out


def test_legacy_messages_are_still_read() -> None:
    """kubeconform ≤ 0.6.3 put the error in msg as ``'<ptr>' does not validate with <url>: <msg>``."""
    entry = {
        "filename": "doc-3.json",
        "status": "statusInvalid",
        "msg": "jsonschema: '/spec' does not validate with file:///s.json#/properties/spec/additionalProperties: "
        "additionalProperties 'x' not allowed",
    }
    [legacy] = parse_output(json.dumps({"resources": [entry]}))["doc-3.json"]  # type: ignore[misc]
    assert (legacy.path, legacy.rule, legacy.field) == (("spec",), UNKNOWN, "x")


def test_an_unreadable_message_keeps_no_local_path() -> None:
    entry = {"filename": "d.json", "status": "statusInvalid", "msg": V6 + " and then something else"}
    [error] = parse_output(json.dumps({"resources": [entry]}))["d.json"]  # type: ignore[misc]
    assert error.rule == "schema/other"
    assert "/home/u" not in error.detail and "<schema>" in error.detail


def test_garbage_output_is_a_tool_failure() -> None:
    with pytest.raises(runner.ToolFailed):
        parse_output("panic: boom")


def test_argv_is_strict_json_on_the_standalone_layout(tmp_path: Path) -> None:
    store = store_for(Settings(root=ROOT, cache_dir=tmp_path / "cache", kubernetes_versions=("1.37",)))
    argv = Kubeconform("kubeconform", store, workers=3, timeout=60).argv("1.37")
    assert argv[1:8] == ["-strict", "-output", "json", "-n", "3", "-kubernetes-version", "1.37.0"]
    location = argv[argv.index("-schema-location") + 1]
    assert location.endswith(LAYOUT)
    store.path("1.37", "Deployment", "apps/v1")
    assert (Path(location.split("{{")[0]) / "v1.37.0-standalone-strict" / "deployment-apps-v1.json").is_file()


# -- the real binary -------------------------------------------------------------------------------------


@real_binary
@needs_recordings
@pytest.mark.parametrize("name", NAMES)
def test_real_kubeconform_gives_the_embedded_findings(name: str, tmp_path: Path) -> None:
    text = recorded(name)
    assert findings_of(check_with("auto", tmp_path / "cache"), text) == findings_of(check_with("off"), text)


@real_binary
def test_real_kubeconform_finds_the_unknown_field() -> None:
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicaz: 2\n"
        "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
        "        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n"
    )
    check = check_with("auto")
    assert check.describe() == "kubeconform strict"
    found = findings_of(check, text)
    assert [(tool, rule, line, hint) for tool, rule, _, line, _, _, hint, _ in found] == [
        ("kubernetes-schema", UNKNOWN, 6, "did you mean `replicas`?")
    ]
    assert found == findings_of(check_with("off"), text)
