"""The parser directives at the top of a Dockerfile, and the ``# check=`` options as BuildKit reads them.

Directives are ``# name=value`` lines at the very top (after an optional byte-order mark and ``#!`` line).
The first line that is not one — a blank line, a plain comment, an instruction, an unknown directive name,
leading whitespace before ``#`` — ends them; a repeated name ends them too, and the first value counts.
``check`` holds ``skip=…``, ``error=…`` and ``experimental=…`` separated by ``;``. A malformed ``check``
value makes BuildKit refuse the build. The ``BUILDKIT_DOCKERFILE_CHECK`` build argument, which overrides
the directive on a real build, is deliberately not read: nothing from the environment reaches a check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_KNOWN = ("syntax", "escape", "check")
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
# docker/dockerfile images from which the frontend runs build checks (Dockerfile 1.8).
_FRONTEND = re.compile(r"^(?:docker\.io/)?docker/dockerfile(?:-upstream)?:(\d+)(?:\.(\d+))?(?:[.-][\w.-]*)?(?:@.*)?$")


@dataclass(frozen=True, slots=True)
class Directive:
    """One parser directive: its lower-case name, value and 1-based line."""

    name: str
    value: str
    line: int


@lru_cache(maxsize=256)
def directives(text: str) -> Mapping[str, Directive]:
    """The parser directives of ``text``, by name, as BuildKit's directive parser finds them."""
    text = text.removeprefix("\ufeff")
    found: dict[str, Directive] = {}
    start = 1 if text.startswith("#!") else 0
    for number, raw in enumerate(_top_lines(text), 1):
        if number <= start:
            continue
        match = _DIRECTIVE.match(raw.rstrip("\r"))
        if not match or match.group(1).lower() not in _KNOWN:
            break
        name = match.group(1).lower()
        if name in found:
            break  # BuildKit reports the repetition and keeps what it had
        found[name] = Directive(name, match.group(2), number)
    return MappingProxyType(found)


def _top_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one, so reading the directives never splits a whole long file."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """What ``# check=`` asks for. ``problem`` is set when BuildKit would refuse the value."""

    skip: frozenset[str] = frozenset()
    skip_all: bool = False
    experimental: frozenset[str] = frozenset()
    experimental_all: bool = False
    error: bool = False
    line: int | None = None
    problem: str | None = None
    names: tuple[str, ...] = field(default=())  # every rule name the value mentions, for typo hints

    def runs(self, rule: str, experimental: bool) -> bool:
        """Whether BuildKit reports ``rule``: experimental rules only when enabled (skip does not apply)."""
        if experimental:
            return self.experimental_all or rule in self.experimental
        return not self.skip_all and rule not in self.skip


def check_config(text: str) -> CheckConfig:
    """The ``# check=`` directive of ``text`` (defaults when there is none)."""
    directive = directives(text).get("check")
    if directive is None:
        return CheckConfig()
    return parse_check(directive.value, directive.line)


def parse_check(value: str, line: int | None = None) -> CheckConfig:
    """``skip=A,B;error=true;experimental=C`` as BuildKit's ``ParseLintOptions`` reads it."""
    value = value.strip()
    options: dict[str, object] = {}
    names: list[str] = []
    for part in value.split(";", 2) if value else []:
        key, eq, raw = part.partition("=")
        key = key.strip()
        if not eq or key not in ("skip", "experimental", "error"):
            return CheckConfig(line=line, problem=f"invalid check option {(key if eq else part)!r}")
        raw = raw.strip()
        if key == "error":
            if raw not in _TRUE | _FALSE:
                return CheckConfig(line=line, problem=f"failed to parse check option {part!r}: not a boolean")
            options["error"] = raw in _TRUE
        elif raw == "all":
            options[f"{key}_all"] = True
        else:
            listed = frozenset(name.strip() for name in raw.split(","))
            options[key] = listed
            names += sorted(listed - {""})
    return CheckConfig(line=line, names=tuple(names), **options)  # type: ignore[arg-type]


def frontend_without_checks(text: str) -> tuple[str, int] | None:
    """(image, line) when ``# syntax=`` pins a docker/dockerfile frontend older than 1.8, which has no checks."""
    directive = directives(text).get("syntax")
    if directive is None:
        return None
    image = directive.value.split(" ", 1)[0]
    match = _FRONTEND.match(image)
    if not match or match.group(2) is None:
        return None
    major, minor = int(match.group(1)), int(match.group(2))
    return (image, directive.line) if (major, minor) < (1, 8) else None


def escape_char(text: str) -> str:
    """The escape character (``\\`` unless ``# escape=`` chose the backtick)."""
    directive = directives(text).get("escape")
    return "`" if directive is not None and directive.value == "`" else "\\"
