"""Docker's build checks (``docker build --check``) decided from the file: every rule, the ``# check=``
directive, the merge with hadolint, positions on a Markdown page, this site's Dockerfiles and the corpus.

Every Dockerfile here was written for this suite; the rules' behaviour is the one Docker's build-check
reference and BuildKit's own lint tests describe.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples import checks as registry
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.build_checks import BuildKitChecks, build_check_findings
from docs_examples.checks.build_checks.directive import check_config, directives, parse_check
from docs_examples.checks.build_checks.overlap import merge
from docs_examples.checks.build_checks.rules import RULES, RULES_BY_NAME, docs_rules_table
from docs_examples.checks.build_checks.words import BadSubstitution, expand, suggest, valid_image_reference
from docs_examples.findings import Finding, Severity, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.settings import Settings
from docs_examples.site import pages


def found(text: str, context: Path | None = None) -> list[tuple[str, int | None]]:
    """(rule, line) of every build-check finding, ``buildkit/`` dropped for readability."""
    return [(f.rule.removeprefix("buildkit/"), f.line) for f in build_check_findings(text, context)]


def messages(text: str) -> list[str]:
    return [f.message for f in build_check_findings(text)]


def dockerfile(text: str, **kwargs) -> Block:
    return make_block(text, kind=Kind.DOCKERFILE, language="dockerfile", **kwargs)


# -- every rule: its own failing and passing example ------------------------------------------------------------

EXAMPLES = [rule for rule in RULES if rule.bad]


@pytest.mark.parametrize("rule", EXAMPLES, ids=[r.name for r in EXAMPLES])
def test_each_rules_bad_example_breaks_it_and_the_good_one_passes(rule) -> None:
    bad = build_check_findings(rule.bad)
    assert rule.id in {f.rule for f in bad}
    assert all(f.severity is Severity.WARNING and f.hint == rule.url for f in bad if f.rule == rule.id)
    assert build_check_findings(rule.good) == []


def test_every_rule_of_dockers_reference_is_listed_once() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)) == 22
    assert {r.name for r in RULES if r.experimental} == {"CopyIgnoredFile", "InvalidDefinitionDescription"}
    assert [r.name for r in RULES if r.coverage == "not checked"] == ["InvalidBaseImagePlatform"]
    assert all(r.note for r in RULES if r.coverage != "checked")
    assert all(r.url.startswith("https://docs.docker.com/reference/build-checks/") for r in RULES)
    # Only the rule needing a context has no self-contained example (it is tested with a folder below).
    assert [r.name for r in RULES if not r.bad and r.coverage != "not checked"] == ["CopyIgnoredFile"]


# -- while parsing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:3.20 AS Build\n", [("StageNameCasing", 1)]),
        ("from alpine:3.20 AS build\n", [("FromAsCasing", 1)]),
        ("from alpine:3.20 as build\n", []),
        ("FROM alpine:3.20 as build\nFROM alpine:3.20 AS test\n", [("FromAsCasing", 1)]),
        # A mixed-case FROM is ConsistentInstructionCasing's finding, never a second one about AS.
        ("From alpine:3.20 as build\nFROM alpine:3.20\n", [("ConsistentInstructionCasing", 1)]),
    ],
)
def test_stage_name_and_as_casing(text: str, expected: list) -> None:
    assert found(text) == expected


def test_empty_continuation_is_reported_where_the_instruction_ends() -> None:
    text = "FROM alpine:3.20\nRUN set -e; \\\n\n    echo one; \\\n    \n    echo two\nRUN echo three\n"
    assert found(text) == [("NoEmptyContinuation", 6)]


def test_a_comment_inside_a_continuation_is_not_an_empty_line() -> None:
    assert found("FROM alpine:3.20\nRUN echo one \\\n    # why two\n    && echo two\n") == []


def test_empty_continuation_follows_the_escape_directive() -> None:
    text = "# escape=`\nFROM alpine:3.20\nRUN echo one `\n\n    && echo two\n"
    assert found(text) == [("NoEmptyContinuation", 5)]
    assert found(text.replace("`\n\n", "`\n")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from alpine:3.20\nCOPY a /a\ncopy b /b\n", [("ConsistentInstructionCasing", 2)]),
        ("FROM alpine:3.20\ncopy a /a\ncopy b /b\ncopy c /c\n", [("ConsistentInstructionCasing", 1)]),
        ("from alpine:3.20\ncopy a /a\n", []),
        # A tie goes to upper case.
        ("FROM alpine:3.20\ncopy a /a\n", [("ConsistentInstructionCasing", 2)]),
        # Global ARGs (before the first FROM) are neither counted nor checked.
        ("arg TAG=3.20\nFROM alpine:${TAG}\nCOPY a /a\n", []),
        ("FROM alpine:3.20\nRUN <<EOT\nenv\nEOT\n", []),
    ],
)
def test_consistent_instruction_casing(text: str, expected: list) -> None:
    assert found(text) == expected


def test_messages_name_the_keyword_as_written() -> None:
    assert messages("FROM alpine:3.20\ncopy a /a\n") == [
        "Command 'copy' should match the case of the command majority (uppercase)"
    ]


def test_maintainer() -> None:
    assert found("FROM alpine:3.20\nMAINTAINER Ops <ops@example.com>\n") == [("MaintainerDeprecated", 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:3.20\nEXPOSE 80/Tcp 443/tcp\n", [("ExposeProtoCasing", 2)]),
        ("FROM alpine:3.20\nEXPOSE 80 443/tcp 53/udp\n", []),
        ("FROM alpine:3.20\nEXPOSE 127.0.0.1:8080:80\n", [("ExposeInvalidFormat", 2)]),
        ("FROM alpine:3.20\nARG PORT=8080:80\nEXPOSE $PORT\n", [("ExposeInvalidFormat", 3)]),
        ("FROM alpine:3.20\nARG PORT=8080\nEXPOSE $PORT\n", []),
        # A port from a variable the base image may define is not judged.
        ("FROM alpine:3.20\nEXPOSE $PORT\n", []),
    ],
)
def test_expose(text: str, expected: list) -> None:
    assert found(text) == expected


# -- over the stages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:3.20 AS deps\nFROM alpine:3.20 AS Deps\n", [("DuplicateStageName", 2), ("StageNameCasing", 2)]),
        ("FROM alpine:3.20\nFROM alpine:3.20\n", []),
        ("FROM scratch AS scratch\n", [("ReservedStageName", 1)]),
        ("FROM scratch\nFROM scratch AS base\n", []),
    ],
)
def test_stage_names(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:${ALPINE}\n", ["FROM argument 'ALPINE' is not declared"]),
        ("FROM --platform=$BUILDPLATFORM alpine:3.20\n", []),
        (
            "FROM --platform=$BUILDPLATOFRM alpine:3.20\n",
            ["FROM argument 'BUILDPLATOFRM' is not declared (did you mean BUILDPLATFORM?)"],
        ),
        (
            "ARG GO_VERSION=1.23\nFROM golang:${GO_VERSON}\n",
            ["FROM argument 'GO_VERSON' is not declared (did you mean GO_VERSION?)"],
        ),
        # Declared without a default is declared: the value may come from --build-arg.
        ("ARG SUFFIX\nFROM alpine:3.20${SUFFIX}\n", []),
        ("ARG SUFFIX\nFROM alpine:3.${SUFFIX:-20}\n", []),
        ("ARG TAG=3.20\nFROM alpine:${TAG}${VARIANT}\n", ["FROM argument 'VARIANT' is not declared"]),
    ],
)
def test_undefined_arg_in_from(text: str, expected: list) -> None:
    assert [m for m in messages(text) if m.startswith("FROM argument")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ARG IMAGE\nFROM $IMAGE\n", [("InvalidDefaultArgInFrom", 2)]),
        ('ARG SUFFIX="box:"\nFROM busy${SUFFIX}\n', [("InvalidDefaultArgInFrom", 2)]),
        ('ARG VARIANT=""\nFROM busybox:stable${VARIANT}\n', []),
        ("ARG VARIANT\nFROM busybox:stable${VARIANT}\n", []),
        ("ARG IMAGE=python:3.13-slim\nFROM ${IMAGE} AS build\nFROM build\n", []),
        ("FROM registry.example.com:5000/team/app@sha256:" + "a" * 64 + "\n", []),
    ],
)
def test_invalid_default_arg_in_from(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM --platform=${TARGETPLATFORM} alpine:3.20\n", [("RedundantTargetPlatform", 1)]),
        ("FROM --platform=$TARGETOS/$TARGETARCH alpine:3.20\n", []),
        ("FROM --platform=linux/amd64 alpine:3.20\n", [("FromPlatformFlagConstDisallowed", 1)]),
        ("FROM --platform=linux/amd64 alpine:3.20 AS build-amd64\n", []),
        ("FROM --platform=linux/amd64 alpine:3.20 AS linux-tools\n", []),
        ("ARG PLATFORM=linux/arm64\nFROM --platform=$PLATFORM alpine:3.20\n", []),
        # A global ARG may redefine the predefined one: it is still the default it spells out.
        (
            "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM alpine:3.20\n",
            [("RedundantTargetPlatform", 2)],
        ),
    ],
)
def test_platform_flag(text: str, expected: list) -> None:
    assert found(text) == expected


# -- while dispatching ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:3.20\nCMD echo hi\n", [("JSONArgsRecommended", 2)]),
        ("FROM alpine:3.20\nENTRYPOINT exec app\n", [("JSONArgsRecommended", 2)]),
        ('FROM alpine:3.20\nSHELL ["/bin/ash", "-c"]\nCMD echo hi\n', []),
        ('FROM alpine:3.20 AS base\nSHELL ["/bin/ash", "-c"]\nFROM base\nENTRYPOINT exec app\n', []),
        # The SHELL has to come first: the CMD was already recorded with the default shell.
        ('FROM alpine:3.20\nCMD echo hi\nSHELL ["/bin/ash", "-c"]\n', [("JSONArgsRecommended", 2)]),
        ("FROM alpine:3.20\nHEALTHCHECK CMD wget -q -O- http://localhost/\n", []),
    ],
)
def test_json_args_recommended(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:3.20\nWORKDIR srv/\nWORKDIR data\n", [("WorkdirRelativePath", 2)]),
        ("FROM alpine:3.20 AS base\nWORKDIR /srv\nFROM base\nWORKDIR data\n", []),
        ("FROM alpine:3.20\nARG DIR=/srv\nWORKDIR $DIR\n", []),
        ("FROM alpine:3.20\nARG DIR=srv\nWORKDIR $DIR\n", [("WorkdirRelativePath", 3)]),
        # A path from a variable only the base image could define is not judged ...
        ("FROM alpine:3.20\nWORKDIR $APP_HOME\n", []),
        # ... but on scratch nothing can define it: it expands to "" (and is undefined).
        ("FROM scratch\nWORKDIR $APP_HOME\n", [("UndefinedVar", 2), ("WorkdirRelativePath", 2)]),
    ],
)
def test_workdir_relative_path(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # BuildKit never expands RUN, CMD and ENTRYPOINT arguments: the shell does (or nothing, in exec form).
        ('FROM scratch\nRUN echo $HOME\nCMD echo $HOME\nENTRYPOINT ["echo", "$HOME"]\n', []),
        ("FROM scratch\nCOPY $SRC /app/\nARG SRC=app\n", ["Usage of undefined variable '$SRC'"]),
        ("FROM scratch\nARG SRC\nCOPY $SRC /app/\n", []),
        # A global ARG is not in a stage's scope until the stage declares it again.
        ("ARG SRC=app\nFROM scratch\nCOPY $SRC /app/\n", ["Usage of undefined variable '$SRC'"]),
        ("ARG SRC=app\nFROM scratch\nARG SRC\nCOPY $SRC /app/\n", []),
        # One ENV instruction cannot use a name it defines itself.
        ("FROM scratch\nENV A=1 B=$A\n", ["Usage of undefined variable '$A'"]),
        ("FROM scratch\nENV A=1\nENV B=$A\n", []),
        ("FROM alpine:3.20\nENV PATH=$PAHT:/opt/bin\n", ["Usage of undefined variable '$PAHT' (did you mean $PATH?)"]),
        # A base image may define names the file does not: only a near miss of a defined name is reported.
        ("FROM node:24-alpine\nENV NODE_PATH=$NODE_HOME/lib\n", []),
        (
            "FROM alpine:3.20\nARG CACHE_DIR=/cache\nRUN --mount=type=cache,target=$CACHE_DRI make\n",
            ["Usage of undefined variable '$CACHE_DRI' (did you mean $CACHE_DIR?)"],
        ),
        # Heredoc files of COPY are expanded unless the delimiter is quoted; RUN heredocs belong to the shell.
        ("FROM scratch\nCOPY <<EOF /etc/app.conf\nhome=$APP_HOME\nEOF\n", ["Usage of undefined variable '$APP_HOME'"]),
        ("FROM scratch\nCOPY <<'EOF' /etc/app.conf\nhome=$APP_HOME\nEOF\n", []),
        ("FROM alpine:3.20\nRUN <<EOF\necho $APP_HOME\nEOF\n", []),
        (
            "FROM scratch\nLABEL version=\"$VERSION\" quoted='$NOT_EXPANDED'\n",
            ["Usage of undefined variable '$VERSION'"],
        ),
        ("FROM scratch\nUSER ${APP_UID:-10001}\n", ["Usage of undefined variable '$APP_UID'"]),
        ("FROM scratch\nCOPY \\$LITERAL /app/\n", []),
    ],
)
def test_undefined_var(text: str, expected: list) -> None:
    assert [m for m in messages(text) if m.startswith("Usage of")] == expected


def test_undefined_var_follows_stages_built_on_scratch() -> None:
    text = "FROM scratch AS base\nENV APP=/app\nFROM base\nCOPY run.sh $APP/\nCOPY run.sh $APPS/\n"
    assert messages(text) == ["Usage of undefined variable '$APPS' (did you mean $APP?)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]\n', [2, 3]),
        ('FROM alpine:3.20\nENTRYPOINT ["a"]\nRUN true\nENTRYPOINT ["b"]\n', [2]),
        ('FROM alpine:3.20\nHEALTHCHECK NONE\nHEALTHCHECK CMD ["true"]\n', [2]),
        ('FROM alpine:3.20 AS base\nCMD ["a"]\nFROM base\nCMD ["b"]\n', []),
    ],
)
def test_multiple_instructions_are_reported_where_the_ignored_one_is(text: str, expected: list) -> None:
    assert [line for rule, line in found(text) if rule == "MultipleInstructionsDisallowed"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine:3.20\nENV MODE production\nLABEL team platform\n", [2, 3]),
        ('FROM alpine:3.20\nENV MODE=production\nLABEL team="platform tools"\n', []),
        ('FROM alpine:3.20\nLABEL "com.example.team"="platform"\n', []),
        ("FROM alpine:3.20\nENV GREETING hello world\n", [2]),
    ],
)
def test_legacy_key_value_format(text: str, expected: list) -> None:
    assert [line for rule, line in found(text) if rule == "LegacyKeyValueFormat"] == expected


def test_secret_looking_names() -> None:
    text = (
        "ARG GLOBAL_TOKEN\n"  # global ARGs are not dispatched: not reported
        "FROM alpine:3.20\n"
        "ARG DB_PASSWORD\n"
        "ENV Api_Secret=x\n"
        "ENV auth=x apikey=y keyboard=z\n"
        "ARG github_access_token=1 build_date=2\n"
        "ENV SSH_KEY=\n"
        "ENV PUBLIC_KEY=abc\n"
        "ARG public_token\n"
        "LABEL secret=no\n"  # labels are not checked
    )
    assert [m.split("(")[1].rstrip(")") for m in messages(text)] == [
        'ARG "DB_PASSWORD"',
        'ENV "Api_Secret"',
        'ENV "auth"',
        'ENV "apikey"',
        'ARG "github_access_token"',
        'ENV "SSH_KEY"',
    ]


# -- experimental rules ---------------------------------------------------------------------------------------


@pytest.fixture
def context(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    (tmp_path / ".env").write_text("TOKEN=x\n", encoding="utf-8")
    (tmp_path / ".dockerignore").write_text(".env\n**/__pycache__\n", encoding="utf-8")
    return tmp_path


def test_copy_ignored_file_runs_only_when_enabled(context: Path) -> None:
    body = (
        "FROM python:3.13-slim\nCOPY app/ /app/\nCOPY .env /app/.env\nADD ./.env /etc/app.env\n"
        "COPY --from=build /.env /x\n"
    )
    assert found(body, context) == []
    enabled = "# check=experimental=CopyIgnoredFile\n" + body
    assert found(enabled, context) == [("CopyIgnoredFile", 4), ("CopyIgnoredFile", 5)]
    assert messages_with(enabled, context)[0] == 'Attempting to Copy file ".env" that is excluded by .dockerignore'
    # skip=all does not silence an experimental rule that is enabled by name (as in BuildKit).
    assert found("# check=skip=all;experimental=CopyIgnoredFile\n" + body, context) == [
        ("CopyIgnoredFile", 4),
        ("CopyIgnoredFile", 5),
    ]
    assert found(enabled, None) == []  # an inline Dockerfile has no build context


def messages_with(text: str, context: Path) -> list[str]:
    return [f.message for f in build_check_findings(text, context)]


def test_copy_ignored_file_through_the_check_on_an_included_dockerfile(tmp_path: Path, context: Path) -> None:
    (context / "Dockerfile").write_text("# check=experimental=all\nFROM python:3.13-slim\nCOPY .env /app/\n")
    block = included_block(context.parent, f"{context.name}/Dockerfile", kind=Kind.DOCKERFILE)
    settings = Settings(root=context.parent, cache_dir=None)
    [finding] = BuildKitChecks(settings).check([block])[block.id]
    assert (finding.rule, finding.line) == ("buildkit/CopyIgnoredFile", 3)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# base is the runtime\nFROM alpine:3.20 AS base\n# VERSION of the tool\nARG VERSION=1\n", []),
        (
            "# the runtime\nFROM alpine:3.20 AS base\n",
            ["Comment for FROM should follow the format: `# base <description>`"],
        ),
        ("# a note\n\nFROM alpine:3.20 AS base\n", []),  # a blank line separates
        ("# a note\n#\nFROM alpine:3.20 AS base\n", []),  # so does an empty comment
        ("# a note\nFROM alpine:3.20\n", []),  # an unnamed stage has nothing to describe
        (
            "FROM alpine:3.20\n# a note\nARG A=1 B=2\n",
            ["Comment for ARG should follow the format: `# <arg_key> <description>`"],
        ),
        ("FROM alpine:3.20\n# B is the second one\nARG A=1 B=2\n", []),
        ("FROM alpine:3.20\n# a note\nCOPY a /a\n", []),
    ],
)
def test_invalid_definition_description(body: str, expected: list) -> None:
    assert messages("# check=experimental=InvalidDefinitionDescription\n" + body) == expected
    assert messages(body) == []  # experimental: off unless enabled


# -- the check directive ----------------------------------------------------------------------------------------

CASES = "FROM alpine:3.20 as base\ncopy app /app\n"  # FromAsCasing (1) and ConsistentInstructionCasing (2)


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("", [("FromAsCasing", 1), ("ConsistentInstructionCasing", 2)]),
        ("# syntax=docker/dockerfile:1\n", [("FromAsCasing", 2), ("ConsistentInstructionCasing", 3)]),
        ("# check=skip=all\n", []),
        ("#check=skip=ConsistentInstructionCasing,FromAsCasing\n", []),
        ("# check=skip=ConsistentInstructionCasing\n", [("FromAsCasing", 2)]),
        ("# check = skip = FromAsCasing ; error = false\n", [("ConsistentInstructionCasing", 3)]),
        ("# CHECK=skip=all\n", []),  # directive names are read without case ...
        # ... rule names with it (and the unknown names are infos of their own).
        (
            "# check=skip=fromascasing\n",
            [("check-directive", 1), ("FromAsCasing", 2), ("ConsistentInstructionCasing", 3)],
        ),
    ],
)
def test_skip(directive: str, expected: list) -> None:
    assert found(directive + CASES) == expected


def test_error_true_makes_every_finding_an_error() -> None:
    findings = build_check_findings("# check=error=true\n" + CASES)
    assert [f.severity for f in findings] == [Severity.ERROR, Severity.ERROR]
    assert all(f.severity is Severity.WARNING for f in build_check_findings("# check=error=false\n" + CASES))
    assert build_check_findings("# check=skip=all;error=true\n" + CASES) == []


@pytest.mark.parametrize(
    "text",
    [
        "\n# check=skip=all\n" + CASES,  # after a blank line it is a comment
        "# a comment\n# check=skip=all\n" + CASES,  # after a comment too
        "FROM alpine:3.20\n# check=skip=all\ncopy app /app\n",  # and after an instruction
        "  # check=skip=all\n" + CASES,  # leading space: not a directive for the checks
        "# unknown=1\n# check=skip=all\n" + CASES,  # an unknown name ends the directives
        "# check=skip=FromAsCasing\n# check=skip=all\n" + CASES,  # repeated: the first one counts
    ],
)
def test_directive_position_rules(text: str) -> None:
    assert found(text) != []


def test_directives_after_shebang_bom_and_syntax() -> None:
    assert found("#!/usr/bin/env -S docker build . -f\n# check=skip=all\n" + CASES) == []
    assert found("\ufeff# syntax=docker/dockerfile:1\n# check=skip=all\n" + CASES) == []
    assert directives("# syntax=docker/dockerfile:1\n# escape=`\n# check=error=true\nFROM x\n").keys() == {
        "syntax",
        "escape",
        "check",
    }


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("skip", "invalid check option 'skip'"),
        ("ignore=all", "invalid check option 'ignore'"),
        ("error=maybe", "failed to parse check option 'error=maybe': not a boolean"),
    ],
)
def test_a_malformed_check_directive_fails_like_buildkit(value: str, problem: str) -> None:
    assert parse_check(value).problem == problem
    [finding] = build_check_findings(f"# check={value}\n" + CASES)
    assert (finding.rule, finding.line, finding.severity) == ("check-directive", 1, Severity.ERROR)
    assert problem in finding.message


def test_a_frontend_without_checks_ignores_even_a_malformed_directive() -> None:
    [info] = build_check_findings("# syntax=docker/dockerfile:1.4\n# check=skip\n" + CASES)
    assert info.rule == "no-build-checks"


def test_check_options_as_buildkit_splits_them() -> None:
    config = parse_check(" skip = A , B ; error = 1 ; experimental = all ")
    assert config.skip == {"A", "B"} and config.error and config.experimental_all and config.problem is None
    assert parse_check("error=T").error and not parse_check("error=False").error
    assert check_config(CASES).line is None


def test_an_unknown_rule_name_is_an_info_with_a_suggestion() -> None:
    findings = build_check_findings("# check=skip=JSONArgsRecomended\nFROM alpine:3.20\nCMD run\n")
    [info] = [f for f in findings if f.rule == "check-directive"]
    assert info.severity is Severity.INFO and info.hint == "did you mean `JSONArgsRecommended`?"
    assert ("buildkit/JSONArgsRecommended", 3) in [(f.rule, f.line) for f in findings]  # not skipped


def test_the_environment_never_reaches_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real build lets the BUILDKIT_DOCKERFILE_CHECK build argument override the directive; a page's
    verdict must not depend on the machine that builds the site."""
    monkeypatch.setenv("BUILDKIT_DOCKERFILE_CHECK", "skip=all")
    monkeypatch.setenv("DOCKER_BUILDKIT", "1")
    assert found(CASES) == [("FromAsCasing", 1), ("ConsistentInstructionCasing", 2)]


