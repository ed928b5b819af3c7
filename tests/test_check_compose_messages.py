"""Every error Compose prints becomes one finding, at the line it is about (real ``docker-compose``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compose_cases import CASES
from conftest import included_block, make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.compose import ComposeConfig, messages
from docs_examples.checks.yaml_syntax import YamlSyntax
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings


def _check(settings: Settings, *texts: str) -> list[list[Finding]]:
    blocks = [make_block(t, kind=Kind.COMPOSE, index=i) for i, t in enumerate(texts)]
    found = ComposeConfig(settings).check(blocks)
    return [found.get(b.id, []) for b in blocks]


@pytest.fixture(scope="module")
def case_results() -> dict[str, list[Finding]]:
    """The whole table in one check run (concurrent, as the pipeline runs it)."""
    settings = Settings(root=Path(__file__).parent, cache_dir=None)
    results = _check(settings, *(text for _, text, _ in CASES))
    return {name: found for (name, _, _), found in zip(CASES, results, strict=True)}


@pytest.mark.parametrize(
    ("name", "expected"), [(name, expected) for name, _, expected in CASES], ids=[c[0] for c in CASES]
)
def test_each_compose_error_is_one_finding_at_its_line(
    case_results: dict[str, list[Finding]], name: str, expected: list[tuple[str, int]]
) -> None:
    found = case_results[name]
    assert [(f.rule, f.line) for f in found] == expected, [f.message for f in found]


def test_no_case_falls_back_to_line_one_or_leaks_a_path(case_results: dict[str, list[Finding]]) -> None:
    expected_first_lines = {name: {line for _, line in expected} for name, _, expected in CASES}
    for name, found in case_results.items():
        for f in found:
            assert f.line != 1 or 1 in expected_first_lines[name], (name, f.message)
            text = f"{f.message} {f.hint or ''}"
            assert "/tmp" not in text and "docs-examples-" not in text, (name, text)
            assert "API server" not in text, (name, text)


def test_messages_keep_composes_words(case_results: dict[str, list[Finding]]) -> None:
    by_case = {name: " | ".join(f.message for f in found) for name, found in case_results.items()}
    assert "dependency cycle detected: api -> cache -> worker -> api" in by_case["dependency-cycle"]
    assert "mutually exclusive `network_mode` and `networks`" in by_case["network-mode-with-networks"]
    assert "invalid interpolation format for services.web.command: 'echo ${}'" in by_case["empty-interpolation"]
    assert "has neither an image nor a build context" in by_case["neither-image-nor-build"]
    assert by_case["duplicate-key-second-service"] == 'mapping key "ports" already defined at line 4'
    assert "services.web.volumes[1]: invalid mount config" in by_case["bind-mount-without-source"]


def test_two_mutually_exclusive_keys_point_at_the_later_one(settings: Settings) -> None:
    first_networks = "services:\n  p:\n    image: traefik:3\n    networks: [edge]\n    network_mode: host\n"
    first_mode = "services:\n  p:\n    image: traefik:3\n    network_mode: host\n    networks: [edge]\n"
    a, b = _check(settings, first_networks + "networks:\n  edge: {}\n", first_mode + "networks:\n  edge: {}\n")
    assert [(f.rule, f.line) for f in a] == [("mutually-exclusive", 5)]
    assert [(f.rule, f.line) for f in b] == [("mutually-exclusive", 5)]


def test_repeated_yaml_boolean_warnings_each_find_their_own_value(settings: Settings) -> None:
    text = "services:\n  web:\n    image: nginx\n    tty: yes\n    stdin_open: yes\n"
    [found] = _check(settings, text)
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("yaml-boolean", Severity.WARNING, 4),
        ("yaml-boolean", Severity.WARNING, 5),
    ]


def test_include_cycle_keeps_the_word_cycle_and_sits_on_the_include(tmp_path: Path) -> None:
    app = tmp_path / "snippets" / "app"
    app.mkdir(parents=True)
    (app / "compose.yaml").write_text("include:\n  - more.yaml\nservices:\n  a:\n    image: nginx\n")
    (app / "more.yaml").write_text("include:\n  - compose.yaml\nservices:\n  b:\n    image: nginx\n")
    block = included_block(tmp_path, "snippets/app/compose.yaml", kind=Kind.COMPOSE)
    [finding] = ComposeConfig(Settings(root=tmp_path, cache_dir=None)).check([block])[block.id]
    assert (finding.rule, finding.line) == ("include-cycle", 2)
    assert finding.message.startswith("include cycle detected: snippets/app/compose.yaml → snippets/app/more.yaml")
    assert str(tmp_path) not in finding.message


def test_errors_in_an_included_file_sit_on_the_include_and_name_the_file(tmp_path: Path) -> None:
    app = tmp_path / "snippets" / "app"
    app.mkdir(parents=True)
    (app / "compose.yaml").write_text("services:\n  a:\n    image: nginx\ninclude:\n  - db.yaml\n")
    (app / "db.yaml").write_text("services:\n  db:\n    image: postgres:18\n    restartt: always\n")
    block = included_block(tmp_path, "snippets/app/compose.yaml", kind=Kind.COMPOSE)
    [finding] = ComposeConfig(Settings(root=tmp_path, cache_dir=None)).check([block])[block.id]
    assert (finding.rule, finding.line) == ("schema", 5)
    assert finding.message == "in snippets/app/db.yaml: services.db: additional property restartt is not allowed"


# -- cutting Compose's output into errors ---------------------------------------------------------------


def _stderr(settings: Settings, text: str) -> str:
    """What ``docker-compose config`` prints for ``text`` (the real binary, in an empty project)."""
    folder = settings.root
    (folder / "compose.yaml").write_text(text, encoding="utf-8")
    argv = [
        runner.find_tool("docker-compose"),
        "--project-directory",
        str(folder),
        "-f",
        "compose.yaml",
        "config",
        "-q",
    ]
    return runner.run(argv, timeout=60, cwd=folder).stderr


def test_records_keep_every_error_and_drop_only_the_decoding_header(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, cache_dir=None)
    text = (
        "services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n        limits:\n"
        "          memory: lots\n        reservations:\n          memory: some\n"
    )
    stderr = _stderr(settings, text)
    assert messages.DECODING_HEADER in stderr
    out = messages.records(stderr, lambda path, first: 1)
    assert len(out.errors) == 2
    assert all(e.startswith("'services[web].deploy.resources.") for e in out.errors)


def test_a_multi_line_error_is_one_record(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, cache_dir=None)
    stderr = _stderr(settings, "services:\n  web:\n    image: nginx\n    extends: web\n")
    out = messages.records(stderr, lambda path, first: 1)
    assert len(out.errors) == 1 and out.errors[0].startswith("Circular reference:\n")


def test_an_unknown_error_line_is_kept_even_when_it_ends_with_a_colon() -> None:
    out = messages.records("something Compose says:\nthe detail\n", lambda path, first: 1)
    assert out.errors == ["something Compose says:", "the detail"]


def test_the_yaml_checks_duplicate_key_speaks_of_compose_in_a_compose_block(settings: Settings) -> None:
    text = "services:\n  web:\n    image: nginx\n    image: redis\n"
    compose = make_block(text, kind=Kind.COMPOSE)
    manifest = make_block("apiVersion: v1\nkind: Pod\nkind: Pod\n", kind=Kind.KUBERNETES, index=1)
    found = YamlSyntax(settings).check([compose, manifest])
    [dup] = found[compose.id]
    assert (dup.rule, dup.line) == ("duplicate-key", 4)
    assert "API server" not in dup.message and "Compose rejects it" in dup.message
    assert "API server" in found[manifest.id][0].message


def test_older_yaml_wording_is_placed_on_its_line_too() -> None:
    """Compose 5 marks YAML errors as ``L5.C1``; Compose builds on an older YAML library say ``yaml: line N``.

    A message of that older form, written here (this Compose never prints it), is placed on line N.
    """
    docs = []
    ctx = messages.Context(docs, "services:\n  a:\n    image: [x\n", "/x/compose.yaml", [])
    finding = messages.error("yaml: line 3: did not find expected ',' or ']'", ctx)
    assert finding is not None and (finding.rule, finding.line) == ("yaml-syntax", 3)
    assert ctx.fallbacks == 0


def test_warnings_sit_on_the_key_they_name(settings: Settings) -> None:
    text = (
        "services:\n  traefik:\n    image: traefik:3\n    ports:\n      - target: 80\n        published: 80\n"
        "        mode: host\n    deploy:\n      mode: global\n      placement:\n"
        "        constraints: [node.role == manager]\n"
        "configs:\n  site:\n    external:\n      name: site-v2\n"
    )
    [found] = _check(settings, text)
    # deploy.mode: global and placement make it a Swarm stack file: its Swarm-only keys are notes there.
    assert sorted((f.rule, f.severity, f.line) for f in found) == [
        ("deprecated", Severity.WARNING, 13),
        ("swarm-only", Severity.INFO, 4),
        ("swarm-only", Severity.INFO, 9),
        ("swarm-only", Severity.INFO, 10),
    ]
