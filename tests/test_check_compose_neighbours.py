"""Files a Compose block names beside itself, and YAML that would make Compose expand aliases without end.

Every case runs the real ``docker-compose`` (or shows that it was not run). Host files are stood in for by
files outside a temporary project folder that hold a canary: it must never reach a finding.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.compose import ComposeConfig
from docs_examples.checks.yaml_syntax import YamlSyntax
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings

CANARY = "npm_CANARY_5b1f0e-must-not-leak"


def _check(settings: Settings, *texts: str) -> list[list[Finding]]:
    blocks = [make_block(t, kind=Kind.COMPOSE, index=i) for i, t in enumerate(texts)]
    found = ComposeConfig(settings).check(blocks)
    return [found.get(b.id, []) for b in blocks]


def _rules(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in findings]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with ``snippets/app/`` and, outside that folder, a file holding a secret."""
    (tmp_path / "snippets" / "app").mkdir(parents=True)
    (tmp_path / "secret.env").write_text(f"TOKEN={CANARY}\n{CANARY} is here\n", encoding="utf-8")
    return tmp_path


def _included(root: Path, files: dict[str, str], name: str = "compose.yaml") -> list[Finding]:
    app = root / "snippets" / "app"
    for rel, text in files.items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(text, encoding="utf-8")
    block = included_block(root, f"snippets/app/{name}", kind=Kind.COMPOSE)
    settings = Settings(root=root, cache_dir=None, timeout=10)  # see test_an_alias_bomb_is_refused…
    return ComposeConfig(settings).check([block]).get(block.id, [])


def _clean(findings: list[Finding], root: Path) -> None:
    for f in findings:
        text = repr(f.to_dict())
        assert CANARY not in text and str(root) not in text and "/tmp" not in text, text


# -- a block pasted alone -------------------------------------------------------------------------------

ALONE = [
    ("include", "include:\n  - common.yaml\nservices:\n  web:\n    image: nginx\n", 2),
    (
        "include-long",
        "include:\n  - path: base.yaml\n    project_directory: .\nservices:\n  web:\n    image: nginx\n",
        2,
    ),
    ("extends-file", "services:\n  web:\n    extends:\n      file: base.yaml\n      service: web\n", 4),
    ("env-file", "services:\n  web:\n    image: nginx\n    env_file:\n      - app.env\n", 5),
    ("env-file-long", "services:\n  web:\n    image: nginx\n    env_file:\n      - path: app.env\n", 5),
    ("label-file", "services:\n  web:\n    image: nginx\n    label_file: web.labels\n", 4),
]


@pytest.mark.parametrize(("text", "line"), [(t, n) for _, t, n in ALONE], ids=[c[0] for c in ALONE])
def test_a_missing_neighbour_is_one_finding_at_its_key_with_a_hint(settings: Settings, text: str, line: int) -> None:
    [found] = _check(settings, text)
    assert _rules(found) == [("missing-neighbour-file", line)]
    assert found[0].severity is Severity.ERROR
    assert "pasted alone" in found[0].message
    assert "--8<--" in (found[0].hint or "")


def test_an_optional_env_file_may_be_missing_and_the_rest_is_still_checked(settings: Settings) -> None:
    text = (
        "services:\n  web:\n    image: nginx\n    env_file:\n      - path: local.env\n        required: false\n"
        "    depends_on: [db]\n"
    )
    [found] = _check(settings, text)
    assert _rules(found) == [("undefined-service", 7)]


def test_a_missing_env_file_does_not_stop_the_rest_of_the_check(settings: Settings) -> None:
    text = "services:\n  web:\n    image: nginx\n    env_file: app.env\n    depends_on: [db]\n"
    [found] = _check(settings, text)
    assert _rules(found) == [("missing-neighbour-file", 4), ("undefined-service", 5)]
    assert "required: false" in (found[0].hint or "")


# -- a block included from snippets/ --------------------------------------------------------------------


