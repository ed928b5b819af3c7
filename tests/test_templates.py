"""Template syntax in blocks: mkdocs-macros (default and custom markers), Helm, markdown-include, and the YAML
that merely carries ``{{ … }}`` in its strings (still checked)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from docs_examples.blocks.templates import Macros, macros_options
from docs_examples.findings import Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Result
from docs_examples.settings import Settings, from_mkdocs_yml

CHECKS = ["yaml", "bash", "shellcheck", "dockerfile-syntax", "kubernetes-schema", "prometheus"]


def site(tmp_path: Path, mkdocs_yml: str, page: str) -> list[Result]:
    """Check one page of a site whose mkdocs.yml is ``mkdocs_yml``, as the CLI reads it."""
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(mkdocs_yml), encoding="utf-8")
    settings = from_mkdocs_yml(tmp_path / "mkdocs.yml")
    settings.cache_dir = None
    return Pipeline(settings, only=CHECKS).run([Page("docs/page.md", textwrap.dedent(page))]).results


MACROS_SITE = """\
site_name: demo
plugins:
  - macros
extra:
  tools:
    version: "3.2.1"
  image: "nginx:1.27-alpine"
"""


# -- mkdocs-macros ------------------------------------------------------------------------------------------


def test_macros_variables_from_extra_are_rendered_then_checked(tmp_path: Path) -> None:
    page = """\
        ```bash
        curl -sSLO https://example.com/releases/v{{ tools.version }}/tool.tgz
        ```

        ```dockerfile
        FROM {{ image }}
        COPPY index.html /usr/share/nginx/html/
        ```
        """
    shell, dockerfile = site(tmp_path, MACROS_SITE, page)
    assert shell.block.text == "curl -sSLO https://example.com/releases/v3.2.1/tool.tgz"
    assert shell.status is Status.PASSED
    assert dockerfile.block.text.startswith("FROM nginx:1.27-alpine\n")
    assert dockerfile.status is Status.FAILED  # the rendered Dockerfile is checked: COPPY is caught
    assert ("unknown-instruction", 7) in [(f.rule, f.line) for f in dockerfile.findings if f.fails]


def test_macros_that_need_the_sites_code_leave_the_block_unchecked_never_broken(tmp_path: Path) -> None:
    page = """\
        ```bash
        curl -sfL https://example.com/install.sh | sh -s -- -b /usr/local/bin {{ git.tag }}
        ```

        ```yaml
        image: {{ image | upper }}
        {% if tools %}debug: true{% endif %}
        ```
        """
    results = site(tmp_path, MACROS_SITE, page)
    assert [(r.block.kind.value, r.status) for r in results] == [("template", Status.UNCHECKED)] * 2
    assert all(r.findings == [] for r in results)
    assert results[0].note == "mkdocs-macros template: not checked (it needs more than plain variables from extra:)"


def test_custom_markers_from_the_sites_configuration(tmp_path: Path) -> None:
    mkdocs_yml = MACROS_SITE.replace(
        "  - macros\n",
        "  - macros:\n"
        '      j2_block_start_string: "[[%"\n      j2_block_end_string: "%]]"\n'
        '      j2_variable_start_string: "[["\n      j2_variable_end_string: "]]"\n',
    )
    page = """\
        ```yaml
        image: "[[ image ]]"
        replicas: {{ replicas }}
        ```

        ```yaml
        [[% include 'snippets/values.yaml' %]]
        ```
        """
    rendered, included = site(tmp_path, mkdocs_yml, page)
    assert rendered.block.text.startswith('image: "nginx:1.27-alpine"\n')  # `{{ }}` is no macro on this site
    assert included.block.kind.value == "template" and included.status is Status.UNCHECKED


def test_raw_sections_are_shown_as_written(tmp_path: Path) -> None:
    page = """\
        ```yaml
        {% raw %}
        image: "{{ .Values.image }}"
        {% endraw %}
        ```
        """
    [result] = site(tmp_path, MACROS_SITE, page)
    assert result.block.kind.value == "template" and result.note == "Helm template: not checked"


def test_render_by_default_false_renders_nothing(tmp_path: Path) -> None:
    mkdocs_yml = MACROS_SITE.replace("  - macros\n", "  - macros:\n      render_by_default: false\n")
    [result] = site(tmp_path, mkdocs_yml, "```bash\nrelease --tag {{ tools.version }}\n```\n")
    assert result.block.text == "release --tag {{ tools.version }}"
    assert result.status is Status.PASSED  # `{{ … }}` is a placeholder word for bash and shellcheck


def test_the_sites_macro_module_is_never_imported(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    (tmp_path / "main.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    mkdocs_yml = MACROS_SITE.replace("  - macros\n", "  - macros:\n      module_name: main\n")
    [result] = site(tmp_path, mkdocs_yml, "```bash\necho {{ shout('hi') }}\n```\n")
    assert result.status is Status.UNCHECKED
    assert not marker.exists()


def test_macros_options_keep_markers_and_extra_only() -> None:
    options = macros_options(
        {"macros": {"module_name": "main", "j2_variable_start_string": "[[", "on_undefined": "strict"}},
        {"version": "1.0"},
    )
    assert options == {"j2_variable_start_string": "[[", "render_by_default": True, "extra": {"version": "1.0"}}
    assert macros_options({"search": {}}, {"version": "1.0"}) is None
    macros = Macros.of(options)
    assert macros is not None and macros.variable == ("[[", "}}") and macros.block == ("{%", "%}")
    assert macros.render("v[[ version }}") == "v1.0"
    assert macros.render("v[[ missing }}") is None
    assert macros.render("a {# note #}b") == "a b"


def test_settings_from_mkdocs_yml_carry_the_macros(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(MACROS_SITE, encoding="utf-8")
    settings = from_mkdocs_yml(tmp_path / "mkdocs.yml")
    assert settings.macros is not None and settings.macros["extra"]["image"] == "nginx:1.27-alpine"
    assert Settings(root=ROOT).macros is None


# -- Helm and other template syntax without mkdocs-macros ----------------------------------------------------

HELM = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  {{- with .Values.strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}"""


