"""Extracted and classified pages, remembered across runs while nothing they depend on changed.

A warm ``mkdocs build`` re-checks nothing (the results cache answers), but extracting and classifying every
page (snippet expansion, the fence lexer, a YAML parse per YAML block) was still half of the plugin's cost.
An entry is reused only when all of these are unchanged:

- the page's bytes and name;
- every setting extraction reads (root, snippet folders, dedent, and the settings digest);
- the code: name, size and modification time of every module of this package, and the PyYAML and
  kubernetes-validate versions classification depends on;
- every snippet folder: the name, size, modification time and link target of each entry below it, so
  that editing, adding, removing or renaming any file that could be included (even one no page includes
  yet, which could change how a name resolves) invalidates every page.

Only what checks read is kept: block text, positions, kinds and flags, never parsed YAML (so an alias bomb
is stored as the few hundred bytes it is). A page that would not come back equal is simply not remembered,
and a snippet folder too large to list cheaply turns the memo off. One JSON file under the cache folder,
written atomically and sealed like the results (:func:`docs_examples.cache.read_json_sealed`): a corrupt,
foreign or committed file is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from docs_examples import distributions
from docs_examples.blocks.extract import ExtractedPage
from docs_examples.blocks.model import Block, Kind, Origin
from docs_examples.cache import read_json_sealed, write_json_atomic
from docs_examples.findings import Finding

FORMAT = "docs-examples-pages/2"  # 2: meta without parsed YAML, findings in their one JSON form
MAX_SNIPPET_ENTRIES = 2000  # beyond this, listing the snippet folders costs more than extracting
PACKAGE = Path(__file__).resolve().parent.parent


class PageMemo:
    """Pages by key; ``directory=None`` disables it (every lookup misses, nothing is written)."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / "pages.json" if directory else None
        self.hits = 0
        self.misses = 0
        self._entries: dict[str, str] = {}  # key → the page's JSON text (parsed afresh on every hit)
        self._used: set[str] = set()
        self._dirty = False
        self._load()

    def _load(self) -> None:
        if not self.path or not self.path.is_file():
            return
        try:
            data = read_json_sealed(self.path)
            if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict):
                raise ValueError("foreign file")
            self._entries = {k: v for k, v in data["pages"].items() if isinstance(v, str)}
        except (ValueError, OSError, AttributeError):
            self._entries = {}
            self._dirty = True

    def get(self, key: str) -> ExtractedPage | None:
        """The page remembered under ``key``, rebuilt; None when absent or unreadable."""
        found = self._entries.get(key)
        if found is not None:
            try:
                page = page_from_json(json.loads(found))
            except (ValueError, KeyError, TypeError, AttributeError):
                page = None
            if page is not None:
                self.hits += 1
                self._used.add(key)
                return page
        self.misses += 1
        return None

    def put(self, key: str, page: ExtractedPage) -> None:
        """Remember ``page`` unless some part of it would not come back identical from JSON."""
        text = page_to_json(page)
        if text is None:
            return
        self._entries[key] = text
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the pages used in this run (deleted pages do not accumulate), atomically."""
        if not self.path or not (self._dirty or set(self._entries) - self._used):
            return
        keep = {k: v for k, v in self._entries.items() if k in self._used}
        write_json_atomic(self.path, {"format": FORMAT, "pages": keep})
        self._entries = keep
        self._dirty = False


# -- keys ----------------------------------------------------------------------------------------------


def environment_key(
    root: Path,
    snippet_paths: list[Path],
    dedent: bool,
    settings_digest: str,
    skip: Path | None = None,
    code: str | None = None,
) -> str | None:
    """Digest of everything but the page that extraction and classification depend on, for one run.

    None when a snippet folder is too large to list cheaply: then no page is remembered or reused.
    ``skip`` is a folder left out of the listing: the cache folder, which every run rewrites and no page
    includes from (with the snippet base at the project root, listing it made every run a miss). ``code``
    is :func:`code_digest` when the caller has it already.
    """
    h = hashlib.blake2b(digest_size=16)
    for part in (FORMAT, str(root), repr(dedent), settings_digest, _versions(), code or code_digest()):
        _feed(h, part)
    for base in snippet_paths:
        listing = _listing(Path(base), skip)
        if listing is None:
            return None
        _feed(h, str(base))
        for entry in listing:
            _feed(h, entry)
    return h.hexdigest()


def page_key(environment: str, name: str, source: bytes | str) -> str:
    """Digest of one page under one environment key."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, environment)
    _feed(h, name)
    h.update(b"b" if isinstance(source, bytes) else b"s")
    h.update(source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _feed(h: Any, part: str) -> None:
    h.update(part.encode("utf-8", "surrogateescape"))
    h.update(b"\0")


def _versions() -> str:
    """PyYAML (and whether libyaml backs it) and the bundled Kubernetes schemas' package version."""
    import yaml

    schemas = distributions.version("kubernetes-validate") or "absent"  # fragments are guessed from its schemas
    return f"{yaml.__version__}|{getattr(yaml, '__with_libyaml__', False)}|{schemas}"


def code_digest() -> str:
    """Digest of the name, size and modification time of every module of this package: what the checks'
    results and the extracted pages also depend on (an upgrade or an edit of a check is a new digest)."""
    h = hashlib.blake2b(digest_size=16)
    for entry, name in _tree(os.fspath(PACKAGE), skip=lambda e: e.name == "__pycache__"):
        if entry.name.endswith(".py") and entry.is_file():
            st = entry.stat()
            _feed(h, f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return h.hexdigest()


def _tree(
    folder: str, prefix: str = "", *, skip: Callable[[os.DirEntry[str]], bool]
) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Every entry below ``folder`` and its path relative to it, in name order, a folder's own entries before
    those of its sub-folders; links are not followed, ``skip`` entries are left out with all below them, and
    a folder that cannot be listed is left out (as ``os.walk`` does). Strings and ``scandir`` throughout: both
    the code digest and the snippet listing walk a tree on every run."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    below = []
    for entry in entries:
        if skip(entry):
            continue
        name = prefix + entry.name
        yield entry, name
        if entry.is_dir(follow_symlinks=False):
            below.append((entry.path, name + "/"))
    for path, inner in below:
        yield from _tree(path, inner, skip=skip)


def _listing(base: Path, skip: Path | None = None) -> list[str] | None:
    """Every entry below a snippet base (or the base file itself) with size, time and link target; None when
    there are more than :data:`MAX_SNIPPET_ENTRIES`. ``skip`` is a folder left out (the cache folder)."""
    try:
        st = base.lstat()
    except OSError:
        return ["missing"]
    out: list[str] = [_describe(os.fspath(base), st, ".")]
    if not base.is_dir():
        return out
    left_out = os.path.normpath(skip) if skip is not None else None
    for entry, name in _tree(os.fspath(base), skip=lambda e: e.path == left_out):
        try:
            out.append(_describe(entry.path, entry.stat(follow_symlinks=False), name))
        except OSError:
            out.append(f"{entry.name}:unreadable")
        if len(out) > MAX_SNIPPET_ENTRIES:
            return None
    return out


def _describe(path: str, st: os.stat_result, name: str) -> str:
    """One listing line: a link also names its target and what the target is now."""
    if stat.S_ISDIR(st.st_mode):  # a folder's own time only says an entry came or went: the listing says which
        return f"{name}\0dir"
    line = f"{name}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}"
    if stat.S_ISLNK(st.st_mode):
        with contextlib.suppress(OSError):
            link = Path(path)
            target = link.stat()
            line += f"\0{link.readlink()}\0{target.st_mode}\0{target.st_size}\0{target.st_mtime_ns}"
    return line


# -- JSON form -----------------------------------------------------------------------------------------


def page_to_json(page: ExtractedPage) -> str | None:
    """``page`` as JSON text, or None when it would not load back equal to ``page`` (front matter with dates,
    say): such a page is simply extracted again next time.

    Only front matter and a block's ``meta`` can hold what JSON does not keep (a tuple comes back a list, an
    int key a string, a date not at all): those parts are compared with their JSON form; every other field
    has a JSON form by construction, and that :func:`page_from_json` inverts :func:`_block_to_json` is the
    tests' to prove, on this site and the corpus (tests/test_page_memo.py).
    """
    data = {
        "blocks": [_block_to_json(b) for b in page.blocks],
        "problems": [f.to_dict() for f in page.problems],
        "front_matter": page.front_matter,
    }
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):
        return None
    free = [page.front_matter, *(b.meta for b in page.blocks)]
    return text if json.loads(json.dumps(free)) == free else None


def page_from_json(data: dict[str, Any]) -> ExtractedPage:
    """The page :func:`page_to_json` made."""
    return ExtractedPage(
        blocks=[_block_from_json(b) for b in data["blocks"]],
        problems=[Finding.from_dict(f) for f in data["problems"]],
        front_matter=data["front_matter"],
    )


_BLOCK_TUPLES = ("classes", "headings", "tabs", "includes")


def _block_to_json(block: Block) -> dict[str, Any]:
    """A block's fields as JSON; ``meta`` holds only the flags checks read (booleans), never parsed YAML."""
    data = {f.name: getattr(block, f.name) for f in fields(Block)}
    data["origins"] = [[o.file, o.line, o.column_offset] for o in block.origins]
    data["problems"] = [f.to_dict() for f in block.problems]
    data["kind"] = block.kind.value
    for name in _BLOCK_TUPLES:
        data[name] = list(data[name])
    return data


def _block_from_json(data: dict[str, Any]) -> Block:
    values = dict(data)
    values["origins"] = tuple(Origin(f, line, col) for f, line, col in data["origins"])
    values["problems"] = [Finding.from_dict(f) for f in data["problems"]]
    values["kind"] = Kind(data["kind"])
    for name in _BLOCK_TUPLES:
        values[name] = tuple(data[name])
    return Block(**values)