def test_included_neighbours_beside_the_block_are_read(project: Path) -> None:
    found = _included(
        project,
        {
            "compose.yaml": "include:\n  - db.yaml\nservices:\n  web:\n    extends:\n      file: base.yaml\n"
            "      service: base\n    env_file: web.env\n    depends_on: [db]\n",
            "db.yaml": "services:\n  db:\n    image: postgres:18\n",
            "base.yaml": "services:\n  base:\n    image: nginx:1.29\n",
            "web.env": "MODE=demo\n",
        },
    )
    assert found == []


def test_a_neighbour_missing_from_the_folder_says_where_it_belongs(project: Path) -> None:
    found = _included(project, {"compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: web.env\n"})
    assert _rules(found) == [("missing-neighbour-file", 4)]
    assert found[0].message == "env file 'web.env' is not in snippets/app/, beside this Compose file"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("env_file: /etc/hostname", "is an absolute path"),
        ("env_file: ../../secret.env", "leaves snippets/app/"),
        ("env_file: ${HOME}/.npmrc", "uses a variable the build machine sets"),
        ("label_file: ../../secret.env", "leaves snippets/app/"),
        ("extends:\n      file: ../../secret.env\n      service: x", "leaves snippets/app/"),
    ],
)
def test_a_file_outside_the_folder_is_refused_and_never_read(
    project: Path, runner_calls: list[list[str]], entry: str, why: str
) -> None:
    found = _included(project, {"compose.yaml": f"services:\n  web:\n    image: nginx\n    {entry}\n"})
    assert _rules(found) == [("neighbour-outside-folder", 4 + ("extends" in entry))]
    assert why in found[0].message
    assert not [argv for argv in runner_calls if argv[-2:] == ["config", "--quiet"]], "Compose must not run"
    _clean(found, project)


def test_an_include_of_a_host_file_is_refused(project: Path, runner_calls: list[list[str]]) -> None:
    found = _included(
        project, {"compose.yaml": "include:\n  - ../../secret.env\nservices:\n  web:\n    image: nginx\n"}
    )
    assert _rules(found) == [("neighbour-outside-folder", 2)]
    assert not [argv for argv in runner_calls if "config" in argv]
    _clean(found, project)


def test_a_symlink_leading_out_of_the_folder_is_refused(project: Path) -> None:
    app = project / "snippets" / "app"
    (app / "web.env").symlink_to("../../secret.env")
    (app / "zero.env").symlink_to("/dev/zero")
    found = _included(
        project, {"compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: [web.env, zero.env]\n"}
    )
    assert [f.rule for f in found] == ["neighbour-outside-folder", "neighbour-outside-folder"]
    assert "symlink that leads out of snippets/app/" in found[0].message
    _clean(found, project)


def test_a_symlinked_dotenv_is_refused(project: Path) -> None:
    (project / "snippets" / "app" / ".env").symlink_to("../../secret.env")
    found = _included(project, {"compose.yaml": "services:\n  web:\n    image: nginx:${TAG:-1}\n"})
    assert _rules(found) == [("neighbour-outside-folder", 1)]
    _clean(found, project)


def test_what_an_included_file_names_is_screened_too(project: Path) -> None:
    found = _included(
        project,
        {
            "compose.yaml": "include:\n  - stack/db.yaml\nservices:\n  web:\n    image: nginx\n",
            "stack/db.yaml": "services:\n  db:\n    image: postgres:18\n    env_file: ../../../secret.env\n",
        },
    )
    assert _rules(found) == [("neighbour-outside-folder", 2)]
    assert found[0].message.startswith("stack/db.yaml, included here, names '../../../secret.env' (env_file)")
    _clean(found, project)


def test_a_malformed_env_file_line_is_never_quoted(project: Path) -> None:
    found = _included(
        project,
        {
            "compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: web.env\n",
            "web.env": f"GOOD=1\n//registry.npmjs.org/:_authToken={CANARY}\n",
        },
    )
    assert _rules(found) == [("invalid-env-file", 4)]
    assert found[0].message == (
        "Compose cannot read snippets/app/web.env: line 2: unexpected character (the line is not quoted here)"
    )
    _clean(found, project)


