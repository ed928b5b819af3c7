"""``${VARIABLES}`` in Compose blocks, the way documentation uses them (real ``docker-compose`` throughout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import included_block, make_block
from docs_examples import directives
from docs_examples.blocks.model import Kind
from docs_examples.checks import runner
from docs_examples.checks.compose import ComposeConfig, variables
from docs_examples.findings import Category, Finding, Severity, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import CheckRun, Result
from docs_examples.settings import Settings
from docs_examples.site.status import status_line
from docs_examples.yaml_loader import load


def _check(settings: Settings, *texts: str, attrs: dict[str, str] | None = None) -> list[list[Finding]]:
    blocks = [make_block(t, kind=Kind.COMPOSE, index=i, attrs=attrs) for i, t in enumerate(texts)]
    found = ComposeConfig(settings).check(blocks)
    return [found.get(b.id, []) for b in blocks]


def _rules(findings: list[Finding]) -> list[tuple[str, Severity, int | None]]:
    return [(f.rule, f.severity, f.line) for f in findings]


# -- the scanner reads templates as Compose does --------------------------------------------------------

TEMPLATES = [
    "${A}",
    "$A and $B_2",
    "${A:-fallback} ${B-} ${C:?say so} ${D?}",
    "${A:-${B:-${C}}}",
    "$$A ${B} $$ ${C}",
    "cost $5, a lone $ and ${A}",
    "${A-x:y} ${B:?a - b}",
    "postgres://app:${DB_PASSWORD:?set DB_PASSWORD}@db:5432/app",
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_references_match_composes_own_list(tmp_path: Path, template: str) -> None:
    """Names, required-ness and defaults as ``docker-compose config --variables`` lists them."""
    text = f"services:\n  web:\n    image: nginx\n    environment:\n      X: {json.dumps(template)}\n"
    (tmp_path / "compose.yaml").write_text(text, encoding="utf-8")
    argv = [runner.find_tool("docker-compose"), "--project-directory", str(tmp_path), "-f", "compose.yaml"]
    out = runner.run([*argv, "config", "--variables", "--format", "json"], timeout=60, cwd=tmp_path)
    composes = {name: (v["Required"], v["DefaultValue"]) for name, v in json.loads(out.stdout).items()}
    docs, _ = load(text)
    ours = {
        u.name: (u.op in variables.REQUIRED, u.argument if u.op in variables.DEFAULTS else "")
        for u in variables.uses(docs)
    }
    assert ours == composes


@pytest.mark.parametrize("template", ["${}", "${A", "${A B}", "${A:x}", "x ${A:-${B}"])
def test_malformed_templates_are_what_compose_rejects(settings: Settings, template: str) -> None:
    assert variables.references(template) is None
    [found] = _check(settings, f"services:\n  web:\n    image: nginx\n    command: {json.dumps(template)}\n")
    assert [f.rule for f in found] == ["invalid-interpolation"]


def test_expand_substitutes_like_compose() -> None:
    env = {"SET": "v", "EMPTY": ""}
    assert variables.expand("${SET:-d}/${EMPTY:-d}/${EMPTY-d}/${UNSET-d}/$$/${SET:+alt}/${EMPTY+alt}", env) == (
        "v/d//d/$/alt/alt"
    )
    assert variables.expand("${UNSET:?needed}", env) is None
    assert variables.expand("${UNSET}x", env) == "x"


# -- placeholders that fit the field --------------------------------------------------------------------

# A field Compose converts to a number, boolean, size or duration: ${V:?…} there is checked with a value of
# that type (no finding but the note), and the word "example" in its place fails in Compose's own words.
TYPED_FIELDS = {
    "deploy.replicas": "    deploy:\n      replicas: {v}\n",
    "cpus": "    cpus: {v}\n",
    "cpu_shares": "    cpu_shares: {v}\n",
    "pids_limit": "    pids_limit: {v}\n",
    "scale": "    scale: {v}\n",
    "mem_limit": "    mem_limit: {v}\n",
    "shm_size": "    shm_size: {v}\n",
    "deploy.resources.limits.memory": "    deploy:\n      resources:\n        limits:\n          memory: {v}\n",
    "read_only": "    read_only: {v}\n",
    "init": "    init: {v}\n",
    "privileged": "    privileged: {v}\n",
    "tty": "    tty: {v}\n",
    "healthcheck.interval": "    healthcheck:\n      test: [CMD, 'true']\n      interval: {v}\n",
    "healthcheck.retries": "    healthcheck:\n      test: [CMD, 'true']\n      retries: {v}\n",
    "stop_grace_period": "    stop_grace_period: {v}\n",
    "ulimits": "    ulimits:\n      nproc: {v}\n",
    "ports (host)": "    ports:\n      - '{v}:80'\n",
    "ports (container)": "    ports:\n      - '8080:{v}'\n",
    "ports (address)": "    ports:\n      - '{v}:8080:80'\n",
    "ports.target": "    ports:\n      - target: {v}\n",
    "volumes (source)": "    volumes:\n      - '{v}:/data'\n",
    "pull_policy": "    pull_policy: {v}\n",
    "depends_on.required": "    depends_on:\n      db:\n        condition: service_started\n        required: {v}\n",
}
_SERVICE = "services:\n  db:\n    image: postgres:18\n  web:\n    image: nginx\n{field}"


def _field_blocks(value: str) -> list[str]:
    return [_SERVICE.format(field=snippet.format(v=value)) for snippet in TYPED_FIELDS.values()]


def test_each_typed_field_gets_a_placeholder_of_its_type(settings: Settings) -> None:
    results = _check(settings, *_field_blocks("${V:?give V}"))
    for field, found in zip(TYPED_FIELDS, results, strict=True):
        assert [(f.rule, f.severity) for f in found] == [("required-variable", Severity.INFO)], (field, found)


def test_the_same_fields_reject_a_plain_word(settings: Settings) -> None:
    """What the placeholders are for: with ``data-env="V=example"`` every one of those fields fails."""
    results = _check(settings, *_field_blocks("${V:?give V}"), attrs={"data-env": "V=example"})
    for field, found in zip(TYPED_FIELDS, results, strict=True):
        errors = [f for f in found if f.severity is Severity.ERROR]
        assert errors, field
        assert all("V=" not in (f.hint or "") for f in errors), "a value from the page is not a placeholder"


def test_placeholder_kinds_follow_the_position_in_a_port_or_volume() -> None:
    assert variables.field_kind(("services", "w", "ports", 0), "${IP}:${P}:80", 0) == "address"
    assert variables.field_kind(("services", "w", "ports", 0), "${IP}:${P}:80", 6) == "port"
    assert variables.field_kind(("services", "w", "volumes", 0), "${SRC}:/data", 0) == "path"
    assert variables.field_kind(("services", "w", "volumes", 0), "./x:${DST}", 4) == "text"
    assert variables.field_kind(("services", "w", "deploy", "mode"), "${M}", 0) == "text"
    assert variables.placeholder(["text", "number"]) == variables.PLACEHOLDERS["number"]


# -- what the block says about its variables ------------------------------------------------------------


def test_required_secret_is_a_note_and_the_rest_of_the_file_is_still_checked(settings: Settings) -> None:
    text = (
        "services:\n  db:\n    image: postgres:18\n    environment:\n"
        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n    depends_on: [cache]\n"
    )
    [found] = _check(settings, text)
    assert _rules(found) == [
        ("undefined-service", Severity.ERROR, 6),
        ("required-variable", Severity.INFO, 5),
    ]
    assert found[1].message == "required from the environment: POSTGRES_PASSWORD"


def test_one_finding_per_variable_listing_every_line_that_uses_it(settings: Settings) -> None:
    text = "services:\n" + "".join(f"  s{i}:\n    image: app:${{TAG}}\n" for i in range(75))
    [found] = _check(settings, text)
    assert _rules(found) == [("unset-variable", Severity.INFO, 3)]
    expected_lines = ", ".join(str(10 + 3 + 2 * i) for i in range(75))  # page lines: the fence is on line 10
    assert f"used on lines {expected_lines};" in (found[0].hint or "")


def test_unset_variable_where_a_number_is_needed_is_a_warning(settings: Settings) -> None:
    text = (
        "services:\n  worker:\n    image: app:${TAG}\n    deploy:\n      replicas: ${REPLICAS}\n"
        "    read_only: ${READ_ONLY}\n"
    )
    [found] = _check(settings, text)
    assert _rules(found) == [
        ("unset-variable", Severity.WARNING, 5),
        ("unset-variable", Severity.WARNING, 6),
        ("unset-variable", Severity.INFO, 3),
    ]
    assert found[0].message.startswith("when REPLICAS is not set, Compose reads an empty value and fails:")
    assert "${REPLICAS:-value}" in (found[0].hint or "")


def test_unset_image_is_a_warning_in_composes_words(settings: Settings) -> None:
    [found] = _check(settings, "services:\n  web:\n    image: ${IMAGE}\n")
    assert _rules(found) == [("unset-variable", Severity.WARNING, 2)]
    assert "has neither an image nor a build context" in found[0].message


def test_data_env_sets_example_values_from_the_page_only(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLICAS", "machine-value-must-not-be-used")
    text = "services:\n  worker:\n    image: app:1\n    deploy:\n      replicas: ${REPLICAS:?how many}\n"
    [good] = _check(settings, text, attrs={"data-env": "REPLICAS=3"})
    assert _rules(good) == [("required-variable", Severity.INFO, 5)]
    assert "REPLICAS='3' (the example value from data-env)" in (good[0].hint or "")
    [bad] = _check(settings, text, attrs={"data-env": "REPLICAS=three"})
    assert ("interpolation-type", Severity.ERROR, 5) in _rules(bad)
    assert all("machine-value" not in repr(f.to_dict()) for f in good + bad)


def test_a_placeholder_compose_rejects_says_how_to_fix_it(settings: Settings) -> None:
    # A variable that is both a number and a boolean: no placeholder fits both.
    text = "services:\n  worker:\n    image: app:1\n    deploy:\n      replicas: ${X:?}\n    tty: ${X:?}\n"
    [found] = _check(settings, text)
    errors = [f for f in found if f.severity is Severity.ERROR]
    assert errors and all('data-env="X=…"' in (f.hint or "") for f in errors)


def test_data_env_is_validated(settings: Settings) -> None:
    values, wrong = directives.env_values("A=1, B = two ,C,1D=x,A=2,")
    assert values == {"A": "1", "B": " two"}
    assert wrong == [
        "data-env entry 'C' is not NAME=value",
        "data-env entry '1D=x' is not NAME=value",
        "data-env sets A twice",
    ]
    block = make_block("services:\n  w:\n    image: nginx\n", kind=Kind.COMPOSE, attrs={"data-env": "A"})
    assert [p.rule for p in directives.parse(block)[1]] == ["invalid-data-env"]
    other = make_block("FROM alpine:3.20\n", kind=Kind.DOCKERFILE, attrs={"data-env": "A=1"})
    assert [p.rule for p in directives.parse(other)[1]] == ["invalid-data-env"]


def test_data_env_cannot_steer_the_tools(settings: Settings) -> None:
    text = "services:\n  web:\n    image: nginx:${LD_PRELOAD:-x}${COMPOSE_EXPERIMENTAL_GIT_REMOTE:-y}\n"
    [found] = _check(
        settings, text, attrs={"data-env": "LD_PRELOAD=/tmp/x.so,COMPOSE_EXPERIMENTAL_GIT_REMOTE=true,NOPE=1"}
    )
    assert [(f.rule, f.category) for f in found] == [("invalid-data-env", Category.DIRECTIVE)] * 3
    assert [f.message.split(":")[0] for f in found] == [
        "data-env cannot set LD_PRELOAD",
        "data-env cannot set COMPOSE_EXPERIMENTAL_GIT_REMOTE",
        "data-env sets NOPE, which this Compose file does not use",
    ]


def test_variables_set_by_the_folders_env_file_are_not_the_readers(tmp_path: Path) -> None:
    app = tmp_path / "snippets" / "app"
    app.mkdir(parents=True)
    (app / ".env").write_text("TAG=1.29\n", encoding="utf-8")
    (app / "compose.yaml").write_text("services:\n  web:\n    image: nginx:${TAG}\n    user: ${UID:?}\n")
    block = included_block(tmp_path, "snippets/app/compose.yaml", kind=Kind.COMPOSE)
    found = ComposeConfig(Settings(root=tmp_path, cache_dir=None)).check([block])[block.id]
    assert [(f.rule, f.message) for f in found] == [("required-variable", "required from the environment: UID")]


def test_status_line_says_which_variables_the_reader_sets(tmp_path: Path) -> None:
    page = (
        '# Stack\n\n```yaml title="compose.yaml"\nservices:\n  db:\n    image: postgres:18\n    environment:\n'
        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n      POSTGRES_USER: ${PGUSER}\n```\n"
    )
    settings = Settings(root=tmp_path, cache_dir=None)
    report = Pipeline(settings, only=["compose"]).run([Page("docs/stack.md", page)])
    [result] = report.results
    assert result.status is Status.PASSED
    line = status_line(result, report.labels, ())
    assert line is not None
    assert line.text == "Checked: Docker Compose · 2 notes · the reader sets POSTGRES_PASSWORD"


def test_status_line_names_only_required_variables() -> None:
    block = make_block("services:\n  web:\n    image: nginx:${TAG}\n", kind=Kind.COMPOSE)
    describe = {"compose": "Docker Compose 5.6.1 (config)"}
    runs = [CheckRun("compose", "Docker Compose 5.6.1")]
    optional = Finding(
        "docker-compose", "unset-variable", Severity.INFO, "read from the environment (empty when unset): TAG"
    )
    quiet = status_line(Result(block, Status.PASSED, checks=runs), describe, ())
    noted = status_line(Result(block, Status.PASSED, findings=[optional], checks=runs), describe, ())
    assert quiet is not None and quiet.text == "Checked: Docker Compose"
    assert noted is not None and noted.text == "Checked: Docker Compose · 1 note"  # an optional variable: no ask
