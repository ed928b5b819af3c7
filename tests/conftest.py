"""Shared fixtures: where the project, its corpus and its tools are, and a quick way to make blocks."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from docs_examples.blocks.model import Block, Kind, Origin
from docs_examples.checks import runner
from docs_examples.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real-world corpus beside the project (CI lays shared/ beside the clone)."""
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpus missing at {CORPUS}: CI must have shared/ beside the clone")
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one for the whole session: a second sync Playwright in the
    same process fails. Skips locally without the browser, fails in CI."""
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        message = f"Debian chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def watched_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A fresh page in a context of its own (``options``: viewport, colour scheme …) that records console
    errors and uncaught page errors; when the ``with`` body ends normally, there must be none."""
    context = browser.new_context(accept_downloads=True, **options)
    errors: list[str] = []
    try:
        tab = context.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        yield tab
    finally:
        context.close()
    assert errors == []


def local_env(**extra: str) -> dict[str, str]:
    """This environment as on a developer's machine, plus ``extra``: without the CI markers, under which every
    process seals its cache with a key of its own (a cold cache by design) and the progress bar stays off."""
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "GITHUB_ACTIONS"}}
    return {**env, **extra}


def cli(
    cwd: Path, *args: str, path: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``docs-examples *args`` in ``cwd`` (``path``: its PATH instead of this one; ``env``: variables to add),
    output captured."""
    return subprocess.run(
        [sys.executable, "-m", "docs_examples", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=local_env(**({"PATH": path} if path is not None else {}), **(env or {})),
        check=False,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings rooted in the project (its .hadolint.yaml, snippets) with the cache off."""
    return Settings(root=ROOT, cache_dir=None, snippet_paths=[ROOT, ROOT / "snippets"])


@pytest.fixture
def runner_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every argv the checks hand to the runner, in order; the real runner still runs each of them."""
    calls: list[list[str]] = []
    real = runner.run

    def recording(argv: Sequence[str], **kwargs: Any) -> runner.Completed:
        calls.append(list(argv))
        return real(argv, **kwargs)

    monkeypatch.setattr(runner, "run", recording)
    return calls


def make_block(
    text: str,
    *,
    kind: Kind,
    language: str = "",
    page: str = "docs/test.md",
    fence_line: int = 10,
    indent: int = 0,
    index: int = 0,
    attrs: dict[str, str] | None = None,
    title: str | None = None,
) -> Block:
    """A block as extraction would make it from a page where the fence is at ``fence_line``."""
    lines = text.split("\n")
    origins = tuple(Origin(page, fence_line + i + 1, indent) for i in range(len(lines)))
    return Block(
        page=page,
        index=index,
        fence_line=fence_line,
        end_line=fence_line + len(lines) + 1,
        language=language or kind.value,
        text=text,
        origins=origins,
        title=title,
        attrs=attrs or {},
        indent=indent,
        kind=kind,
    )


def included_block(root: Path, relative: str, *, kind: Kind, page: str = "docs/app.md", index: int = 0) -> Block:
    """A block as extraction makes it from ``--8<-- "<relative>"``: the file's text, every line's origin in it."""
    block = make_block((root / relative).read_text(encoding="utf-8"), kind=kind, page=page, index=index, fence_line=20)
    block.origins = tuple(Origin(relative, i + 1) for i in range(len(block.origins)))
    block.includes = (relative,)
    return block
