"""MkDocs 2 has no plugin system: say so, and what to use instead, rather than fail on a missing module.

The package requires ``mkdocs>=1.6,<2``; this is for an environment where MkDocs 2 was installed anyway.
ProperDocs (a continuation of MkDocs 1.x) redirects every ``mkdocs.*`` import to itself, so under
ProperDocs the installed MkDocs does not matter.
"""

from __future__ import annotations

import sys

from docs_examples import distributions


def message() -> str | None:
    """Why the MkDocs plugins cannot run here, or None when they can."""
    if "properdocs" in sys.modules and sys.modules.get("mkdocs") is sys.modules["properdocs"]:
        return None
    version = distributions.version("mkdocs")
    if version is None:
        return None
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) < 2:
        return None
    return (
        f"MkDocs {version} is installed, and MkDocs 2 has no plugin system: the docs-examples and interview "
        "plugins cannot run on it. Install MkDocs 1.6 (pip install 'mkdocs>=1.6,<2') or ProperDocs "
        "(pip install properdocs, then properdocs build), or build with Zensical: list docs_examples.extension "
        "under markdown_extensions and run `docs-examples pages` before `zensical build` (see the README)."
    )
