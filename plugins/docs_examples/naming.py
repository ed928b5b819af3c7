"""File names for blocks: the CLI's ``extract`` and the site's download links use the same names.

A name comes from the page, the tab path and the title (``guide/containers/deployment.yaml``). Everything
page-derived is reduced to safe characters, so a title like ``../../x`` cannot leave the output folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from docs_examples.blocks.model import Block, Kind

EXTENSIONS = {
    Kind.KUBERNETES: ".yaml",
    Kind.KUBERNETES_FRAGMENT: ".yaml",
    Kind.KUSTOMIZATION: ".yaml",
    Kind.COMPOSE: ".yaml",
    Kind.WORKFLOW: ".yaml",
    Kind.PROMETHEUS: ".yml",
    Kind.PROMETHEUS_RULES: ".yml",
    Kind.YAML: ".yaml",
    Kind.SHELL: ".sh",
    Kind.CONSOLE: ".txt",
    Kind.HCL: ".tf",
    Kind.PYTHON: ".py",
    Kind.JSON: ".json",
    Kind.TEXT: ".txt",
    Kind.OTHER: ".txt",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str, *, keep_dots: bool = False) -> str:
    """Lower-case, ASCII letters/digits/dashes (and dots when asked), never empty, never a dot name."""
    s = _UNSAFE.sub("-", text.strip()).strip("-.").lower()
    if not keep_dots:
        s = s.replace(".", "-")
    s = re.sub(r"-{2,}", "-", s)
    return s[:80] or "block"


_FILE_TOKEN = re.compile(r"(?:[A-Za-z0-9_.-]*\.[A-Za-z][A-Za-z0-9]*|Dockerfile|Containerfile)(?=$|[\s(])")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_file(token: str) -> str:
    """A file name kept as written (case too), with anything but ``A-Za-z0-9._-`` removed; never ``.``/``..``."""
    name = _SAFE_NAME.sub("-", token).strip("-")
    return name if name.strip(".") else "block"


def _from_title(wanted: str, kind: Kind) -> str:
    """``deployment.yaml (anti-pattern)`` → ``deployment-anti-pattern.yaml``; ``Dockerfile`` stays ``Dockerfile``."""
    name = PurePosixPath(wanted.replace("\\", "/")).name.strip()  # a title's folders are dropped
    match = _FILE_TOKEN.search(name)
    if not match:
        return slug(name) + EXTENSIONS.get(kind, ".txt")
    token = _safe_file(match.group(0))
    rest = (name[: match.start()] + " " + name[match.end() :]).strip(" ()[]")
    dotfile = token.startswith(".") and token.count(".") == 1 and match.start() == 0  # .dockerignore
    stem, ext = (token, "") if dotfile else _split_ext(token)
    if not stem:  # only an extension was found: the other words name the file
        stem, rest = slug(rest), ""
    return stem + (f"-{slug(rest)}" if rest else "") + ext


def _split_ext(token: str) -> tuple[str, str]:
    stem, dot, ext = token.rpartition(".")
    return (stem, dot + ext) if dot else (token, "")


MAX_NAME = 120  # characters of a file name: file systems refuse more than 255 bytes, and URLs grow


def _short(name: str) -> str:
    """``name`` cut to :data:`MAX_NAME` characters, its extension kept (a 5,000-character title made a
    name the file system refused, and the build stopped with ENAMETOOLONG)."""
    if len(name) <= MAX_NAME:
        return name
    stem, ext = _split_ext(name)
    ext = ext if len(ext) <= 16 else ""
    return stem[: MAX_NAME - len(ext)].rstrip("-.") + ext


def _basename(block: Block) -> str:
    wanted = block.attrs.get("data-filename") or block.title
    if wanted and wanted.strip():
        return _short(_from_title(wanted, block.kind))
    if block.kind is Kind.DOCKERFILE:
        stem = "-".join(slug(t) for t in block.tabs) or "example"
        return f"{stem}.Dockerfile"
    stem = "-".join(slug(t) for t in block.tabs) or slug(block.heading or "example")
    return stem + EXTENSIONS.get(block.kind, ".txt")


def page_folder(page: str) -> PurePosixPath:
    """``docs/guide/x.md`` → ``guide/x``: the page path under docs, without its suffix, made safe."""
    parts = [p for p in PurePosixPath(page.replace("\\", "/")).parts if p not in ("", ".", "..", "/")]
    if parts and parts[0] == "docs":
        parts = parts[1:]
    if parts:
        parts[-1] = PurePosixPath(parts[-1]).stem
    return PurePosixPath(*[slug(p) for p in parts] or ["page"])


def file_names(blocks: Iterable[Block]) -> dict[str, PurePosixPath]:
    """A safe, unique relative path per block id (``guide/x/deployment.yaml``, ``…/deployment-2.yaml``)."""
    out: dict[str, PurePosixPath] = {}
    taken: set[PurePosixPath] = set()
    for block in blocks:
        folder = page_folder(block.page)
        name = _basename(block)
        candidate = folder / name
        n = 2
        while candidate in taken:
            stem, ext = _split_ext(name) if not name.startswith(".") else (name, "")
            candidate = folder / f"{stem}-{n}{ext}"
            n += 1
        taken.add(candidate)
        out[block.id] = candidate
    return out