@pytest.mark.parametrize(
    ("syntax", "runs"),
    [
        ("docker/dockerfile:1", True),
        ("docker/dockerfile:1.8", True),
        ("docker/dockerfile:1-labs", True),
        ("docker.io/docker/dockerfile:1.12.1", True),
        ("docker/dockerfile:1.7-labs", False),
        ("docker/dockerfile:1.4", False),
        ("docker/dockerfile:1.4.3@sha256:" + "b" * 64, False),
    ],
)
def test_a_frontend_older_than_1_8_runs_no_checks(syntax: str, runs: bool) -> None:
    findings = build_check_findings(f"# syntax={syntax}\n" + CASES)
    if runs:
        assert [f.rule for f in findings] == ["buildkit/FromAsCasing", "buildkit/ConsistentInstructionCasing"]
    else:
        [info] = findings
        assert (info.rule, info.severity, info.line) == ("no-build-checks", Severity.INFO, 1)


def test_a_file_buildkit_cannot_parse_gets_no_build_checks() -> None:
    assert build_check_findings("FROM alpine:3.20 as b\nCOPPY a /a\n") == []
    assert build_check_findings("FROM alpine:3.20\nRUN <<EOF\nnever closed\n") == []


# -- words ----------------------------------------------------------------------------------------------------


