"""COPY/ADD sources of included Dockerfiles must exist in the folder the Dockerfile lives in."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples.blocks.model import Block, Kind, Origin
from docs_examples.checks.build_context import BuildContext, exists, ignore_rules, sources
from docs_examples.checks.buildkit import parse
from docs_examples.findings import Severity
from docs_examples.settings import Settings


def included(root: Path, relative: str, *, index: int = 0) -> Block:
    """A Dockerfile block included from ``relative`` under ``root``."""
    return included_block(root, relative, kind=Kind.DOCKERFILE, index=index)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    app = tmp_path / "snippets" / "app"
    (app / "src").mkdir(parents=True)
    (app / "src" / "main.py").write_text("print('hi')\n")
    (app / "requirements.txt").write_text("flask==3.0.0\n")
    (app / "config.yaml").write_text("a: 1\n")
    (app / "secret.env").write_text("X=1\n")
    (app / ".dockerignore").write_text("# keep secrets out\n*.env\n**/__pycache__\n")
    return tmp_path


def write_dockerfile(project: Path, text: str) -> Block:
    (project / "snippets" / "app" / "Dockerfile").write_text(text)
    return included(project, "snippets/app/Dockerfile")


def check(project: Path, block: Block) -> list:
    return BuildContext(Settings(root=project, cache_dir=None)).check([block])[block.id]


def test_existing_sources_pass(project: Path) -> None:
    block = write_dockerfile(
        project,
        "FROM python:3.13-slim AS build\n"
        "COPY requirements.txt src/ /app/\n"
        "COPY *.txt /tmp/\n"
        "COPY . /all\n"
        "COPY ../config.yaml /etc/\n"  # BuildKit keeps ../ inside the context
        'COPY ["src/main.py", "/app/main.py"]\n'
        "FROM python:3.13-slim\n"
        "COPY --from=build /app /app\n"
        "ADD https://example.com/tool.tar.gz /opt/\n"
        "ADD git@github.com:example/repo.git /src\n"
        "COPY <<EOF /etc/motd\nhello\nEOF\n"
        "ARG CONF=config.yaml\nCOPY $CONF /etc/\n",
    )
    assert check(project, block) == []


def test_missing_source_is_an_error_at_its_line(project: Path) -> None:
    block = write_dockerfile(project, "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt app.py ./\n")
    [finding] = check(project, block)
    assert (finding.rule, finding.severity, finding.line, finding.column) == (
        "missing-copy-source",
        Severity.ERROR,
        3,
        1,
    )
    assert "'app.py'" in finding.message and "snippets/app/" in finding.message
    located = block.locate(finding)
    assert (located.file, located.line) == ("snippets/app/Dockerfile", 3)


def test_glob_must_match_something(project: Path) -> None:
    block = write_dockerfile(project, "FROM alpine:3.20\nCOPY *.txt /a/\nADD conf/*.yaml /b/\n")
    assert [(f.line, f.rule) for f in check(project, block)] == [(3, "missing-copy-source")]


def test_dockerignore_excludes_sources(project: Path) -> None:
    block = write_dockerfile(project, "FROM alpine:3.20\nCOPY secret.env /run/\nCOPY *.env /run/\n")
    assert [f.line for f in check(project, block)] == [2, 3]
    rules = ignore_rules(project / "snippets" / "app")
    assert not exists(project / "snippets" / "app", "secret.env", rules)
    assert exists(project / "snippets" / "app", "src/main.py", rules)


def test_dockerignore_negation(project: Path) -> None:
    (project / "snippets" / "app" / ".dockerignore").write_text("*.env\n!secret.env\n")
    block = write_dockerfile(project, "FROM alpine:3.20\nCOPY secret.env /run/\n")
    assert check(project, block) == []


def test_sources_skip_stages_urls_heredocs_and_variables() -> None:
    commands = parse(
        "FROM a\nCOPY --from=b /x /y\nADD https://e.com/f /f\nCOPY <<EOF /m\nx\nEOF\nCOPY ${A} b c /d\n"
    ).commands
    assert [sources(c) for c in commands if c.cmd in ("COPY", "ADD")] == [[], [], [], ["b", "c"]]


def test_inline_dockerfile_is_not_context_checked(project: Path) -> None:
    block = make_block("FROM alpine:3.20\nCOPY nowhere.txt /\n", kind=Kind.DOCKERFILE)
    assert not BuildContext(Settings(root=project, cache_dir=None)).applies(block)


def test_block_mixing_inline_lines_and_an_include_is_not_context_checked(project: Path) -> None:
    block = write_dockerfile(project, "FROM alpine:3.20\nCOPY nowhere.txt /\n")
    block.origins = (Origin("docs/app.md", 21), *block.origins[1:])
    assert not BuildContext(Settings(root=project, cache_dir=None)).applies(block)


def test_syntax_errors_are_left_to_buildkit(project: Path) -> None:
    block = write_dockerfile(project, "FROM alpine:3.20\nRUN <<EOF\nnever closed\n")
    assert check(project, block) == []


def test_the_guides_own_dockerfile_has_its_context(root: Path) -> None:
    block = included(root, "snippets/app/Dockerfile")
    context = BuildContext(Settings(root=root, cache_dir=None))
    assert context.applies(block)
    assert context.check([block])[block.id] == []


@pytest.mark.slow
def test_corpus_build_contexts_are_intact(corpus: Path) -> None:
    """awesome-compose ships whole sample folders: every COPY/ADD source of its 35 Dockerfiles exists."""
    base = corpus / "awesome-compose"
    files = sorted(base.rglob("Dockerfile"))
    blocks = [included(base, f.relative_to(base).as_posix(), index=i) for i, f in enumerate(files)]
    context = BuildContext(Settings(root=base, cache_dir=None))
    assert len(blocks) == 35 and all(context.applies(b) for b in blocks)
    assert all(found == [] for found in context.check(blocks).values())
    checked = sum(len(sources(c)) for b in blocks for c in parse(b.text).commands if c.cmd in ("COPY", "ADD"))
    assert checked == 73  # measured: local sources the check really looked up
