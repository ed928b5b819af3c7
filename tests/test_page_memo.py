"""The page memo: a warm run reuses extracted, classified pages, and only while nothing they depend on changed.

Correctness first: a remembered page must equal a freshly extracted one field for field (checked on this
site, the real-world corpus and a generated benchmark site), and any change to a page, a snippet file
(edited, same-size edit, added where it shadows another, removed) or the settings must be seen.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from docs_examples.blocks import memo
from docs_examples.blocks.classify import classify
from docs_examples.blocks.extract import ExtractedPage, extract_page
from docs_examples.cli import find_pages
from docs_examples.pipeline import Page, Pipeline
from docs_examples.settings import Settings, from_mkdocs_yml

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate


def fresh(page: Page, settings: Settings) -> ExtractedPage:
    """What the pipeline made before the memo existed: extraction, then classification of every block."""
    extracted = extract_page(page.name, page.source, settings=settings, path=page.path)
    for block in extracted.blocks:
        classify(block)
    return extracted


def round_trip(pages: list[Page], settings: Settings) -> tuple[int, int]:
    """Assert every page comes back equal from its JSON form; (pages remembered, blocks in them)."""
    remembered = blocks = 0
    for page in pages:
        extracted = fresh(page, settings)
        text = memo.page_to_json(extracted)
        if text is None:
            continue
        back = memo.page_from_json(json.loads(text))
        assert back == extracted, page.name
        assert [b.kind for b in back.blocks] == [b.kind for b in extracted.blocks]
        assert [b.meta for b in back.blocks] == [b.meta for b in extracted.blocks]
        remembered += 1
        blocks += len(back.blocks)
    return remembered, blocks


def test_this_site_round_trips_and_every_page_is_remembered() -> None:
    settings = from_mkdocs_yml(ROOT / "mkdocs.yml")
    pages = find_pages([str(ROOT / "docs")], settings)
    remembered, blocks = round_trip(pages, settings)
    assert remembered == len(pages)
    assert blocks > 50


def test_the_corpus_round_trips(corpus: Path) -> None:
    for name in ("awesome-compose", "material-docs"):
        site = corpus / name
        settings = Settings(root=site, cache_dir=None, snippet_paths=[site])
        pages = find_pages([str(site)], settings)
        remembered, blocks = round_trip(pages, settings)
        assert remembered == len(pages), name
        assert blocks > 0


def test_the_kubernetes_corpus_round_trips(corpus: Path) -> None:
    """Each k8s-website example becomes a YAML block (documents, fragments and all) and comes back equal."""
    examples = sorted((corpus / "k8s-website").rglob("*.yaml"))
    assert len(examples) > 100
    settings = Settings(root=ROOT, cache_dir=None, snippet_paths=[ROOT / "snippets"])
    pages = [
        Page(f"k8s/{p.name}.md", f"# {p.name}\n\n```yaml\n{p.read_text(encoding='utf-8')}\n```\n") for p in examples
    ]
    remembered, blocks = round_trip(pages, settings)
    assert remembered == len(pages)
    assert blocks == remembered


def test_a_generated_benchmark_site_round_trips(tmp_path: Path) -> None:
    generate.generate(tmp_path, 120, seed=3)
    settings = from_mkdocs_yml(tmp_path / "mkdocs.yml")
    pages = find_pages([str(tmp_path / "docs")], settings)
    remembered, blocks = round_trip(pages, settings)
    assert remembered == len(pages)
    assert blocks >= 120


def test_the_memo_holds_no_parsed_yaml() -> None:
    """Only what checks read is remembered: block text, positions and flags, never YAML data. A block JSON
    could not hold as data (bytes, non-string keys) and an alias bomb are stored as the text they are."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    front = "---\ndate: 2024-01-02\ncheck: true\n---\n"
    source = f"{front}```yaml\ndata: !!binary aGVsbG8=\n1: one\non: push\n```\n\n```yaml\n{bomb}```\n"
    settings = Settings(root=ROOT, cache_dir=None, snippet_paths=[ROOT / "snippets"])
    extracted = fresh(Page("docs/y.md", source), settings)
    text = memo.page_to_json(extracted)
    assert text is not None and len(text) < 4 * len(source) + 4000
    assert memo.page_from_json(json.loads(text)) == extracted
    assert extracted.front_matter == {"check": True}  # the keys the pipeline reads, not MkDocs' date


# -- through the pipeline, with a project on disk -------------------------------------------------------


def project(tmp: Path) -> Settings:
    """A page including a snippet from the second of two snippet folders."""
    (tmp / "first").mkdir()
    (tmp / "second").mkdir()
    (tmp / "second" / "run.sh").write_text("echo one\n", encoding="utf-8")
    return Settings(root=tmp, cache_dir=tmp / "cache", snippet_paths=[tmp / "first", tmp / "second"])


PAGE = '# Page\n\n```bash\n--8<-- "run.sh"\n```\n\n```yaml\nkind: ConfigMap\napiVersion: v1\n```\n'


