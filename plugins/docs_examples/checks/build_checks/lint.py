"""The build-check rules, run over one Dockerfile the way BuildKit's frontend runs them.

BuildKit checks in three passes, and so does this module: while parsing (keyword and stage-name casing,
``MAINTAINER``, descriptions, empty continuation lines, ``EXPOSE`` protocols), over the stage list (names,
keyword case, the ``FROM`` lines with the global ``ARG``s), and while dispatching each stage's instructions
in order with the variables in scope (undefined variables, ``WORKDIR``, ``CMD``/``ENTRYPOINT`` form,
repeated instructions, ``ENV``/``LABEL`` form, secret-looking names, ignored ``COPY`` sources, ``EXPOSE``
mappings). ``docker build --check`` dispatches every stage, whatever the target, and so does this.

What the daemon would add is out of reach: the base image's configuration (its environment, its shell)
comes from the registry, so a verdict that depends on it is only given when the file alone decides it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docs_examples.checks import buildkit
from docs_examples.checks.build_checks.directive import CheckConfig
from docs_examples.checks.build_checks.model import Dockerfile, Instruction, Stage
from docs_examples.checks.build_checks.rules import RULES_BY_NAME
from docs_examples.checks.build_checks.words import (
    BadSubstitution,
    Expansion,
    expand,
    parse_platform,
    split_words,
    suggest,
    try_expand,
    valid_image_reference,
)
from docs_examples.checks.build_context import ignored
from docs_examples.findings import Finding, Severity

TOOL = "buildkit"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Build arguments the frontend predefines for FROM lines (the builder's and the target's platform).
PLATFORM_ARGS = {
    "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDOSVERSION": "", "BUILDARCH": "amd64",
    "BUILDVARIANT": "", "TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETOSVERSION": "",
    "TARGETARCH": "amd64", "TARGETVARIANT": "",
}  # fmt: skip
NON_ENV_ARGS = {"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"}
_SECRET = re.compile(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)", re.I
)
_PUBLIC = re.compile(r"(?:_|^)public(?:_|$)", re.I)
_REMOTE = re.compile(r"^(?:https?://|git@|git://)", re.I)
_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


@dataclass(slots=True)
class Linter:
    """Collects findings for the rules the ``# check=`` directive lets run, at Docker's severity."""

    text: str
    config: CheckConfig
    findings: list[Finding] = field(default_factory=list)

    def report(self, rule: str, line: int, message: str) -> None:
        """One finding of ``rule`` at block line ``line`` (once), unless the directive turns the rule off."""
        meta = RULES_BY_NAME[rule]
        if not self.config.runs(rule, meta.experimental):
            return
        severity = Severity.ERROR if self.config.error else Severity.WARNING
        finding = Finding(
            TOOL,
            meta.id,
            severity,
            message,
            line=line,
            column=buildkit.indent_column(self.text, line),
            hint=meta.url,
        )
        if finding not in self.findings:
            self.findings.append(finding)


# -- while parsing ------------------------------------------------------------------------------------------


def parse_rules(df: Dockerfile, lint: Linter) -> None:
    """The rules BuildKit applies to each instruction as it parses it."""
    for ins in df.instructions:
        _parsed_instruction(lint, ins)
    for stage in df.stages:
        _parsed_from(lint, stage)
    for line in empty_continuations(df):
        lint.report("NoEmptyContinuation", line, "Empty continuation line")


def _parsed_instruction(lint: Linter, ins: Instruction) -> None:
    """MaintainerDeprecated, ARG descriptions and EXPOSE protocols."""
    if ins.keyword == "MAINTAINER":
        lint.report("MaintainerDeprecated", ins.line, "Maintainer instruction is deprecated in favor of using label")
    elif ins.keyword == "ARG":
        _description(lint, ins, "ARG", [_arg_parts(token)[0] for token in ins.values])
    elif ins.keyword == "EXPOSE":
        for port in ins.values:
            _, slash, proto = port.partition("/")
            if slash and proto != proto.lower():
                message = f"Defined protocol '{port}' in EXPOSE instruction should be lowercase"
                lint.report("ExposeProtoCasing", ins.line, message)


