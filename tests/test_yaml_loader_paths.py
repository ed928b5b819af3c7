"""The YAML loader's two construction paths give the same answers, and reading leaves no garbage cycles.

A document whose tree shares no collection is built by one fast recursive pass that also finds duplicate
keys; any other (an alias to a collection, a merge key, a tag …) goes through the alias-cycle walk, the
duplicate-key walk and PyYAML's constructor. Each test reads the same text twice, once as it comes and once
with the fast pass switched off, and compares data, positions and problems.
"""

from __future__ import annotations

import gc
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docs_examples import yaml_loader
from docs_examples.yaml_loader import DUPLICATE, gc_paused, load


def _no_fast_pass(*args: object) -> None:
    raise LookupError("general path only")


def _both(text: str) -> tuple[tuple, tuple]:
    """``(as it comes, general path only)``: documents and problems of ``text``, comparable."""
    fast = _comparable(*load(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_loader, "_fast_value", _no_fast_pass)
        general = _comparable(*load(text))
    return fast, general


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


def _comparable(docs: list, problems: list) -> tuple:
    shown = [
        (
            d.index,
            repr(d.data),
            d.start_line,
            [(p, d.position_of(p), d.position_of(p, key=True)) for p in _paths(d.data)],
        )
        for d in docs
    ]
    return shown, [(p.line, p.column, p.rule, p.message) for p in problems]


def test_duplicates_found_by_the_fast_path_name_the_first_line() -> None:
    text = textwrap.dedent(
        """\
        metadata:
          name: a
          labels: {app: web, tier: db, app: api}
          name: b
        spec:
          - yes: 1
            true: 2
            "true": 3
        """
    )
    docs, problems = load(text)
    assert docs[0].data["metadata"] == {"name": "b", "labels": {"app": "api", "tier": "db"}}
    assert [(p.line, p.column, p.rule) for p in problems] == [
        (3, 32, DUPLICATE),
        (4, 3, DUPLICATE),
        (7, 5, DUPLICATE),
        (8, 5, DUPLICATE),
    ]
    assert "first on line 2" in problems[1].message
    assert "`true` (first on line 6)" in problems[2].message
    fast, general = _both(text)
    assert fast == general


def test_merge_keys_tags_and_complex_keys_read_the_same_either_way() -> None:
    text = textwrap.dedent(
        """\
        base: {a: 1}
        ref: !Ref other
        when: 2024-05-01
        blob: !!binary aGVsbG8=
        ? [x, y]
        : complex
        numbers: [0x1F, 1_000, 1:20, .inf, ~, "2"]
        """
    )
    fast, general = _both(text)
    assert fast == general
    assert load(text)[0][0].data["numbers"][:3] == [31, 1000, 80]


def test_aliases_shared_collections_and_cycles_read_the_same_either_way() -> None:
    text = textwrap.dedent(
        """\
        shared: &m {x: 1, x: 2}
        again: *m
        word: &w text
        copy: *w
        ---
        loop: &l [*l]
        """
    )
    fast, general = _both(text)
    assert fast == general
    docs, problems = load(text)
    assert docs[0].data["again"] == {"x": 2}
    assert [p.line for p in problems] == [1, 6]  # the duplicate once (the mapping is one node), the cycle


_SCALARS = st.sampled_from(["1", "x", "yes", "~", "'q'", "1.5", "null", "0o17", "2001-12-14", "-", "[]", "{}"])
_KEYS = st.sampled_from(["a", "b", "name", "yes", "on", "1", "'a'", "null"])


@st.composite
def _yaml_block(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """Lines of a block mapping or sequence (children two spaces in), keys often repeated."""
    lines: list[str] = []
    mapping = draw(st.booleans())
    for _ in range(draw(st.integers(1, 4))):
        prefix = f"{draw(_KEYS)}:" if mapping else "-"
        if depth < 3 and draw(st.booleans()):
            child = draw(_yaml_block(depth + 1))
            lines.append(prefix)
            lines += ["  " + line for line in child]
        else:
            lines.append(f"{prefix} {draw(_SCALARS)}")
    return lines


@settings(max_examples=300, deadline=None)
@given(_yaml_block())
def test_random_block_yaml_reads_the_same_on_both_paths(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    fast, general = _both(text)
    assert fast == general


def test_a_syntax_error_leaves_no_reference_cycle_behind() -> None:
    """The returned error used to carry its traceback, whose frames held every caller's locals."""
    gc.collect()
    gc.disable()
    try:
        docs, problems = load("kind: Pod\nspec: [1,\n")
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert docs == [] and problems[0].rule == "yaml-syntax"
    assert unreachable == 0


def test_gc_paused_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()
