"""Bad input never raises: each case in fixtures/bad-input gives the located findings of expected.json."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from docs_examples.blocks.classify import classify
from docs_examples.blocks.extract import MAX_BLOCK_BYTES, extract_page
from docs_examples.findings import Category, Finding
from docs_examples.settings import Settings
from docs_examples.verdict import DEFAULT_VERDICT

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "bad-input"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def _finding(f: Finding) -> dict:
    return {"rule": f.rule, "severity": f.severity.value, "file": f.file, "line": f.line}


def test_every_fixture_has_expectations() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input(case: str) -> None:
    settings = Settings(root=ROOT, snippet_paths=[ROOT / "snippets"], cache_dir=None)
    name = f"tests/fixtures/bad-input/{case}.md"
    page = extract_page(name, (FIXTURES / f"{case}.md").read_bytes(), settings=settings)
    want = EXPECTED[case]
    assert [_finding(f) for f in page.problems] == want["problems"]
    got = [
        {
            "language": b.language,
            "fence_line": b.fence_line,
            "end_line": b.end_line,
            "problems": [_finding(f) for f in b.problems],
        }
        for b in page.blocks
    ]
    assert got == want["blocks"]
    for finding in page.problems + [f for b in page.blocks for f in b.problems]:
        assert finding.category is Category.EXTRACTION and DEFAULT_VERDICT.fails(finding)
    for block in page.blocks:
        classify(block)  # the next step must cope with whatever extraction produced


def test_huge_block_is_extracted_in_linear_time(settings: Settings) -> None:
    body = "\n".join(f"key{i}: {'x' * 60}" for i in range(20000))  # about 1.4 MB
    page = f"# Big\n\n```yaml\n{body}\n```\n\n```sh\necho after\n```\n"
    started = time.perf_counter()
    extracted = extract_page("docs/big.md", page, settings=settings)
    elapsed = time.perf_counter() - started
    big, after = extracted.blocks
    assert len(big.text.encode()) > MAX_BLOCK_BYTES and big.text == body
    assert [(p.rule, p.severity.value, p.line) for p in big.problems] == [("block-too-large", "warning", 0)]
    assert after.text == "echo after" and not after.problems
    assert elapsed < 5, f"{elapsed:.1f}s for one large page"


@pytest.mark.parametrize(
    "line",
    [
        "```" + " a=" * 50000,
        "```yaml " + 'title="' * 30000,
        "```" + "`" * 100000 + "x",
        "--8<-- " + '"' + "a:" * 50000 + '"',
        "=== " + '"' * 100000,
        "#" * 100000,
        ";" * 50000 + "--8<-- [start:x" + "-" * 50000,
    ],
)
def test_pathological_lines_are_fast(line: str, settings: Settings) -> None:
    started = time.perf_counter()
    extract_page("docs/evil.md", f"{line}\n{line}\n```\nx\n```\n", settings=settings)
    assert time.perf_counter() - started < 2


# -- a report that cannot be written ------------------------------------------------------------------------


def test_a_report_path_through_a_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    from conftest import cli

    (tmp_path / "p.md").write_text("# t\n\n```yaml\na: 1\n```\n", encoding="utf-8")
    (tmp_path / "afile").write_text("", encoding="utf-8")
    done = cli(tmp_path, "check", "p.md", "-o", "afile/report.json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "-o afile/report.json: cannot write the report: a file is in the way of its folder" in done.stderr


def test_a_report_option_through_a_file_fails_the_site_build_with_its_name(tmp_path: Path) -> None:
    from _sites import build

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# t\n\n```yaml\na: 1\n```\n", encoding="utf-8")
    (tmp_path / "build").write_text("", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - docs-examples:\n      cache: false\n      report_json: build/examples.json\n"
        "markdown_extensions:\n  - pymdownx.superfences\n",
        encoding="utf-8",
    )
    built = build(tmp_path, tmp_path)
    assert built.returncode != 0
    assert "Traceback" not in built.log
    assert "report_json: cannot write build/examples.json: a file is in the way of its folder" in built.log
