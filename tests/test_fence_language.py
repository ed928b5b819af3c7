"""Fence language sniffing on text and unlabelled fences: a warning where a checkable example hides, and
silence for real output and prose (each case both ways)."""

from __future__ import annotations

import textwrap

import pytest

from conftest import ROOT
from docs_examples.blocks.extract import extract_page
from docs_examples.blocks.sniff import text_lookalike
from docs_examples.findings import Severity, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Result
from docs_examples.settings import Settings

INGRESS = """\
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: web
spec:
  backend:
    serviceName: web
    servicePort: 80"""

LIVE_INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: "2024-01-01T00:00:00Z"
  name: web
  namespace: default
  resourceVersion: "1234"
  uid: 6f1c2b7e-0000-4000-8000-000000000000
spec:
  rules: []
status:
  loadBalancer: {}"""

DOCKERFILE = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/app

FROM gcr.io/distroless/static
COPY --from=build /app /app
ENTRYPOINT ["/app"]"""

SESSION = """\
$ trivy image --exit-code 1 python:3.4-alpine3.9
2019-05-16T12:53:10.076+0900    INFO    Updating vulnerability database..."""


def check(markdown: str) -> Result:
    pipeline = Pipeline(Settings(root=ROOT, cache_dir=None), only=["yaml", "kubernetes-schema"])
    [result] = pipeline.run([Page("docs/page.md", textwrap.dedent(markdown))]).results
    return result


@pytest.mark.parametrize("fence", ["```", "```text", "``` txt", "```plaintext"])
@pytest.mark.parametrize(
    ("body", "what", "fence_to_use"),
    [
        (INGRESS, "a Kubernetes manifest (Ingress networking.k8s.io/v1beta1)", "```yaml"),
        (DOCKERFILE, "a Dockerfile", "```dockerfile"),
        (SESSION, "a shell session", "```console"),
    ],
)
def test_a_checkable_example_in_a_text_fence_gets_one_warning(
    fence: str, body: str, what: str, fence_to_use: str
) -> None:
    result = check(f"{fence}\n{body}\n```\n")
    [finding] = result.findings
    assert (finding.rule, finding.severity, finding.line, finding.tool) == (
        "fence-language",
        Severity.WARNING,
        1,
        "docs-examples",
    )
    assert f"looks like {what}" in finding.message and f"fence it as {fence_to_use}" in finding.message
    assert result.status is Status.FAILED
    assert result.block.kind.value == "text"  # still text: the author picks the fence, we only point


@pytest.mark.parametrize(
    "body",
    [
        LIVE_INGRESS,  # what `kubectl get -o yaml` printed: output, not an example to apply
        "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5m",
        "The controller reconciles every Application and reports its status in the UI.",
        "apiVersion and kind are required; metadata.name must be unique.",
        "kind: Pod\nname: web",  # no apiVersion: not a complete object
        "FROM is the first instruction of a Dockerfile; RUN executes commands.",
        "$100 per month\n$ is the currency sign",
        "Usage:\n  argocd app get APPNAME [flags]",
    ],
)
def test_output_and_prose_in_text_fences_are_left_alone(body: str) -> None:
    assert text_lookalike(body) is None
    result = check(f"```text\n{body}\n```\n")
    assert result.findings == [] and result.status is Status.UNCHECKED


@pytest.mark.parametrize("language", ["log", "output", "diff", "console-output", "mermaid"])
def test_output_languages_are_never_sniffed(language: str) -> None:
    result = check(f"```{language}\n{INGRESS}\n```\n")
    assert result.findings == [] and result.status is Status.UNCHECKED


def test_data_kind_says_what_a_block_is() -> None:
    quiet = check(f'```{{ .text data-kind="text" }}\n{INGRESS}\n```\n')
    assert quiet.findings == [] and quiet.status is Status.UNCHECKED
    checked = check(f'```{{ .text data-kind="kubernetes" }}\n{INGRESS}\n```\n')
    assert checked.block.kind.value == "kubernetes"
    assert any(f.tool == "kubernetes-schema" for f in checked.findings)  # v1beta1 Ingress is gone: caught


def test_an_unclosed_fence_is_no_block_to_sniff() -> None:
    page = extract_page("docs/page.md", f"```\n{INGRESS}\n", settings=Settings(cache_dir=None))
    assert page.blocks == [] and [p.rule for p in page.problems] == ["unclosed-fence"]


def test_fail_on_error_leaves_a_sniffed_block_unchecked_not_validated() -> None:
    settings = Settings(root=ROOT, cache_dir=None, fail_on="error")
    [result] = Pipeline(settings, only=["yaml"]).run([Page("docs/page.md", f"```\n{DOCKERFILE}\n```\n")]).results
    assert result.status is Status.UNCHECKED
    assert [f.rule for f in result.findings] == ["fence-language"]
