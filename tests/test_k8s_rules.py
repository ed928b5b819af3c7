"""The Kubernetes API rules: every rule's own examples, positioned table tests, pages, odd shapes, corpus."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import make_block
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import check_class
from docs_examples.checks.kubernetes.api_rules import RULES, Context, Obj, docs_rules_table, evaluate
from docs_examples.checks.kubernetes.api_rules.model import pods
from docs_examples.checks.kubernetes.rules import KubernetesRules, objects_of
from docs_examples.findings import Finding, Severity
from docs_examples.pipeline import Page, Pipeline
from docs_examples.settings import Settings
from docs_examples.verdict import DEFAULT_VERDICT


def run(settings: Settings, *blocks: Block) -> dict[str, list[Finding]]:
    """The check's findings per block id."""
    return KubernetesRules(settings).check(list(blocks))


def found(text: str, settings: Settings, *, versions: tuple[str, ...] | None = None) -> list[tuple[str, int]]:
    """``(rule, line)`` of every finding on one block holding ``text`` (dedented)."""
    if versions is not None:
        settings.kubernetes_versions = versions
    block = make_block(textwrap.dedent(text), kind=Kind.KUBERNETES)
    return sorted((f.rule, f.line) for f in run(settings, block).get(block.id, []))


# -- each rule's own examples (the ones the docs table shows) --------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_fails_example_reports_only_its_rule(rule, settings: Settings) -> None:
    block = make_block(rule.fails_example, kind=Kind.KUBERNETES)
    findings = run(settings, block).get(block.id, [])
    assert findings, f"{rule.id}: its failing example passes"
    assert {f.rule for f in findings} == {rule.id}
    assert {f.severity for f in findings} == {rule.severity}
    assert all(f.tool == "k8s-rules" and f.line and f.column for f in findings)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_passes_example_is_clean(rule, settings: Settings) -> None:
    block = make_block(rule.passes_example, kind=Kind.KUBERNETES)
    assert run(settings, block) == {}


def test_rules_registry_and_docs_table() -> None:
    ids = [r.id for r in RULES]
    assert ids == [f"K8S{i:03d}" for i in range(1, len(RULES) + 1)]
    assert all(r.check and r.title and r.summary for r in RULES)
    table = docs_rules_table().splitlines()
    assert table[0].startswith("| Rule | Title | Severity")
    assert len(table) == 2 + len(RULES)
    assert "| `K8S008` | Resource requests within limits | error | object |" in table[9]
    assert all(row.count(" | ") == 4 for row in table[2:])  # pipes in summaries are escaped


def test_rules_table_imports_nothing_heavy() -> None:
    code = (
        "import sys; import docs_examples.checks.kubernetes.api_rules as r; r.docs_rules_table(); "
        "heavy = {'docs_examples.yaml_loader', 'jsonschema', 'jsonschema_rs', "
        "'kubernetes_validate', 'fastjsonschema', 'hypothesis'}; print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_check_is_registered_and_page_scoped(settings: Settings) -> None:
    cls = check_class("kubernetes-rules")
    assert cls is KubernetesRules
    assert cls.scope == "page" and cls.tool == "k8s-rules" and cls.kinds == frozenset({Kind.KUBERNETES})
    assert KubernetesRules(settings).version().startswith("k8s-rules ")


# -- positioned table tests: YAML → (rule, line) --------------------------------------------------------

DEPLOY_HEAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
"""

CASES: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "K8S001 matchExpressions In fails on the expression": (
        DEPLOY_HEAD
        + """\
  selector:
    matchExpressions:
      - {key: tier, operator: In, values: [front, web]}
      - {key: app, operator: Exists}
  template:
    metadata:
      labels: {app: web, tier: db}
    spec:
      containers: [{name: web, image: nginx}]
""",
        [("K8S001", 8)],
    ),
    "K8S001 DoesNotExist and NotIn hold": (
        DEPLOY_HEAD
        + """\
  selector:
    matchLabels: {app: web}
    matchExpressions:
      - {key: canary, operator: DoesNotExist}
      - {key: tier, operator: NotIn, values: [db]}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
""",
        [],
    ),
    "K8S001 template without labels, and an empty selector": (
        """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector:
    matchLabels: {app: db}
  template:
    spec:
      containers: [{name: db, image: postgres}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox}]
