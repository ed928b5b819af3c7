"""JSON as documentation writes it: JSONC and HuJSON, elisions, members shown without their object.

Each form passes with one ``json-relaxed`` note saying what was read, and a real syntax error beside it still
fails at its own line and column; plain JSON stays strict (a trailing comma is an error).
"""

from __future__ import annotations

import pytest

from conftest import make_block
from docs_examples.blocks.classify import classify
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks.json_syntax import JsonSyntax, vscode_launch
from docs_examples.findings import Finding, Severity
from docs_examples.settings import Settings


def json_block(text: str, language: str = "json", title: str | None = None) -> Block:
    return make_block(text, kind=Kind.JSON, language=language, title=title, fence_line=20)


def findings(settings: Settings, block: Block) -> list[Finding]:
    return JsonSyntax(settings).check([block]).get(block.id, [])


def note(settings: Settings, text: str, **kw: str) -> str:
    """The one info note of a block that passes."""
    [finding] = findings(settings, json_block(text, **kw))
    assert (finding.rule, finding.severity) == ("json-relaxed", Severity.INFO), finding
    return finding.message


def error(settings: Settings, text: str, **kw: str) -> tuple[int | None, int | None]:
    """Line and column of the one error of a block that fails."""
    [finding] = findings(settings, json_block(text, **kw))
    assert (finding.rule, finding.severity) == ("json-syntax", Severity.ERROR), finding
    return finding.line, finding.column


# -- JSON with comments ------------------------------------------------------------------------------------

TAILSCALE = """\
{
  // Allow myself to advertise routes
  "autoApprovers": {
    /* routes for docker networks */
    "routes": {
      "172.31.42.0/24": ["alice@example.com"],
    },
  },
}"""


def test_comments_and_then_trailing_commas_are_jsonc(settings: Settings) -> None:
    assert "JSON with comments (JSONC) and trailing commas" in note(settings, TAILSCALE)
    assert "JSON with comments (JSONC)" in note(settings, '{\n  "a": 1 // one\n}')


def test_a_real_error_in_jsonc_fails_at_its_line(settings: Settings) -> None:
    broken = TAILSCALE.replace('"routes": {', '"routes" {')
    assert error(settings, broken) == (5, 14)
    assert error(settings, '{\n  // a note\n  "a": 1,\n  "b" 2\n}') == (4, 7)


def test_a_comment_marker_inside_a_string_is_text(settings: Settings) -> None:
    assert findings(settings, json_block('{"url": "https://example.com//x", "c": "/* no */"}')) == []
    assert error(settings, '{"url": "https://example.com//x",}') == (1, 34)


def test_a_trailing_comma_in_plain_json_is_an_error(settings: Settings) -> None:
    assert error(settings, '[\n  {\n    "digest": "x",\n  }\n]') == (4, 3)


@pytest.mark.parametrize(
    ("language", "title"),
    [("jsonc", None), ("json", ".vscode/settings.json"), ("json", "tsconfig.json"), ("json", "policy.hujson")],
)
def test_a_jsonc_fence_or_file_allows_trailing_commas(settings: Settings, language: str, title: str | None) -> None:
    text = '{\n  "compilerOptions": {"strict": true,},\n}'
    assert "JSONC (" in note(settings, text, language=language, title=title)
    assert error(settings, '{\n  "a": 1,,\n}', language=language, title=title) == (2, 10)


def test_a_jsonc_fence_is_classified_as_json() -> None:
    block = make_block('{"a": 1, // one\n}', kind=Kind.OTHER, language="jsonc")
    classify(block)
    assert block.kind is Kind.JSON


LAUNCH = """\
{
    "name": "Launch argocd-server",
    "type": "go",
    "request": "launch",
    "program": "${workspaceFolder}/cmd/main.go",
    "envFile": [
        "${workspaceFolder}/.envrc.remote",
    ],
}"""


