"""A Dockerfile block without FROM is an excerpt: one note, and its lines are still checked by every tool.

BuildKit's parser, Docker's build checks and the hadolint binary run for real; the verdict is the default one.
"""

from __future__ import annotations

import dataclasses

from conftest import make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.build_checks import BuildKitChecks
from docs_examples.checks.buildkit import BuildKitSyntax, excerpt, syntax_findings
from docs_examples.checks.hadolint import Hadolint
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings

FAILS = (Severity.ERROR, Severity.WARNING)  # the default fail_on

SIDECAR = "WORKDIR /home/argocd/cmp-server/config/\nCOPY plugin.yaml ./\n"
TOOLS = "RUN apt-get update && apt-get install -y curl\nENV HELM_HOME /helm\nWORKDIR app\nrun echo ready\n"


def dockerfile(text: str, index: int = 0) -> Block:
    return make_block(text, kind=Kind.DOCKERFILE, language="dockerfile", index=index, fence_line=30)


def all_findings(settings: Settings, block: Block) -> list[Finding]:
    out: list[Finding] = []
    for check in (BuildKitSyntax(settings), BuildKitChecks(settings), Hadolint(settings)):
        out += check.check([block]).get(block.id, [])
    return out


def failing(findings: list[Finding]) -> set[tuple[str, int | None]]:
    return {(f.rule, f.line) for f in findings if f.severity in FAILS}


def test_lines_to_add_to_a_dockerfile_are_one_note(settings: Settings) -> None:
    found = all_findings(settings, dockerfile(SIDECAR))
    assert failing(found) == set()
    [note] = [f for f in found if f.severity is Severity.INFO]
    assert (note.tool, note.rule, note.line) == ("buildkit", "excerpt", 1)
    assert note.message == "excerpt without FROM: checked as lines of a Dockerfile"
    assert not any(f.rule in ("DL3061", "no-from") for f in found)


def test_every_other_finding_on_an_excerpt_still_counts(settings: Settings) -> None:
    found = all_findings(settings, dockerfile(TOOLS))
    assert failing(found) >= {
        ("DL3008", 1),  # hadolint: unpinned apt package
        ("buildkit/LegacyKeyValueFormat", 2),  # build check: ENV key value
        ("DL3000", 3),  # hadolint: relative WORKDIR
        ("buildkit/ConsistentInstructionCasing", 4),  # build check: `run` among upper-case keywords
    }
    # the first WORKDIR of the excerpt may follow one the page does not show: BuildKit's rule cannot decide
    assert ("buildkit/WorkdirRelativePath", 3) not in failing(found)
    assert [f.rule for f in found if f.severity is Severity.INFO and f.tool == "buildkit"] == ["excerpt"]


def test_syntax_errors_in_an_excerpt_still_fail_at_their_line() -> None:
    assert excerpt(SIDECAR) and not excerpt("FROM alpine:3.20\n" + SIDECAR) and not excerpt("RUN <<EOF\n")
    found = syntax_findings(SIDECAR + "COPPY a b\nCOPY only-one\n")
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("excerpt", 1, Severity.INFO),
        ("unknown-instruction", 3, Severity.ERROR),
        ("missing-arguments", 4, Severity.ERROR),
    ]


def test_an_instruction_before_a_from_that_is_shown_is_still_an_error(settings: Settings) -> None:
    found = all_findings(settings, dockerfile("RUN echo hi\nFROM alpine:3.20\nRUN echo there\n"))
    assert {("no-from", 1), ("DL3061", 1)} <= failing(found)


def test_with_the_syntax_check_off_hadolint_says_it_once(settings: Settings) -> None:
    off = dataclasses.replace(settings, disabled_checks=(*settings.disabled_checks, BuildKitSyntax.name))
    block = dockerfile(SIDECAR)
    found = Hadolint(off).check([block])[block.id]
    assert [(f.rule, f.severity, f.message) for f in found] == [
        ("DL3061", Severity.INFO, "excerpt without FROM: checked as lines of a Dockerfile")
    ]
