"""Batches split across processes give exactly the findings one process gives (hadolint, shellcheck)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.hadolint import Hadolint
from docs_examples.checks.shellcheck import ShellCheck
from docs_examples.settings import Settings

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate


@pytest.mark.parametrize(("size", "workers"), [(0, 2), (1, 2), (15, 2), (40, 1), (40, 2), (1000, 2), (1000, 8)])
def test_chunks_keep_order_and_bounds(size: int, workers: int) -> None:
    items = list(range(size))
    parts = runner.chunks(items, workers)
    assert [x for part in parts for x in part] == items
    assert len(parts) <= max(1, 2 * workers)
    if size >= 16:
        assert all(len(p) >= 16 for p in parts)
    if size >= 32 * workers:
        assert len(parts) == 2 * workers  # big batches do use every worker


def blocks(maker, kind: Kind, count: int, language: str) -> list:
    out = []
    for n in range(count):
        example = maker(n, n % 3 == 0)
        out.append(make_block(example.text, kind=kind, language=language, index=n))
    return out


@pytest.mark.parametrize(
    ("check_class", "maker", "kind", "language"),
    [
        (Hadolint, generate.dockerfile, Kind.DOCKERFILE, "dockerfile"),
        (ShellCheck, generate.shell, Kind.SHELL, "bash"),
    ],
)
def test_split_batches_find_what_one_process_finds(
    check_class, maker, kind: Kind, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    todo = blocks(maker, kind, 48, language)
    check = check_class(Settings(root=ROOT, cache_dir=None, jobs=2))
    split = check.check(todo)
    assert len(runner.chunks(todo, 2)) == 3  # really split
    monkeypatch.setattr(runner, "chunks", lambda items, workers, minimum=16: [list(items)])
    whole = check.check(todo)
    assert split == whole
    assert sum(bool(v) for v in whole.values()) >= 8  # broken blocks (a third of them) have findings