def test_expansion_records_what_it_looked_up() -> None:
    e = expand("${A:-$B}-\"$C\"-'$D'-\\$E-${F#x}", {"A": "a", "C": "c", "F": "xf"})
    assert (e.result, e.matched, e.unmatched) == ("a-c-$D-$E-f", {"A", "C", "F"}, {"B"})
    assert expand("${V%%.*}.${V#*.}", {"V": "1.2.3"}).result == "1.2.3"
    assert expand("${V//./-}", {"V": "1.2.3"}).result == "1-2-3"
    with pytest.raises(BadSubstitution):
        expand("${MISSING:?set it}", {})
    with pytest.raises(BadSubstitution):
        expand("${}", {})


def test_suggestions_and_image_references() -> None:
    assert suggest("PAHT", ["HOME", "PATH"]) == "PATH"
    assert suggest("GOPATH", ["GOARCH"]) is None  # three edits away: no guess
    assert all(map(valid_image_reference, ["alpine", "alpine:3.20", "ghcr.io/a/b:1", "localhost:5000/x", "scratch"]))
    assert not any(map(valid_image_reference, ["", "alpine:", "Alpine", "a b", "x:" + "y" * 200, "a" * 64]))


# -- one cause, one finding -------------------------------------------------------------------------------------


def test_merge_table_pairs_same_cause_only() -> None:
    text = 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nWORKDIR app\nWORKDIR sub\n'
    ours = [
        Finding("buildkit", "buildkit/MultipleInstructionsDisallowed", Severity.WARNING, "m", line=2),
        Finding("buildkit", "buildkit/WorkdirRelativePath", Severity.WARNING, "w", line=4),
    ]
    theirs = [
        Finding("hadolint", "DL4003", Severity.WARNING, "multiple CMD", line=3),
        Finding("hadolint", "DL3000", Severity.ERROR, "absolute WORKDIR", line=4),
        Finding("hadolint", "DL3000", Severity.ERROR, "absolute WORKDIR", line=5),  # BuildKit: not the first
    ]
    merged = merge(text, ours + theirs)
    assert [(f.rule, f.also, f.line, f.severity) for f in merged] == [
        ("buildkit/MultipleInstructionsDisallowed", ("DL4003",), 2, Severity.WARNING),
        ("buildkit/WorkdirRelativePath", ("DL3000",), 4, Severity.ERROR),
        ("DL3000", (), 5, Severity.ERROR),
    ]
    assert merged[1].message == "w (also hadolint DL3000: absolute WORKDIR)"
    assert merged[1].rules == ("buildkit/WorkdirRelativePath", "DL3000")
    assert merge(text, theirs) == theirs


