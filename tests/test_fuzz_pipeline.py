"""Fuzzing the whole pipeline (extract, classify, every check with its real tool) with hypothesis.

Whatever a page holds, the pipeline returns: every block gets a status, every finding names a file and a
line, and no block passes while one of its findings fails it. The examples are few (real tools run for
each) and the deadline is off for the same reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docs_examples.findings import Finding, Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.results import Report
from docs_examples.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = Settings(root=ROOT, cache_dir=None, snippet_paths=[ROOT, ROOT / "snippets"], timeout=60)

LANGUAGES = [
    "bash", "sh", "console", "zsh", "dockerfile", "docker", "yaml", "yml", "json", "python", "hcl", "text", "",
    "toml", "ini", "mermaid", "dockerignore", "bash title='run.sh'", "{ .yaml title=\"compose.yaml\" }",
    "{ .yaml data-check=\"skip\" }", "{ .yaml data-check=\"expect-fail\" }", "{ .bash data-chek=\"skip\" }",
    "{ .yaml data-kind=\"kubernetes\" }", "{ .yaml data-schema=\"Container\" }",
]  # fmt: skip

# Pieces of real examples and of broken ones, so the tools see things worth parsing.
PIECES = [
    "apiVersion: v1", "kind: Pod", "metadata:", "  name: x", "spec:", "  containers:", "    - name: c",
    "      image: nginx:1.29", "services:", "  web:", "    image: nginx", "    ports: [\"80:80\"]", "on: push",
    "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", "      - run: echo $X", "groups:",
    "  - name: g", "    rules:", "      - alert: A", "        expr: up ==", "resources:", "  - deploy.yaml",
    "FROM alpine:3.20", "RUN apk add curl", "COPPY . /app", "RUN <<EOF", "EOF", "if [ -f x ]; then",
    "fi", "echo \"unterminated", "$ ls -la", "> continued", "def f(:", "{\"a\": [1, 2", "key: [unclosed",
    "a: 1\na: 2", "\t\ttabs: x", "---", "...", "&anchor x: *anchor", "!!python/object/apply:os.system [x]",
    "resource \"a\" \"b\" {", "}", "--8<-- \"snippets/missing.yaml\"", "--8<-- \"../../../etc/passwd\"",
    "\x00", "\ufeff", "\u202e", "é", "~~~", "```",
]  # fmt: skip

body = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=12).map("\n".join)
fence = st.sampled_from(["```", "~~~", "````"])


@st.composite
def pages(draw: st.DrawFn) -> str:
    """Markdown with headings, tabs, lists and fenced blocks of every language, some unclosed."""
    parts = ["---\ncheck: " + draw(st.sampled_from(["true", "false", "[x"])) + "\n---\n"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 5))):
        indent = draw(st.sampled_from(["", "    ", "  ", "> "]))
        if indent == "    ":
            parts.append('=== "Tab"\n')
        elif indent == "  ":
            parts.append("- item\n")
        mark = draw(fence)
        lines = [f"{mark}{draw(st.sampled_from(LANGUAGES))}", *draw(body).split("\n")]
        if draw(st.integers(0, 5)):  # mostly closed
            lines.append(mark)
        parts.append("\n".join(indent + line for line in lines))
        parts.append(draw(st.sampled_from(["", "# Heading <b>x</b>", "text", "## Interview Talking Points"])))
    return "\n\n".join(parts)


def _located(finding: Finding) -> bool:
    return bool(finding.file) and finding.line is not None and finding.line >= 1


def _assert_sound(report: Report) -> None:
    """The invariants every run keeps, whatever the page."""
    for result in report.results:
        assert isinstance(result.status, Status)
        for finding in result.findings:
            assert _located(finding), (result.block.language, finding)
        if result.status is Status.PASSED:
            assert not [f for f in result.findings if f.fails], result.findings
        if result.status is Status.UNCHECKED:
            assert not result.findings or not any(f.fails for f in result.findings)
    for problem in report.problems:
        assert _located(problem), problem
    assert report.summary.blocks == len(report.results)


def _run(source: bytes | str) -> Report:
    return Pipeline(SETTINGS).run([Page("docs/fuzz.md", source)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_random_markdown_never_breaks_the_pipeline(page: str) -> None:
    _assert_sound(_run(page))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=400).map(lambda junk: b"# Junk\n\n```yaml\n" + junk + b"\n```\n\n```bash\n" + junk + b"\n```\n")
)
def test_random_bytes_in_blocks_never_break_the_pipeline(source: bytes) -> None:
    report = _run(source)
    _assert_sound(report)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_page_never_break_the_pipeline(source: bytes) -> None:
    _assert_sound(_run(source))


# -- one bad block never decides its neighbours' verdicts --------------------------------------------------

CLEAN = {
    "bash": "echo ok",
    "console": "$ echo ok",
    "dockerfile": "FROM alpine:3.20\nRUN echo ok",
    "yaml": "services:\n  web:\n    image: nginx:1.29",
    "python": "x = 1",
    "json": '{"a": 1}',
}


@pytest.mark.parametrize(
    "bad",
    ["a\x00b", "\x00", "a\udcffb", "\x1b[31m\x07"],
    ids=["nul", "nul-alone", "lone-surrogate", "control"],
)
@pytest.mark.parametrize("language", sorted(CLEAN))
def test_a_bad_block_fails_alone(language: str, bad: str) -> None:
    """Junk on the first line of one block: that block fails (or the page reports it), located; the clean
    block of the same kind beside it still passes. (A NUL made ``bash -n`` refuse the file and every shell
    block of the site became a tool error; a lone surrogate crashed the process inside BuildKit's parser.)"""
    clean = CLEAN[language]
    page = f"# P\n\n```{language}\n{clean}\n```\n\n```{language}\n{bad}\n{clean}\n```\n"
    report = _run(page)
    _assert_sound(report)
    first, second = report.results
    assert first.status is Status.PASSED, [(f.rule, f.message) for f in first.findings]
    assert second.status is not Status.ERROR, [(f.rule, f.message) for f in second.findings]
    if bad != "\x1b[31m\x07":  # control characters are words to a shell: only the NUL and the surrogate fail
        assert second.status is Status.FAILED or any(p.fails for p in report.problems)


# -- the CLI on a folder of nasty pages --------------------------------------------------------------------


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A docs folder of pages nobody should write, and a symlink loop."""
    docs = tmp_path_factory.mktemp("nasty") / "docs"
    docs.mkdir()
    (docs / "nul.md").write_bytes(b"# NUL\n\n```bash\necho a\x00b\n```\n\n```bash\necho fine\n```\n")
    (docs / "badutf8.md").write_bytes(b"# Bad \xff\n\n```yaml\nkey: \xc3\x28\n```\n")
    big = "\n".join(f"k{i}: {'x' * 100}" for i in range(14000))  # 1.5 MB in one block: under the page limit
    (docs / "huge.md").write_text(f"# Huge\n\n```yaml\n{big}\n```\n", encoding="utf-8")
    many = "\n".join(f'```json\n{{"i": {i}}}\n```\n' for i in range(10000))
    (docs / "many.md").write_text(f"# Many\n\n{many}", encoding="utf-8")
    (docs / "unclosed.md").write_text("# Open\n\n```dockerfile\nFROM alpine:3.20\nRUN echo\n", encoding="utf-8")
    (docs / "loop").symlink_to("..")
    (docs / "dangling.md").symlink_to("nowhere.md")
    return docs


def test_cli_on_nasty_pages_reports_located_findings_without_a_traceback(nasty: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "docs_examples", "check", "docs", "--no-cache"],
        cwd=nasty.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-2000:]
    assert proc.returncode == 1, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    out = proc.stdout
    assert "docs/nul.md:4: error: [bash nul-byte]" in out
    assert "docs/nul.md:4: error: [docs-examples nul-byte]" in out
    assert "docs/badutf8.md:1: error: [docs-examples invalid-utf8]" in out
    assert "docs/huge.md:3: warning: [docs-examples block-too-large]" in out
    assert "docs/unclosed.md:3: error: [docs-examples unclosed-fence]" in out
    assert "docs/many.md:4003: error: [docs-examples too-many-blocks]" in out  # block 1,001 of 10,000
    assert "tool error" not in out.splitlines()[-1]
    summary = out.splitlines()[-1]
    assert summary.startswith("1004 blocks:"), summary  # each page once, however the loop is walked (an
    # unclosed fence renders as text: no block)


def test_cli_json_report_of_nasty_pages_is_complete(nasty: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "docs_examples", "check", "docs", "--no-cache", "-f", "json"],
        cwd=nasty.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["blocks"]) == 1004  # many.md's blocks past max_blocks_per_page are one located error
    for block in data["blocks"]:
        assert block["status"] in {"passed", "failed", "skipped", "expected-failure", "unchecked"}
        for finding in block["findings"]:
            assert finding["file"] and finding["line"], finding
    assert {p["rule"] for p in data["problems"]} >= {"nul-byte", "invalid-utf8", "too-many-blocks", "unclosed-fence"}
