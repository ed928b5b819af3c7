"""Compose as docs show it (checks/compose/excerpts.py), each rule both ways, with the real ``docker-compose``:
an evident excerpt or a Swarm stack file gets info findings and passes, a complete broken file still fails at
its line, and what an excerpt shows is still checked."""

from __future__ import annotations

from conftest import ROOT, make_block
from docs_examples.blocks.model import Kind
from docs_examples.checks.compose import ComposeConfig
from docs_examples.checks.compose.excerpts import RULES, docs_table
from docs_examples.findings import Finding, Severity, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.settings import Settings
from docs_examples.site import pages

INFO, WARNING, ERROR = Severity.INFO, Severity.WARNING, Severity.ERROR


def _check(settings: Settings, text: str, *, headings: tuple[str, ...] = (), stack: bool = False) -> list[Finding]:
    block = make_block(text, kind=Kind.COMPOSE)
    block.headings = headings
    if stack:
        block.meta["stack_deploy"] = True
    return ComposeConfig(settings).check([block]).get(block.id, [])


def _rules(findings: list[Finding]) -> list[tuple[str, Severity, int | None]]:
    return sorted((f.rule, f.severity, f.line) for f in findings)


# -- a service without an image --------------------------------------------------------------------------------

LABELS_EXCERPT = (
    "services:\n"
    "  my-container:\n"
    "    # ...\n"
    "    labels:\n"
    "      - traefik.http.routers.my-container.rule=Host(`example.com`)\n"
)


def test_a_service_with_an_elision_is_an_excerpt(settings: Settings) -> None:
    found = _check(settings, LABELS_EXCERPT)
    assert _rules(found) == [("excerpt", INFO, 2)]
    assert "service my-container shows neither image nor build" in found[0].message
    assert "`# ...`" in found[0].message


def test_services_of_a_file_where_none_has_an_image_are_excerpts(settings: Settings) -> None:
    text = "services:\n  web:\n    ports:\n      - '8080:80'\n  api:\n    environment:\n      DEBUG: '1'\n"
    found = _check(settings, text)
    assert _rules(found) == [("excerpt", INFO, 2), ("excerpt", INFO, 5)]
    assert "no service of this file has one" in found[0].message


def test_a_service_without_an_image_beside_complete_ones_still_fails(settings: Settings) -> None:
    text = "services:\n  web:\n    image: nginx:1.29\n  worker:\n    command: [python, worker.py]\n"
    assert _rules(_check(settings, text)) == [("missing-image", ERROR, 4)]


def test_what_an_excerpt_shows_is_still_checked(settings: Settings) -> None:
    text = LABELS_EXCERPT + "    restartt: always\n    ports:\n      - '80:80:80:80'\n"
    found = _check(settings, text)
    assert ("excerpt", INFO, 2) in _rules(found)
    assert ("schema", ERROR, 6) in _rules(found)  # Compose validates the schema before the ports


# -- networks, volumes, configs, secrets -----------------------------------------------------------------------


def test_networks_without_a_top_level_networks_are_defined_elsewhere(settings: Settings) -> None:
    text = "services:\n  whoami:\n    image: traefik/whoami\n    networks:\n      - proxy\n"
    found = _check(settings, text)
    assert _rules(found) == [("excerpt", INFO, 5)]
    assert found[0].message.startswith("network proxy is not defined in this block")


def test_a_network_a_complete_file_does_not_declare_still_fails(settings: Settings) -> None:
    text = (
        "services:\n  web:\n    image: nginx:1.29\n    networks:\n      - front\n      - bakc\n"
        "networks:\n  front: {}\n  back: {}\n"
    )
    found = _check(settings, text)
    assert _rules(found) == [("undefined-network", ERROR, 6)]
    assert "bakc" in found[0].message


def test_an_excerpts_named_volumes_and_secrets_are_defined_elsewhere(settings: Settings) -> None:
    text = LABELS_EXCERPT + "    volumes:\n      - ./conf:/etc/conf\n      - certs:/certs\n    secrets: [tls_key]\n"
    found = _check(settings, text)
    assert _rules(found) == [("excerpt", INFO, 2), ("excerpt", INFO, 8), ("excerpt", INFO, 9)]
    assert [f.message.split(" is ")[0] for f in found[1:]] == ["volume certs", "secret tls_key"]