def _parsed_from(lint: Linter, stage: Stage) -> None:
    """StageNameCasing, FromAsCasing (a mixed-case FROM is left to ConsistentInstructionCasing), description."""
    if stage.start is None:  # an excerpt: its FROM is not shown
        return
    line = stage.start.line
    if stage.written_name and stage.written_name != stage.written_name.lower():
        lint.report("StageNameCasing", line, f"Stage name '{stage.written_name}' should be lowercase")
    keyword = stage.start.written
    if stage.as_word and keyword in (keyword.lower(), keyword.upper()):
        wanted = stage.as_word.lower() if keyword == keyword.lower() else stage.as_word.upper()
        if stage.as_word != wanted:
            lint.report("FromAsCasing", line, f"'{stage.as_word}' and '{keyword}' keywords' casing do not match")
    if stage.name:
        _description(lint, stage.start, "FROM", [stage.name])


def _description(lint: Linter, ins: Instruction, what: str, names: list[str]) -> None:
    """InvalidDefinitionDescription: the comment right above must start with one of ``names``."""
    if ins.comment is None or not names or ins.comment.split(" ")[0] in names:
        return
    example = names[0] if len(names) == 1 else "<arg_key>"
    lint.report(
        "InvalidDefinitionDescription",
        ins.line,
        f"Comment for {what} should follow the format: `# {example} <description>`",
    )


def empty_continuations(df: Dockerfile) -> list[int]:
    """Lines where an instruction with a blank line inside its continuation ends (BuildKit reports there)."""
    lines = df.lines
    escape = re.escape(df.escape)
    continued = re.compile(rf"(?:[^{escape}]|^){escape}[ \t]*$")
    out = []
    for ins in df.instructions:
        row, empty = ins.line, False
        while row <= len(lines) and continued.search(lines[row - 1].rstrip("\r")):
            row += 1
            while row <= len(lines) and (not lines[row - 1].strip() or lines[row - 1].lstrip().startswith("#")):
                empty = empty or not lines[row - 1].strip()
                row += 1
        if empty:
            out.append(min(row, len(lines)))
    return out


# -- over the stages ----------------------------------------------------------------------------------------


def stage_rules(df: Dockerfile, lint: Linter) -> None:
    """Stage names, and the case of every keyword (global ARGs are not counted, as in BuildKit)."""
    seen: set[str] = set()
    for stage in df.stages:
        if stage.name in ("context", "scratch"):
            lint.report(
                "ReservedStageName",
                stage.line,
                f'Stage name should not use the same name as reserved stage "{stage.name}"',
            )
        if stage.name and stage.name in seen:
            lint.report(
                "DuplicateStageName",
                stage.line,
                f'Duplicate stage name "{stage.name}", stage names should be unique',
            )
        if stage.name:
            seen.add(stage.name)
    keywords = [ins for stage in df.stages for ins in (stage.start, *stage.commands) if ins is not None]
    consistent = [ins.written for ins in keywords if ins.written in (ins.written.lower(), ins.written.upper())]
    lower = sum(1 for word in consistent if word == word.lower())
    majority_lower = lower > len(consistent) - lower
    for ins in keywords:
        wanted = ins.written.lower() if majority_lower else ins.written.upper()
        if ins.written != wanted:
            case = "lowercase" if majority_lower else "uppercase"
            lint.report(
                "ConsistentInstructionCasing",
                ins.line,
                f"Command '{ins.written}' should match the case of the command majority ({case})",
            )


@dataclass(slots=True)
class GlobalArgs:
    """The global ``ARG``s with their defaults only (no ``--build-arg``), and the predefined platform ones."""

    values: dict[str, str]
    declared: set[str]  # every global ARG name, with or without a default
    broken: bool  # a default did not expand: BuildKit gives up the default-value check


def global_args(df: Dockerfile) -> GlobalArgs:
    """The values the ``FROM`` lines and the stages' ``ARG name`` lines see."""
    values = dict(PLATFORM_ARGS)
    values["TARGETSTAGE"] = df.stages[-1].name if df.stages else ""
    declared: set[str] = set()
    broken = False
    for ins in df.meta_args:
        for token in ins.values:
            key, default = _arg_parts(token)
            declared.add(key)
            if default is not None:
                try:
                    values[key] = expand(default, values, df.escape).result
                except BadSubstitution:
                    broken = True
    return GlobalArgs(values, declared, broken)