""",
        [("K8S001", 6), ("K8S001", 15)],
    ),
    "K8S001 Job only with manualSelector": (
        """\
apiVersion: batch/v1
kind: Job
metadata: {name: manual}
spec:
  manualSelector: true
  selector:
    matchLabels: {job: a}
  template:
    metadata: {labels: {job: b}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: auto}
spec:
  selector:
    matchLabels: {job: a}
  template:
    metadata: {labels: {job: b}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
""",
        [("K8S001", 7)],
    ),
    "K8S001 ReplicationController map selector": (
        """\
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  selector:
    app: nginx
  template:
    metadata:
      labels:
        app: web
    spec:
      containers: [{name: nginx, image: nginx}]
""",
        [("K8S001", 6)],
    ),
    "K8S002 names per kind": (
        """\
apiVersion: v1
kind: Namespace
metadata:
  name: Team.A
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-edit
rules: []
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app_settings
  namespace: team-a
---
apiVersion: v1
kind: ConfigMap
metadata:
  generateName: settings-
  namespace: Team_A
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: a-cronjob-name-that-is-longer-than-fifty-two-characters
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
""",
        [("K8S002", 4), ("K8S002", 15), ("K8S002", 22), ("K8S002", 27)],
    ),
    "K8S003 label keys, values, selectors and nodeSelector": (
        """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    example.com/a/b: x
    ok: "yes please"
spec:
  nodeSelector:
    disk: ssd-
  containers: [{name: web, image: nginx}]
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: kubernetes.io/hostname
          labelSelector:
            matchExpressions:
              - {key: app, operator: Equals, values: [web]}
              - {key: tier, operator: In, values: []}
              - {key: zone, operator: Exists, values: [a]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector:
    app: -web
  ports: [{port: 80}]
""",
        [
            ("K8S003", 6),
            ("K8S003", 7),
            ("K8S003", 10),
            ("K8S003", 18),
            ("K8S003", 19),
            ("K8S003", 20),
            ("K8S003", 27),
            ("K8S009", 26),
        ],
    ),
    "K8S004 annotation keys are compared lower-cased; size limit": (
        """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    Example.COM/Owner: platform
    "-bad": x
""",
        [("K8S004", 7)],
    ),
    "K8S005 invalid and duplicate container names across groups": (
        """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  initContainers:
    - name: setup
      image: busybox
  containers:
    - name: App
      image: nginx
    - name: setup
      image: busybox
""",
        [("K8S005", 9), ("K8S005", 11)],
    ),
    "K8S006 container and Service ports": (
        """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: nginx
      ports:
        - {name: http, containerPort: 80}
        - {name: http, containerPort: 8080}
        - {containerPort: 70000}
---
apiVersion: v1
kind: Service
metadata: {name: app}
spec:
  ports:
    - name: HTTP
      port: 80
      targetPort: http_alt
    - port: 443
    - name: https-udp
      port: 443
      protocol: UDP
    - name: again
      port: 443
""",
        [("K8S006", 10), ("K8S006", 11), ("K8S006", 18), ("K8S006", 20), ("K8S006", 21), ("K8S006", 26)],
    ),
    "K8S007 duplicate env names": (
        """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: nginx
      env:
        - {name: MODE, value: a}
        - {name: 1ST-PLACE, value: b}
        - {name: MODE, value: c}
""",
        [("K8S007", 11)],
    ),
    "K8S008 quantities and requests above limits": (
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            requests: {cpu: 2, memory: 512MB}
            limits: {cpu: 1000m, memory: 1Gi}
        - name: sidecar
          image: busybox
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 0.1, memory: 64Mi}
""",
        [("K8S008", 13), ("K8S008", 13)],
    ),
    "K8S009 warning when the page shows other pods; namespaces count": (
        """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: blog
  labels: {app: web}
spec:
  containers: [{name: web, image: nginx}]
""",
        [("K8S009", 5)],
    ),
    "K8S010 numeric targetPort is not checked": (
        """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - {name: a, port: 80, targetPort: 8080}
    - {name: b, port: 81, targetPort: metrics}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web, extra: x}}
spec:
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 80}]}]
""",
        [("K8S010", 8)],
    ),
    "K8S011 HPA alone, and HPA naming the wrong kind": (
        """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
""",
        [("K8S011", 15)],
    ),
    "K8S012 backend Service not on the page": (
        """\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend:
    service:
      name: web
      port: {number: 80}
  rules:
    - http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service: {name: api, port: {name: http}}
""",
        [("K8S012", 13), ("K8S012", 21)],
    ),
    "K8S013 volume items and optional references": (
        """\
apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data:
  app.properties: "x=1"
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: busybox
      env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: conf, key: missing, optional: true}
        - name: B
          valueFrom:
            secretKeyRef: {name: not-shown, key: anything}
  volumes:
    - name: config
      configMap:
        name: conf
        items:
          - key: application.properties
            path: app.properties
    - name: both
      projected:
        sources:
          - configMap:
              name: conf
              items: [{key: other, path: o}]
""",
        [("K8S013", 26), ("K8S013", 33)],
    ),
    "K8S014 tcpSocket and lifecycle named ports": (
        """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: nginx
      ports: [{name: http, containerPort: 80}]
      livenessProbe:
        tcpSocket: {port: web}
      readinessProbe:
        httpGet: {path: /, port: 80}
      lifecycle:
        preStop:
          httpGet: {path: /quit, port: http}
""",
        [("K8S014", 10)],
    ),
    "K8S015 volumes, claim templates and mount paths": (
        """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:17
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql}
            - {name: conf, mountPath: /etc/postgresql}
            - {name: Conf, mountPath: /etc/postgresql}
            - {name: logs, mountPath: /var/log}
      volumes:
        - {name: conf, emptyDir: {}}
        - {name: conf, emptyDir: {}}
        - {name: Conf, emptyDir: {}}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
""",
        [("K8S015", 15), ("K8S015", 16), ("K8S015", 19), ("K8S015", 20)],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_rule_positions(name: str, settings: Settings) -> None:
    text, expected = CASES[name]
    assert found(text, settings) == sorted(expected)


def test_annotations_over_256_kib(settings: Settings) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  annotations:\n"
    text += "".join(f"    note-{i}: {'x' * 1000}\n" for i in range(300))
    assert found(text, settings) == [("K8S004", 5)]


def test_strict_env_names_only_for_old_versions(settings: Settings) -> None:
    text = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: app}
    spec:
      containers:
        - name: app
          image: nginx
          env: [{name: 1ST-PLACE, value: b}]
    """
    assert found(text, settings, versions=("1.35", "1.37")) == []
    block = make_block(textwrap.dedent(text), kind=Kind.KUBERNETES)
    settings.kubernetes_versions = ("1.33", "1.37")
    [finding] = run(settings, block)[block.id]
    assert (finding.rule, finding.line, finding.severity, finding.versions) == ("K8S007", 8, Severity.ERROR, ("1.33",))
    assert "1ST-PLACE" in finding.message and "1.33" in finding.message


def test_duplicate_env_is_a_warning_and_service_alone_is_info(settings: Settings) -> None:
    text, _ = CASES["K8S007 duplicate env names"]
    block = make_block(text, kind=Kind.KUBERNETES)
    [dup] = run(settings, block)[block.id]
    assert dup.severity is Severity.WARNING and "MODE" in dup.message and "env[0]" in dup.message
    alone = make_block(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}}\n", kind=Kind.KUBERNETES
    )
    [note] = run(settings, alone)[alone.id]
    assert (note.rule, note.severity, note.line) == ("K8S009", Severity.INFO, 4)
    assert not DEFAULT_VERDICT.fails(note)


def test_messages_name_objects_and_values(settings: Settings) -> None:
    rule = next(r for r in RULES if r.id == "K8S001")
    block = make_block(rule.fails_example, kind=Kind.KUBERNETES)
    [finding] = run(settings, block)[block.id]
    assert 'Deployment "web"' in finding.message and "app=web" in finding.message and "app=frontend" in finding.message
    assert (finding.line, finding.column) == (8, 12)  # the value `web` of matchLabels.app


# -- pages ----------------------------------------------------------------------------------------------

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"
POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: %s}}\n"
    "spec:\n  containers: [{name: c, image: nginx}]\n"
)


def test_objects_on_other_blocks_of_the_page_count(settings: Settings) -> None:
    service = make_block(SERVICE, kind=Kind.KUBERNETES, page="docs/a.md", index=0)
    matching = make_block(POD % "web", kind=Kind.KUBERNETES, page="docs/a.md", index=1)
    assert run(settings, service, matching) == {}
    other = make_block(POD % "api", kind=Kind.KUBERNETES, page="docs/a.md", index=1)
    out = run(settings, service, other)
    assert list(out) == [service.id]  # the finding lands on the Service's block
    assert [(f.rule, f.severity, f.line) for f in out[service.id]] == [("K8S009", Severity.WARNING, 5)]


def test_objects_on_other_pages_do_not_count(settings: Settings) -> None:
    service = make_block(SERVICE, kind=Kind.KUBERNETES, page="docs/a.md")
    pod = make_block(POD % "web", kind=Kind.KUBERNETES, page="docs/b.md")
    out = run(settings, service, pod)
    assert [(f.rule, f.severity) for f in out[service.id]] == [("K8S009", Severity.INFO)]


def test_only_kubernetes_blocks_are_judged(settings: Settings) -> None:
    fragment = make_block(POD % "-bad", kind=Kind.KUBERNETES_FRAGMENT)
    yaml_block = make_block(POD % "-bad", kind=Kind.YAML)
    assert run(settings, fragment, yaml_block) == {}
    assert found(POD % "-bad", settings) == [("K8S003", 3)]


PAGE = """\
# Web

```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
```

Some prose.

- In a list:

    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
            - name: web
              image: nginx:1.27
              ports:
                - name: web
                  containerPort: 80
    ```
"""


def test_through_the_pipeline_findings_land_on_markdown_lines(settings: Settings) -> None:
    report = Pipeline(settings, only=["kubernetes-rules"]).run([Page("docs/web.md", PAGE)])
    by_block = {r.block.index: r for r in report.results}
    service, deployment = by_block[0], by_block[1]
    assert [(f.file, f.line, f.column, f.rule) for f in service.findings] == [("docs/web.md", 13, 19, "K8S010")]
    assert service.status.value == "failed"
    assert deployment.findings == [] and deployment.status.value == "passed"


# -- odd shapes never crash -----------------------------------------------------------------------------

ODD = [
    "apiVersion: v1\nkind: Pod\nmetadata: [a, b]\nspec: []\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: 123, labels: [a], annotations: 5}\nspec: {containers: {a: 1}}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [1, null, {name: 5, env: [1, {name: null}],"
    " ports: [{name: 1, containerPort: x}], resources: {requests: [1], limits: {cpu: [2]}}}]\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: [1], template: {metadata: 3}}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: [x],"
    " matchExpressions: [{key: 1, operator: In, values: 3}, 7]}, template: {spec: {}}}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: [app], ports: {a: 1}}\n",
    "apiVersion: v2\nkind: HorizontalPodAutoscaler\nspec: {scaleTargetRef: [1]}\n---\n"
    "kind: Ingress\nspec: {rules: [{http: 1}]}\n",
    "- just\n- a list\n---\n42\n---\nkind: [Pod]\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p\n",  # a syntax error: the YAML check reports it
]


@pytest.mark.parametrize("text", ODD)
def test_odd_shapes_do_not_crash(text: str, settings: Settings) -> None:
    block = make_block(text, kind=Kind.KUBERNETES)
    out = run(settings, block)
    assert all(f.line for findings in out.values() for f in findings)


def test_odd_shapes_still_report_what_is_checkable(settings: Settings) -> None:
    assert found(ODD[2], settings) == [("K8S008", 5)]  # limits.cpu [2] is not a quantity


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.sampled_from(["app", "web", "http", "1Gi"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "metadata",
                    "spec",
                    "template",
                    "selector",
                    "matchLabels",
                    "matchExpressions",
                    "labels",
                    "containers",
                    "initContainers",
                    "ports",
                    "env",
                    "name",
                    "resources",
                    "requests",
                    "limits",
                    "volumes",
                    "items",
                    "key",
                    "operator",
                    "values",
                    "scaleTargetRef",
                    "rules",
                    "http",
                    "paths",
                    "backend",
                    "service",
                    "port",
                    "valueFrom",
                    "secretKeyRef",
                    "configMap",
                    "data",
                    "targetPort",
                    "kind",
                    "annotations",
                    "readinessProbe",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@hsettings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Pod",
                    "Deployment",
                    "Service",
                    "Job",
                    "CronJob",
                    "Ingress",
                    "HorizontalPodAutoscaler",
                    "Secret",
                    "ConfigMap",
                    "ReplicationController",
                    "Namespace",
                ]
            ),
            json_values,
        ),
        max_size=4,
    )
)
def test_rules_never_raise_on_any_shape(objects: list) -> None:
    objs = [Obj({"kind": kind, **(data if isinstance(data, dict) else {"spec": data})}) for kind, data in objects]
    for hit in evaluate(objs, Context(versions=("1.33",))):
        assert hit.rule.startswith("K8S") and isinstance(hit.path, tuple)


label_text = st.from_regex(r"[a-z]([a-z0-9]{0,6}[a-z0-9])?", fullmatch=True)


@hsettings(max_examples=100, deadline=None)
@given(st.dictionaries(label_text, label_text, min_size=1, max_size=5), st.data())
def test_selector_matches_exactly_the_subsets_of_the_template_labels(labels: dict, data: st.DataObject) -> None:
    subset = data.draw(st.sets(st.sampled_from(sorted(labels)), min_size=1))
    extra = data.draw(st.dictionaries(label_text, label_text, max_size=2))
    selector = {k: labels[k] for k in subset} | extra
    deployment = {
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": selector}, "template": {"metadata": {"labels": labels}}},
    }
    hits = evaluate([Obj(deployment)], only=["K8S001"])
    wrong = {k for k, v in selector.items() if labels.get(k) != v}
    assert {h.path[-1] for h in hits} == wrong


# -- the real corpus ------------------------------------------------------------------------------------

# The one object in the corpus the API server really rejects: a template the page runs through `sed`
# before applying (`process-item-$ITEM` is not a DNS-1123 subdomain until $ITEM is replaced).
CORPUS_ERRORS = {("application/job/job-tmpl.yaml", "K8S002", 4)}


@pytest.mark.slow
def test_corpus_has_no_false_errors(corpus: Path, settings: Settings) -> None:
    base = corpus / "k8s-website" / "content" / "en" / "examples"
    files = sorted(base.rglob("*.yaml"))
    blocks = [
        make_block(p.read_text(encoding="utf-8"), kind=Kind.KUBERNETES, page=str(p.relative_to(base))) for p in files
    ]
    objs = [obj for block in blocks for obj in objects_of(block)]
    assert (len(files), len(objs), len(pods(objs))) == (377, 418, 230)  # every resource is judged
    out = run(settings, *blocks)
    findings = [(bid.rsplit("#", 1)[0], f) for bid, fs in out.items() for f in fs]
    errors = {(page, f.rule, f.line) for page, f in findings if f.severity is Severity.ERROR}
    assert errors == CORPUS_ERRORS
    counts = Counter((f.rule, f.severity.value) for _, f in findings)
    # Measured: no cross-reference warnings; 22 Services shown on pages without any pod, and HPAs (2) and
    # Ingress backends (13) naming objects the page does not show (informational).
    assert counts == {("K8S002", "error"): 1, ("K8S009", "info"): 22, ("K8S011", "info"): 2, ("K8S012", "info"): 13}
