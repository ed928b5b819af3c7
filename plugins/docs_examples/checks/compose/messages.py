"""Everything ``docker-compose config`` prints, as findings at the lines the messages are about.

Compose prints warnings as logrus lines (``time=… level=warning msg="…"``) and, when it fails, one Go error
whose text may span lines: several errors joined one per line, a list under ``decoding failed due to the
following error(s):``, or one error told over several lines (``include cycle detected:`` and the chain,
``Circular reference:`` and the ``extends`` chain, ``invalid interpolation format for X.`` with advice and
the value). :func:`records` cuts the text into single errors — only that one known header line is ever
dropped — and :func:`error` gives each a rule named after Compose's error and the line it names, also when
the message does not start with a path: a dependency cycle is placed on the ``depends_on`` entry that
closes it, "mutually exclusive" on the later of the two keys, a bind mount without a source on that mount.

Messages keep Compose's words; temporary paths become the names the reader knows, and what a file beside
the block contains is never quoted.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, SequenceNode

from docs_examples.checks.compose import locate
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import Document

TOOL = "docker-compose"
DECODING_HEADER = "decoding failed due to the following error(s):"
_LOG = re.compile(r'^time="[^"]*"\s+level=(?P<level>\w+)\s+msg="(?P<msg>(?:[^"\\]|\\.)*)"\s*$')
_UNSET = re.compile(r'^The "(?P<var>[^"]+)" variable is not set')
_SUFFIX = ": invalid compose project"


@dataclass(slots=True)
class Context:
    """What locating a message needs: the block's documents, and how to name files for the reader."""

    documents: list[Document]
    text: str  # the block's text
    main_file: str  # the temporary file Compose was given
    scrub: list[tuple[str, str]]  # (machine text, reader's name), longest first
    origin: dict[str, tuple[int, int]] = field(default_factory=dict)  # neighbour file → block place naming it
    missing: set[str] = field(default_factory=set)  # neighbour files already reported missing
    fallbacks: int = 0  # findings placed on line 1 for want of anything better (measured by the tests)
    errors: int = 0  # errors Compose printed in the runs read so far
    used: set[locate.Place] = field(default_factory=set)  # places already given to a repeated warning

    def name(self, text: str) -> str:
        """``text`` with machine paths replaced by the names the reader knows."""
        for old, new in self.scrub:
            text = text.replace(old, new)
        return re.sub(r"/\S*?docs-examples-[\w-]+?-\w{8}(?=/|\b)", "…", text)


@dataclass(slots=True)
class Output:
    """Compose's output, cut into warnings (level, message) and errors (one text each)."""

    warnings: list[tuple[str, str]]
    errors: list[str]


def records(stderr: str, value_lines: Callable[[str, str], int]) -> Output:
    """Warnings and single errors from Compose's standard error; ``value_lines(path, first)`` is how many
    lines the value at ``path`` that starts with the line ``first`` spans (an invalid interpolation message
    ends with that value, printed as it is)."""
    warnings: list[tuple[str, str]] = []
    plain: list[str] = []
    for line in stderr.splitlines():
        m = _LOG.match(line.strip())
        if m:
            warnings.append((m["level"], m["msg"].replace('\\"', '"').replace("\\\\", "\\")))
        elif line.strip():
            plain.append(line.rstrip())
    return Output(warnings, _errors(plain, value_lines))