def from_rules(df: Dockerfile, lint: Linter) -> None:
    """The ``FROM`` lines against the global ARGs: undeclared names, platforms, images from defaults."""
    args = global_args(df)
    known = sorted(args.declared | set(args.values))
    valid_defaults = not args.broken
    for stage in df.stages:
        if stage.start is None:  # an excerpt: no FROM line to judge
            continue
        base = try_expand(stage.base, args.values, df.escape)
        platform = try_expand(stage.platform, args.values, df.escape) if stage.platform is not None else None
        for expansion in (base, platform):
            if expansion is not None:
                _undeclared(lint, stage, expansion.unmatched, known)
        if platform is not None:
            _platform(lint, stage, platform, args.values)
        if base is None:
            valid_defaults = False  # BuildKit gives this rule up when a default does not expand
        elif valid_defaults and not valid_image_reference(base.result):
            message = f"Default value for ARG {stage.base} results in empty or invalid base image name"
            lint.report("InvalidDefaultArgInFrom", stage.line, message)


def _undeclared(lint: Linter, stage: Stage, names: set[str], known: list[str]) -> None:
    """UndefinedArgInFrom for each name a FROM line uses that no global ARG declares."""
    for name in sorted(names - set(known)):
        hint = suggest(name, known)
        message = f"FROM argument '{name}' is not declared" + (f" (did you mean {hint}?)" if hint else "")
        lint.report("UndefinedArgInFrom", stage.line, message)


def _platform(lint: Linter, stage: Stage, platform: Expansion, values: dict[str, str]) -> None:
    """RedundantTargetPlatform and FromPlatformFlagConstDisallowed on an expanded ``--platform``."""
    line = stage.line
    if (
        platform.matched == {"TARGETPLATFORM"}
        and not platform.unmatched
        and platform.result == values["TARGETPLATFORM"]
    ):
        message = (
            f"Setting platform to predefined {stage.platform} in FROM is redundant as this is the default behavior"
        )
        lint.report("RedundantTargetPlatform", line, message)
    if platform.matched or platform.unmatched:
        return
    parsed = parse_platform(platform.result)
    if parsed is not None and parsed[0] not in stage.name and parsed[1] not in stage.name:
        lint.report(
            "FromPlatformFlagConstDisallowed",
            line,
            f'FROM --platform flag should not use constant value "{platform.result}"',
        )


def _arg_parts(token: str) -> tuple[str, str | None]:
    """``NAME=default`` or ``NAME`` of an ARG."""
    key, eq, default = token.partition("=")
    return key, default if eq else None


# -- while dispatching ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Scope:
    """What a stage knows at one instruction: its variables, its declared ARGs, and earlier settings."""

    env: dict[str, str]
    args: set[str]
    known: bool  # built on scratch: no variable can come from a base image
    shell: bool = False  # a SHELL instruction ran
    workdir: bool = False  # a WORKDIR instruction ran

    def copy(self) -> Scope:
        return Scope(dict(self.env), set(self.args), self.known, self.shell, self.workdir)


