"""How far a YAML text's aliases expand, counted from PyYAML's event stream before anything is built.

A few hundred bytes of anchors that alias each other nine deep (``b: &b [*a, *a …]``) stand for hundreds of
millions of values: ``docker-compose config`` expands them and ran past two minutes at 6.7 GB on such a
block. Events are read one at a time and nothing is constructed, so counting costs as much as reading the
text; the count stops as soon as it passes the limit.

This is the Compose check's own pre-check. The shared YAML loader is getting the same limit for every
YAML-reading check; when it has, :func:`alias_overflow` can become a call to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, DocumentStartEvent, ScalarEvent

# Values that aliases may add to a document once expanded. A large real Compose file that merges an
# ``x-`` anchor of 30 values into 50 services adds 1,500; the nine-deep bomb adds 387,420,489.
MAX_ALIAS_VALUES = 100_000

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Overflow:
    """The alias that took the expansion past the limit: its anchor, and the anchor's 1-based line."""

    anchor: str
    line: int
    limit: int


def alias_overflow(text: str, limit: int = MAX_ALIAS_VALUES) -> Overflow | None:
    """The first alias whose expansion takes ``text`` past ``limit`` added values; None when none does.

    Each anchored value's expanded size (itself, its children, and what its own aliases stand for) is
    recorded when it ends; an alias adds its anchor's size less the one value it replaces. A text that
    does not parse is not this function's business (Compose and the YAML check report it): None.
    """
    loader = _LOADER(text)
    sizes: dict[str, int] = {}
    lines: dict[str, int] = {}
    open_: list[list] = []  # [anchor or None, expanded size so far] per open collection
    added = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, DocumentStartEvent):  # anchors do not cross documents
                sizes.clear()
                lines.clear()
            elif isinstance(event, CollectionStartEvent):
                if event.anchor:
                    lines[event.anchor] = event.start_mark.line + 1
                open_.append([event.anchor, 1])
            elif isinstance(event, CollectionEndEvent):
                anchor, size = open_.pop()
                _ended(anchor, size, sizes, open_)
            elif isinstance(event, ScalarEvent):
                if event.anchor:
                    lines[event.anchor] = event.start_mark.line + 1
                _ended(event.anchor, 1, sizes, open_)
            elif isinstance(event, AliasEvent):
                size = sizes.get(event.anchor, 1)  # an anchor still open (a self-reference) counts as one
                added += size - 1
                if added > limit:
                    return Overflow(event.anchor, lines.get(event.anchor, event.start_mark.line + 1), limit)
                _ended(None, size, sizes, open_)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _ended(anchor: str | None, size: int, sizes: dict[str, int], open_: list[list]) -> None:
    """A value of expanded ``size`` is complete: remember it under its anchor and add it to its parent."""
    if anchor:
        sizes[anchor] = size
    if open_:
        open_[-1][1] += size
