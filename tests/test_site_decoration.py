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
from docs_examples.site import decorate, downloads, pages
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


def test_passed_block_says_validated_with_tool_and_version():
    line = status_line(result(Status.PASSED), {}, VERSIONS)
    assert line is not None
    assert line.state == "validated"
    assert line.text == "Validated: hadolint 2.15.1 · no warnings"


def test_kubernetes_block_names_the_versions_and_the_check_phrase():
    r = result(Status.PASSED, Kind.KUBERNETES)
    r.checks = [CheckRun("kubernetes-schema", "kubeconform 0.7.0")]
    line = status_line(r, {"kubernetes-schema": "kubeconform strict"}, VERSIONS)
    assert line.text == "Validated: kubeconform strict · Kubernetes 1.35–1.37 · no warnings"


def test_block_versions_override_the_site_versions():
    r = result(Status.PASSED, Kind.KUBERNETES)
    r.block.attrs["data-k8s-versions"] = "1.36,1.37"
    assert "Kubernetes 1.36–1.37" in status_line(r, {}, VERSIONS).text


def test_expected_failure_names_the_rule():
    line = status_line(result(Status.EXPECTED_FAILURE, note="DL3007"), {}, VERSIONS)
    assert line.state == "anti-pattern"
    assert line.text.startswith("Anti-pattern: fails DL3007 on purpose")


def test_skipped_says_why_and_claims_no_proof():
    line = status_line(result(Status.SKIPPED, note="needs a CRD"), {}, VERSIONS)
    assert line.text == "Not checked: needs a CRD"
    assert "Validated" not in line.text


def test_unchecked_gets_no_line():
    r = result(Status.UNCHECKED)
    r.checks = []
    assert status_line(r, {}, VERSIONS) is None


def test_tool_error_is_never_validated():
    r = result(Status.ERROR, findings=[Finding("hadolint", "tool-error", Severity.ERROR, "missing")])
    assert "Validated" not in status_line(r, {}, VERSIONS).text


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


def test_downloads_hold_exactly_the_block_text(tmp_path: Path):
    block = make_block("key: ümlaut\nlast line without newline", kind=Kind.YAML)
    written = downloads.write_blocks([block], {block.id: PurePosixPath("p/block.yaml")}, tmp_path)
    assert written[0].read_bytes() == "key: ümlaut\nlast line without newline".encode()


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
