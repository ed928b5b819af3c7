"""The Markdown tables of the "How examples are checked" page: rules of the checks, placeholder forms.

Standard library only, like the data that calls it: writing the page loads no check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(text: str) -> str:
    """Text safe inside one Markdown table cell: one line, no ``|`` that would end the cell."""
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table: the header row, its rule, then one row per item, every cell made safe."""
    lines = [f"| {' | '.join(header)} |", f"| {' | '.join('---' for _ in header)} |"]
    lines += [f"| {' | '.join(cell(c) for c in row)} |" for row in rows]
    return "\n".join(lines) + "\n"


__all__ = ["cell", "markdown_table"]
