"""Build contexts of a Compose file included from ``snippets/``: each a folder beside it, with its Dockerfile.

``docker-compose config`` does not look at build contexts (nothing is built), so a context that is missing,
or is a file (``build: ./Dockerfile``), passes it and fails ``docker compose build`` for every reader.
Only contexts inside the block's folder are looked at; a remote context, one that uses a variable, or one
outside the folder is left alone (nothing outside the folder is opened).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from docs_examples.checks.compose import locate
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import Document

TOOL = "docker-compose"


def findings(documents: list[Document], folder: Path) -> list[Finding]:
    """Every local ``build`` context must be a folder in ``folder``, and its ``dockerfile`` a file in it."""
    out: list[Finding] = []
    for doc in documents:
        services = locate.child(doc.node, "services")
        if not services or not isinstance(services[1], MappingNode):
            continue
        for key, service in locate.children(services[1]):
            build = locate.child(service, "build")
            if build is not None:
                out += _problems(str(key.value), build[0], build[1], folder)
    return out


def _problems(service: str, key: Node, build: Node, folder: Path) -> list[Finding]:
    """Findings for one service's ``build`` (short string form or mapping form)."""
    context, context_at = ".", key
    dockerfile, dockerfile_at = "Dockerfile", key
    if isinstance(build, ScalarNode):
        context = str(build.value or ".")
    elif isinstance(build, MappingNode):
        if (pair := locate.child(build, "context")) and isinstance(pair[1], ScalarNode) and pair[1].value:
            context, context_at = str(pair[1].value), pair[0]
        if (pair := locate.child(build, "dockerfile")) and isinstance(pair[1], ScalarNode) and pair[1].value:
            dockerfile, dockerfile_at = str(pair[1].value), pair[0]
        if locate.child(build, "dockerfile_inline"):
            dockerfile = ""
    else:
        return []
    if _remote(context) or posixpath.isabs(context):
        return []
    lexical = Path(posixpath.normpath(str(folder / context)))
    if not lexical.is_relative_to(folder):
        return []
    path = lexical.resolve()
    if not path.is_relative_to(folder.resolve()):
        return []
    if path.is_file():
        return [
            _finding(
                "build-context-is-a-file",
                f"service {service}: build context {context!r} is a file, not a folder",
                context_at,
                "the context is the folder the Dockerfile is in; name the Dockerfile with build.dockerfile",
            )
        ]
    if not path.is_dir():
        return [
            _finding(
                "missing-build-context",
                f"service {service}: build context {context!r} does not exist beside the Compose file",
                context_at,
            )
        ]
    if dockerfile and "$" not in dockerfile and not posixpath.isabs(dockerfile):
        candidate = Path(posixpath.normpath(str(path / dockerfile)))
        if candidate.is_relative_to(folder) and not candidate.resolve().is_file():
            return [
                _finding(
                    "missing-dockerfile",
                    f"service {service}: Dockerfile {dockerfile!r} not found in build context {context!r}",
                    dockerfile_at,
                )
            ]
    return []


def _remote(context: str) -> bool:
    return "://" in context or context.startswith(("git@", "github.com/")) or "$" in context


def _finding(rule: str, message: str, node: Node, hint: str | None = None) -> Finding:
    mark = node.start_mark
    return Finding(TOOL, rule, Severity.ERROR, message, line=mark.line + 1, column=mark.column + 1, hint=hint)