def extract_again(settings: Settings, source: str = PAGE) -> tuple[ExtractedPage, int]:
    """Extract the page with a new pipeline (a new process, as far as the memo knows); (page, memo hits)."""
    pipeline = Pipeline(settings, only=[])
    extracted = pipeline.extract(Page("docs/p.md", source))
    pipeline.pages.save()
    return extracted, pipeline.pages.hits


def test_a_warm_run_reuses_the_page_and_gets_the_same_blocks(tmp_path: Path) -> None:
    settings = project(tmp_path)
    first, hits = extract_again(settings)
    assert hits == 0
    second, hits = extract_again(settings)
    assert hits == 1
    assert second == first == fresh(Page("docs/p.md", PAGE), settings)


def test_the_cache_folder_inside_the_snippet_base_does_not_defeat_the_memo(tmp_path: Path) -> None:
    """With the snippet base at the project root (the CLI's default), the cache folder is inside it and is
    rewritten by every run; the memo must still be reused by the next run, through whole pipeline runs."""
    (tmp_path / "run.sh").write_text("echo one\n", encoding="utf-8")
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", snippet_paths=[tmp_path])
    for expected_hits in (0, 1, 1):
        pipeline = Pipeline(settings, only=["bash"])
        pipeline.run([Page("docs/p.md", PAGE)])
        assert pipeline.pages.hits == expected_hits
    (tmp_path / "run.sh").write_text("echo two\n", encoding="utf-8")  # a real snippet edit is still seen
    pipeline = Pipeline(settings, only=["bash"])
    report = pipeline.run([Page("docs/p.md", PAGE)])
    assert pipeline.pages.hits == 0 and report.results[0].block.text == "echo two"


def test_editing_an_included_file_is_seen(tmp_path: Path) -> None:
    settings = project(tmp_path)
    extract_again(settings)
    snippet = tmp_path / "second" / "run.sh"
    snippet.write_text("echo two\n", encoding="utf-8")  # same size: only the time tells
    st = snippet.stat()
    os.utime(snippet, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    page, hits = extract_again(settings)
    assert hits == 0
    assert page.blocks[0].text == "echo two"
    snippet.write_text("echo three, longer\n", encoding="utf-8")
    page, hits = extract_again(settings)
    assert (hits, page.blocks[0].text) == (0, "echo three, longer")


def test_a_new_file_that_shadows_the_included_one_is_seen(tmp_path: Path) -> None:
    settings = project(tmp_path)
    extract_again(settings)
    (tmp_path / "first" / "run.sh").write_text("echo shadow\n", encoding="utf-8")
    page, hits = extract_again(settings)
    assert hits == 0
    assert page.blocks[0].text == "echo shadow"
    assert page.blocks[0].includes == ("first/run.sh",)


def test_removing_the_included_file_is_seen(tmp_path: Path) -> None:
    settings = project(tmp_path)
    extract_again(settings)
    (tmp_path / "second" / "run.sh").unlink()
    page, hits = extract_again(settings)
    assert hits == 0
    assert [f.rule for f in page.blocks[0].problems] == ["missing-include"]


def test_editing_the_page_or_the_settings_is_seen(tmp_path: Path) -> None:
    settings = project(tmp_path)
    extract_again(settings)
    page, hits = extract_again(settings, PAGE.replace("ConfigMap", "Secret"))
    assert hits == 0
    assert "Secret" in page.blocks[1].text
    dedent = Settings(root=tmp_path, cache_dir=tmp_path / "cache", snippet_paths=settings.snippet_paths)
    dedent.snippet_dedent = True
    _, hits = extract_again(dedent)
    assert hits == 0


def test_a_corrupt_memo_file_is_ignored(tmp_path: Path) -> None:
    settings = project(tmp_path)
    extract_again(settings)
    (tmp_path / "cache" / "pages.json").write_text('{"format": "docs-examples-pages/1", "pages": {', "utf-8")
    page, hits = extract_again(settings)
    assert hits == 0
    assert page == fresh(Page("docs/p.md", PAGE), settings)
    entries = json.loads((tmp_path / "cache" / "pages.json").read_text("utf-8"))["pages"]
    key = next(iter(entries))
    entries[key] = json.dumps({"blocks": [{"kind": "nonsense"}], "problems": [], "front_matter": None})
    (tmp_path / "cache" / "pages.json").write_text(json.dumps({"format": memo.FORMAT, "pages": entries}), "utf-8")
    page, hits = extract_again(settings)
    assert hits == 0
    assert page == fresh(Page("docs/p.md", PAGE), settings)


def test_a_snippet_folder_too_large_to_list_turns_the_memo_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = project(tmp_path)
    monkeypatch.setattr(memo, "MAX_SNIPPET_ENTRIES", 1)
    for name in ("a", "b", "c"):
        (tmp_path / "second" / name).write_text(name, encoding="utf-8")
    extract_again(settings)
    page, hits = extract_again(settings)
    assert hits == 0
    assert page == fresh(Page("docs/p.md", PAGE), settings)
    assert not (tmp_path / "cache" / "pages.json").exists()
