"""``--8<--`` expansion: the same output as pymdownx.snippets, and every line traced to its file."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from docs_examples.blocks.extract import extract_page
from docs_examples.blocks.model import Origin
from docs_examples.blocks.snippets import Expander, parse_target
from docs_examples.settings import Settings

FILES = {
    "snippets/app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
    'USER app\nEXPOSE 8000\nCMD ["python", "app.py"]\n',
    "snippets/sections.yaml": "# --8<-- [start:deploy]\nkind: Deployment\n# --8<-- [start:inner]\nname: x\n"
    "# --8<-- [end:inner]\n# --8<-- [end:deploy]\nother: 1\n",
    "snippets/outer.md": 'outer 1\n--8<-- "inner.txt"\nouter 3\n',
    "snippets/inner.txt": "inner 1\ninner 2\n",
    "snippets/loop.txt": 'loop\n--8<-- "loop.txt"\n',
    "other/extra.txt": "from the second base\n",
    "snippets/deep.yaml": "spec:\n  template:\n    # --8<-- [start:probe]\n    livenessProbe:\n      httpGet:\n"
    "        path: /health\n    # --8<-- [end:probe]\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Settings(root=tmp_path, snippet_paths=[tmp_path / "snippets", tmp_path / "other"], cache_dir=None)


def _expand(settings: Settings, text: str, dedent: bool = False) -> tuple[list[str], list[tuple[str, int]]]:
    out = Expander(settings.snippet_paths, settings.root, dedent_subsections=dedent).expand(
        text.split("\n"), "docs/p.md"
    )
    return out.lines, [(s.file, s.line) for s in out.sources]


def _upstream(settings: Settings, text: str, dedent: bool = False) -> list[str]:
    """What pymdownx.snippets itself produces for the same lines."""
    config = {"base_path": [str(p) for p in settings.snippet_paths], "dedent_subsections": dedent}
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
    return md.preprocessors["snippet"].run(text.split("\n"))


SOURCES = [
    '--8<-- "app/Dockerfile"',
    '    --8<-- "app/Dockerfile:2:4"',
    '--8<-- "app/Dockerfile:3"',
    '--8<-- "app/Dockerfile:-2"',
    '--8<-- "app/Dockerfile:1:2,6:"',
    '--8<-- "sections.yaml:deploy"',
    '--8<-- "sections.yaml:inner"',
    "--8<--\napp/Dockerfile:1:1\n\n;commented.txt\ninner.txt\n--8<--",
    '-8<- "outer.md"',
    ';--8<-- "app/Dockerfile"',
    "before\n--8<-- [start:x]\nkept\n--8<-- [end:x]\n;--8<-- [start:y]",
    '--8<-- "loop.txt"',
    '--8<-- "extra.txt"',
    '```dockerfile\n--8<-- "app/Dockerfile:1:2"\n```',
    '--8<-- "deep.yaml:probe"',
    '    --8<-- "deep.yaml:4:5"',
]


@pytest.mark.parametrize("dedent", [False, True], ids=["plain", "dedent_subsections"])
@pytest.mark.parametrize("text", SOURCES)
def test_same_lines_as_pymdownx(project: Settings, text: str, dedent: bool) -> None:
    assert _expand(project, text, dedent)[0] == _upstream(project, text, dedent)


def test_dedented_section_maps_columns_back_into_the_file(project: Settings) -> None:
    project.snippet_dedent = True
    page = '```yaml\n--8<-- "deep.yaml:probe"\n```\n'
    (block,) = extract_page("docs/p.md", page, settings=project).blocks
    assert block.text == "livenessProbe:\n  httpGet:\n    path: /health"
    from docs_examples.findings import Finding, Severity

    found = block.locate(Finding("yaml", "x", Severity.ERROR, "m", line=3, column=5))  # `path` in the block
    assert (found.file, found.line, found.column) == ("snippets/deep.yaml", 6, 9)  # `path` in the file


def test_origins_point_into_snippet_files(project: Settings) -> None:
    lines, sources = _expand(project, 'page 1\n  --8<-- "app/Dockerfile:2:3"\n--8<-- "outer.md"\npage 4')
    assert lines == [
        "page 1",
        "  WORKDIR /app",
        "  COPY . .",
        "outer 1",
        "inner 1",
        "inner 2",
        "",
        "outer 3",
        "",
        "page 4",
    ]
    assert sources == [
        ("docs/p.md", 1),
        ("snippets/app/Dockerfile", 2),
        ("snippets/app/Dockerfile", 3),
        ("snippets/outer.md", 1),
        ("snippets/inner.txt", 1),
        ("snippets/inner.txt", 2),
        ("snippets/inner.txt", 3),
        ("snippets/outer.md", 3),
        ("snippets/outer.md", 4),
        ("docs/p.md", 4),
    ]


def test_block_from_snippet(project: Settings) -> None:
    page = '# Build\n\n=== "Dockerfile"\n\n    ```dockerfile\n    --8<-- "app/Dockerfile"\n    ```\n'
    (block,) = extract_page("docs/p.md", page, settings=project).blocks
    assert block.text == FILES["snippets/app/Dockerfile"].rstrip("\n")
    assert block.includes == ("snippets/app/Dockerfile",)
    assert block.origins[6] == Origin("snippets/app/Dockerfile", 7, 0)
    assert (block.fence_line, block.end_line, block.tabs) == (5, 7, ("Dockerfile",))
    from docs_examples.findings import Finding, Severity

    located = block.locate(Finding("hadolint", "DL3007", Severity.WARNING, "m", line=7, column=1))
    assert (located.file, located.line, located.column) == ("snippets/app/Dockerfile", 7, 1)


def test_missing_include_is_located(project: Settings) -> None:
    page = 'intro\n\n```yaml\n--8<-- "nope.yaml"\n```\n\n--8<-- "gone.md"\n--8<-- "sections.yaml:absent"\n'
    extracted = extract_page("docs/p.md", page, settings=project)
    (block,) = extracted.blocks
    assert [(p.rule, p.file, p.line) for p in block.problems] == [("missing-include", "docs/p.md", 4)]
    assert [(p.rule, p.line) for p in extracted.problems] == [("missing-include", 7), ("missing-include", 8)]
    assert all(p.severity == "error" and p.category == "extraction" for p in extracted.problems)


def test_missing_include_inside_snippet_names_the_snippet(project: Settings) -> None:
    (project.root / "snippets" / "broken.md").write_text('a\n--8<-- "missing.txt"\n', encoding="utf-8")
    extracted = extract_page("docs/p.md", '--8<-- "broken.md"\n', settings=project)
    assert [(p.file, p.line) for p in extracted.problems] == [("snippets/broken.md", 2)]


def test_url_is_not_fetched(project: Settings) -> None:
    extracted = extract_page("docs/p.md", '--8<-- "https://example.org/x.yaml"\n', settings=project)
    assert [(p.rule, p.line) for p in extracted.problems] == [("url-include", 1)]


def test_base_path_cannot_be_escaped(project: Settings) -> None:
    (project.root / "secret.txt").write_text("outside every base\n", encoding="utf-8")
    lines, _ = _expand(project, '--8<-- "../secret.txt"')
    assert lines == _upstream(project, '--8<-- "../secret.txt"') == []
    extracted = extract_page("docs/p.md", '--8<-- "../secret.txt"\n', settings=project)
    assert [p.rule for p in extracted.problems] == ["missing-include"]


@pytest.mark.parametrize(
    ("spec", "path", "ranges", "section"),
    [
        ("a.txt", "a.txt", [], None),
        ("a.txt:3", "a.txt", [(2, None)], None),
        ("a.txt:3:8", "a.txt", [(2, 8)], None),
        ("a.txt:-2", "a.txt", [(-2, None)], None),
        ("a.txt:1:2,5:6", "a.txt", [(0, 2), (4, 6)], None),
        ("a.txt:name-1", "a.txt", [], "name-1"),
        ("c:/x.txt", "c:/x.txt", [], None),
    ],
)
def test_parse_target(spec: str, path: str, ranges: list, section: str | None) -> None:
    target = parse_target(spec)
    assert target is not None
    assert (target.path, target.ranges, target.section) == (path, ranges, section)
