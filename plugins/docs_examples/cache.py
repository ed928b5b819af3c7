"""Results keyed by a digest of block text + check configuration + tool version.

One JSON manifest under the cache folder (``.cache/plugin/docs-examples/`` beside mkdocs.yml), written
atomically. A corrupt or foreign file is ignored and rebuilt, never trusted. Counters tell tests and the
benchmark how much work a run really did.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from docs_examples.findings import Finding

FORMAT = "docs-examples-cache/1"


def key(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def write_json_atomic(path: Path, data: object, *, indent: int | None = None) -> None:
    """Write ``data`` as JSON to ``path`` through a temporary file and a rename: a reader (another
    ``mkdocs serve`` rebuild, a concurrent CLI run) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=indent, separators=None if indent else (",", ":"))
        Path(tmp).replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()


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
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
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
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("format") != FORMAT or not isinstance(data.get("tools"), dict):
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
