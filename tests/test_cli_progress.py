"""The CLI's progress bar: drawn on a terminal, never in a pipe or in CI; the run ends with a timed summary."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, local_env

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate

CLI = [sys.executable, "-m", "docs_examples", "check", "--no-cache"]
BAR = re.compile(r"\r\[[#.]{24}\] (\d+)/(\d+) checks \(([\w-]+)\)")
SUMMARY = re.compile(r"^12 blocks: 12 checked, .* in \d+\.\d+s$", re.MULTILINE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("progress") / "site"
    generate.generate(target, 12, seed=6)
    return target


def run_on_terminal(site: Path, environment: dict[str, str]) -> tuple[str, str]:
    """Run the CLI with stderr on a pseudo-terminal; stdout stays a pipe. Returns (stdout, terminal text)."""
    leader, follower = pty.openpty()
    with subprocess.Popen(CLI, cwd=site, env=environment, stdout=subprocess.PIPE, stderr=follower) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closes when the CLI exits
                break
            if not data:
                break
            chunks.append(data)
        stdout = proc.stdout.read().decode() if proc.stdout else ""
    os.close(leader)
    return stdout, b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("ci", [None, "false", "0"])
def test_bar_on_a_terminal(site: Path, ci: str | None) -> None:
    """Outside CI, which ``CI=false`` also says (as the results cache reads it), the bar is drawn."""
    stdout, terminal = run_on_terminal(site, local_env() if ci is None else local_env(CI=ci))
    steps = [(int(a), int(b), name) for a, b, name in BAR.findall(terminal)]
    assert steps, terminal
    total = steps[0][1]
    assert [done for done, _, _ in steps] == list(range(1, total + 1))  # one step per finished check
    assert terminal.endswith("\r\x1b[K")  # the bar erases itself when done
    assert SUMMARY.search(stdout)


def test_no_bar_in_ci(site: Path) -> None:
    stdout, terminal = run_on_terminal(site, local_env(CI="true"))
    assert not BAR.search(terminal)
    assert SUMMARY.search(stdout)


def test_no_bar_in_a_pipe(site: Path) -> None:
    done = subprocess.run(CLI, cwd=site, env=local_env(), capture_output=True, text=True, check=False)
    assert not BAR.search(done.stderr)
    assert SUMMARY.search(done.stdout)
    assert done.returncode == 1  # the generated site has broken blocks on purpose
