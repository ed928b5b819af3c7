"""Which variables the reader supplies, what Compose is given for them, and what the block says about them.

- ``${VAR:?message}`` / ``${VAR?message}`` unset: the reader must supply it. The file is checked with an
  example value of the right type (the page's own, from ``data-env="VAR=…"``, else a placeholder), and the
  finding is **info**, ``required-variable``: "required from the environment: VAR".
- ``${VAR}`` / ``$VAR`` unset: the reader may supply it, else Compose reads an empty string. The file is
  checked twice: as the reader who sets nothing gets it (an empty value where Compose needs a number, a
  boolean, an image … is a **warning**, ``unset-variable``, in Compose's words), and with example values for
  everything else. Otherwise the finding is **info**: "read from the environment (empty when unset): VAR".

Every such finding ends with the variable's name, one finding per variable, at its first use; the hint lists
the lines that use it. ``site/status.py`` reads the names from there for the status line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from docs_examples.blocks.model import Block
from docs_examples.checks.compose import variables
from docs_examples.findings import Category, Finding, Severity
from docs_examples.yaml_loader import Document

TOOL = "docker-compose"
REQUIRED_RULE = "required-variable"
UNSET_RULE = "unset-variable"
# Variables that steer the tools themselves: never taken from a page or given a placeholder.
_RESERVED = frozenset({"PATH", "HOME", "LANG", "TMPDIR", "NO_COLOR", "SHELL", "USER", "PWD", "IFS", "ENV", "TERM"})
_RESERVED_PREFIXES = ("LC_", "LD_", "DYLD_", "GO", "COMPOSE_", "DOCKER_", "BUILDKIT_", "BUILDX_", "MALLOC_", "GLIBC")


def reserved(name: str) -> bool:
    """Whether ``name`` steers Compose or the process rather than the file (PATH, LD_PRELOAD, COMPOSE_*, …)."""
    upper = name.upper()
    return upper in _RESERVED or upper.startswith(_RESERVED_PREFIXES) or upper.endswith("_PROXY")


@dataclass(slots=True)
class Plan:
    """The variables of one block and the environments Compose is run with."""

    page: dict[str, str]  # data-env values the Compose file uses
    required: dict[str, list[variables.Use]] = field(default_factory=dict)
    optional: dict[str, list[variables.Use]] = field(default_factory=dict)  # bare ${VAR}, unset
    values: dict[str, str] = field(default_factory=dict)  # what Compose is given for each of them
    problems: list[Finding] = field(default_factory=list)  # data-env entries that cannot be used
    warned: set[str] = field(default_factory=set)  # optional variables an empty value breaks

    @classmethod
    def of(cls, documents: list[Document], page: Mapping[str, str], known: set[str]) -> Plan:
        """The plan for ``documents``, given the page's values and the names set otherwise (``.env``, tools)."""
        by_name: dict[str, list[variables.Use]] = defaultdict(list)
        for use in variables.uses(documents):
            by_name[use.name].append(use)
        plan = cls(page={})
        for name, value in page.items():
            if reserved(name):
                plan.problems.append(_directive(f"data-env cannot set {name}: it steers the tools, not the file"))
            elif name not in by_name:
                plan.problems.append(_directive(f"data-env sets {name}, which this Compose file does not use"))
            else:
                plan.page[name] = value
        for name, found in by_name.items():
            if name in known or reserved(name):
                continue
            if any(u.op in variables.REQUIRED for u in found):
                plan.required[name] = found
            elif any(u.op == "" for u in found):
                plan.optional[name] = found
            else:
                continue
            plan.values[name] = plan.page.get(name) or variables.placeholder([u.kind for u in found])
        return plan

    def environment(self, *, empty_optional: bool) -> dict[str, str]:
        """What Compose is given: every value, or all but the optional ones the page does not set."""
        if not empty_optional:
            return {**self.page, **self.values}
        keep = {n: v for n, v in self.values.items() if n in self.required or n in self.page}
        return {**self.page, **keep}

    @property
    def empty_run_needed(self) -> bool:
        """Whether an optional variable is left to the reader (so the empty case must be checked too)."""
        return any(name not in self.page for name in self.optional)

    def uses_on(self, line: int | None) -> list[str]:
        """Variables given a value by this plan that are used on block line ``line``."""
        names = {**self.required, **self.optional}
        return [n for n, found in names.items() if any(u.line == line for u in found)]

    # -- findings ---------------------------------------------------------------------------------------

    def notes(self, block: Block) -> list[Finding]:
        """One info finding per variable the reader supplies, at its first use."""
        out = []
        for name, found in self.required.items():
            out.append(self._note(block, REQUIRED_RULE, f"required from the environment: {name}", name, found))
        for name, found in self.optional.items():
            if name not in self.warned:
                message = f"read from the environment (empty when unset): {name}"
                out.append(self._note(block, UNSET_RULE, message, name, found))
        return out

    def _note(self, block: Block, rule: str, message: str, name: str, found: list[variables.Use]) -> Finding:
        source = "the example value from data-env" if name in self.page else "a placeholder"
        hint = f"used on {_lines(block, found)}; checked with {name}={self.values[name]!r} ({source})"
        if rule == UNSET_RULE:
            hint += f"; to make it required say ${{{name}:?message}}, or give a default: ${{{name}:-value}}"
        return Finding(TOOL, rule, Severity.INFO, message, line=found[0].line, hint=hint)

    def empty_value(self, finding: Finding) -> Finding:
        """A failure that only happens when the optional variables are empty: a warning about them."""
        names = [n for n in self.uses_on(finding.line) if n in self.optional and n not in self.page]
        names = names or [n for n in self.optional if n not in self.page]
        self.warned.update(names)
        subject = f"{names[0]} is" if len(names) == 1 else f"{', '.join(names)} are"
        first = names[0]
        return finding.moved(
            rule=UNSET_RULE,
            severity=Severity.WARNING,
            message=f"when {subject} not set, Compose reads an empty value and fails: {finding.message}",
            hint=f"give it a default (${{{first}:-value}}) or require it (${{{first}:?message}})",
        )

    def placeholder_hint(self, finding: Finding) -> Finding:
        """A Compose error on a line whose variable was given a placeholder: say so, and how to choose one."""
        names = [n for n in self.uses_on(finding.line) if n not in self.page]
        if not names or finding.severity is not Severity.ERROR:
            return finding
        given = ", ".join(f"{n}={self.values[n]!r}" for n in names)
        hint = f'checked with the placeholder {given}; give an example that fits with data-env="{names[0]}=…"'
        return finding.moved(hint=f"{finding.hint}; {hint}" if finding.hint else hint)


def _lines(block: Block, found: list[variables.Use]) -> str:
    """``line 12`` / ``lines 12, 15`` in the block's own file; ``file:line`` where uses span files."""
    origins = []
    for line in sorted({u.line for u in found}):
        origin = block.origin(line)
        origins.append((origin.file, origin.line))
    files = {f for f, _ in origins}
    if len(files) == 1:
        numbers = ", ".join(str(n) for _, n in origins)
        return f"line{'s' if len(origins) > 1 else ''} {numbers}"
    return ", ".join(f"{f}:{n}" for f, n in origins)


def _directive(message: str) -> Finding:
    return Finding(TOOL, "invalid-data-env", Severity.ERROR, message, line=0, category=Category.DIRECTIVE)
