"""Fence lines superfences leaves to Markdown: extraction yields the blocks the page renders, and each finding
says what the reader sees, checked against the real render (Python-Markdown + pymdown-extensions installed
here), on small pages and on the real sites of the corpus."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.utils.meta import get_data

from _render import _CodeCollector, normalise, page_text, site_markdown
from conftest import CORPUS
from docs_examples.blocks.extract import extract_page
from docs_examples.blocks.fence_text import MAX_RUNS, code_spans
from docs_examples.findings import Category, Finding, Severity
from docs_examples.settings import Settings, from_mkdocs_yml
from docs_examples.verdict import DEFAULT_VERDICT

EXTENSIONS = [
    "admonition",
    "attr_list",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    "pymdownx.tabbed",
]
CONFIGS: dict[str, Any] = {"pymdownx.tabbed": {"alternate_style": True}}
STRAY = ("fence-header", "unclosed-fence")
SITES = ("aws-load-balancer-controller", "argo-cd", "traefik", "trivy", "argo-workflows")

AWS_STYLE = """\
- `waf-acl-id` sets the WAF:

    !!! example
        - enable
            ```alb.ingress.kubernetes.io/waf-acl-id: 499e
            ```
        - disable
            ```alb.ingress.kubernetes.io/waf-acl-id: none
            ```

- next item
"""

# name, page, [(rule, severity, line)], the blocks it renders, words the first finding's message must hold
CASES: list[tuple[str, str, list[tuple[str, str, int]], list[str], str]] = [
    (
        "inline code written with a fence on one line",
        "Add the repository:\n\n```argocd repo add https://example.com --project p```\n\nThen sync.\n",
        [("fence-header", "info", 3)],
        [],
        "`argocd repo add https://example.com --project p`",
    ),
    (
        "code on the fence line, the closing fence under it, in a list in an admonition",
        AWS_STYLE,
        [("fence-header", "info", 5), ("fence-header", "info", 8)],
        [],
        "`alb.ingress.kubernetes.io/waf-acl-id: 499e`",
    ),
    (
        "inline code in a blockquote",
        "> Run ```make test``` first.\n>\n> ```make build```\n",
        [("fence-header", "info", 3)],
        [],
        "`make build`",
    ),
    (
        "check=skip shorthand: its closing fence opens a block that swallows the prose",
        "```yaml check=skip\na: 1\n```\n\nProse.\n\n```bash\necho hi\n```\n",
        [("fence-header", "error", 1)],
        ["Prose.\n\n```bash\necho hi"],
        "meant to close it, opens a code block instead (to line 9)",
    ),
    (
        "check=skip shorthand in a paragraph of its own: the YAML runs together as inline code",
        "intro\n\n```yaml check=skip\na: 1\nb: 2\n```\n",
        [("fence-header", "error", 3)],
        [],
        "the reader sees lines 3-6 as inline code",
    ),
    (
        "a fence never closed: its lines and the rest of the page are text",
        "# T\n\nText.\n\n```yaml\napiVersion: v1\nkind: ConfigMap\n\n## Next\n\nMore text.\n",
        [("unclosed-fence", "error", 5)],
        [],
        "everything after them, to the end of the page, as text",
    ),
    (
        "a longer fence never closed keeps the blocks after it from rendering",
        "````\nx\n\n```yaml\nb: 1\n```\n\n```sh\necho\n```\n",
        [("unclosed-fence", "error", 1)],
        [],
        "(the 2 fenced blocks after it included)",
    ),
    (
        "a closing fence indented too little in a list item: the code runs together as inline code",
        "1. Step\n\n    ```yaml\n    a: 1\n  ```\n",
        [("unclosed-fence", "error", 3)],
        [],
        "not closed before its container ends at line 5",
    ),
    (
        "a fence its admonition ends before it is closed",
        "!!! note\n\n    ```yaml\n    a: 1\n\nAfter.\n\n```sh\necho\n```\n",
        [("unclosed-fence", "error", 3)],
        ["echo"],
        "the reader sees its lines as text",
    ),
    (
        "a refused header in an indented code block",
        "Text.\n\n    ```yaml check=skip\n    a: 1\n    ```\n",
        [("fence-header", "error", 3)],
        [],
        "in an indented Markdown code block",
    ),
    (
        "tildes make no inline code",
        "~~~yaml check=skip\na: 1\n~~~\n",
        [("fence-header", "error", 1)],
        [],
        "opens another one that is never closed",
    ),
    (
        "a shorter closing run: Markdown cuts the opening one, the backticks show",
        "```foo bar` now\n",
        [("fence-header", "error", 1)],
        [],
        "as inline code",
    ),
    (
        "good blocks are left alone",
        '```yaml\na: 1\n```\n\n``` { .sh title="x.sh" }\necho\n```\n',
        [],
        ["a: 1", "echo"],
        "",
    ),
]


def settings() -> Settings:
    return Settings(cache_dir=None)


def fenced_codes(source: str, extensions: list[str], configs: dict[str, Any]) -> list[str]:
    """The code blocks the page renders from fences (indented code blocks are never extracted)."""
    text, _ = get_data(source)
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    md.parser.blockprocessors.deregister("code")
    collector = _CodeCollector()
    collector.feed(md.convert(text))
    collector.close()
    return [normalise(t, custom) for t, custom in collector.codes]


def _flat(text: str) -> str:
    return " ".join(text.split())


def says_what_the_render_shows(source: str, finding: Finding, extensions: list[str], configs: dict) -> None:
    """The finding's account of what the reader sees holds in the rendered page."""
    shown = page_text(source, extensions, configs)
    line = source.split("\n")[(finding.line or 1) - 1].strip(" >")
    where = f"{finding.file}:{finding.line}: {finding.message}"
    if finding.severity is Severity.INFO:
        quoted = re.search(r"the reader sees `(.*)` in the text", finding.message)
        assert quoted, where
        code = _flat(quoted[1])
        found = [_flat(c) for c in shown.inline]
        assert any(c == code or (code.endswith("...") and c.startswith(code[:-3])) for c in found), where
    elif "as inline code" in finding.message:
        header = line.lstrip("`~").split("`")[0].strip()
        if not header:
            after = source.split("\n")[finding.line or 0 :]
            header = next(t.strip(" >") for t in after if t.strip(" >"))
        assert any(_flat(c.lstrip("`")).startswith(_flat(header)[:20]) for c in shown.inline), where
    elif "indented Markdown code block" in finding.message:
        assert any(line in block for block in shown.blocks), where
    elif "as text" in finding.message:
        assert _flat(line)[:40] in _flat("".join(shown.text)), where
    else:
        pytest.fail(f"{where}: the finding does not say what the reader sees")


