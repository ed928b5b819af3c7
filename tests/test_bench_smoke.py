"""The benchmark's code paths on tiny sizes, so ``make bench`` cannot rot. No timing is asserted here.

The generator must be deterministic and produce the mix it promises; the naive checker must really start
one process per block and tool; ``benchmarks/run.py`` must produce every row of its table and the JSON file.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from docs_examples.blocks.classify import yaml_documents
from docs_examples.blocks.model import Kind
from docs_examples.cli import find_pages
from docs_examples.pipeline import Pipeline
from docs_examples.settings import from_mkdocs_yml

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate
import naive
import run

pytestmark = pytest.mark.slow


def blocks_of(site: Path) -> list:
    pipeline = Pipeline(from_mkdocs_yml(site / "mkdocs.yml"), only=[])
    return [b for page in find_pages([str(site / "docs")], pipeline.settings) for b in pipeline.extract(page).blocks]


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate.generate(tmp_path / "a", 60, seed=11)
    generate.generate(tmp_path / "b", 60, seed=11)
    generate.generate(tmp_path / "c", 60, seed=12)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert tree(tmp_path / "a") != tree(tmp_path / "c")


def test_generator_makes_the_mix_it_promises(tmp_path: Path) -> None:
    generate.generate(tmp_path / "site", 200, seed=6)
    blocks = blocks_of(tmp_path / "site")
    assert len(blocks) == 200  # every generated block is extracted, none lost to a bad fence
    assert not [p for b in blocks for p in b.problems]
    kinds = Counter(b.kind for b in blocks)
    expected = {Kind.DOCKERFILE, Kind.SHELL, Kind.CONSOLE, Kind.KUBERNETES, Kind.KUBERNETES_FRAGMENT}
    assert expected | {Kind.COMPOSE, Kind.WORKFLOW} == set(kinds)
    assert any(b.tabs for b in blocks) and any(b.indent for b in blocks if not b.tabs)  # tabs and admonitions
    multi = [b for b in blocks if b.kind is Kind.KUBERNETES and len(yaml_documents(b.text) or []) == 2]
    assert multi
    assert len({b.digest for b in blocks}) == len(blocks)  # no two blocks share a cache entry


def test_generated_broken_blocks_fail_and_the_rest_pass(tmp_path: Path) -> None:
    """Exactly the blocks generated broken fail, with the real tools; nothing is a tool error."""
    generate.generate(tmp_path / "site", 100, seed=6)
    settings = from_mkdocs_yml(tmp_path / "site" / "mkdocs.yml")
    settings.cache_dir = None
    report = Pipeline(settings).run(find_pages([str(tmp_path / "site" / "docs")], settings))
    examples = generate.examples(100, 6)
    assert not [r for r in report.results if r.status.value == "error"]
    assert [r.status.value == "failed" for r in report.results] == [e.broken for e in examples]
    broken_kinds = {r.block.kind for r in report.results if r.status.value == "failed"}
    assert len(broken_kinds) >= 5


def test_naive_checker_runs_one_process_per_block_and_tool(tmp_path: Path) -> None:
    generate.generate(tmp_path / "site", 20, seed=6)
    blocks = blocks_of(tmp_path / "site")
    counts = naive.check(tmp_path / "site")
    shells = sum(b.kind in {Kind.SHELL, Kind.CONSOLE} for b in blocks)
    others = sum(b.kind in {Kind.DOCKERFILE, Kind.COMPOSE, Kind.WORKFLOW, Kind.KUBERNETES} for b in blocks)
    assert counts["blocks"] == shells + others
    assert counts["processes"] == 2 * shells + others
    assert counts["failed"] >= 1


def test_naive_manifest_step_flags_an_unknown_field(tmp_path: Path) -> None:
    """The per-block Kubernetes step of the naive checker is a real validation, not a stub."""
    site = tmp_path / "site"
    generate.generate(site, 1, seed=6)
    from docs_examples.checks.kubernetes import schemas

    settings = from_mkdocs_yml(site / "mkdocs.yml")
    store = schemas.store_for(settings)
    store.path("1.37", "Deployment", "apps/v1")
    good = tmp_path / "good.yaml"
    good.write_text(generate.kubernetes(1, False).text, encoding="utf-8")
    store.path("1.37", "Service", "v1")
    bad = tmp_path / "bad.yaml"
    bad.write_text(generate.kubernetes(1, True).text, encoding="utf-8")
    folder = str(store.folder("1.37", strict=True))
    assert naive.validate_manifest(str(good), folder) == 0
    assert naive.validate_manifest(str(bad), folder) == 1


def test_bench_produces_every_row(tmp_path: Path) -> None:
    site = tmp_path / "warm-site"
    generate.generate(site, 12, seed=6)
    output = tmp_path / "results.json"
    argv = ["--small", "12", "--large", "24", "--repeat", "1", "--site", str(site), "--output", str(output)]
    assert run.main(argv) == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    metrics = [row["metric"] for row in data["rows"]]
    assert len(metrics) == 8
    assert metrics[0].startswith("warm mkdocs build")
    assert metrics[1].startswith("cold check")
    # the k8s-website corpus when it is beside the clone, manifests the generator writes when it is not
    source = "k8s corpus" if run.CORPUS.is_dir() else "k8s generated (corpus absent)"
    assert metrics[2] == f"{source}, in process: our check / python-jsonschema"
    assert metrics[3].startswith(f"{source}, cold run: CLI / ")
    assert metrics[7].startswith("one edit")
    for row in data["rows"]:
        assert row["ours"] > 0 and row["baseline"] > 0, row
        assert isinstance(row["passed"], bool)
    assert "same verdicts: yes" in data["rows"][2]["note"]
    cold = data["rows"][3]
    assert "same verdicts: yes" in cold["note"]
    # where valgrind is installed, the row also gives the load-independent instruction counts of both sides
    assert ("instructions (valgrind): ours " in cold["note"]) == (shutil.which("valgrind") is not None)
    assert cold["unit"] == "s CPU" and cold["ours_wall"] > 0 and cold["baseline_wall"] > 0
    # the baseline is named for what ran: kubeconform only where a real one is installed
    assert ("kubeconform" in cold["metric"]) == (run._real_kubeconform() is not None)
    assert data["rows"][7]["passed"]  # the one-edit row is a count, not a time: it must hold even here
    assert {"nproc", "cpu", "date"} <= set(data["machine"])
    assert not list(site.glob(".bench-*.yml"))  # the temporary mkdocs.yml copies are gone


def test_the_kubeconform_standin_is_never_timed_as_kubeconform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' stand-in replays recordings: a bench row named "vs kubeconform" must have timed the real one."""
    import kubeconform_standin

    link = kubeconform_standin.install(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{link.parent}:/usr/bin:/bin")
    assert run._real_kubeconform() is None


def test_kubernetes_rows_measure_generated_manifests_without_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's clone has no ../shared: the Kubernetes rows then validate manifests the generator writes, and
    their names say so (make test once failed on a clone without the corpus, expecting the corpus row)."""
    monkeypatch.setattr(run, "CORPUS", tmp_path / "no-corpus-here")
    monkeypatch.setattr(run, "MANIFESTS", run.MANIFESTS)
    monkeypatch.setattr(run, "SOURCE", run.SOURCE)
    run.use_manifests(tmp_path)
    files = sorted(run.MANIFESTS.glob("*.yaml"))
    assert run.SOURCE == "k8s generated (corpus absent)" and len(files) == 200
    assert sum("replicaz" in f.read_text(encoding="utf-8") for f in files) == 20  # the broken ones


def test_files_kubeconform_stops_reading_early_are_found(tmp_path: Path) -> None:
    """Content after a ``...`` line (before the next ``---``) is what kubeconform never reads; a ``...`` at the
    end, before a ``---``, or followed only by comments hides nothing."""
    files = {
        "cut.yaml": "apiVersion: v1\nkind: Service\nspec:\n...\nports: []\n",
        "end.yaml": "apiVersion: v1\nkind: Service\n...\n",
        "next.yaml": "apiVersion: v1\nkind: Service\n...\n---\napiVersion: v1\nkind: Pod\n",
        "comment.yaml": "apiVersion: v1\nkind: Service\n... # done\n# nothing more\n\n",
        "elided.yaml": "apiVersion: v1\nkind: Service\nspec:\n  ...\n  ports: []\n",  # not at the margin
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert run._cut_short(tmp_path, files) == {"cut.yaml"}