def test_a_merged_finding_keeps_its_ids_through_json() -> None:
    finding = Finding("buildkit", "buildkit/JSONArgsRecommended", Severity.WARNING, "m", line=3, also=("DL3025",))
    assert finding.to_dict()["also"] == ["DL3025"]
    assert Finding.from_dict(finding.to_dict()) == finding
    with pytest.raises(TypeError):
        Finding.from_dict({**finding.to_dict(), "also": "DL3025"})
    assert "also" not in Finding("hadolint", "DL3007", Severity.WARNING, "m").to_dict()


PAGE = """\
# Images

=== "Anti-patterns"

    ```dockerfile title="Dockerfile"
    FROM alpine:3.20
    MAINTAINER ops@example.com
    WORKDIR app
    CMD ["a"]
    CMD echo "b"
    ```
"""


@pytest.fixture
def page_settings(tmp_path: Path) -> Settings:
    return Settings(root=Path(__file__).resolve().parents[1], cache_dir=None)


def run_page(settings: Settings, source: str) -> list:
    report = Pipeline(settings, only=["dockerfile-syntax", "buildkit-checks", "hadolint"]).run(
        [Page("docs/p.md", source)]
    )
    return report.results


def test_overlapping_causes_are_one_finding_located_on_the_page(page_settings: Settings) -> None:
    [result] = run_page(page_settings, PAGE)
    assert result.status is Status.FAILED
    ours = [(f.rule, f.also, f.file, f.line, f.column) for f in result.findings if f.tool == "buildkit"]
    assert ours == [
        ("buildkit/MaintainerDeprecated", ("DL4000",), "docs/p.md", 7, 5),
        ("buildkit/WorkdirRelativePath", ("DL3000",), "docs/p.md", 8, 5),
        ("buildkit/MultipleInstructionsDisallowed", ("DL4003",), "docs/p.md", 9, 5),
        ("buildkit/JSONArgsRecommended", ("DL3025",), "docs/p.md", 10, 5),
    ]
    hadolint = {f.rule for f in result.findings if f.tool == "hadolint"}
    assert not hadolint & {"DL4000", "DL3000", "DL4003", "DL3025"}
    maintainer = result.findings[0]
    assert maintainer.severity is Severity.ERROR  # hadolint's DL4000 is an error: the higher one wins
    assert maintainer.hint == RULES_BY_NAME["MaintainerDeprecated"].url


