"""An example with placeholders, checked as a partial object.

:func:`docs_examples.blocks.placeholders.mask_yaml` makes such YAML readable; this module looks at the
loaded document to say, per JSON path, what the placeholders mean for validation:

- a value that is only a placeholder (``<name>``, ``${VAR}``, ``[...]``, ``...``) stands for any value of
  the type expected there: type, enum and pattern errors at it are not reported;
- a value or key that holds a placeholder (``my-<app>``, ``subscribe.<trigger>.slack``) cannot be judged by
  a grammar: rule findings about it are not reported, and an unknown-field error on such a key neither
  (the value under a placeholder key of a map, such as an annotation's, is still checked);
- a document that ends with a key and no value (``paths:``) stops there: that value is left out;
- an elision (a ``...`` or ``# ...`` line) leaves out part of the mapping or list it sits in, by its
  indentation: missing required fields there, below it and in the mappings around it (an excerpt's
  parents are excerpts too) are not asked for.

Everything else, including an unknown field next to an elision, is checked as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from docs_examples.blocks import placeholders
from docs_examples.blocks.placeholders import Masked, Spot
from docs_examples.checks.kubernetes.positions import REQUIRED, UNKNOWN, SchemaError
from docs_examples.yaml_loader import Document, key_text

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    """A key of a mapping or an item of a block list: where it starts (0-based) and its value."""

    line: int
    column: int
    path: Path
    value: Node


@dataclass(slots=True)
class Partial:
    """What the placeholders and elisions of one document mean for its validation."""

    any_value: set[Path] = field(default_factory=set)  # the value is only a placeholder
    marked: set[Path] = field(default_factory=set)  # a string value holding a placeholder
    marked_keys: set[Path] = field(default_factory=set)  # the last key of the path holds one
    relaxed: set[Path] = field(default_factory=set)  # required fields not asked for at and below
    values: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text) of each placeholder
    elisions: list[Spot] = field(default_factory=list)  # the elision lines that left something out

    def __bool__(self) -> bool:
        return bool(self.any_value or self.marked or self.marked_keys or self.relaxed)

    # -- reading a document --------------------------------------------------------------------------

    @classmethod
    def of(cls, doc: Document, masked: Masked | None, since: int = 1) -> Partial:
        """The partial view of ``doc``, read from ``masked`` (the text it was loaded from).

        Elision lines from line ``since`` (1-based: after the previous document) to the end of ``doc``
        belong to it.
        """
        out = cls()
        if doc.node is None:
            return out
        last = doc.node.end_mark.line + 1
        elided = [
            spot
            for spot in (masked.elisions if masked else ())
            if since <= spot.line <= last and spot.form in {"ellipsis-line", "ellipsis-comment"}
        ]
        # Every key and item with its place, only where an elision needs them to find what it leaves out;
        # the last of them is also what _final finds without a walk.
        entries: list[_Entry] | None = [] if elided else None
        if masked is None or masked or placeholders.could_hold(masked.text):
            _walk(doc.node, (), entries, out)  # no placeholder anywhere otherwise
        final = max(entries, key=lambda e: (e.line, e.column), default=None) if entries else _final(doc.node)
        if final is not None and _empty(final.value):  # the block stops at `key:`: the rest is left out
            out.any_value.add(final.path)
            out.relaxed.add(final.path)
        for spot in elided:
            out._elide(spot, entries or [])
            out.elisions.append(spot)
        out.values.sort()
        return out

    def _elide(self, spot: Spot, entries: Sequence[_Entry]) -> None:
        """Relax what the elision leaves out: its mapping or list, found by the elision's indentation."""
        line, column = spot.line - 1, spot.column - 1
        before = [e for e in entries if e.line < line]
        owner: Path = ()
        for entry in reversed(before):
            if entry.column > column:
                continue
            owner = entry.path[:-1] if entry.column == column else entry.path
            if _empty(entry.value) and (entry.column < column or entry is before[-1]):
                self.any_value.add(entry.path)
                self.relaxed.add(entry.path)
            break
        # What holds an excerpt is an excerpt too: the mappings around the elided part are not complete.
        self.relaxed.update(owner[:i] for i in range(len(owner) + 1))

    # -- judging -------------------------------------------------------------------------------------

    def keeps(self, error: SchemaError) -> bool:
        """Whether a schema error still stands once the placeholders are taken for what they mean."""
        if error.rule == REQUIRED:
            return not any(_under(error.path, r) for r in self.relaxed)
        if error.rule == UNKNOWN:  # a placeholder key may be any field; a map's keys are never unknown
            return not placeholders.contains(error.field)
        return not any(_under(error.path, p) for p in self.any_value | self.marked)

    def judges(self, path: Path) -> bool:
        """Whether a rule can judge the value at ``path``: no placeholder in it, below it or in its keys."""
        if any(_under(path, k) for k in self.marked_keys):
            return False
        return not any(_under(p, path) for p in self.any_value | self.marked | self.marked_keys)

    def describe(self) -> str:
        """One sentence for the info finding: what stands for what."""
        parts = []
        if self.values:
            shown = ", ".join(f"`{text}`" for _, text in self.values[:4])
            more = f" and {len(self.values) - 4} more" if len(self.values) > 4 else ""
            parts.append(f"{shown}{more} stand{'s' if len(self.values) == 1 else ''} for what the reader fills in")
        if self.elisions:
            shown = placeholders.describe(self.elisions)
            parts.append(f"{shown} leave{'s' if len(self.elisions) == 1 else ''} parts out")
        return "checked as a partial object: " + "; ".join(parts)

    def first_line(self) -> int:
        """The 1-based line of the first placeholder or elision (where the info finding goes)."""
        lines = [line for line, _ in self.values] + [s.line for s in self.elisions]
        return min(lines) if lines else 0


