"""Status lines, HTML decoration, downloads and the generated pages, from real rendered Markdown."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

import markdown
import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind
from docs_examples.directives import DIRECTIVES
from docs_examples.findings import Finding, Severity, Status
from docs_examples.results import CheckRun, Result
from docs_examples.site import decorate, downloads, pages, status
from docs_examples.site.status import status_line, version_range

EXTENSIONS = ["attr_list", "admonition", "pymdownx.details", "pymdownx.highlight", "pymdownx.superfences"]
CONFIGS = {"pymdownx.highlight": {"anchor_linenums": True}}
VERSIONS = ("1.35", "1.36", "1.37")


def render(text: str) -> str:
    """What MkDocs + Material render for a page body (same extensions as mkdocs.yml)."""
    return markdown.markdown(text, extensions=[*EXTENSIONS, "pymdownx.tabbed"], extension_configs=CONFIGS)


def result(status: Status, kind: Kind = Kind.DOCKERFILE, **extra) -> Result:
    block = make_block("FROM alpine:3.20", kind=kind)
    runs = [CheckRun("hadolint", "hadolint 2.15.1")]
    return Result(block=block, status=status, checks=runs, **extra)


@pytest.mark.parametrize(
    ("versions", "expected"),
    [(("1.35", "1.36", "1.37"), "1.35–1.37"), (("1.30", "1.35"), "1.30, 1.35"), (("1.37",), "1.37"), ((), "")],
)
def test_version_range(versions, expected):
    assert version_range(versions) == expected


def test_passed_block_names_the_tools_and_keeps_versions_for_the_details():
    line = status_line(result(Status.PASSED), {}, VERSIONS)
    assert line is not None
    assert line.state == "validated"
    assert line.text == "Checked: hadolint"
    assert line.details == ("hadolint 2.15.1",)


def test_kubernetes_block_names_the_versions_and_joins_checks_of_one_subject():
    r = result(Status.PASSED, Kind.KUBERNETES)
    r.checks = [
        CheckRun("yaml", "PyYAML 6.0.4"),
        CheckRun("kubernetes-schema", "jsonschema-rs 0.61.0, kubernetes-validate 1.37.0 schemas"),
        CheckRun("kubernetes-rules", "k8s-rules 72dbb34f879d"),
    ]
    describe = {"kubernetes-schema": "strict schemas (embedded engine)", "kubernetes-rules": "API rules K8S001–K8S015"}
    line = status_line(r, describe, VERSIONS)
    assert line.text == "Checked: Kubernetes 1.35–1.37 schemas and API rules"
    assert "72dbb34f879d" not in " ".join(line.details)  # a content hash is no version for readers
    assert "Kubernetes API rules K8S001–K8S015" in line.details


def test_a_new_check_is_named_from_its_label_without_an_edit():
    r = result(Status.PASSED)
    r.checks = [
        CheckRun("dockerfile-syntax", "BuildKit parser (dockerfile 3.4.0)"),
        CheckRun("hadolint", "hadolint 2.15.1"),
        CheckRun("buildkit-checks", "BuildKit 0.26.2"),
    ]
    line = status_line(r, {"buildkit-checks": "BuildKit build checks (0.26.2)"}, VERSIONS)
    assert line.text == "Checked: BuildKit parser and build checks · hadolint"
    assert "BuildKit's Dockerfile parser (Python package dockerfile 3.4.0)" in line.details


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("actionlint 1.14.0 (kjanat fork)", "actionlint 1.14.0"),
        ("promtool 2.42.0+ds", "promtool 2.42.0"),
        ("k8s-rules 72dbb34f879d", "k8s-rules"),
        ("kubectl 1.37.1 (kustomize v5.8.1)", "kubectl 1.37.1 (kustomize v5.8.1)"),
    ],
)
def test_versions_lose_build_machine_remarks(raw, plain):
    assert status.plain_version(raw) == plain


def test_a_syntax_only_check_says_so():
    r = result(Status.PASSED, Kind.YAML)
    r.checks = [CheckRun("yaml", "PyYAML 6.0.4")]
    assert status_line(r, {}, VERSIONS).text == "Checked: YAML syntax only"


def test_block_versions_override_the_site_versions():
    r = result(Status.PASSED, Kind.KUBERNETES)
    r.block.attrs["data-k8s-versions"] = "1.36,1.37"
    r.checks = [CheckRun("kubernetes-schema", "jsonschema-rs 0.61.0")]
    assert "Kubernetes 1.36–1.37" in status_line(r, {}, VERSIONS).text


def test_expected_failure_names_the_rule():
    line = status_line(result(Status.EXPECTED_FAILURE, note="DL3007"), {}, VERSIONS)
    assert line.state == "anti-pattern"
    assert line.text == "Anti-pattern: fails DL3007 on purpose"
    assert line.rules == ("DL3007",)


def test_rule_ids_link_to_their_rows_and_details_open_on_request():
    line = status_line(result(Status.EXPECTED_FAILURE, note="DL3007"), {}, VERSIONS)
    html = decorate.fragment(line, "a.Dockerfile", "a.Dockerfile", {"DL3007": "../../examples/checks/#rule-dl3007"})
    assert '<a class="dx-status__rule" href="../../examples/checks/#rule-dl3007">DL3007</a>' in html
    assert "<details" in html and 'title="hadolint 2.15.1"' in html and "<li>hadolint 2.15.1</li>" in html


def test_skipped_says_why_and_claims_no_proof():
    line = status_line(result(Status.SKIPPED, note="needs a CRD"), {}, VERSIONS)
    assert line.text == "Not checked: needs a CRD"
    assert "Checked" not in line.text


def test_unchecked_gets_no_line():
    r = result(Status.UNCHECKED)
    r.checks = []
    assert status_line(r, {}, VERSIONS) is None


def test_tool_error_is_never_validated():
    r = result(Status.ERROR, findings=[Finding("hadolint", "tool-error", Severity.ERROR, "missing")])
    assert "Checked" not in status_line(r, {}, VERSIONS).text


def test_code_blocks_found_in_rendered_markdown():
    html = render(
        '```bash\necho 1\n```\n\n=== "A"\n\n    ```yaml linenums="1"\n    a: 1\n    ```\n\n'
        "!!! note\n    ```\n    plain\n    ```\n\ntext\n"
    )
    blocks = decorate.code_blocks(html)
    assert len(blocks) == 3
    for b in blocks:
        chunk = html[b.start : b.end]
        assert chunk.startswith("<div") and chunk.endswith("</div>")
        assert chunk.count("<div") == chunk.count("</div>")


def test_status_line_goes_after_the_annotation_list():
    """Material turns the list right after an annotated block into pop-ups; nothing may come between them."""
    html = render("```yaml\nreplicas: 3  # (1)!\n```\n\n1. Three pods.\n\n```yaml\na: 1\n```\n\n1. Not annotations.\n")
    first, second = decorate.code_blocks(html)
    assert html[first.start : first.end].endswith("</ol>")  # the annotated block owns its list
    assert html[second.start : second.end].endswith("</div>")  # no marker: the list is ordinary prose
    out = decorate.insert(html, [first, second], ["", ""], ["<s1/>", "<s2/>"])
    assert out.index("Three pods.") < out.index("<s1/>") < out.index("<s2/>") < out.index("Not annotations.")


def test_insert_puts_fragments_after_each_wrapper():
    html = render("```bash\necho 1\n```\n\n```bash\necho 2\n```\n")
    blocks = decorate.code_blocks(html)
    out = decorate.insert(html, blocks, ["<a1/>", "<a2/>"], ["<s1/>", "<s2/>"])
    assert out.index("<a1/>") < out.index("echo") < out.index("<s1/>") < out.index("<a2/>") < out.index("<s2/>")
    assert out.replace("<a1/>", "").replace("<a2/>", "").replace("<s1/>", "").replace("<s2/>", "") == html


def test_fragment_escapes_text_and_link():
    line = status_line(result(Status.SKIPPED, note='<script>alert(1)</script> "x"'), {}, VERSIONS)
    html = decorate.fragment(line, 'examples/a"b.sh', "<b>.sh")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="examples/a&quot;b.sh"' in html


def test_relative_urls():
    assert pages.relative_url("examples/guide/x/a.yaml", "guide/x/") == "../../examples/guide/x/a.yaml"
    assert pages.relative_url("guide/x/", "examples/") == "../guide/x/"
    assert pages.relative_url("", "examples/") == "../"
    assert pages.relative_url("guide/x.html", "examples/index.html") == "../guide/x.html"


def test_download_paths_cannot_escape(tmp_path: Path):
    with pytest.raises(downloads.UnsafePath):
        downloads.inside(tmp_path, PurePosixPath("../../x"))
    assert downloads.inside(tmp_path, "a/b.yaml") == tmp_path.resolve() / "a" / "b.yaml"


def test_downloads_hold_the_block_text_and_a_final_newline(tmp_path: Path):
    block = make_block("key: ümlaut\nlast line  \n\n", kind=Kind.YAML)
    written = downloads.write_blocks([block], {block.id: PurePosixPath("p/block.yaml")}, tmp_path)
    assert written[0].read_bytes() == "key: ümlaut\nlast line\n".encode()  # trimmed like the copy button


def test_annotated_download_is_what_the_copy_button_copies(tmp_path: Path):
    text = "a: 1 # (1)!\nb: 2 # see (2)\nc: '# (1)!'\nd: 4 # (9)!"
    html = render(f"```yaml\n{text}\n```\n\n1. One.\n2. Two.\n")
    (block,) = decorate.code_blocks(html)
    copied = decorate.copied_text(html[block.start : block.end])
    # (n)! with a list item n takes its whole comment away; a bare (n) only itself; strings are not comments;
    # a marker without a list item stays, as Material leaves it.
    assert copied == "a: 1 \nb: 2 # see \nc: '# (1)!'\nd: 4 (9)"
    source = make_block(text, kind=Kind.YAML)
    written = downloads.write_blocks([source], {source.id: PurePosixPath("p/a.yaml")}, tmp_path, {source.id: copied})
    assert written[0].read_bytes() == (copied + "\n").encode()
    plain = render("```yaml\na: 1 # (1)!\n```\n\nNo list.\n")
    (only,) = decorate.code_blocks(plain)
    assert decorate.copied_text(plain[only.start : only.end]) is None  # no annotations: the text itself


def test_archive_is_reproducible(tmp_path: Path):
    src = tmp_path / "app"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("a")
    (src / "sub" / "b.sh").write_text("echo b")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    assert downloads.write_archive(src, first) == 2
    downloads.write_archive(src, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert z.namelist() == ["app/a.txt", "app/sub/b.sh"]
        assert z.read("app/sub/b.sh") == b"echo b"


def test_archive_leaves_out_caches_the_tests_leave_behind(tmp_path: Path):
    src = tmp_path / "app"
    for junk in ("__pycache__/m.cpython-311.pyc", ".pytest_cache/v", ".ruff_cache/x", "pkg/stale.pyc"):
        (src / junk).parent.mkdir(parents=True, exist_ok=True)
        (src / junk).write_text("junk")
    (src / "pkg" / "m.py").write_text("x = 1")
    target = tmp_path / "a.zip"
    assert downloads.write_archive(src, target) == 1
    with zipfile.ZipFile(target) as z:
        assert z.namelist() == ["app/pkg/m.py"]


def test_index_rows_escape_and_link():
    block = make_block("echo", kind=Kind.SHELL, page="docs/guide/x.md", index=2)
    block.heading, block.tabs, block.title = 'A "quoted" & <b>', ("<img src=x>",), None
    r = Result(block=block, status=Status.PASSED, checks=[CheckRun("bash", "bash 5.2")])
    rows = pages.index_rows([r], {"docs/guide/x.md": "guide/x/"}, {}, {}, "examples/")
    assert rows[0].href == "../guide/x/#dx-example-3"
    html = pages.examples_index(rows)
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html
    assert "&quot;quoted&quot; &amp; &lt;b&gt;" in html


def test_checks_page_comes_from_the_configuration():
    text = pages.checks_page(
        {"hadolint": "hadolint 2.15.1"}, {"hadolint": ["dockerfile"]}, VERSIONS, "error", "3 blocks"
    )
    assert "| `hadolint` | hadolint 2.15.1 | dockerfile |" in text
    assert "1.35–1.37" in text
    assert "severity **error** fail" in text and "warning, info, style are reported" in text
    for key in DIRECTIVES:
        assert f"`{key}`" in text
    assert "```\n" not in text  # generated pages add no code blocks


def test_every_rule_row_gets_an_anchor_and_named_rules_get_rows():
    named = [
        pages.NamedRule("DL3007", "hadolint", "Using latest is prone to errors"),
        pages.NamedRule("K8S001", "k8s", "x"),
    ]
    text = pages.checks_page({}, {}, VERSIONS, "warning", "1 block", named)
    rows = pages.rule_rows(text)
    assert {"DL3007", "K8S001", "K8S015"} <= rows
    for rule in rows:
        assert text.count(f'id="{pages.rule_anchor(rule)}"') == 1, rule  # one anchor, in its row
    assert "| `DL3007` | hadolint | Using latest is prone to errors |" in text.replace(
        '<span class="dx-rule-anchor" id="rule-dl3007"></span>', ""
    ).replace("|  `", "| `")
    assert text.count("`K8S001`") == 1  # explained by the API rules table, not repeated


def test_index_rows_carry_kind_and_status_group_for_the_filters():
    fix = Result(make_block("a: 1", kind=Kind.YAML, index=0), Status.PASSED, checks=[CheckRun("yaml", "PyYAML")])
    anti = Result(make_block("FROM x:latest", kind=Kind.DOCKERFILE, index=1), Status.EXPECTED_FAILURE, note="DL3007")
    rows = pages.index_rows([fix, anti], {"docs/test.md": "test/"}, {}, {}, "examples/")
    html = pages.examples_index(rows)
    assert 'data-dx-kind="dockerfile" data-dx-state="expected-failure" data-dx-group="expected-failure"' in html
    assert 'data-dx-group="passed"' in html
    assert '<select data-dx-filter-status="dx-examples-table">' in html and "(1)</option>" in html
    assert '<table id="dx-examples-table">' in html  # no class: Material's own table style applies
