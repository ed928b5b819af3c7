"""Template syntax in blocks: mkdocs-macros, and Helm (Go) templates.

**mkdocs-macros.** A site that lists the ``macros`` plugin in ``mkdocs.yml`` renders every page as a Jinja2
template before Markdown sees it, with its own markers when it sets them (``j2_variable_start_string: "[["``
…). What a reader sees in a block is the rendered text, so a block with macro syntax is checked as rendered,
when that rendering can be done here without running anything the site wrote: ``{% raw %}`` sections are
kept as written, ``{# comments #}`` on one line disappear, and ``{{ name }}``/``{{ name.part }}`` become the
value of that variable in the configuration's ``extra:`` when it is a plain value. Anything else (a macro call,
a filter, a control block, a variable from the site's Python module or from ``git``) cannot be known offline:
the block is a template, reported unchecked, never a syntax error. The site's Python module is never
imported and Jinja2 never runs.

**markdown-include.** A block whose only content is ``{!path!}`` lines shows a file the extension includes at
build time; it is reported unchecked rather than read as broken YAML.

**Helm.** ``{{ .Values.x }}``, ``{{ include … }}``, ``{{ toYaml … }}`` in YAML are a chart's templates, not the
YAML that reaches the cluster: unchecked ("Helm template"). Other ``{{ … }}``/``{% … %}`` syntax is a template
only when it makes the YAML unparseable (``{{- if … }}`` lines, say): Prometheus rules and Argo workflows keep
``{{ $value }}`` and ``{{workflow.name}}`` inside valid strings and are checked as usual. A single ``{{ VAR }}``
is a placeholder, which the YAML check handles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MACROS_PLUGIN = "macros"
# mkdocs-macros' option names for Jinja2's markers, and Jinja2's defaults.
MARKER_OPTIONS = {
    "variable": ("j2_variable_start_string", "{{", "j2_variable_end_string", "}}"),
    "block": ("j2_block_start_string", "{%", "j2_block_end_string", "%}"),
    "comment": ("j2_comment_start_string", "{#", "j2_comment_end_string", "#}"),
}
_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
# What only a chart's templates say: its built-in objects and the functions Helm adds to Go templates.
# (Prometheus and Alertmanager also write `{{ $value }}`, `{{ range .Alerts }}` in valid YAML strings.)
_HELM = re.compile(
    r"\{\{-?[^{}\n]*(?:\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|"
    r"\b(?:include|toYaml|tpl|required|nindent|lookup)\b)"
)
_GO_CONTROL = re.compile(r"\{\{-?\s*(?:if|else|end|range|with|define|block|template)\b")
_IDENT = re.compile(r"^\s*[A-Za-z_]\w*\s*$")
_INCLUDE = re.compile(r"^\s*\{![^!\n]+!\}\s*$")  # markdown-include: {!path/to/file!}


def macros_options(plugins: dict[str, Any], extra: Any) -> dict[str, Any] | None:
    """What :class:`Macros` needs from ``mkdocs.yml``: the macros plugin's options and ``extra:``, as plain
    data for :class:`~docs_examples.settings.Settings`; None when the site does not use mkdocs-macros."""
    if MACROS_PLUGIN not in plugins:
        return None
    options = plugins[MACROS_PLUGIN] if isinstance(plugins[MACROS_PLUGIN], dict) else {}
    wanted = {name for start, _, end, _ in MARKER_OPTIONS.values() for name in (start, end)}
    kept: dict[str, Any] = {k: v for k, v in options.items() if k in wanted and isinstance(v, str) and v}
    kept["render_by_default"] = bool(options.get("render_by_default", True))
    kept["extra"] = extra if isinstance(extra, dict) else {}
    return kept


@dataclass(frozen=True, slots=True)
class Macros:
    """The markers and variables of one site's mkdocs-macros configuration."""

    variable: tuple[str, str] = ("{{", "}}")
    block: tuple[str, str] = ("{%", "%}")
    comment: tuple[str, str] = ("{#", "#}")
    variables: Any = None  # the configuration's ``extra:``

    @classmethod
    def of(cls, options: dict[str, Any] | None) -> Macros | None:
        """The site's macros, or None when it renders no page (no plugin, or ``render_by_default: false``)."""
        if options is None or not options.get("render_by_default", True):
            return None
        markers = {
            kind: (options.get(start) or start_default, options.get(end) or end_default)
            for kind, (start, start_default, end, end_default) in MARKER_OPTIONS.items()
        }
        return cls(markers["variable"], markers["block"], markers["comment"], options.get("extra") or {})

    def has_syntax(self, text: str) -> bool:
        """Whether ``text`` holds anything Jinja2 would render with these markers."""
        return any(start in text and end in text for start, end in (self.variable, self.block, self.comment))

    def render(self, text: str) -> str | None:
        """``text`` as the site renders it, or None when that needs more than ``extra:`` variables.

        Line structure is kept: every replaced value is a one-line plain value, so each line keeps its origin.
        """
        out = []
        for raw, part in self._raw_split(text):
            rendered = part if raw else self._render_plain(part)
            if rendered is None:
                return None
            out.append(rendered)
        return "".join(out)

    def _raw_split(self, text: str) -> list[tuple[bool, str]]:
        """``text`` cut into plain parts and the contents of ``{% raw %}…{% endraw %}`` sections (tags dropped)."""
        start, end = (re.escape(m) for m in self.block)
        opening = re.compile(rf"{start}-?\s*raw\s*-?{end}")
        closing = re.compile(rf"{start}-?\s*endraw\s*-?{end}")
        parts: list[tuple[bool, str]] = []
        pos = 0
        while (tag := opening.search(text, pos)) and (close := closing.search(text, tag.end())):
            parts += [(False, text[pos : tag.start()]), (True, text[tag.end() : close.start()])]
            pos = close.end()
        parts.append((False, text[pos:]))
        return parts

    def _render_plain(self, text: str) -> str | None:
        """Comments removed and variables replaced; None when any other syntax is left."""
        text = _replace_pairs(text, self.comment, lambda _inner: "")
        failed = False

        def value(inner: str) -> str:
            nonlocal failed
            found = self._lookup(inner.strip().strip("-").strip())
            failed = failed or found is None
            return found or ""

        text = _replace_pairs(text, self.variable, value)
        if failed or self.has_syntax(text):
            return None
        return text

    def _lookup(self, name: str) -> str | None:
        """The value of ``name`` (``a`` or ``a.b.c``) in ``extra:`` as Jinja2 prints it, if plain."""
        if not _NAME.match(name):
            return None
        value: Any = self.variables
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        if isinstance(value, bool | int | float | str) and "\n" not in str(value):
            return str(value)
        return None


