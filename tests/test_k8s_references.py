"""K8S009–K8S012 on real pages: a reference fails only when its target is in view and does not match;
a target the page does not show is a note. Also where messages point (removed-api, duplicate keys)."""

from __future__ import annotations

from conftest import ROOT, make_block
from docs_examples.blocks.model import Block, Kind, Origin
from docs_examples.checks.kubernetes.rules import KubernetesRules
from docs_examples.checks.kubernetes.schema import KubernetesSchema
from docs_examples.checks.yaml_syntax import YamlSyntax
from docs_examples.findings import Severity
from docs_examples.settings import Settings

SETTINGS = Settings(root=ROOT, cache_dir=None, kubernetes_versions=("1.37",), kubeconform="off")

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s}\nspec:\n  selector: {matchLabels: {app: %s}}\n"
    "  template:\n    metadata: {labels: {app: %s}}\n    spec:\n      containers: [{name: c, image: nginx}]\n"
)
BARE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n"  # no selector
INGRESS = (
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend:\n"
    "    service:\n      name: %s\n      port: {name: %s}\n"
)


def on_page(*texts: str, headings: tuple[tuple[str, ...], ...] = ()) -> list[Block]:
    blocks = []
    for i, text in enumerate(texts):
        b = make_block(text, kind=Kind.KUBERNETES, page="docs/p.md", index=i, fence_line=10 + 30 * i)
        b.headings = headings[i] if headings else ()
        blocks.append(b)
    return blocks


def rules(blocks: list[Block]) -> list[tuple[int, str, Severity]]:
    found = KubernetesRules(SETTINGS).check(blocks)
    return sorted((b.index, f.rule, f.severity) for b in blocks for f in found.get(b.id, []))


def test_service_and_the_workload_of_its_name_with_other_labels_is_a_warning() -> None:
    assert rules(on_page(DEPLOYMENT % ("web", "front", "front"), SERVICE)) == [(1, "K8S009", Severity.WARNING)]


def test_service_whose_pods_the_page_does_not_show_is_a_note() -> None:
    # other workloads are shown, but none is the Service's: its pods live on another page
    assert rules(on_page(DEPLOYMENT % ("admin", "admin", "admin"), SERVICE)) == [(1, "K8S009", Severity.INFO)]


def test_a_pod_template_without_labels_is_an_excerpt_not_a_pod_to_select() -> None:
    excerpt = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
    excerpt += "      containers: [{name: c, env: [{name: A, value: b}]}]\n"
    assert rules(on_page(excerpt, SERVICE)) == [(1, "K8S009", Severity.INFO)]


def test_ingress_port_of_a_shown_service_is_checked_and_an_unshown_service_is_a_note() -> None:
    assert rules(on_page(BARE, INGRESS % ("web", "http"))) == [(1, "K8S012", Severity.WARNING)]
    assert rules(on_page(BARE, INGRESS % ("api", "http"))) == [(1, "K8S012", Severity.INFO)]
    assert rules(on_page(BARE, INGRESS % ("wbe", "http"))) == [(1, "K8S012", Severity.WARNING)]  # a typo


def test_a_later_section_is_another_setup() -> None:
    # The Ingress of one section names the Service another, later section changes (another setup).
    blocks = on_page(INGRESS % ("web", "https"), BARE, headings=(("Ingress", "Contour"), ("Ingress", "GKE")))
    assert rules(blocks) == [(0, "K8S012", Severity.INFO)]
    same = on_page(INGRESS % ("web", "https"), BARE, headings=(("Ingress", "Contour"), ("Ingress", "Contour")))
    assert rules(same) == [(0, "K8S012", Severity.WARNING)]
    earlier = on_page(BARE, INGRESS % ("web", "https"), headings=(("Setup",), ("Expose",)))
    assert rules(earlier) == [(1, "K8S012", Severity.WARNING)]  # shown before: in the reader's view


def test_hpa_target_of_another_kind_or_a_typo_is_a_warning_else_a_note() -> None:
    hpa = (
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: %s, name: %s}\n  maxReplicas: 3\n"
    )
    web = DEPLOYMENT % ("web", "web", "web")
    assert rules(on_page(web, hpa % ("Deployment", "web"))) == []
    assert rules(on_page(web, hpa % ("StatefulSet", "web"))) == [(1, "K8S011", Severity.WARNING)]
    assert rules(on_page(web, hpa % ("Deployment", "wbe"))) == [(1, "K8S011", Severity.WARNING)]
    assert rules(on_page(web, hpa % ("Deployment", "billing"))) == [(1, "K8S011", Severity.INFO)]


# -- where messages point -----------------------------------------------------------------------------------------


def test_removed_api_points_at_the_api_version_line() -> None:
    b = make_block(DEPLOYMENT.replace("apps/v1", "extensions/v1beta1") % ("w", "w", "w"), kind=Kind.KUBERNETES)
    [f] = KubernetesSchema(SETTINGS).check([b])[b.id]
    assert (f.rule, f.line, f.column) == ("removed-api", 1, 13)
    assert b.locate(f).line == 11  # the fence is on line 10


def test_duplicate_key_names_the_first_occurrence_by_its_page_line() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n"
    b = make_block(text, kind=Kind.KUBERNETES, fence_line=40)
    [f] = YamlSyntax(SETTINGS).check([b])[b.id]
    located = b.locate(f)
    assert (located.file, located.line) == ("docs/test.md", 45)
    assert "(first on line 44)" in located.message
    included = make_block(text, kind=Kind.KUBERNETES, fence_line=40)  # the same text, from a snippet file
    included.origins = tuple(Origin("snippets/cm.yaml", i + 1) for i in range(len(included.origins)))
    located = included.locate(YamlSyntax(SETTINGS).check([included])[included.id][0])
    assert (located.file, located.line) == ("snippets/cm.yaml", 5)
    assert "(first on line 4)" in located.message