@pytest.mark.parametrize(("source", "problems", "blocks", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fence_lines_left_to_markdown(source: str, problems: list, blocks: list[str], words: str) -> None:
    page = extract_page("docs/p.md", source, settings=settings())
    found = [p for p in page.problems if p.rule in STRAY]
    assert [(p.rule, p.severity.value, p.line) for p in found] == problems
    assert words in (found[0].message if found else "")
    assert [b.text for b in page.blocks] == blocks == fenced_codes(source, EXTENSIONS, CONFIGS)
    for finding in found:
        says_what_the_render_shows(source, finding, EXTENSIONS, CONFIGS)
        inline = finding.severity is Severity.INFO
        assert DEFAULT_VERDICT.fails(finding) is not inline
        assert finding.category is (Category.LINT if inline else Category.EXTRACTION)


def test_pairing_follows_python_markdown() -> None:
    """Backtick runs pair as Python-Markdown 3.x pairs them (each case checked against its render)."""
    cases = {
        "``` a ``` b ```": [(0, 6, 3, True)],  # the third run stays text
        "```a` b": [(0, 4, 1, False)],  # no run of three: cut to the longest shorter one
        "\\```a``": [(2, 5, 2, True)],  # an escaped backtick starts nothing; the rest of the run does
        "` ``x``": [(2, 5, 2, True)],  # a longer run later does not close a shorter one
        "``a```b```": [],  # an unpaired run skips as many characters after it: into the next run
    }
    for text, want in cases.items():
        got = [(s.open_at, s.close_at, s.ticks, s.exact) for s in code_spans(text) or []]
        assert got == want, text
        rendered = page_text(text, [], {}).inline
        assert [text[s.open_at + s.ticks : s.close_at].strip() for s in code_spans(text) or []] == rendered, text


def test_a_paragraph_of_too_many_backtick_runs_is_not_paired() -> None:
    """Python-Markdown pairs runs in quadratic time; past MAX_RUNS runs in one paragraph no pairing is tried
    (each fence line reads as text, an error), so a hostile page costs linear time here."""
    few = extract_page("docs/p.md", "intro\n" + "```a b\n" * 10, settings=settings())
    assert [p.severity for p in few.problems] == [Severity.INFO] * 5
    page = "intro\n" + "```a b\n" * 20000 + "`` " * (MAX_RUNS + 1) + "\n"
    extracted = extract_page("docs/big.md", page, settings=settings())
    assert [p.severity for p in extracted.problems] == [Severity.ERROR] * 20000


# -- the corpus ------------------------------------------------------------------------------------------------

# (info notes, failing findings) among the fence-header and unclosed-fence findings of each site
EXPECTED = {
    "aws-load-balancer-controller": (11, 0),
    "argo-cd": (1, 0),
    "traefik": (0, 0),
    "trivy": (0, 0),
    "argo-workflows": (0, 0),
}


def _site(site: str) -> tuple[Path, Settings, list[Path]]:
    folder = CORPUS / "real-sites" / site
    if not (folder / "mkdocs.yml").is_file():
        pytest.skip(f"corpus not found at {folder}")
    s = from_mkdocs_yml(folder / "mkdocs.yml")
    s.cache_dir = None
    return folder, s, sorted(s.docs_dir.rglob("*.md"))


@pytest.mark.parametrize("site", SITES)
def test_real_sites_say_what_their_pages_show(site: str) -> None:
    """Every page of a real site with a fence line left to Markdown renders the extracted blocks, and each
    fence-header or unclosed-fence finding says what the render shows. The site's own extensions are used;
    argo-cd's markdown-include is not installed here, so its pages that include files are left out."""
    folder, s, pages = _site(site)
    extensions, configs, missing = site_markdown(folder)
    notes = failing = 0
    for page in pages:
        source = page.read_text(encoding="utf-8")
        extracted = extract_page(page.relative_to(folder).as_posix(), page.read_bytes(), settings=s)
        found = [p for p in extracted.problems if p.rule in STRAY]
        if not found:
            continue
        assert not missing or "{!" not in source, f"{page}: needs {missing}, not installed"
        rendered = fenced_codes(source, extensions, configs)
        assert [_flat(b.text) for b in extracted.blocks] == [_flat(t) for t in rendered], page
        for finding in found:
            says_what_the_render_shows(source, finding, extensions, configs)
            notes += finding.severity is Severity.INFO
            failing += DEFAULT_VERDICT.fails(finding)
    assert (notes, failing) == EXPECTED[site]


@pytest.mark.parametrize("site", ["aws-load-balancer-controller", "argo-workflows", "trivy"])
def test_real_site_pages_agree_with_rendering(site: str) -> None:
    """Every page of these sites: the extracted blocks are the fenced blocks their own extensions render."""
    folder, s, pages = _site(site)
    extensions, configs, missing = site_markdown(folder)
    assert not missing
    compared = 0
    for page in pages:
        source = page.read_text(encoding="utf-8")
        extracted = extract_page(page.relative_to(folder).as_posix(), page.read_bytes(), settings=s)
        rendered = fenced_codes(source, extensions, configs)
        assert [b.text for b in extracted.blocks] == rendered, page
        compared += len(rendered)
    assert compared > 300


def test_material_stray_fence_is_still_an_error() -> None:
    """The stray fence of Material's insiders/upgrade.md:43 shows as text: a real problem, still failing."""
    page = CORPUS / "material-docs" / "docs" / "insiders" / "upgrade.md"
    if not page.is_file():
        pytest.skip(f"corpus not found at {page}")
    extracted = extract_page("docs/insiders/upgrade.md", page.read_bytes(), settings=settings())
    found = [p for p in extracted.problems if p.rule in STRAY]
    assert [(p.rule, p.line, DEFAULT_VERDICT.fails(p)) for p in found] == [("unclosed-fence", 43, True)]
    source = page.read_text(encoding="utf-8")
    says_what_the_render_shows(source, found[0], ["pymdownx.superfences", "pymdownx.tabbed"], {})


# -- a block that swallows the next one ------------------------------------------------------------------------

SWALLOWING = "```yaml\nstatus:\n  a: 1\nQuick fix:\n```yaml\nb: 1\n```\n\nText after.\n"


def test_a_block_whose_closing_fence_is_missing_swallows_the_next_one() -> None:
    """Its problem sits at the inner fence line; the render shows that line inside the block."""
    page = extract_page("docs/p.md", SWALLOWING, settings=settings())
    (block,) = page.blocks
    assert [(p.rule, block.locate(p).line, DEFAULT_VERDICT.fails(p)) for p in block.problems] == [
        ("unclosed-fence", 5, True)
    ]
    assert "closing fence is missing before its line '```yaml'" in block.problems[0].message
    assert [block.text] == fenced_codes(SWALLOWING, EXTENSIONS, CONFIGS)
    assert "```yaml" in page_text(SWALLOWING, EXTENSIONS, CONFIGS).blocks[0]


@pytest.mark.parametrize(
    "source",
    [
        "````markdown\n```yaml\na: 1\n```\n````\n",  # a longer fence shows a whole block
        "~~~\n```yaml\na: 1\n```\n~~~\n",  # so do tildes
        "Start a block with:\n\n```\n```python\n```\n",  # an opening fence shown on its own
    ],
)
def test_a_block_showing_markdown_is_no_swallow(source: str) -> None:
    page = extract_page("docs/p.md", source, settings=settings())
    assert [p for b in page.blocks for p in b.problems] == [] and page.problems == []
    assert [b.text for b in page.blocks] == fenced_codes(source, EXTENSIONS, CONFIGS)