@pytest.mark.parametrize("expect", ["DL3025", "buildkit/JSONArgsRecommended"])
def test_expect_fail_may_name_either_id(page_settings: Settings, expect: str) -> None:
    source = (
        f'```{{ .dockerfile data-check="expect-fail" data-expect="{expect}" }}\n'
        "FROM alpine:3.20\nUSER 10001\nCMD node server.js\n```\n"
    )
    [result] = run_page(page_settings, source)
    assert result.status is Status.EXPECTED_FAILURE, result.findings


def test_an_included_dockerfile_is_located_in_its_snippet(root: Path) -> None:
    settings = Settings(root=root, cache_dir=None)
    block = included_block(root, "snippets/app/Dockerfile", kind=Kind.DOCKERFILE)
    block.text = block.text.replace('CMD ["python", "-m", "app"]', "CMD python -m app")
    [finding] = BuildKitChecks(settings).check([block])[block.id]
    located = block.locate(finding)
    assert (located.file, located.rule) == ("snippets/app/Dockerfile", "buildkit/JSONArgsRecommended")
    assert block.lines[located.line - 1] == "CMD python -m app"


# -- this site, and real Dockerfiles ------------------------------------------------------------------------------


def test_every_dockerfile_on_this_site_passes_the_build_checks(root: Path) -> None:
    settings = Settings(root=root, cache_dir=None, snippet_paths=[root, root / "snippets"])
    docs = sorted((root / "docs").rglob("*.md"))
    report = Pipeline(settings, only=["dockerfile-syntax", "buildkit-checks"]).run(
        [Page(p.relative_to(root).as_posix(), p.read_bytes(), p) for p in docs]
    )
    dockerfiles = [r for r in report.results if r.block.kind is Kind.DOCKERFILE]
    assert len(dockerfiles) >= 6
    assert all(any(run.check == "buildkit-checks" for run in r.checks) for r in dockerfiles)
    unmarked = [
        (r.block.page, f.line, f.rule)
        for r in dockerfiles
        for f in r.findings
        if f.rule.startswith("buildkit/") and r.status is not Status.EXPECTED_FAILURE
    ]
    assert unmarked == []
    assert build_check_findings((root / "snippets/app/Dockerfile").read_text(encoding="utf-8")) == []