def test_a_complete_file_must_declare_its_named_volumes(settings: Settings) -> None:
    text = "services:\n  db:\n    image: postgres:18\n    volumes:\n      - data:/var/lib/postgresql\n"
    assert _rules(_check(settings, text)) == [("undefined-volume", ERROR, 5)]


# -- Swarm stack files -----------------------------------------------------------------------------------------

SWARM_LABELS = (
    "services:\n  whoami:\n    image: traefik/whoami\n    deploy:\n      labels:\n        - traefik.enable=true\n"
)


def test_deploy_labels_in_a_compose_file_stay_a_warning(settings: Settings) -> None:
    found = _check(settings, SWARM_LABELS, headings=("Docker provider",))
    assert _rules(found) == [("swarm-only", WARNING, 5)]


def test_a_page_that_runs_docker_stack_deploy_makes_a_stack_file(settings: Settings) -> None:
    found = _check(settings, SWARM_LABELS, stack=True)
    assert _rules(found) == [("swarm-only", INFO, 5)]
    assert found[0].message.endswith("right for a Swarm stack file (the page runs `docker stack deploy`)")


def test_a_heading_that_names_swarm_makes_a_stack_file(settings: Settings) -> None:
    found = _check(settings, SWARM_LABELS, headings=("Traefik & Docker Swarm", "Routing"))
    assert _rules(found) == [("swarm-only", INFO, 5)]
    assert "under the heading 'Traefik & Docker Swarm'" in found[0].message


def test_a_deploy_key_only_swarm_reads_makes_a_stack_file(settings: Settings) -> None:
    text = SWARM_LABELS + "      placement:\n        constraints: [node.role == manager]\n      update_config:\n"
    text += "        parallelism: 1\n"
    found = _check(settings, text)
    assert _rules(found) == [("swarm-only", INFO, 5), ("swarm-only", INFO, 7), ("swarm-only", INFO, 9)]
    assert "service whoami has deploy.placement, which only Swarm reads" in found[0].message


def test_a_stack_file_still_fails_on_a_real_error(settings: Settings) -> None:
    text = SWARM_LABELS + "      replicas: three\n"
    found = _check(settings, text, stack=True)
    assert [(f.rule, f.severity, f.line) for f in found if f.severity is ERROR] == [("interpolation-type", ERROR, 7)]


def _page_statuses(source: str) -> list[tuple[str, Status, list[tuple[str, str]]]]:
    results = Pipeline(Settings(root=ROOT, cache_dir=None), only=["compose"]).run([Page("docs/p.md", source)])
    return [
        (r.block.kind.value, r.status, [(f.rule, f.severity.value) for f in r.findings])
        for r in results.results
        if r.block.kind is Kind.COMPOSE
    ]


def test_the_page_decides_through_classification() -> None:
    compose = f"```yaml\n{SWARM_LABELS}```\n"
    stack = "# Deploy\n\n" + compose + "\n```bash\ndocker stack deploy -c docker-compose.yml traefik\n```\n"
    plain = "# Deploy\n\n" + compose + "\n```bash\ndocker compose up -d\n```\n"
    assert _page_statuses(stack) == [("compose", Status.PASSED, [("swarm-only", "info")])]
    assert _page_statuses(plain) == [("compose", Status.FAILED, [("swarm-only", "warning")])]


def test_rules_table_on_the_checks_page_and_in_the_readme() -> None:
    table = docs_table()
    assert len(table.strip().splitlines()) == 2 + len(RULES)
    page = pages.checks_page({}, {}, ["1.37"], "warning", "0 blocks")
    assert "## Compose excerpts and stack files" in page and table.strip() in page
    assert table in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_file_that_includes_others_is_left_to_compose(settings: Settings) -> None:
    """What its services use may be declared in the files it includes: nothing is read as left out."""
    text = "include:\n  - ./proxy.yaml\nservices:\n  web:\n    image: nginx:1.29\n    networks: [proxy]\n"
    assert [f.rule for f in _check(settings, text)] == ["missing-neighbour-file"]
