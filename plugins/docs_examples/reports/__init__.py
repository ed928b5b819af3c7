"""Reports: one writer per format. Nothing else in the project formats output.

Every writer has two calls, as kubeconform's do: :meth:`Writer.write` for one result and
:meth:`Writer.flush` at the end (page problems, summary). ``get_writer(name, …)`` picks one by name.
"""

from __future__ import annotations

import importlib
from typing import Any

from docs_examples.reports.base import Writer

FORMATS: dict[str, str] = {
    "text": "docs_examples.reports.text:TextWriter",
    "json": "docs_examples.reports.json:JsonWriter",
    "junit": "docs_examples.reports.junit:JUnitWriter",
    "sarif": "docs_examples.reports.sarif:SarifWriter",
    "github": "docs_examples.reports.github:GitHubWriter",
    "mkdocs": "docs_examples.reports.mkdocs_log:MkDocsLogWriter",
}


def get_writer(name: str, **options: Any) -> Writer:
    """A writer by format name; ``options`` are ``stream=`` (file-like) or, for ``mkdocs``, ``logger=``."""
    try:
        module, _, attr = FORMATS[name].partition(":")
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}") from None
    writer: Writer = getattr(importlib.import_module(module), attr)(**options)
    return writer


def why_not_written(exc: OSError) -> str:
    """Why a report file could not be written, in words (mkdir's "File exists" means a file is in the way)."""
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "a file is in the way of its folder"
    return exc.strerror or str(exc)


__all__ = ["FORMATS", "Writer", "get_writer", "why_not_written"]