def _errors(lines: list[str], value_lines: Callable[[str, str], int]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if line == DECODING_HEADER:
            continue  # its errors follow, one a line
        if line.startswith("include cycle detected:") or line == "Circular reference:":
            chain: list[str] = []
            while i < len(lines) and (lines[i].startswith(" ") or (not chain and line.startswith("include"))):
                chain.append(lines[i].strip())
                i += 1
            out.append(line + "\n" + "\n".join(chain))
            continue
        if m := re.match(r"^invalid interpolation format for (?P<path>.+?)\.?$", line):
            told = [line]
            if i < len(lines) and lines[i].startswith("You may need to escape"):
                told.append(lines[i].strip())
                i += 1
                span = max(1, value_lines(m["path"], lines[i] if i < len(lines) else ""))
                told.extend(lines[i : i + span])
                i += span
            out.append("\n".join(told))
            continue
        out.append(line)
    return out


def unset_variable(message: str) -> str | None:
    """The variable a "variable is not set" warning names, else None."""
    m = _UNSET.match(message)
    return m["var"] if m else None


# -- warnings -------------------------------------------------------------------------------------------


def warning(level: str, message: str, ctx: Context) -> Finding:
    """A Compose warning other than an unset variable (those are the variables module's)."""
    docs = ctx.documents
    if "attribute `version` is obsolete" in message:
        at = locate.path(docs, ["version"])
        return _make(
            "obsolete-version",
            "the top-level `version` attribute is obsolete and ignored by Compose; remove it",
            at,
            ctx,
            Severity.WARNING,
        )
    if m := re.match(r'^"(?P<value>[^"]*)" for boolean is not supported by YAML 1\.2', message):
        at = next((p for p in locate.scalars_equal(docs, m["value"]) if p not in ctx.used), None)
        if at is not None:
            ctx.used.add(at)
        return _make("yaml-boolean", message, at, ctx, Severity.WARNING)
    severity = Severity.WARNING if level == "warning" else Severity.ERROR
    text = ctx.name(message)
    at = None
    if m := re.match(r'^service "(?P<svc>[^"]+)": (?P<path>[\w.-]+)', text):  # service "web": deploy.labels: …
        at = locate.path(docs, ["services", m["svc"], *locate.split(m["path"])])
    rule = "compose-warning"
    if re.search(r"\bonly (?:honou?red|applie[sd]|supported)\b.*\bSwarm", text):
        rule = "swarm-only"
    elif "deprecated" in text:
        rule = "deprecated"
    return _make(rule, text, at or _leading(docs, text) or _service(docs, text), ctx, severity)


# -- errors ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located:
    """What a handler makes of one error: its rule, its message and where it belongs (None: unknown)."""

    rule: str
    message: str
    at: locate.Place | None
    hint: str | None = None


Handler = Callable[[re.Match[str], Context], "Located | None"]
_HANDLERS: list[tuple[re.Pattern[str], Handler]] = []


def _handles(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for the errors ``pattern`` matches (tried in the order they are defined)."""

    def register(fn: Handler) -> Handler:
        _HANDLERS.append((re.compile(pattern, re.DOTALL), fn))
        return fn

    return register


def error(text: str, ctx: Context) -> Finding | None:
    """One Compose error as a finding; None when it repeats a missing file this check already reported."""
    text = text.removesuffix(_SUFFIX)
    for pattern, handler in _HANDLERS:
        if m := pattern.match(text):
            located = handler(m, ctx)
            if located is None:
                return None
            message = ctx.name(located.message).removesuffix(_SUFFIX)
            return _make(located.rule, message, located.at, ctx, Severity.ERROR, located.hint)
    named = ctx.name(text)
    return _make(
        "config", named, _leading(ctx.documents, named) or _service(ctx.documents, named) or _value(ctx, named), ctx
    )


def _make(
    rule: str,
    message: str,
    at: locate.Place | None,
    ctx: Context,
    severity: Severity = Severity.ERROR,
    hint: str | None = None,
) -> Finding:
    """The finding; placed on line 1 only when nothing better is known (and counted)."""
    if at is None:
        ctx.fallbacks += 1
        at = locate.Place(1, 1)
    return Finding(TOOL, rule, severity, message, line=at.line, column=at.column, hint=hint)


def _neighbour(file: str, ctx: Context) -> locate.Place | None:
    """The block's key that names ``file`` (an included or extended file, an env file)."""
    if file in ctx.origin:
        return locate.Place(*ctx.origin[file])
    base = file.rsplit("/", 1)[-1]
    for path, at in ctx.origin.items():
        if path.rsplit("/", 1)[-1] == base:
            return locate.Place(*at)
    return locate.path(ctx.documents, ["include"]) or _first_of(ctx, ("extends", "env_file", "label_file"))


def _first_of(ctx: Context, keys: Sequence[str]) -> locate.Place | None:
    """The first value below any of ``keys`` (``volumes``, ``ports`` …): where a message about them goes."""
    for doc in ctx.documents:
        for trail, node in locate.scalars(doc.node):
            if any(k in trail for k in keys):
                return locate.Place(node.start_mark.line + 1, node.start_mark.column + 1)
    return None


def _in_file(
    file: str, ctx: Context, rest: str, at: Callable[[], locate.Place | None]
) -> tuple[str, locate.Place | None]:
    """A message about ``file``: the block itself, or a neighbour it names (placed on that name)."""
    if file == ctx.main_file:
        return rest, at()
    return f"in {ctx.name(file)}: {rest}", _neighbour(file, ctx)


@_handles(r"^failed to parse (?P<file>\S+): (?P<rest>.*)$")
def _parse(m: re.Match[str], ctx: Context) -> Located:
    rule, message, place = _yaml(m["rest"], ctx)
    message, at = _in_file(m["file"], ctx, message, lambda: place)
    return Located(rule, message, at)


_DUPLICATE = re.compile(r"line (?P<line>\d+): mapping key (?P<key>\"[^\"]*\") already defined at line (?P<first>\d+)")
_DOCUMENT = re.compile(r"^yaml: construct errors: line \d+: ")  # the line of the document, not of the problem


def _yaml(rest: str, ctx: Context) -> tuple[str, str, locate.Place | None]:
    """Rule, message and place of a YAML reader's error: its mark (``L5.C1``; the last one, where a range
    is given), the second ``line N`` of a duplicate key, a path it names, a value it quotes, a ``line N``."""
    if dup := _DUPLICATE.search(rest):
        message = f"mapping key {dup['key']} already defined at line {dup['first']}"
        return "duplicate-key", message, locate.Place(int(dup["line"]), 1)
    rest = _DOCUMENT.sub("yaml: ", rest)  # "construct errors: line 1:" names the document's first line
    if mark := re.search(r"L(?P<line>\d+)\.C(?P<col>\d+)(?!.*L\d+\.C\d+)", rest):
        return "yaml-syntax", rest, locate.Place(int(mark["line"]), int(mark["col"]))
    detail = rest
    if named := re.search(r"node at path (?P<path>\S+)", detail):
        last = locate.split(named["path"])[-1]
        at = locate.path(ctx.documents, named["path"], key=False) or _text_place(ctx, re.escape(last) + r"\s*:")
        return "yaml-syntax", rest, at
    if quoted := re.search(r"`(?P<value>[^`]+)`", detail):
        found = locate.scalars_equal(ctx.documents, quoted["value"])
        return "yaml-syntax", rest, found[0] if found else _text_place(ctx, r"\b" + re.escape(quoted["value"]) + r"\b")
    if line := re.search(r"\bline (?P<line>\d+)(?!.*\bline \d+)", detail) or re.search(r"\bline (?P<line>\d+)", rest):
        return "yaml-syntax", rest, locate.Place(int(line["line"]), 1)
    return "yaml-syntax", rest, None


@_handles(r"^validating (?P<file>\S+): (?P<rest>.*)$")
def _schema(m: re.Match[str], ctx: Context) -> Located:
    rest = m["rest"]
    docs = ctx.documents
    if add := re.match(
        r"^(?P<path>\S*)\s*additional propert(?:y|ies) '?(?P<names>[^']+?)'? (?:is |are )?not allowed", rest
    ):
        names = [n.strip(" '") for n in add["names"].split(",")]
        parent = locate.split(add["path"]) if add["path"] and add["path"] != "(root)" else []
        rest = f"{add['path'] or 'top level'}: additional property {', '.join(names)} is not allowed"
        found = lambda: locate.path(docs, [*parent, names[0]])  # noqa: E731
    elif false := re.match(r"^(?P<path>\S+) false schema$", rest):
        parts = locate.split(false["path"])
        rest = f"{'.'.join(parts[:-1])}: additional property {parts[-1]} is not allowed"
        found = lambda: locate.path(docs, parts)  # noqa: E731
    else:
        found = lambda: _leading(docs, rest)  # noqa: E731
    message, at = _in_file(m["file"], ctx, rest, found)
    return Located("schema", message, at)


@_handles(r"^error while interpolating (?P<path>\S+?): (?P<rest>.*)$")
def _interpolating(m: re.Match[str], ctx: Context) -> Located:
    rest = m["rest"]
    value = re.search(r'parsing "(?P<v>[^"]*)"|invalid boolean: (?P<b>.*)$', rest)
    want = (value["v"] if value["v"] is not None else value["b"]) if value else None
    at = locate.path(ctx.documents, m["path"], key=False, want=want or None)
    if req := re.match(r"^required variable (?P<var>\w+) is missing a value", rest):
        return Located("required-variable", f"{m['path']}: {rest}", at, f"give {req['var']} a value with data-env")
    if rest.startswith("failed to cast to expected type"):
        return Located("interpolation-type", f"{m['path']}: {rest}", at)
    return Located("interpolation", f"{m['path']}: {rest}", at)


_ADVICE = r"You may need to escape any \$ with another \$\."


@_handles(r"^invalid interpolation format for (?P<path>.+?)\.?\n" + _ADVICE + r"\n?(?P<value>.*)$")
def _format(m: re.Match[str], ctx: Context) -> Located:
    first = m["value"].strip().split("\n", 1)[0]
    return Located(
        "invalid-interpolation",
        f"invalid interpolation format for {m['path']}: {m['value'].strip()!r}",
        locate.path(ctx.documents, m["path"], key=False, want=first or None),
        "a ${…} must close and hold a variable name; write a literal $ as $$",
    )


@_handles(r"^dependency cycle detected: (?P<chain>.+)$")
def _cycle(m: re.Match[str], ctx: Context) -> Located:
    chain = [s.strip() for s in m["chain"].split("->")]
    at = None
    for here, there in itertools.pairwise(chain):
        at = locate.entry(ctx.documents, ["services", here, "depends_on"], there)
        if at:
            break
    at = at or locate.path(ctx.documents, ["services", chain[0], "depends_on"])
    return Located("dependency-cycle", m.group(0), at)


@_handles(r"^Circular reference:\n(?P<chain>.*)$")
def _extends_cycle(m: re.Match[str], ctx: Context) -> Located:
    steps = [s.strip() for s in m["chain"].splitlines() if s.strip()]
    first = re.match(r"^(?:extends )?(?P<svc>\S+) in ", steps[0]) if steps else None
    at = locate.path(ctx.documents, ["services", first["svc"], "extends"]) if first else None
    named = [ctx.name(s) for s in steps]
    return Located("extends-cycle", "circular extends: " + " → ".join(named), at or _first_of(ctx, ("extends",)))


@_handles(r"^include cycle detected:\n(?P<chain>.*)$")
def _include_cycle(m: re.Match[str], ctx: Context) -> Located:
    steps = [s.strip().removeprefix("include ").strip() for s in m["chain"].splitlines() if s.strip()]
    at = _neighbour(steps[1], ctx) if len(steps) > 1 else None
    named = " → ".join(ctx.name(s) for s in steps)
    return Located("include-cycle", f"include cycle detected: {named}", at or locate.path(ctx.documents, ["include"]))


@_handles(r"^service \"?(?P<svc>[^\" ]+)\"? declares mutual+y exclusive `?(?P<a>[\w.]+)`? and `?(?P<b>[\w.]+)`?")
def _exclusive_service(m: re.Match[str], ctx: Context) -> Located:
    base = ["services", m["svc"]]
    at = locate.later(ctx.documents, base, [m["a"], m["b"]]) or locate.later(
        ctx.documents, [*base, "build"], [m["a"], m["b"]]
    )
    message = f"service {m['svc']} declares mutually exclusive `{m['a']}` and `{m['b']}`"
    return Located("mutually-exclusive", message, at or locate.path(ctx.documents, base))


@_handles(r"^(?P<path>\S+): (?P<names>[\w|.]+) attributes are mutually exclusive$")
def _exclusive_attributes(m: re.Match[str], ctx: Context) -> Located:
    base = locate.split(m["path"])
    at = locate.later(ctx.documents, base, m["names"].split("|")) or locate.path(ctx.documents, base)
    return Located("mutually-exclusive", m.group(0), at)


@_handles(r"^(?P<path>\S+): can't set distinct values on '(?P<a>[^']+)' and '(?P<b>[^']+)'")
def _distinct(m: re.Match[str], ctx: Context) -> Located:
    base = locate.split(m["path"])
    at = locate.later(ctx.documents, base, [m["a"], m["b"]]) or locate.path(ctx.documents, base)
    return Located("conflicting-values", m.group(0), at)


@_handles(r"^invalid mount config for type \"(?P<type>\w+)\": (?P<rest>.*)$")
def _mount(m: re.Match[str], ctx: Context) -> Located:
    for name, service in _services(ctx.documents):
        volumes = locate.child(service, "volumes")
        items = volumes[1].value if volumes and isinstance(volumes[1], SequenceNode) else []
        for i, item in enumerate(items):
            kind, source = locate.child(item, "type"), locate.child(item, "source")
            if kind and str(kind[1].value) == m["type"] and (source is None or not str(source[1].value)):
                at = locate.Place(item.start_mark.line + 1, item.start_mark.column + 1)
                return Located("invalid-mount", f"services.{name}.volumes[{i}]: {m.group(0)}", at)
    return Located("invalid-mount", m.group(0), _first_of(ctx, ("volumes",)))


def _services(docs: Sequence[Document]) -> Iterator[tuple[str, Node]]:
    """Every service of ``docs``: its name and its node."""
    for doc in docs:
        pair = locate.child(doc.node, "services")
        if pair and isinstance(pair[1], MappingNode):
            for key, service in locate.children(pair[1]):
                yield str(key.value), service


@_handles(r"^service \"(?P<svc>[^\"]+)\" has neither an image nor a build context specified")
def _no_image(m: re.Match[str], ctx: Context) -> Located:
    return Located("missing-image", m.group(0), locate.path(ctx.documents, ["services", m["svc"]]))


@_handles(r"^extends\.(?P<svc>.+)\.service is required$")
def _extends_required(m: re.Match[str], ctx: Context) -> Located:
    at = locate.path(ctx.documents, ["services", m["svc"], "extends"])
    return Located("extends-without-service", f"services.{m['svc']}.extends: service is required", at)


@_handles(r"^cannot extend service \"(?P<svc>[^\"]+)\" in \S+: service \"(?P<base>[^\"]+)\" not found")
def _extends_unknown(m: re.Match[str], ctx: Context) -> Located:
    at = locate.path(ctx.documents, ["services", m["svc"], "extends", "service"], key=False) or locate.path(
        ctx.documents, ["services", m["svc"], "extends"], key=False
    )
    return Located(
        "extends-unknown-service", f'service "{m["svc"]}" extends service "{m["base"]}", which is not defined', at
    )


@_handles(r"^service \"(?P<svc>[^\"]+)\" depends on (?:undefined|unknown) service \"?(?P<dep>[^\":]+)\"?")
def _depends(m: re.Match[str], ctx: Context) -> Located:
    path = ["services", m["svc"], "depends_on"]
    return Located(
        "undefined-service", m.group(0), locate.entry(ctx.documents, path, m["dep"]) or locate.path(ctx.documents, path)
    )


@_handles(
    r"^service \"(?P<svc>[^\"]+)\" refers to undefined (?P<what>network|volume|config|secret) \"?(?P<name>[^\":\s]+)\"?"
)
def _refers(m: re.Match[str], ctx: Context) -> Located:
    path = ["services", m["svc"], m["what"] + "s"]
    at = locate.entry(ctx.documents, path, m["name"]) or locate.path(ctx.documents, path)
    return Located(f"undefined-{m['what']}", m.group(0), at)


@_handles(r"^invalid (?P<what>hostPort|containerPort|proto|IP address|port(?: range)?)\b.*?: (?P<value>[^:]*)$")
def _port(m: re.Match[str], ctx: Context) -> Located:
    value = m["value"].strip(" '\"")
    at = locate.scalar(ctx.documents, value, under="ports") if value else None
    return Located("invalid-port", m.group(0), at or _first_of(ctx, ("ports",)))


@_handles(r"^invalid spec: (?P<spec>.*): (?P<why>[^:]+)$")
def _volume_spec(m: re.Match[str], ctx: Context) -> Located:
    at = locate.scalar(ctx.documents, m["spec"], under="volumes")
    return Located("invalid-volume", m.group(0), at or _first_of(ctx, ("volumes",)))


@_handles(r"^'(?P<path>[^']+)' (?P<rest>.*)$")
def _decoding(m: re.Match[str], ctx: Context) -> Located:
    rule = "invalid-size" if m["rest"].startswith("invalid size") else "invalid-value"
    return Located(rule, f"{m['path']}: {m['rest']}", locate.path(ctx.documents, m["path"], key=False))


@_handles(r"^(?:(?P<what>env|label) file (?P<file>\S+) not found|open (?P<open>\S+): no such file or directory)")
def _missing_file(m: re.Match[str], ctx: Context) -> Located | None:
    file = m["file"] or m["open"]
    if file in ctx.missing:
        return None
    what = f"{m['what']} file" if m["what"] else "file"
    message = f"{what} {ctx.name(file)!r} does not exist beside this Compose file"
    return Located("missing-neighbour-file", message, _neighbour(file, ctx))


@_handles(r"^failed to read (?P<file>\S+): (?P<rest>.*)$")
def _unreadable(m: re.Match[str], ctx: Context) -> Located:
    # Compose quotes the offending line of the file: only the line number and the kind of fault are kept.
    fault = re.split(r"[\"'`]", m["rest"], maxsplit=1)[0].rstrip(" :")
    return Located(
        "invalid-env-file",
        f"Compose cannot read {ctx.name(m['file'])}: {fault or 'invalid line'} (the line is not quoted here)",
        _neighbour(m["file"], ctx),
        "each line must be NAME=value; quote values with spaces, and close every quote",
    )


@_handles(r"^(?P<what>git|OCI) remote resource is disabled by")
def _remote(m: re.Match[str], ctx: Context) -> Located:
    message = (
        f"a {m['what']} include is not fetched while checking, so Compose cannot load this file; "
        'show the included file on the page, or mark the block data-check="skip" with a reason'
    )
    return Located("remote-include", message, locate.path(ctx.documents, ["include"]))


@_handles(r"^(?P<path>[A-Za-z_][\w.\[\]-]*) must be a mapping")
def _not_mapping(m: re.Match[str], ctx: Context) -> Located:
    return Located("not-a-mapping", m.group(0), locate.path(ctx.documents, m["path"]))


@_handles(r"^(?P<rest>(?:.*: )?yaml: .*)$")
def _yaml_elsewhere(m: re.Match[str], ctx: Context) -> Located:
    rule, message, at = _yaml(m["rest"][m["rest"].index("yaml: ") :], ctx)
    return Located(rule, message, at)


# -- finding a place for anything else ------------------------------------------------------------------

_QUOTED_PATH = re.compile(r"^'(?P<path>[^']+)'")
_LEADING_PATH = re.compile(r"^(?P<path>[A-Za-z_][\w-]*(?:(?:\.|\[)[\w.\[\]-]+)+)(?=[:\s]|$)")


def _text_place(ctx: Context, pattern: str) -> locate.Place | None:
    """The first line of the block matching ``pattern``: for YAML that does not load (no node tree)."""
    for number, line in enumerate(ctx.text.split("\n"), start=1):
        if m := re.search(pattern, line):
            return locate.Place(number, m.start() + 1)
    return None


def _leading(docs: Sequence[Document], message: str) -> locate.Place | None:
    """The path a message starts with (``services.web.ports must be …``, ``'services[web].x' …``)."""
    m = _QUOTED_PATH.match(message) or _LEADING_PATH.match(message)
    return locate.path(docs, m["path"]) if m else None


def _service(docs: Sequence[Document], message: str) -> locate.Place | None:
    """The service a message names (``service "web" …``, ``service web …``)."""
    m = re.search(r"\bservices?\s+\"?(?P<svc>[\w.-]+)\"?", message)
    return locate.path(docs, ["services", m["svc"]]) if m else None


def _value(ctx: Context, message: str) -> locate.Place | None:
    """The value a message ends with (``…: abc`` → the scalar holding ``abc``)."""
    tail = message.rsplit(": ", 1)[-1].strip(" '\"") if ": " in message else ""
    return locate.scalar(ctx.documents, tail) if len(tail) >= 2 else None