# Reviewed one by one against the files: what Docker's build checks say about awesome-compose's 35
# Dockerfiles. As published, 27 pin `# syntax=docker/dockerfile:1.4`, a frontend without build checks.
CORPUS_AS_IS = {
    "aspnet-mssql/app/aspnetapp": [("FromAsCasing", 2)],  # `FROM … as build`
    **{
        folder: [("no-build-checks", 1)]
        for folder in (
            "angular/angular", "apache-php/app", "django/app", "fastapi", "flask-redis", "flask/app",
            "nginx-aspnet-mysql/backend", "nginx-flask-mongo/flask", "nginx-flask-mysql/backend",
            "nginx-golang-mysql/backend", "nginx-golang-postgres/backend", "nginx-golang/backend",
            "react-express-mongodb/backend", "react-express-mongodb/frontend", "react-express-mysql/backend",
            "react-express-mysql/frontend", "react-java-mysql/backend", "react-java-mysql/frontend", "react-nginx",
            "react-rust-postgres/backend", "react-rust-postgres/frontend", "sparkjava-mysql/backend",
            "sparkjava/sparkjava", "spring-postgres/backend", "traefik-golang/backend", "vuejs/vuejs",
        )
    },
}  # fmt: skip

# The same files with the pin moved to `docker/dockerfile:1` (same line count), as a reader upgrading would.
# Every finding checked by hand: `as` after `FROM` (FromAsCasing), `ENV KEY value` (LegacyKeyValueFormat),
# `CMD java -jar /app.jar` (JSONArgsRecommended). Shell-form HEALTHCHECKs, `$PORT` from ARGs, `ENV USER=root`
# and the dev-envs stages built on other stages are rightly silent.
CORPUS_UPGRADED = {
    "angular/angular": [("FromAsCasing", 3), ("FromAsCasing", 16)],
    "apache-php/app": [("FromAsCasing", 3), ("FromAsCasing", 7)],
    "aspnet-mssql/app/aspnetapp": [("FromAsCasing", 2)],
    "django/app": [("FromAsCasing", 12)],
    "fastapi": [("FromAsCasing", 13)],
    "flask/app": [("FromAsCasing", 15)],
    "flask-redis": [("FromAsCasing", 15)],
    "nginx-aspnet-mysql/backend": [("FromAsCasing", 10), ("FromAsCasing", 16)],
    "nginx-flask-mongo/flask": [("FromAsCasing", 13)],
    "nginx-flask-mysql/backend": [("LegacyKeyValueFormat", n) for n in (11, 12, 13, 14)],
    "nginx-golang/backend": [*[("LegacyKeyValueFormat", n) for n in (6, 7, 8)], ("FromAsCasing", 22)],
    "nginx-golang-mysql/backend": [("LegacyKeyValueFormat", n) for n in (6, 7, 8)],
    "nginx-golang-postgres/backend": [*[("LegacyKeyValueFormat", n) for n in (6, 7, 8)], ("FromAsCasing", 22)],
    "react-express-mongodb/backend": [("FromAsCasing", 18)],
    "react-express-mongodb/frontend": [("FromAsCasing", 28)],
    "react-express-mysql/backend": [("LegacyKeyValueFormat", 9), ("LegacyKeyValueFormat", 15), ("FromAsCasing", 35)],
    "react-express-mysql/frontend": [("FromAsCasing", 20)],
    "react-java-mysql/backend": [("FromAsCasing", 11), ("FromAsCasing", 27)],
    "react-nginx": [("FromAsCasing", 28)],
    "react-rust-postgres/frontend": [("FromAsCasing", 15)],
    "sparkjava/sparkjava": [("JSONArgsRecommended", 31)],
    "sparkjava-mysql/backend": [("JSONArgsRecommended", 31)],
    "spring-postgres/backend": [("FromAsCasing", 26)],
    "traefik-golang/backend": [("FromAsCasing", 9)],
    "vuejs/vuejs": [("FromAsCasing", 14)],
}