@dataclass(slots=True)
class Dispatch:
    """Runs the dispatch-time rules over every stage, in order, the way the frontend builds them."""

    df: Dockerfile
    lint: Linter
    context: Path | None = None  # the build context of an included Dockerfile, for CopyIgnoredFile
    ignore: list[tuple[re.Pattern[str], bool]] = field(default_factory=list)

    def run(self) -> None:
        values = global_args(self.df).values
        finished: dict[str, Scope] = {}
        for stage in self.df.stages:
            scope = self._start(stage, values, finished)
            once: dict[str, Instruction] = {}
            for ins in stage.commands:
                self._instruction(ins, scope, values, once)
            if stage.name:
                finished[stage.name] = scope

    def _start(self, stage: Stage, values: dict[str, str], finished: dict[str, Scope]) -> Scope:
        """The scope a stage starts with: a copy of the stage it builds on, or a base image's (unknown) one.

        An excerpt's stage starts somewhere unseen: its base is unknown, and a ``WORKDIR`` may already be set.
        """
        if stage.start is None:
            return Scope({"PATH": DEFAULT_PATH}, set(), known=False, workdir=True)
        expansion = try_expand(stage.base, values, self.df.escape)
        base = expansion.result if expansion is not None else stage.base
        if base in finished:
            return finished[base].copy()
        return Scope({"PATH": DEFAULT_PATH}, set(), known=base == "scratch")

    def _instruction(
        self, ins: Instruction, scope: Scope, values: dict[str, str], once: dict[str, Instruction]
    ) -> None:
        keyword = ins.keyword
        if keyword in _ONCE:
            if keyword in once:
                message = (
                    f"Multiple {ins.written} instructions should not be used in the same stage "
                    "because only the last one will be used"
                )
                self.lint.report("MultipleInstructionsDisallowed", once[keyword].line, message)
            once[keyword] = ins
        handler = getattr(self, f"_{keyword.lower()}", None)
        if handler is not None:
            handler(ins, scope, values)

    # Each handler mirrors the frontend's dispatch of one instruction.

    def _expand(
        self, ins: Instruction, scope: Scope, words: Iterable[str], *, raw_quotes: bool = False
    ) -> list[Expansion | None]:
        """Expand ``words`` in ``scope``, reporting names that are not defined (UndefinedVar)."""
        out = [try_expand(word, scope.env, self.df.escape, raw_quotes=raw_quotes) for word in words]
        for expansion in out:
            if expansion is not None:
                self._undefined(ins, scope, expansion.unmatched)
        return out

    def _undefined(self, ins: Instruction, scope: Scope, names: set[str]) -> None:
        """UndefinedVar for names looked up and not set, unless a declared ARG or a base image may hold them."""
        for name in sorted(names - scope.args - NON_ENV_ARGS):
            hint = suggest(name, scope.env)
            if not scope.known and hint is None:
                continue  # the base image's configuration may define it: only the registry knows
            message = f"Usage of undefined variable '${name}'" + (f" (did you mean ${hint}?)" if hint else "")
            self.lint.report("UndefinedVar", ins.line, message)

    def _env(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """ENV: expanded before any of its pairs is set, then every pair becomes a variable."""
        self._pairs(ins, scope, assign=True)

    def _label(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """LABEL: expanded like ENV, sets nothing."""
        self._pairs(ins, scope, assign=False)

    def _pairs(self, ins: Instruction, scope: Scope, *, assign: bool) -> None:
        """ENV and LABEL pairs: UndefinedVar, LegacyKeyValueFormat, and for ENV secrets and new variables."""
        values = ins.values
        pairs = list(zip(values[0::2], values[1::2], strict=False))
        expanded = self._expand(ins, scope, [word for pair in pairs for word in pair])
        if legacy_form(ins, self.df.escape):
            message = f'"{ins.written} key=value" should be used instead of legacy "{ins.written} key value" format'
            self.lint.report("LegacyKeyValueFormat", ins.line, message)
        for i, (key, _value) in enumerate(pairs):
            new_key, new_value = expanded[2 * i], expanded[2 * i + 1]
            name = new_key.result if new_key is not None else key
            if assign:
                _secret(self.lint, ins, "ENV", name)
                scope.env.pop(name, None)
                scope.env[name] = new_value.result if new_value is not None else ""

    def _arg(self, ins: Instruction, scope: Scope, values: dict[str, str]) -> None:
        """ARG: declared for the rest of the stage, valued by its default or the global ARG of that name."""
        for token in ins.values:
            key, default = _arg_parts(token)
            _secret(self.lint, ins, "ARG", key)
            value = default
            if default is None:
                value = values.get(key)
            else:
                [expansion] = self._expand(ins, scope, [default])
                value = expansion.result if expansion is not None else default
            if value is not None and key not in NON_ENV_ARGS:
                scope.env.pop(key, None)
                scope.env[key] = value
            scope.args.add(key)

    def _copy(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """COPY and ADD: flags, sources, destination and unquoted heredoc files are expanded."""
        flags = [v for v in (ins.flag("chown"), ins.flag("chmod")) if v is not None]
        if ins.keyword == "ADD" and ins.flag("checksum") is not None:
            flags.append(str(ins.flag("checksum")))
        self._expand(ins, scope, flags)
        words = [v for v in ins.values if not v.startswith("<<")]
        expanded = self._expand(ins, scope, words)
        for heredoc, token in zip(ins.command.heredocs, [v for v in ins.values if v.startswith("<<")], strict=False):
            if not any(q in token for q in "'\""):  # a quoted delimiter turns expansion off
                self._expand(ins, scope, [heredoc.content], raw_quotes=True)
        if self.context is not None and ins.flag("from") is None:
            self._ignored(ins, words[:-1], expanded[:-1], scope)

    _add = _copy

    def _ignored(self, ins: Instruction, sources: list[str], expanded: list[Expansion | None], scope: Scope) -> None:
        """CopyIgnoredFile: a context source that the .dockerignore excludes."""
        for raw, expansion in zip(sources, expanded, strict=True):
            if expansion is None or (expansion.unmatched and not scope.known) or _REMOTE.match(expansion.result):
                continue
            relative = posixpath.normpath("/" + expansion.result).lstrip("/")
            if relative and relative != "." and ignored(relative, self.ignore):  # as the build-context check reads it
                what = "Add" if ins.keyword == "ADD" else "Copy"
                self.lint.report(
                    "CopyIgnoredFile", ins.line, f'Attempting to {what} file "{raw}" that is excluded by .dockerignore'
                )

    def _workdir(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """WORKDIR: the first of a stage chain must be absolute once expanded (when the file decides it)."""
        [expansion] = self._expand(ins, scope, ins.values[:1])
        first, scope.workdir = not scope.workdir, True
        if not first or expansion is None or (expansion.unmatched and not scope.known):
            return
        if not _absolute(expansion.result):
            message = f'Relative workdir "{expansion.result}" can have unexpected results if the base image changes'
            self.lint.report("WorkdirRelativePath", ins.line, message)

    def _user(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """USER and STOPSIGNAL: one expanded word."""
        self._expand(ins, scope, ins.values[:1])

    _stopsignal = _user

    def _volume(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """VOLUME: every path expanded."""
        self._expand(ins, scope, ins.values)

    def _run(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """RUN: only the ``--mount`` options are BuildKit's to expand; the command is the shell's."""
        options = [part.partition("=")[2] for mount in ins.flags("mount") for part in mount.split(",") if "=" in part]
        self._expand(ins, scope, options)

    def _shell(self, _ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """SHELL: later shell-form CMD/ENTRYPOINT use a shell the author chose."""
        scope.shell = True

    def _cmd(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """CMD and ENTRYPOINT: JSONArgsRecommended for the shell form without a SHELL."""
        if not ins.command.json and not scope.shell:
            message = (
                f"JSON arguments recommended for {ins.written} to prevent unintended behavior related to OS signals"
            )
            self.lint.report("JSONArgsRecommended", ins.line, message)

    _entrypoint = _cmd

    def _expose(self, ins: Instruction, scope: Scope, _values: dict[str, str]) -> None:
        """ExposeInvalidFormat on the ports as BuildKit expands them (not judged when a name is unknown)."""
        for port in ins.values:
            expansion = try_expand(port, scope.env, self.df.escape)
            if expansion is None or (expansion.unmatched and not scope.known):
                continue
            for word in expansion.result.split():
                if ":" in word:
                    message = f"EXPOSE instruction should not define an IP address or host-port mapping, found '{word}'"
                    self.lint.report("ExposeInvalidFormat", ins.line, message)


def legacy_form(ins: Instruction, escape: str) -> bool:
    """Whether an ENV or LABEL is written ``key value`` (its first word has no ``=``)."""
    rest = ins.command.original.strip()[len(ins.written) :]
    words = split_words(rest, escape)
    return bool(words) and "=" not in words[0]


def _secret(lint: Linter, ins: Instruction, what: str, key: str) -> None:
    if _SECRET.search(key) and not _PUBLIC.search(key):
        lint.report(
            "SecretsUsedInArgOrEnv", ins.line, f'Do not use ARG or ENV instructions for sensitive data ({what} "{key}")'
        )


def _absolute(path: str) -> bool:
    """Absolute on Linux, or a Windows drive path (``C:\\app``) a Windows image would build with."""
    return path.startswith("/") or bool(re.match(r"^[A-Za-z]:[\\/]", path))
