"""The kubeconform engine: the real binary where installed, and its JSON parsing via a labelled STAND-IN.

kubeconform is in no package registry this machine reaches, so the real-binary tests are skipped here.
The stand-in tests run a small script that replays kubeconform's recorded ``-output json`` format
(v0.6.4+: ``resources[].validationErrors``); they test our argv and parsing, NOT kubeconform itself.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.kubernetes.kubeconform import parse_message, parse_output, pointer
from docs_examples.checks.kubernetes.positions import ENUM, REQUIRED, TYPE, UNKNOWN
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.settings import Settings

DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicaz: 2\n"
    "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
    "        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n"
)

# Recorded shape of `kubeconform -output json -summary` for one invalid resource (v0.6.4+).
REPLAY = {
    "resources": [
        {
            "filename": "doc-000000.json",
            "kind": "Deployment",
            "name": "web",
            "version": "apps/v1",
            "status": "statusInvalid",
            "msg": "problem validating schema. Check JSON formatting: jsonschema validation failed",
            "validationErrors": [
                {"path": "/spec", "msg": "additional properties 'replicaz' not allowed"},
                {"path": "/spec/template/spec/containers/0", "msg": "missing property 'resources'"},
            ],
        }
    ],
    "summary": {"valid": 0, "invalid": 1, "errors": 0, "skipped": 0},
}


def standin(tmp_path: Path, output: dict) -> Path:
    """A STAND-IN executable that records its argv and prints ``output`` as kubeconform would."""
    script = tmp_path / "kubeconform-standin"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!{sys.executable}
            # STAND-IN for kubeconform: replays recorded JSON output; it validates nothing.
            import json, sys
            if sys.argv[1:] == ["-v"]:
                print("v0.6.7-standin")
                raise SystemExit(0)
            open({str(tmp_path / "argv.json")!r}, "w").write(json.dumps(sys.argv[1:]))
            print({json.dumps(json.dumps(output))})
            raise SystemExit(1)
            """
        ),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_standin_replay_is_parsed_and_positioned(tmp_path: Path) -> None:
    settings = Settings(root=ROOT, cache_dir=tmp_path / "cache", kubernetes_versions=("1.37",), jobs=3)
    settings.kubeconform = str(standin(tmp_path, REPLAY))
    check = KubernetesSchema(settings)
    assert check.version().startswith("kubeconform 0.6.7-standin")
    block = make_block(DEPLOYMENT, kind=Kind.KUBERNETES)
    found = check.check([block])[block.id]
    assert [(f.tool, f.line, f.column, f.rule) for f in found] == [
        ("kubeconform", 6, 3, UNKNOWN),
        ("kubeconform", 16, 11, REQUIRED),
    ]
    assert found[0].hint == "did you mean `replicas`?"
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv[:8] == ["-strict", "-output", "json", "-summary", "-n", "3", "-kubernetes-version", "1.37.0"]
    location = argv[argv.index("-schema-location") + 1]
    assert location.endswith(
        "{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json"
    )
    assert (Path(location.split("{{")[0]) / "v1.37.0-standalone-strict" / "deployment-apps-v1.json").is_file()
    assert argv[-1] == "doc-000000.json"


def test_standin_garbage_output_is_a_tool_failure(tmp_path: Path) -> None:
    script = standin(tmp_path, REPLAY)
    head, _, tail = script.read_text().rpartition("print(")
    script.write_text(head + "print('panic: boom') or (" + tail)
    settings = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform=str(script))
    block = make_block(DEPLOYMENT, kind=Kind.KUBERNETES)
    with pytest.raises(runner.ToolFailed):
        KubernetesSchema(settings).check([block])


@pytest.mark.parametrize(
    ("path", "msg", "rule", "field", "expected"),
    [
        ("/spec", "additional properties 'replicaz' not allowed", UNKNOWN, "replicaz", ()),  # v6 wording
        ("/spec", "additionalProperties 'replicaz' not allowed", UNKNOWN, "replicaz", ()),  # v5 wording
        ("/spec/template/spec/containers/0", "missing property 'name'", REQUIRED, "name", ()),
        ("", "missing properties: 'spec'", REQUIRED, "spec", ()),
        ("/spec/replicas", "expected integer, but got string", TYPE, None, ("integer",)),
        ("/spec/replicas", "got string, want integer", TYPE, None, ("integer",)),
        ("/spec/size", "value must be one of 'S', 'M'", ENUM, None, ("S", "M")),
    ],
)
def test_message_parsing(path: str, msg: str, rule: str, field: str | None, expected: tuple) -> None:
    [e] = parse_message(path, msg)
    assert (e.rule, e.field, e.expected) == (rule, field, expected)


def test_pointer_and_statuses() -> None:
    assert pointer("/spec/containers/0/a~1b") == ("spec", "containers", 0, "a/b")
    out = parse_output(
        json.dumps(
            {
                "resources": [
                    {"filename": "/tmp/x/doc-1.json", "status": "statusError", "msg": "could not find schema"},
                    {"filename": "doc-2.json", "status": "statusValid"},
                    {
                        "filename": "doc-3.json",
                        "status": "statusInvalid",
                        "msg": "jsonschema: '/spec' does "
                        "not validate with file:///s.json#/properties/spec/additionalProperties: "
                        "additionalProperties 'x' not allowed",
                    },
                ]
            }
        )
    )
    assert out["doc-1.json"] == "could not find schema"
    assert "doc-2.json" not in out
    [legacy] = out["doc-3.json"]
    assert (legacy.path, legacy.rule, legacy.field) == (("spec",), UNKNOWN, "x")


@pytest.mark.skipif(shutil.which("kubeconform") is None, reason="kubeconform is in no registry this machine reaches")
def test_real_kubeconform_finds_the_unknown_field() -> None:
    settings = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="auto")
    block = make_block(DEPLOYMENT, kind=Kind.KUBERNETES)
    found = KubernetesSchema(settings).check([block])[block.id]
    assert [(f.tool, f.line, f.rule) for f in found] == [("kubeconform", 6, UNKNOWN)]
