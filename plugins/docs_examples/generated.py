"""The record of what ``docs-examples pages`` wrote into the docs folder.

Site generators that run no MkDocs plugins (Zensical) need the generated pages, downloads and assets on
disk before they build; ``docs-examples pages`` writes them into the docs folder and lists them here, in
``<docs>/.docs-examples-generated.json`` (a dot file: MkDocs, ProperDocs and Zensical leave it out of the
site). The list is what lets the three coexist in one checkout: the MkDocs plugins replace a listed file
with the one they generate instead of taking it for the author's, the next ``pages`` run removes what it
no longer generates, and nothing the author wrote is ever overwritten or removed (it is not listed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

MANIFEST = ".docs-examples-generated.json"
FORMAT = "docs-examples-generated/1"


def recorded(docs_dir: Path | str | None) -> frozenset[str]:
    """Paths under ``docs_dir`` (POSIX, as MkDocs' ``src_uri``) that the last ``pages`` run wrote.

    A missing, unreadable or foreign manifest lists nothing: then every file counts as the author's."""
    if docs_dir is None:
        return frozenset()
    try:
        data = json.loads((Path(docs_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return frozenset()
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), list):
        return frozenset()
    return frozenset(p for p in data["files"] if isinstance(p, str) and _safe(p))


def record(docs_dir: Path, paths: Iterable[str]) -> Path:
    """Write the manifest listing ``paths``; returns its path."""
    target = Path(docs_dir) / MANIFEST
    body = {"format": FORMAT, "generated_by": "docs-examples pages", "files": sorted(set(paths))}
    target.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    return target


def _safe(path: str) -> bool:
    """A relative path that stays inside the docs folder (a manifest is data, never trusted with ``..``)."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path
