"""Download files: every block as a file under ``site/examples/``, and folders of snippets as zip archives.

A download holds exactly what the block's copy button copies (UTF-8, includes expanded, indentation
removed, Material's annotation markers taken out, trailing blank space trimmed) and one final newline, so
``diff <(curl …) <(paste)`` shows only that newline. Names come from :func:`docs_examples.naming.file_names`;
every path is checked to stay inside the examples folder.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from docs_examples.blocks.model import Block
from docs_examples.findings import Category, Finding, Severity

# A fixed timestamp keeps archives byte-identical between builds (zip cannot store dates before 1980).
_EPOCH = (1980, 1, 1, 0, 0, 0)


class UnsafePath(ValueError):
    """A computed download path resolved outside the examples folder."""


def collision(block: Block, path: str) -> Finding:
    """The error for a download that would overwrite a page or asset of the site (it is not written)."""
    return Finding(
        tool="docs-examples",
        rule="download-collision",
        severity=Severity.ERROR,
        message=f"the download {path} would overwrite a page or asset of the site, so it is not written; "
        "give the block another file name (its title or data-filename)",
        line=block.fence_line,
        file=block.page,
        category=Category.DIRECTIVE,
    )


def inside(folder: Path, relative: PurePosixPath | str) -> Path:
    """``folder / relative``, resolved, refusing anything that would land outside ``folder``."""
    base = folder.resolve()
    target = (base / str(relative)).resolve()
    if not target.is_relative_to(base) or target == base:
        raise UnsafePath(f"{relative} resolves outside {base}")
    return target


def block_bytes(block: Block, copied: str | None = None) -> bytes:
    """The bytes of a download: what the copy button copies (``copied``, else the block text, which the
    button copies unchanged), trimmed at the end like the button does, with a final newline."""
    text = (block.text if copied is None else copied).rstrip()
    return (text + "\n" if text else "").encode("utf-8", "surrogateescape")


def write_blocks(
    blocks: Iterable[Block],
    names: Mapping[str, PurePosixPath],
    folder: Path,
    copied: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write each block to ``folder / names[block.id]``; returns the files written. ``copied`` holds, by block
    id, the copy button's text where it differs from the block's (annotated blocks).

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
        target.write_bytes(block_bytes(block, (copied or {}).get(block.id)))
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