def pairs(line: str, start: str, end: str) -> list[tuple[int, int]]:
    """``(i, j)`` spans of ``start…end`` pairs on one line, left to right, in linear time: once no ``end``
    follows a ``start``, none follows a later one either."""
    spans = []
    pos = 0
    while (i := line.find(start, pos)) != -1:
        j = line.find(end, i + len(start))
        if j == -1:
            break
        spans.append((i, j + len(end)))
        pos = j + len(end)
    return spans


def _replace_pairs(text: str, markers: tuple[str, str], replace: Callable[[str], str]) -> str:
    """``text`` with each one-line ``start…end`` pair replaced by ``replace(inner text)``."""
    start, end = markers
    lines = []
    for line in text.split("\n"):
        out, pos = [], 0
        for i, j in pairs(line, start, end):
            out += [line[pos:i], replace(line[i + len(start) : j - len(end)])]
            pos = j
        lines.append("".join(out) + line[pos:])
    return "\n".join(lines)


def helm(text: str) -> bool:
    """Whether ``text`` is a Helm chart template: ``{{ .Values.x }}``, ``{{ include … }}``, ``{{ toYaml … }}``."""
    return "{{" in text and bool(_HELM.search(text))


def go_control(text: str) -> bool:
    """Whether ``text`` has Go template actions (``{{- if … }}``, ``{{ range … }}``, ``{{ end }}``)."""
    return "{{" in text and bool(_GO_CONTROL.search(text))


def include_only(text: str) -> bool:
    """Whether every line of ``text`` is a markdown-include directive (``{!docs/file.yaml!}``): the block
    shows a file this checker does not read."""
    if "{!" not in text:  # every block is asked: most answer here
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(_INCLUDE.match(line) for line in lines)


def template_syntax(text: str) -> bool:
    """Whether ``text`` has ``{{ … }}``, ``{% … %}`` or ``{# … #}`` syntax other than single-name placeholders."""
    if "{{" not in text and "{%" not in text and "{#" not in text:  # every YAML block is asked
        return False
    for line in text.split("\n"):
        if any(pairs(line, "{%", "%}") or pairs(line, "{#", "#}")):
            return True
        if any(not _IDENT.match(line[i + 2 : j - 2]) for i, j in pairs(line, "{{", "}}")):
            return True
    return False
