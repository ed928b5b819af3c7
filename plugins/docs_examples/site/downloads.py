"""Download files: every block as a file under ``site/examples/``, and folders of snippets as zip archives.

A download holds exactly the block's text as the reader sees and copies it (UTF-8, includes expanded,
indentation removed, no newline added), so ``diff <(curl …) <(copy button)`` is empty. Names come from
:func:`docs_examples.naming.file_names`; every path is checked to stay inside the examples folder.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from docs_examples.blocks.model import Block

# A fixed timestamp keeps archives byte-identical between builds (zip cannot store dates before 1980).
_EPOCH = (1980, 1, 1, 0, 0, 0)


class UnsafePath(ValueError):
    """A computed download path resolved outside the examples folder."""


def inside(folder: Path, relative: PurePosixPath | str) -> Path:
    """``folder / relative``, resolved, refusing anything that would land outside ``folder``."""
    base = folder.resolve()
    target = (base / str(relative)).resolve()
    if not target.is_relative_to(base) or target == base:
        raise UnsafePath(f"{relative} resolves outside {base}")
    return target


def block_bytes(block: Block) -> bytes:
    """The exact bytes of a download: the block text, nothing added."""
    return block.text.encode("utf-8", "surrogateescape")


def write_blocks(blocks: Iterable[Block], names: Mapping[str, PurePosixPath], folder: Path) -> list[Path]:
    """Write each block to ``folder / names[block.id]``; returns the files written.

    Each page's folder is resolved and checked once (not each file): a file name is a single path part that
    is neither ``.`` nor ``..``, so it cannot leave the folder it is joined to.
    """
    written: list[Path] = []
    parents: dict[PurePosixPath, Path] = {}
    for block in blocks:
        name = names.get(block.id)
        if name is None:
            continue
        if name.name in ("", ".", ".."):
            raise UnsafePath(f"{name} has no file name")
        parent = parents.get(name.parent)
        if parent is None:
            parent = folder.resolve() if str(name.parent) == "." else inside(folder, name.parent)
            parent.mkdir(parents=True, exist_ok=True)
            parents[name.parent] = parent
        target = parent / name.name
        target.write_bytes(block_bytes(block))
        written.append(target)
    return written


# Caches that running the example service's tests or linters leaves in its folder: not part of the example.
_JUNK = frozenset({"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"})


def write_archive(source: Path, target: Path) -> int:
    """Zip every file under ``source`` (sorted, fixed dates, no symlinks followed out); returns the count."""
    base = source.resolve()
    files = sorted(
        p
        for p in base.rglob("*")
        if p.is_file()
        and p.resolve().is_relative_to(base)
        and not _JUNK.intersection(p.relative_to(base).parts)
        and p.suffix != ".pyc"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{base.name}/{path.relative_to(base).as_posix()}", date_time=_EPOCH)
            info.external_attr = (0o755 if path.stat().st_mode & 0o111 else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return len(files)
