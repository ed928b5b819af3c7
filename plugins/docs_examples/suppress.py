"""Suppressions: failing findings a site has decided, with a reason, not to fail on.

Two sources, asked in this order by :class:`docs_examples.verdict.Verdict` (the one place that decides
failure), each only about a finding that would otherwise fail:

* the ``ignore`` option: gitignore-style path patterns (relative to ``mkdocs.yml``'s folder, matched against
  the page and against the file a finding is in) mapped to rule ids (``*`` and other ``fnmatch`` patterns
  allowed) and a reason;
* the baseline file (:mod:`docs_examples.baseline`): today's failures, recorded so that only new ones fail.

A suppressed finding stays in every report, marked with its :class:`~docs_examples.findings.Suppression`;
it just does not fail. A tool that could not run is never suppressed: that is about the machine, not the page.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from docs_examples.findings import Finding, Suppression

if TYPE_CHECKING:
    from docs_examples.baseline import Entry, Matcher
    from docs_examples.blocks.model import Block
    from docs_examples.settings import Settings

_EXAMPLE = '{"docs/legacy/*.md": {rules: [SC2086], reason: "written before the shell style guide"}}'


class Suppressor(Protocol):
    """Asked about one failing finding of ``page`` (and its block, None for a page problem)."""

    def __call__(self, page: str, block: Block | None, finding: Finding) -> Suppression | None: ...


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """One entry of the ``ignore`` option: a path pattern, the rules it silences and why."""

    pattern: str
    rules: tuple[str, ...]
    reason: str

    def matches_rule(self, finding: Finding) -> bool:
        return any(fnmatch.fnmatchcase(finding.rule, r) or fnmatch.fnmatchcase(finding.tool, r) for r in self.rules)


def _rules(pattern: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value or not all(isinstance(r, str) and r for r in value):
        raise ValueError(f'{pattern!r}: rules must be a non-empty list of rule ids or patterns ("*": every rule)')
    return tuple(value)


def parse_ignore(value: Any) -> tuple[IgnoreRule, ...]:
    """The ``ignore`` option: ``{pattern: {rules: [...], reason: "..."}}``, or ``{pattern: [rules]}``.

    The long form needs its reason. The short form is accepted (reports say "no reason given in mkdocs.yml"
    beside the pattern), so a report never shows a suppression nobody can trace.
    """
    if value is None:
        return ()
    if isinstance(value, list | tuple) and all(isinstance(v, IgnoreRule) for v in value):
        return tuple(value)  # already parsed (the default, or a value MkDocs validated)
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a mapping of path patterns to rules, e.g. {_EXAMPLE}")
    out: list[IgnoreRule] = []
    for pattern, entry in value.items():
        if not isinstance(pattern, str) or not pattern.strip():
            raise ValueError(f"{pattern!r} is not a path pattern, e.g. {_EXAMPLE}")
        try:
            _compiled(pattern)
        except ValueError as exc:
            raise ValueError(f"{pattern!r}: {exc}") from None
        if isinstance(entry, Mapping):
            unknown = sorted(set(map(str, entry)) - {"rules", "reason"})
            if unknown:
                raise ValueError(f"{pattern!r}: unknown key {unknown[0]!r} (an entry has rules and reason)")
            reason = entry.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise ValueError(f"{pattern!r}: give a reason, e.g. {_EXAMPLE}")
            out.append(IgnoreRule(pattern, _rules(pattern, entry.get("rules")), reason.strip()))
        else:
            rules = _rules(pattern, entry)
            out.append(IgnoreRule(pattern, rules, "no reason given in mkdocs.yml"))
    return tuple(out)


def _compiled(pattern: str) -> Any:
    """One ``ignore`` pattern as gitignore reads it (pathspec is imported only for a site that has some)."""
    from pathspec.gitignore import GitIgnoreSpec

    return GitIgnoreSpec.from_lines([pattern])


class Ignores:
    """The ``ignore`` option, compiled; remembers which entries matched something."""

    def __init__(self, rules: Iterable[IgnoreRule]) -> None:
        self.rules = [(rule, _compiled(rule.pattern)) for rule in rules]
        self.used: set[IgnoreRule] = set()

    def __call__(self, files: Iterable[str], finding: Finding) -> Suppression | None:
        paths = [f for f in files if f]
        for rule, spec in self.rules:
            if rule.matches_rule(finding) and any(spec.match_file(p) for p in paths):
                self.used.add(rule)
                return Suppression("ignore", f"{rule.reason} (ignore: {rule.pattern})")
        return None


@dataclass(slots=True)
class Outcome:
    """What the suppressions did in one run, for the reports: the baseline used and its stale entries."""

    baseline: str | None = None  # the baseline file as configured (relative to mkdocs.yml), when one was read
    pages: dict[str, str] = field(default_factory=dict)  # each page as named in the run → relative to mkdocs.yml
    stale: list[Entry] = field(default_factory=list)  # baseline entries of checked pages that no longer fail
    unused_ignores: list[IgnoreRule] = field(default_factory=list)
    ignores: int = 0  # entries of the ignore option

    @property
    def configured(self) -> bool:
        """Whether the site has a baseline file or ignore entries (reports say what they did only then)."""
        return self.baseline is not None or self.ignores > 0


class Suppressions:
    """One run's suppressor: the ``ignore`` option first, then the baseline; pages named from the site root."""

    def __init__(
        self,
        ignores: Iterable[IgnoreRule] = (),
        baseline: Matcher | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.ignores = Ignores(ignores)
        self.baseline = baseline
        self.names = dict(names or {})  # page as named in this run → path relative to mkdocs.yml's folder

    def page(self, name: str) -> str:
        """How suppressions name a page: relative to the site root, whatever the working directory."""
        return self.names.get(name, name)

    def __call__(self, page: str, block: Block | None, finding: Finding) -> Suppression | None:
        key = self.page(page)
        found = self.ignores((key, self.page(finding.file or "")), finding)
        if found is None and self.baseline is not None:
            found = self.baseline.take(key, block, finding)
        return found

    def outcome(self) -> Outcome:
        """After the run: the baseline's stale entries among the pages checked, the ignore entries never used."""
        unused = [r for r, _ in self.ignores.rules if r not in self.ignores.used]
        out = Outcome(pages=dict(self.names), unused_ignores=unused, ignores=len(self.ignores.rules))
        if self.baseline is not None:
            out.baseline = self.baseline.name
            out.stale = self.baseline.stale(set(self.names.values()))
        return out


def page_names(pages: Iterable[tuple[str, Path | None]], root: Path) -> dict[str, str]:
    """Each page's name in this run → its path relative to ``root`` (the name itself when it is outside)."""
    names: dict[str, str] = {}
    for name, path in pages:
        try:
            names[name] = path.relative_to(root).as_posix() if path is not None else name
        except ValueError:
            names[name] = name
    return names


def for_run(settings: Settings, pages: Iterable[tuple[str, Path | None]]) -> Suppressions:
    """The suppressions of one run over ``pages`` (name, path): the ignore option and the baseline file."""
    from docs_examples import baseline  # the baseline module reads files; imported where it is used

    file = baseline.path(settings.root, settings.baseline)
    matcher = baseline.Matcher(baseline.load(file), settings.baseline or "") if file and file.is_file() else None
    return Suppressions(settings.ignore, matcher, page_names(pages, settings.root))
