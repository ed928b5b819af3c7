"""One cause, one finding: where a build check and a hadolint rule report the same thing, merge them.

Docker's build checks and hadolint overlap (a shell-form ``CMD`` is both ``buildkit/JSONArgsRecommended``
and hadolint's ``DL3025``). Readers should see that once. :data:`EQUIVALENT` lists the pairs that mean the
same, and :func:`merge` runs once per block after all its checks: a build-check finding and an equivalent
finding of the other tool *about the same instruction* become one finding, which keeps the build-check
wording and Docker's link, takes the higher severity, and names the other rule in ``also`` (so
``data-expect`` may name either id). Findings whose partner is missing stay as they are: the rules differ
at the edges (hadolint flags every relative ``WORKDIR``, BuildKit only the first of a stage).

"The same instruction" is the same line for all pairs but the repeated-instruction ones: BuildKit reports
the ``CMD`` that is ignored, hadolint the one that repeats it, which is the next ``CMD`` of the stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docs_examples.checks.build_checks.lint import TOOL
from docs_examples.checks.build_checks.model import Dockerfile, load
from docs_examples.findings import Finding


def _same_line(_df: Dockerfile | None, line: int) -> int | None:
    return line


def _next_same_instruction(df: Dockerfile | None, line: int) -> int | None:
    """The line of the next instruction of the same keyword in the same stage (the one that overrides)."""
    for stage in df.stages if df is not None else ():
        for i, ins in enumerate(stage.commands):
            if ins.line == line:
                return next((later.line for later in stage.commands[i + 1 :] if later.keyword == ins.keyword), None)
    return None


@dataclass(frozen=True, slots=True)
class Equivalence:
    """``rule`` (a build check) means the same as ``other`` of ``tool``, reported at ``where(line)``."""

    rule: str
    tool: str
    other: str
    where: Callable[[Dockerfile | None, int], int | None] = _same_line


EQUIVALENT: tuple[Equivalence, ...] = (
    Equivalence("buildkit/JSONArgsRecommended", "hadolint", "DL3025"),
    Equivalence("buildkit/MaintainerDeprecated", "hadolint", "DL4000"),
    Equivalence("buildkit/WorkdirRelativePath", "hadolint", "DL3000"),
    Equivalence("buildkit/DuplicateStageName", "hadolint", "DL3024"),
    Equivalence("buildkit/FromPlatformFlagConstDisallowed", "hadolint", "DL3029"),
    Equivalence("buildkit/MultipleInstructionsDisallowed", "hadolint", "DL4003", _next_same_instruction),  # CMD
    Equivalence("buildkit/MultipleInstructionsDisallowed", "hadolint", "DL4004", _next_same_instruction),  # ENTRYPOINT
    Equivalence("buildkit/MultipleInstructionsDisallowed", "hadolint", "DL3012", _next_same_instruction),  # HEALTHCHECK
)


def merge(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` of one block (block-relative lines) with equivalent pairs merged, order kept."""
    if not any(f.tool == TOOL and f.rule.startswith("buildkit/") for f in findings):
        return list(findings)
    df = load(text)
    out = list(findings)
    gone: set[int] = set()
    for i, finding in enumerate(out):
        if finding.tool != TOOL or finding.line is None:
            continue
        for equivalence in EQUIVALENT:
            if equivalence.rule != finding.rule:
                continue
            line = equivalence.where(df, finding.line)
            j = next((k for k, f in enumerate(out) if k not in gone and _partner(f, equivalence, line)), None)
            if j is not None:
                finding = out[i] = _merged(finding, out[j])
                gone.add(j)
    return [f for k, f in enumerate(out) if k not in gone]


def _partner(f: Finding, equivalence: Equivalence, line: int | None) -> bool:
    return line is not None and f.tool == equivalence.tool and f.rule == equivalence.other and f.line == line


def _merged(primary: Finding, other: Finding) -> Finding:
    severity = max(primary.severity, other.severity, key=lambda s: s.rank)
    message = f"{primary.message} (also {other.tool} {other.rule}: {other.message})"
    return primary.moved(severity=severity, message=message, also=(*primary.also, other.rule))