@pytest.mark.parametrize(
    "body",
    [
        HELM,
        'image: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}"',
        "{{- if .Values.enabled }}\nx: 1\n{{- end }}",
    ],
)
def test_helm_templates_are_unchecked_never_syntax_errors(tmp_path: Path, body: str) -> None:
    [result] = site(tmp_path, "site_name: demo\n", f"```yaml\n{body}\n```\n")
    assert (result.block.kind.value, result.status, result.note) == (
        "template",
        Status.UNCHECKED,
        "Helm template: not checked",
    )
    assert result.findings == []


def test_go_template_control_that_breaks_yaml_is_a_template(tmp_path: Path) -> None:
    [result] = site(tmp_path, "site_name: demo\n", "```yaml\n{{ range $k, $v := .env }}\n- {{ $k }}\n{{ end }}\n```\n")
    assert result.status is Status.UNCHECKED
    assert result.note == "Go template: not checked (its template syntax is not YAML)"


def test_yaml_that_carries_templates_in_its_strings_is_still_checked(tmp_path: Path) -> None:
    page = """\
        ```yaml
        groups:
          - name: app
            rules:
              - alert: HighErrorRate
                expr: rate(errors_total[5m]) > 1
                annotations:
                  summary: "{{ $labels.instance }} fails {{ $value | humanizePercentage }}"
        ```

        ```yaml
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        spec:
          entrypoint: main
          templates:
            - name: main
              container:
                image: busybox
                args: ["{{workflow.name}}"]
        ```
        """
    rules, workflow = site(tmp_path, "site_name: demo\n", page)
    assert rules.block.kind.value == "prometheus-rules"
    assert workflow.block.kind.value == "kubernetes"


def test_a_markdown_include_directive_is_unchecked(tmp_path: Path) -> None:
    [result] = site(tmp_path, "site_name: demo\n", "```yaml\n{!docs/operator-manual/argocd-cm.yaml!}\n```\n")
    assert result.status is Status.UNCHECKED
    assert result.note == "markdown-include directive: the included file is not checked here"