def _under(path: Path, prefix: Path) -> bool:
    return path[: len(prefix)] == prefix


def _empty(node: Node) -> bool:
    """A value written as nothing at all (``key:`` with the value left out)."""
    return isinstance(node, ScalarNode) and node.tag.endswith(":null") and node.value in {"", "~"} and not node.style


def _final(node: Node) -> _Entry | None:
    """The entry :func:`_walk` would find last (the greatest line and column): the last key or item of the
    last key or item …, down to a scalar; None for a document that is a scalar."""
    final: _Entry | None = None
    path: Path = ()
    while True:
        if isinstance(node, MappingNode) and node.value:
            key, value = node.value[-1]
            path = (*path, key_text(key) if isinstance(key, ScalarNode) else str(key.start_mark))
            final, node = _Entry(key.start_mark.line, key.start_mark.column, path, value), value
        elif isinstance(node, SequenceNode) and node.value:
            item = node.value[-1]
            path = (*path, len(node.value) - 1)
            column = item.start_mark.column if node.flow_style else node.start_mark.column
            final, node = _Entry(item.start_mark.line, column, path, item), item
        else:
            return final


def _walk(node: Node, path: Path, entries: list[_Entry] | None, out: Partial) -> None:
    """Collect placeholder values below ``node`` (at ``path``), and every entry when ``entries`` is a list."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            name = key_text(key) if isinstance(key, ScalarNode) else str(key.start_mark)
            child = (*path, name)
            if entries is not None:
                entries.append(_Entry(key.start_mark.line, key.start_mark.column, child, value))
            if placeholders.contains(name):
                out.marked_keys.add(child)
                out.values.append((key.start_mark.line + 1, placeholders.restore(name)))
            _walk(value, child, entries, out)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            if entries is not None:
                column = item.start_mark.column if node.flow_style else node.start_mark.column  # block: the dash
                entries.append(_Entry(item.start_mark.line, column, child, item))
            _walk(item, child, entries, out)
    elif not isinstance(node, ScalarNode) or not placeholders.could_hold(node.value):
        return  # no character any placeholder starts with (most values)
    elif node.style not in {"|", ">"}:
        text = placeholders.restore(node.value)
        if placeholders.whole(text):
            out.any_value.add(path)
        elif placeholders.contains(text):
            out.marked.add(path)
        else:
            return
        out.values.append((node.start_mark.line + 1, text.strip()))
