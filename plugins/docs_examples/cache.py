"""Results keyed by a digest of block text + check configuration + tool version.

One JSON manifest under the cache folder (``.cache/plugin/docs-examples/`` beside mkdocs.yml), written
atomically. A corrupt or foreign file is ignored and rebuilt, never trusted. Counters tell tests and the
benchmark how much work a run really did.

Every cache file (results, tool versions, the page memo) is **sealed**: its first line carries an HMAC-SHA256
of the rest, keyed by a secret of this machine that lives outside the repository (:func:`secret`) and bound
to the cache folder's path. A contributor can commit a ``results.json`` whose entries say "no findings"
(``git add -f``), but cannot seal it, so it is ignored like any foreign file: the JSON of an unsealed file
is not even parsed. In CI (the ``CI`` variable set, as GitHub Actions, GitLab CI and most services do) the
secret is made afresh for each process and never stored, so every CI run starts from an empty cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

from docs_examples.findings import Finding

FORMAT = "docs-examples-cache/1"
SEAL = "docs-examples-sealed/1"  # the first line of every cache file: SEAL, a space, the HMAC in hex
KEY_BYTES = 32
MAX_CACHE_BYTES = 512 * 1024 * 1024  # a cache file larger than this is not read (5,000 blocks make ~3 MB)


def key(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it and a rename: a reader (another
    ``mkdocs serve`` rebuild, a concurrent CLI run) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # what tempfile.mkstemp does (a new name, created exclusively, 0600), without importing tempfile and
    # what it imports (shutil, random …) into every run
    tmp = path.parent / f".{path.name}.{os.urandom(8).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()


def write_json_atomic(path: Path, data: object, *, indent: int | None = None) -> None:
    """Write ``data`` as sealed JSON to ``path``, atomically (:func:`write_atomic`)."""
    body = json.dumps(data, indent=indent, separators=None if indent else (",", ":")).encode("utf-8")
    write_atomic(path, f"{SEAL} {_mac(path, body)}\n".encode("ascii") + body)


def read_json_sealed(path: Path | None) -> Any:
    """The JSON data of a cache file this machine sealed for this folder; None for anything else.

    A missing, unreadable, oversized, unsealed or forged file gives None. Nothing of such a file is parsed.
    """
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    header, _, body = raw.partition(b"\n")
    if len(raw) > MAX_CACHE_BYTES or not header.startswith(SEAL.encode("ascii") + b" "):
        return None
    if not hmac.compare_digest(header[len(SEAL) + 1 :], _mac(path, body).encode("ascii")):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _mac(path: Path, body: bytes) -> str:
    """HMAC-SHA256 of a cache file's body, bound to the file's absolute path (its checkout and name)."""
    mac = hmac.new(secret(), digestmod=hashlib.sha256)
    mac.update(os.path.normpath(path.absolute()).encode("utf-8", "surrogateescape"))
    mac.update(b"\0")
    mac.update(body)
    return mac.hexdigest()


def in_ci() -> bool:
    """Whether this runs in CI: the ``CI`` variable set to anything but empty, ``0``, ``false`` or ``no``."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@cache
def secret() -> bytes:
    """This machine's key for sealing cache files, made on first use (once per process in CI).

    Kept in ``$XDG_STATE_HOME/docs-examples/cache.key`` (``~/.local/state/…``), created with mode 0600 in
    a 0700 folder: outside any repository, so no pull request can read or replace it. Where that cannot
    be written (a read-only or missing HOME), or in CI, the key lives in this process only: a fresh key
    simply means a cold cache. A key file that is not this user's own private regular file is not trusted.
    """
    if not in_ci():
        with contextlib.suppress(OSError, ValueError, RuntimeError):  # RuntimeError: no home folder at all
            return _stored_key(_key_path())
    return os.urandom(KEY_BYTES)  # what secrets.token_bytes returns


def _key_path() -> Path:
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    if not state.is_absolute():
        raise ValueError("no absolute state folder")
    return state / "docs-examples" / "cache.key"


def _stored_key(path: Path) -> bytes:
    """The key in ``path``, made there (0600, exclusively) when absent; ValueError when it is not trustworthy."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(KEY_BYTES))
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        key = fh.read(KEY_BYTES + 1)
    if st.st_uid != os.getuid() or st.st_mode & 0o077 or len(key) != KEY_BYTES:
        raise ValueError("key file is not a private key of this user")
    return key


class Cache:
    """Findings per key. ``directory=None`` keeps everything in memory (no cache on disk)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.path = directory / "results.json" if directory else None
        self.hits = 0
        self.misses = 0
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._used: set[str] = set()
        self._dirty = False
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        if not self.path or not self.path.is_file():
            return
        try:
            data = read_json_sealed(self.path)
            if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
                raise ValueError("foreign cache")
            entries = data["entries"]
            for v in entries.values():  # validate once so that a bad entry never reaches a report
                for f in v:
                    Finding.from_dict(f)
            self._entries = entries
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            self._entries = {}
            self._dirty = True

    def get(self, k: str) -> list[Finding] | None:
        with self._lock:
            found = self._entries.get(k)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._used.add(k)
        return [Finding.from_dict(f) for f in found]

    def put(self, k: str, findings: list[Finding]) -> None:
        with self._lock:
            self._entries[k] = [f.to_dict() for f in findings]
            self._used.add(k)
            self._dirty = True

    def save(self) -> None:
        """Write the entries used in this run (so deleted blocks do not accumulate) atomically."""
        if not self.path or not self._dirty:
            return
        keep = {k: v for k, v in self._entries.items() if k in self._used}
        write_json_atomic(self.path, {"format": FORMAT, "entries": keep})
        self._dirty = False


class ToolVersions:
    """Each tool's version and status-line phrase, remembered across runs beside the results.

    Asking a tool its version starts a process per tool on every run, which was half of the plugin's cost in
    a warm ``mkdocs build``. An entry is trusted only while the program file is the same (path, size and
    modification time form its fingerprint); anything else, or a corrupt file, means asking again.
    """

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / "tools.json" if directory else None
        self._entries: dict[str, list[str]] = {}
        self._dirty = False
        self._lock = threading.Lock()
        if self.path and self.path.is_file():
            try:
                data = read_json_sealed(self.path)
                if (
                    not isinstance(data, dict)
                    or data.get("format") != FORMAT
                    or not isinstance(data.get("tools"), dict)
                ):
                    raise ValueError("foreign file")
                self._entries = {
                    k: v
                    for k, v in data["tools"].items()
                    if isinstance(v, list) and len(v) == 3 and all(isinstance(x, str) for x in v)
                }
            except (ValueError, OSError, AttributeError):
                self._entries = {}

    def get(self, name: str, fingerprint: str) -> tuple[str, str] | None:
        """``(version, label)`` remembered for this check while its program has this fingerprint."""
        with self._lock:
            entry = self._entries.get(name)
        if entry is None or entry[0] != fingerprint:
            return None
        return entry[1], entry[2]

    def put(self, name: str, fingerprint: str, version: str, label: str) -> None:
        with self._lock:
            self._entries[name] = [fingerprint, version, label]
            self._dirty = True

    def save(self) -> None:
        """Write the file atomically when something changed."""
        if not self.path or not self._dirty:
            return
        write_json_atomic(self.path, {"format": FORMAT, "tools": self._entries}, indent=1)
        self._dirty = False
