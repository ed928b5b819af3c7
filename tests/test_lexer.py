"""Table tests: small Markdown inputs and the blocks extraction must find in them."""

from __future__ import annotations

from typing import Any

import pytest

from docs_examples.blocks.extract import extract_page
from docs_examples.blocks.lexer import parse_attr_list, parse_header
from docs_examples.blocks.model import Origin
from docs_examples.settings import Settings

PAGE = "docs/t.md"

CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "top-level backticks",
        "# Title\n\n```yaml\na: 1\nb: 2\n```\n",
        [
            {
                "language": "yaml",
                "fence_line": 3,
                "end_line": 6,
                "text": "a: 1\nb: 2",
                "heading": "Title",
                "origins": [(4, 0), (5, 0)],
            }
        ],
    ),
    (
        "tilde fence, no language",
        "~~~\nplain\n~~~\n",
        [{"language": "", "fence_line": 1, "end_line": 3, "text": "plain", "fence": "~~~"}],
    ),
    (
        "brace attributes",
        '``` { .yaml .annotate title="deploy.yaml" data-check="skip" data-reason=\'no cluster\' #ex }\nk: v\n```\n',
        [
            {
                "language": "yaml",
                "title": "deploy.yaml",
                "classes": ("yaml", "annotate"),
                "attrs": {"title": "deploy.yaml", "data-check": "skip", "data-reason": "no cluster", "id": "ex"},
            }
        ],
    ),
    (
        "options form",
        '```python title="app.py" hl_lines="1 2" linenums="1"\nx = 1\n```\n',
        [{"language": "python", "title": "app.py", "attrs": {"title": "app.py", "hl_lines": "1 2", "linenums": "1"}}],
    ),
    (
        "unknown option breaks the fence; its closing line opens one instead (as superfences)",
        "```yaml check=skip\na: 1\n```\n\nProse.\n\n```sh\nls\n```\n",
        [{"fence_line": 3, "end_line": 9, "text": "Prose.\n\n```sh\nls"}],
    ),
    (
        "tabs with heading trail",
        'Kubernetes Fundamentals\n=======================\n\n## Objects\n\n=== "Deployment"\n\n'
        '    ```yaml\n    kind: Deployment\n    ```\n\n=== "Service"\n\n    ```yaml\n    kind: Service\n    ```\n',
        [
            {
                "heading": "Objects",
                "headings": ("Kubernetes Fundamentals", "Objects"),
                "tabs": ("Deployment",),
                "text": "kind: Deployment",
                "indent": 4,
                "origins": [(9, 4)],
                "fence_line": 8,
                "end_line": 10,
            },
            {"tabs": ("Service",), "text": "kind: Service", "fence_line": 14},
        ],
    ),
    (
        "nested tabs in an admonition",
        '!!! note\n\n    === "Outer"\n\n        === "Inner"\n\n'
        "            ```sh\n            echo hi\n            ```\n",
        [{"tabs": ("Outer", "Inner"), "indent": 12, "text": "echo hi", "origins": [(8, 12)]}],
    ),
    (
        "details and list items",
        '???+ tip "Open"\n\n    ```bash\n    ls\n    ```\n\n1. Step\n\n    ```console\n    $ make\n    ```\n',
        [{"language": "bash", "text": "ls"}, {"language": "console", "text": "$ make", "fence_line": 9}],
    ),
    (
        "blockquote",
        '> ```json\n> {"a": 1}\n>\n> [2]\n> ```\n',
        [{"language": "json", "text": '{"a": 1}\n\n[2]', "origins": [(2, 2), (3, 2), (4, 2)], "end_line": 5}],
    ),
    (
        "longer fence shows markdown with an inner fence",
        "````markdown\n```yaml\na: 1\n```\n````\n",
        [{"language": "markdown", "text": "```yaml\na: 1\n```", "fence": "````", "end_line": 5}],
    ),
    (
        "annotation markers stay in the text",
        "``` yaml\nimage: nginx # (1)!\n```\n\n1. pin it\n",
        [{"text": "image: nginx # (1)!"}],
    ),
    (
        "a fence never closed is no block (superfences renders its lines as text)",
        "text\n\n```yaml\na: 1\nb: 2\n",
        [],
    ),
    (
        "empty block",
        "```yaml\n```\n",
        [{"text": "", "origins": [], "end_line": 2}],
    ),
    (
        "leading and trailing blank lines are not shown",
        "```\n\ncode\n\n```\n",
        [{"text": "code", "origins": [(3, 0)]}],
    ),
    (
        "tab characters expand to four columns",
        '=== "T"\n\n\t```sh\n\techo\tx\n\t```\n',
        [{"text": "echo    x", "tabs": ("T",), "indent": 4}],
    ),
    (
        "heading inside a fence is code",
        "# Real\n\n```bash\n# comment\n```\n\n```yaml\nb: 1\n```\n",
        [{"heading": "Real", "text": "# comment"}, {"heading": "Real", "headings": ("Real",)}],
    ),
    (
        "closing fence must match the opening length",
        "```\na\n````\nb\n```\n",
        [{"text": "a\n````\nb"}],
    ),
    (
        "front matter lines are counted",
        "---\ntitle: x\n---\n\n```yaml\na: 1\n```\n",
        [{"fence_line": 5, "origins": [(6, 0)]}],
    ),
]


@pytest.mark.parametrize(("markdown", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_blocks(markdown: str, expected: list[dict[str, Any]], settings: Settings) -> None:
    blocks = extract_page(PAGE, markdown, settings=settings).blocks
    assert len(blocks) == len(expected)
    for block, want in zip(blocks, expected, strict=True):
        for key, value in want.items():
            if key == "origins":
                assert block.origins == tuple(Origin(PAGE, line, col) for line, col in value)
            elif key == "problems":
                assert [p.rule for p in block.problems] == value
            else:
                assert getattr(block, key) == value, key


def test_indexes_and_locate(settings: Settings) -> None:
    from docs_examples.findings import Finding, Severity

    page = extract_page(PAGE, '=== "A"\n\n    ```sh\n    echo a\n    echo b\n    ```\n', settings=settings)
    (block,) = page.blocks
    located = block.locate(Finding("shellcheck", "SC1", Severity.WARNING, "m", line=2, column=3))
    assert (located.file, located.line, located.column) == (PAGE, 5, 7)
    assert block.locate(Finding("x", "y", Severity.ERROR, "m", line=0)).line == 3


@pytest.mark.parametrize(
    ("line", "ok", "language"),
    [
        ("```", True, ""),
        ("```.yaml", True, "yaml"),
        ("``` c++", True, "c++"),
        ('```yaml title="a b.yaml"', True, "yaml"),
        ('``` hl_lines="4 5""', True, ""),
        ("```yaml{.x}", False, ""),
        ("```yaml linenums", False, ""),
        ("``", False, ""),
        ("```{ .yaml }", True, "yaml"),
    ],
)
def test_parse_header(line: str, ok: bool, language: str) -> None:
    header = parse_header(line, 0)
    assert (header is not None) is ok
    if header is not None:
        assert header.language == language


def test_attr_list() -> None:
    assert parse_attr_list(" .a .b #i k=v q=\"x y\" s='z' bare") == (
        ["a", "b"],
        "i",
        {"k": "v", "q": "x y", "s": "z", "bare": ""},
    )


def test_refused_header_is_reported(settings: Settings) -> None:
    page = extract_page(PAGE, "intro\n\n```yaml check=skip\na: 1\n```\n", settings=settings)
    assert [(p.rule, p.file, p.line) for p in page.problems] == [("fence-header", PAGE, 3)]
