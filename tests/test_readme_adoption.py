"""The README's "Using it on your site" section is checked like a page: its workflow passes actionlint, its
shell passes bash -n and shellcheck, its YAML parses; and the options and hooks it names exist."""

from __future__ import annotations

from pathlib import Path

import yaml

from docs_examples.blocks.model import Kind
from docs_examples.findings import Status
from docs_examples.pipeline import Page, Pipeline
from docs_examples.settings import Settings, parse_option

ROOT = Path(__file__).resolve().parents[1]


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return "## Using it on your site" + readme.split("## Using it on your site", 1)[1].split("\n## ", 1)[0]


def test_every_block_of_the_section_passes_the_checker(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, cache_dir=None, unmarked_yaml="ignore", kubeconform="off")
    report = Pipeline(settings).run([Page("README.md", section())])
    kinds = sorted(r.block.kind.value for r in report.results)
    assert kinds == sorted(["shell", "yaml", "shell", "yaml", "workflow", "yaml"])
    problems = [(r.block.fence_line, f.rule, f.message) for r in report.results for f in r.findings if f.fails]
    assert problems == [] and report.problems == []
    assert all(r.status is Status.PASSED for r in report.results if r.block.kind is not Kind.YAML)
    workflow = next(r for r in report.results if r.block.kind is Kind.WORKFLOW)
    assert "actionlint" in [c.check for c in workflow.checks]


def test_the_options_and_hooks_it_shows_exist() -> None:
    blocks = [b.split("```", 1)[0] for b in section().split("```yaml\n")[1:]]
    config = yaml.safe_load(blocks[1])
    ignore = parse_option("ignore", config["plugins"][0]["docs-examples"]["ignore"])
    assert [r.reason for r in ignore][-1] == "no reason given in mkdocs.yml"
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    shown = {h["id"] for h in yaml.safe_load(blocks[3])["repos"][0]["hooks"]}
    assert shown <= hooks and {"docs-examples", "docs-examples-changed"} <= hooks