def test_a_vscode_launch_configuration_is_jsonc(settings: Settings) -> None:
    assert "VS Code launch configuration" in note(settings, LAUNCH)
    whole = '{"version": "0.2.0", "configurations": [' + LAUNCH + ",]}"
    assert "VS Code launch configuration" in note(settings, whole)
    assert vscode_launch({"type": "node", "request": "attach"})
    assert not vscode_launch({"type": "node", "request": "get"}) and not vscode_launch([])


def test_a_hash_is_no_comment_even_in_a_launch_configuration(settings: Settings) -> None:
    text = LAUNCH.replace('"program": "${workspaceFolder}/cmd/main.go",', '"program": "x", # the entry point')
    assert error(settings, text) == (5, 21)


# -- elisions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "elision",
    ["...", "…", "(...)", "(…)", "# ...", "// ...", "/* ... */", "{...}", "[...]", "...,", "# <snip>"],
)
def test_each_elision_line_leaves_members_out(settings: Settings, elision: str) -> None:
    text = f'{{\n  "kind": "NodeInfo",\n  {elision}\n  "type": "master",\n  {elision}\n}}'
    assert "elisions" in note(settings, text)
    broken = text.replace('"type": "master"', '"type": master')
    assert error(settings, broken) == (4, 11)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ('{"statements": [...]}', "`[...]`"),
        ('{"VendorSeverity": {…}}', "`{…}`"),
        ('{"values": [600, ...]}', "`...`"),
        ('{"a": 1, "b": ..., "c": 3}', "`...`"),
        ('{"a": 1, ...}', "`...`"),
        ('[{"a": 1},\n {...},\n {...}\n]', "`{...}`"),
    ],
)
def test_inline_elisions_stand_for_values_members_and_items(settings: Settings, text: str, form: str) -> None:
    assert form in note(settings, text)


def test_commas_around_an_elision_separate_what_is_shown(settings: Settings) -> None:
    note(settings, '{\n  "a": 1,\n  ...\n}')  # the comma before the elided members
    note(settings, '{\n  "a": 1\n  ...\n  "b": 2\n}')  # the elided members end with a comma
    note(settings, '        {\n          "Effect": "Allow"\n        }\n      ...')  # an elided list around an item
    assert error(settings, '{\n  "a": 1,\n  ...\n  "b": 2\n  "c": 3\n}') == (5, 3)


def test_remarks_are_annotations_only_in_a_block_that_elides(settings: Settings) -> None:
    text = '{\n  "resources": [],\n  # the images follow the order of the manifest\n  "images": [],\n  ...\n}'
    message = note(settings, text)
    assert "`#` remarks (line 3)" in message and "elisions" in message
    assert error(settings, text.replace("  ...\n", "").replace('"images": [],', '"images": []')) == (3, 3)


def test_dots_inside_a_string_are_text(settings: Settings) -> None:
    assert findings(settings, json_block('{"message": "loading...", "more": "(...)"}')) == []


# -- members without their object -------------------------------------------------------------------------------


def test_members_without_their_object_are_an_excerpt(settings: Settings) -> None:
    message = note(settings, '"statements": [\n  {\n    "status": "not_affected"\n  }\n]')
    assert "members without their object" in message
    assert "members without their object" in note(settings, '"a": 1,\n"b": {"c": 2},')  # more members follow


def test_a_real_error_in_a_member_excerpt_fails_where_it_is(settings: Settings) -> None:
    # the bare member excerpt of Trivy's docs that also leaves a trailing comma before `}`
    assert error(settings, '"VendorSeverity": {\n  "ghsa": 3,\n  "nvd": 4,\n}') == (4, 1)
    assert error(settings, '"a": {\n  "b": 1\n  "c": 2\n}') == (3, 3)
    [finding] = findings(settings, block := json_block('"a": 1\n"b": 2'))
    assert "members without their object" in finding.message
    located = block.locate(finding)
    assert (located.file, located.line, located.column) == ("docs/test.md", 22, 1)


def test_strict_json_passes_without_a_note(settings: Settings) -> None:
    assert findings(settings, json_block('{"a": [1, 2], "b": {"c": null}}')) == []
    assert error(settings, "") == (1, 1)
    assert error(settings, '{"a": 1}\n{"b": 2}') == (2, 1)  # two documents are not an excerpt