def _corpus(corpus: Path, upgrade: bool) -> dict[str, list]:
    base = corpus / "awesome-compose"
    out = {}
    for path in sorted(base.rglob("Dockerfile")):
        text = path.read_text(encoding="utf-8")
        if upgrade:
            text = re.sub(r"^(#\s*syntax\s*=\s*docker/dockerfile:)1\.4$", r"\g<1>1", text, count=1, flags=re.M)
        if result := found(text, path.parent):
            out[path.parent.relative_to(base).as_posix()] = result
    return out


def test_awesome_compose_as_published(corpus: Path) -> None:
    assert len(list((corpus / "awesome-compose").rglob("Dockerfile"))) == 35
    assert _corpus(corpus, upgrade=False) == CORPUS_AS_IS


def test_awesome_compose_on_the_current_frontend(corpus: Path) -> None:
    assert _corpus(corpus, upgrade=True) == CORPUS_UPGRADED


# -- wiring ---------------------------------------------------------------------------------------------------


def test_registered_after_the_parser_with_a_label() -> None:
    names = list(registry.REGISTRY)
    assert names[names.index("dockerfile-syntax") + 1] == "buildkit-checks"
    check = BuildKitChecks(Settings(root=Path.cwd(), cache_dir=None))
    assert check.describe() == "BuildKit build checks"
    assert check.version().startswith("build checks 1 (dockerfile ")


def test_nothing_is_executed(runner_calls: list, settings: Settings) -> None:
    block = dockerfile('FROM alpine:3.20\nRUN echo "$(touch /tmp/never)"\nCMD rm -rf /\n')
    assert BuildKitChecks(settings).check([block])[block.id]  # it judged the block ...
    assert runner_calls == []  # ... without starting any program


def test_rules_table_on_the_checks_page_and_in_the_readme(root: Path) -> None:
    table = docs_rules_table()
    assert len(table.strip().splitlines()) == 2 + len(RULES)
    page = pages.checks_page({}, {}, ["1.37"], "warning", "0 blocks")
    assert "## Docker build checks" in page and table.strip() in page
    assert table in (root / "README.md").read_text(encoding="utf-8")


def test_rules_table_imports_nothing_heavy() -> None:
    code = (
        "import sys; from docs_examples.checks.build_checks.rules import docs_rules_table; docs_rules_table(); "
        "print(sorted(m for m in ('dockerfile', 'docs_examples.checks.kubernetes') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