def test_an_unterminated_quote_in_an_env_file_is_never_quoted(project: Path) -> None:
    found = _included(
        project,
        {
            "compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: web.env\n",
            "web.env": f'TOKEN="{CANARY}\n',
        },
    )
    assert _rules(found) == [("invalid-env-file", 4)]
    _clean(found, project)


def test_build_context_that_is_a_file_is_told_apart_from_a_missing_one(project: Path) -> None:
    found = _included(
        project,
        {
            "compose.yaml": "services:\n  web:\n    build: ./Dockerfile\n  api:\n    build:\n      context: ./api\n",
            "Dockerfile": "FROM nginx:1.29\n",
        },
    )
    assert [(f.rule, f.line, f.message) for f in found] == [
        ("build-context-is-a-file", 3, "service web: build context './Dockerfile' is a file, not a folder"),
        ("missing-build-context", 6, "service api: build context './api' does not exist beside the Compose file"),
    ]


# -- YAML aliases ---------------------------------------------------------------------------------------


def _bomb(levels: int = 9) -> str:
    lines = ["  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghijklmnop"
    for low, high in itertools.pairwise(names[:levels]):
        lines.append(f"  {high}: &{high} [" + ", ".join([f"*{low}"] * 9) + "]")
    return "x-bomb:\n" + "\n".join(lines) + "\nservices:\n  web:\n    image: nginx\n"


def test_an_alias_bomb_is_refused_before_compose_runs(tmp_path: Path, runner_calls: list[list[str]]) -> None:
    """The shared loader's limit keeps it from Compose; the YAML check reports it once, at the anchor's line."""
    text = _bomb()
    assert len(text.encode()) < 1024
    # Compose ran for minutes and gigabytes on this: should the pre-check ever let it through, a short
    # timeout ends the run as a tool error (and the assertions below fail) instead of tying up the machine.
    settings = Settings(root=tmp_path, cache_dir=None, timeout=10)
    assert _check(settings, text) == [[]]
    assert not [argv for argv in runner_calls if "config" in argv]
    block = make_block(text, kind=Kind.COMPOSE, title="compose.yaml")
    [problem] = YamlSyntax(settings).check([block])[block.id]
    assert problem.rule == "yaml-alias-limit" and problem.line in range(1, 8)


def test_an_alias_bomb_in_an_included_file_is_refused(project: Path, runner_calls: list[list[str]]) -> None:
    found = _included(
        project,
        {"compose.yaml": "include:\n  - big.yaml\nservices:\n  web:\n    image: nginx\n", "big.yaml": _bomb()},
    )
    assert _rules(found) == [("neighbour-outside-folder", 2)]
    assert "aliases" in found[0].message
    assert not [argv for argv in runner_calls if "config" in argv]


def test_ordinary_anchors_and_merge_keys_still_pass(settings: Settings) -> None:
    text = (
        "x-common: &common\n  restart: unless-stopped\n  environment:\n    TZ: ${TZ:-UTC}\n"
        "services:\n  web:\n    <<: *common\n    image: nginx:1.29\n  api:\n    <<: *common\n    image: app:1\n"
    )
    assert _check(settings, text) == [[]]


def test_unreadable_yaml_that_names_files_is_not_given_to_compose(
    settings: Settings, runner_calls: list[list[str]]
) -> None:
    [found] = _check(settings, "include:\n  - /etc/hostname\nservices:\n  web:\n    image: [nginx\n")
    assert [f.rule for f in found] == ["yaml-syntax"]
    assert not [argv for argv in runner_calls if "config" in argv]


def test_missing_binary_is_still_a_tool_error(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str, configured: str | None = None) -> str:
        raise runner.ToolMissing(name)

    monkeypatch.setattr(runner, "find_tool", missing)
    with pytest.raises(runner.ToolMissing):
        ComposeConfig(settings).check([make_block("services: {}\n", kind=Kind.COMPOSE)])
