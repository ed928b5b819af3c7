"""Compose files as docs show them: part of a file, and Swarm stack files.

A page that explains one setting shows a service with only that setting ("add these labels to your
service"), uses the network an earlier step created, or shows a stack file for ``docker stack deploy``.
Compose pasted such a block alone fails it (no image, an undefined network, keys only Swarm reads), though
nothing in it is wrong. These rules read what the block evidently leaves out, give Compose a stand-in for
it (a second ``-f`` file, so every line of the block keeps its place and everything shown is still
checked), and say so in an info finding (``excerpt``):

- **A service without an image.** A service with neither ``image``, ``build`` nor ``extends`` is an excerpt
  of a service when it shows an elision (``# ...``, ``...``: the forms of :mod:`docs_examples.blocks.
  placeholders`), or when no service of the file has an image, a build or ``extends`` (the block shows
  services' settings, not services). Compose is given a placeholder image for it. Beside complete services
  and with nothing elided, it is what Compose says it is: ``missing-image``, an error.
- **Networks defined elsewhere.** A file with no top-level ``networks:`` (and no ``include:``, whose files
  may declare them) whose services use networks: each is read as defined outside the block (the external
  network a page sets up first, or the part of the file shown before) and given to Compose as external. A
  file that has a top-level ``networks:`` declares its networks, so one it lacks is ``undefined-network``,
  an error (a typo).
- **Volumes, configs and secrets** of an excerpt (a file with an excerpt service) likewise, when the file has
  no top-level section of that kind; a complete file must declare its named volumes, configs and secrets.
- **Swarm stack files.** A file is a stack file when the page runs ``docker stack deploy`` (or ``docker
  stack up``), when a heading above the block names Swarm, or when its ``deploy:`` uses a key only the Swarm
  scheduler reads (``placement``, ``update_config``, ``rollback_config``, ``endpoint_mode``,
  ``mode: global``). There, what Compose calls "only honored by Swarm" is what the file is for: the
  ``swarm-only`` warnings become info. Elsewhere they stay warnings: ``deploy.labels`` in a file for
  ``docker compose up`` is the classic mistake of labels Traefik never sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from docs_examples.blocks import placeholders
from docs_examples.checks.compose import locate
from docs_examples.findings import Finding, Severity
from docs_examples.tables import markdown_table
from docs_examples.yaml_loader import Document

TOOL = "docker-compose"
RULE = "excerpt"
PLACEHOLDER_IMAGE = "docs-examples/elided"
SWARM_RULE = "swarm-only"
# deploy: keys only the Swarm scheduler reads: nobody writes them for `docker compose up`
SWARM_KEYS = ("placement", "update_config", "rollback_config", "endpoint_mode")
_SWARM_WORD = re.compile(r"\bswarm\b", re.IGNORECASE)
_IMAGE_KEYS = ("image", "build", "extends")
_KINDS = {"networks": "network", "volumes": "volume", "configs": "config", "secrets": "secret"}
_PATH_SOURCE = re.compile(r"^(?:[./~$]|[A-Za-z]:[\\/])")


# What the rules read, for the README and the "How examples are checked" page.
RULES: tuple[tuple[str, str, str], ...] = (
    (
        "A service with neither `image`, `build` nor `extends`",
        "an excerpt of the service (`excerpt`, info; checked with a placeholder image) when it shows an elision "
        "(`# ...`) or when no service of the file has an image, a build or `extends`",
        "beside complete services, with nothing elided: `missing-image`",
    ),
    (
        "Networks used, no top-level `networks:`",
        "defined outside the block, such as the external network a page sets up first (`excerpt`, info)",
        "a top-level `networks:` that lacks one: `undefined-network`",
    ),
    (
        "Named volumes, configs, secrets used, no top-level section of that kind",
        "defined outside the block, in a file that is an excerpt by the first rule (`excerpt`, info)",
        "in a complete file: `undefined-volume`, `-config`, `-secret`",
    ),
    (
        "Keys only Swarm reads (`deploy.labels`, `deploy.placement`, `ports[].mode: host` …)",
        "right in a stack file: the page runs `docker stack deploy`, a heading above names Swarm, or `deploy:` "
        "has `placement`, `update_config`, `rollback_config`, `endpoint_mode` or `mode: global` (`swarm-only`, "
        "info)",
        "elsewhere: `swarm-only`, a warning (`deploy.labels` in a file for `docker compose up` are labels "
        "Traefik never sees)",
    ),
)


def docs_table() -> str:
    """The rules as a Markdown table."""
    return markdown_table(("A block that shows", "is read as", "while this still fails"), RULES)


@dataclass(slots=True)
class Reading:
    """What a block leaves out: the info findings that say so, and what Compose is given for it."""

    findings: list[Finding] = field(default_factory=list)
    override: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, section: str, name: str, value: dict[str, Any]) -> None:
        self.override.setdefault(section, {})[name] = value

    def override_text(self) -> str:
        """The second Compose file (JSON is YAML), empty when nothing is left out."""
        return json.dumps(self.override, indent=2) if self.override else ""


def read(documents: Sequence[Document], text: str) -> Reading:
    """The parts ``documents`` (one Compose file) evidently leave out."""
    reading = Reading()
    roots = [d.node for d in documents if isinstance(d.node, MappingNode)]
    services = [s for root in roots for s in _services(root)]
    complete = any(_has(value, _IMAGE_KEYS) for _, _, value in services)
    elided = _elided_lines(text)
    excerpt = False
    for i, (name, key, value) in enumerate(services):
        if _has(value, _IMAGE_KEYS) or not isinstance(value, MappingNode):
            continue
        after = services[i + 1][1].start_mark.line + 1 if i + 1 < len(services) else _end_line(value) + 1
        marker = next((n for n in elided if key.start_mark.line + 1 < n < after), None)
        if marker is None and complete:
            continue  # Compose's missing-image stands: the other services show what a whole one looks like
        excerpt = True
        why = f"its `{_line(text, marker)}` leaves the rest out" if marker else "no service of this file has one"
        message = (
            f"service {name} shows neither image nor build: read as an excerpt of the service ({why}); "
            "it is checked with a placeholder image, and everything shown is checked"
        )
        reading.findings.append(Finding(TOOL, RULE, Severity.INFO, message, line=key.start_mark.line + 1))
        reading.add("services", name, {"image": PLACEHOLDER_IMAGE})
    if any(locate.child(root, "include") is not None for root in roots):
        return reading  # the files it includes may define what its services use
    for section, what in _KINDS.items():
        if section != "networks" and not excerpt:
            continue
        if any(locate.child(root, section) is not None for root in roots):
            continue
        for name, place in _references(services, section):
            message = (
                f"{what} {name} is not defined in this block (it has no top-level {section}:): read as defined "
                f"outside it, as an external {what} or in the part of the file not shown"
            )
            reading.findings.append(Finding(TOOL, RULE, Severity.INFO, message, line=place.line))
            reading.add(section, name, {"external": True})
    return reading


def stack_file(documents: Sequence[Document], headings: Sequence[str], page_runs_stack: bool) -> str | None:
    """Why the block is a Swarm stack file, or None when nothing says it is."""
    if page_runs_stack:
        return "the page runs `docker stack deploy`"
    heading = next((h for h in reversed(headings) if _SWARM_WORD.search(h)), None)
    if heading is not None:
        return f"it is under the heading {heading!r}"
    for doc in documents:
        if not isinstance(doc.node, MappingNode):
            continue
        for name, _, value in _services(doc.node):
            deploy = locate.child(value, "deploy")
            if deploy is None or not isinstance(deploy[1], MappingNode):
                continue
            for key in SWARM_KEYS:
                if locate.child(deploy[1], key) is not None:
                    return f"service {name} has deploy.{key}, which only Swarm reads"
            mode = locate.child(deploy[1], "mode")
            if mode is not None and isinstance(mode[1], ScalarNode) and mode[1].value == "global":
                return f"service {name} has deploy.mode: global, which only Swarm reads"
    return None


def in_stack_file(findings: list[Finding], why: str | None) -> list[Finding]:
    """``findings`` with the Swarm-only warnings of a stack file turned into notes that say why."""
    if why is None:
        return findings
    return [
        f.moved(severity=Severity.INFO, message=f"{f.message}: right for a Swarm stack file ({why})")
        if f.rule == SWARM_RULE and f.severity is Severity.WARNING
        else f
        for f in findings
    ]


# -- reading the file ------------------------------------------------------------------------------------


def _services(root: Node) -> Iterator[tuple[str, ScalarNode, Node]]:
    """Each service: its name, its key node and its value node."""
    pair = locate.child(root, "services")
    if pair is None or not isinstance(pair[1], MappingNode):
        return
    for key, value in locate.children(pair[1]):
        yield str(key.value), key, value


def _has(node: Node, keys: Sequence[str]) -> bool:
    return any(locate.child(node, k) is not None for k in keys)


def _end_line(node: Node) -> int:
    """The last line of ``node`` (1-based): a block mapping ends where the next token starts."""
    mark = node.end_mark
    return mark.line + 1 if mark.column > 0 else mark.line


def _elided_lines(text: str) -> list[int]:
    """The lines of the block that elide something (``# ...``, ``...``, ``[...]`` …)."""
    return sorted({s.line for s in placeholders.find(text, sorted(placeholders.ELISIONS))})


def _line(text: str, number: int) -> str:
    return text.split("\n")[number - 1].strip()


def _references(services: list[tuple[str, ScalarNode, Node]], section: str) -> Iterator[tuple[str, locate.Place]]:
    """Each name of ``section`` (networks, volumes, configs, secrets) the services use, at its first use."""
    seen: set[str] = set()
    for _, _, service in services:
        pair = locate.child(service, section)
        if pair is None:
            continue
        for name, node in _names(pair[1], section):
            if name not in seen and name != "default" and "$" not in name:
                seen.add(name)
                yield name, locate.Place(node.start_mark.line + 1, node.start_mark.column + 1)


def _names(node: Node, section: str) -> Iterator[tuple[str, Node]]:
    """The names one service's ``section`` refers to: mapping keys, list items, or ``source`` of an item;
    for volumes, the named volumes only (a path is a bind mount)."""
    if isinstance(node, MappingNode):
        for key, _ in locate.children(node):
            yield str(key.value), key
        return
    if not isinstance(node, SequenceNode):
        return
    for item in node.value:
        if isinstance(item, ScalarNode):
            name = str(item.value).split(":", 1)[0] if section == "volumes" else str(item.value)
            if section != "volumes" or (":" in str(item.value) and name and not _PATH_SOURCE.match(name)):
                yield name, item
        elif isinstance(item, MappingNode):
            source = locate.child(item, "source")
            kind = locate.child(item, "type")
            if source is None or not isinstance(source[1], ScalarNode):
                continue
            if section == "volumes" and (kind is None or str(kind[1].value) != "volume"):
                continue
            yield str(source[1].value), source[1]
