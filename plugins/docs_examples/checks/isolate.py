"""One hostile block fails alone: when a tool dies on a batch, the batch is split and each part retried.

Checks give all their blocks to one tool process where they can (hadolint, shellcheck, promtool …), so one
block that makes the tool crash, run out of memory or out of time would otherwise turn every block of its
batch into a tool error. Here a failed batch is split (into its single blocks when it is small, else into
:data:`PARTS` parts) and the parts are checked again concurrently — the runner's gate still bounds the
processes — and a part that fails again is split again, until the block that kills the tool fails alone.

Blocks of a page-scope check (cross-references between a page's blocks) are never separated from their
page. Retrying stops once it has taken twice the tool timeout, or the run is being stopped: whatever still
fails then gets the tool error, so a tool that is broken for every block costs one timeout, not one per block.
A missing tool is never retried.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from docs_examples.blocks.model import Block
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding

SINGLES = 32  # a failed batch of at most this many units is retried one unit a process
PARTS = 8  # a larger one is retried in this many parts

Failure = Callable[[Exception], Finding]  # the tool-error finding for a unit the tool still dies on
Found = dict[str, list[Finding]]


def check_isolating(check: Check, blocks: Sequence[Block], failure: Failure, *, timeout: float, workers: int) -> Found:
    """``check.check(blocks)``; if the tool dies on the batch, each block's findings from the parts that
    do not, and ``failure(exc)`` for the blocks of the parts that still do. ToolMissing propagates."""
    try:
        return check.check(blocks)
    except runner.ToolMissing:
        raise
    except Exception as exc:  # a tool error or a crash: find the block(s) it came from
        deadline = time.monotonic() + 2 * timeout
        return _retry(check, _units(check, blocks), exc, failure, deadline, max(1, workers))


def _units(check: Check, blocks: Sequence[Block]) -> list[list[Block]]:
    """What may be separated: single blocks, or whole pages for a page-scope check."""
    if check.scope != "page":
        return [[block] for block in blocks]
    pages: dict[str, list[Block]] = defaultdict(list)
    for block in blocks:
        pages[block.page].append(block)
    return list(pages.values())


def _split(units: list[list[Block]]) -> list[list[list[Block]]]:
    """Single units when few, else :data:`PARTS` consecutive runs of units."""
    if len(units) <= SINGLES:
        return [[unit] for unit in units]
    size = -(-len(units) // PARTS)
    return [units[i : i + size] for i in range(0, len(units), size)]


def _retry(
    check: Check, units: list[list[Block]], exc: Exception, failure: Failure, deadline: float, workers: int
) -> Found:
    """The findings of ``units`` after the tool died on them all together with ``exc``."""
    if len(units) <= 1 or time.monotonic() > deadline or runner.stopped():
        return {block.id: [failure(exc)] for unit in units for block in unit}
    parts = _split(units)
    out: Found = {}
    with ThreadPoolExecutor(max_workers=min(len(parts), workers)) as pool:
        for found in pool.map(lambda part: _attempt(check, part, failure, deadline, workers), parts):
            out.update(found)
    return out


def _attempt(check: Check, units: list[list[Block]], failure: Failure, deadline: float, workers: int) -> Found:
    """One part checked again; split again if the tool still dies on it."""
    try:
        return check.check([block for unit in units for block in unit])
    except runner.ToolMissing:
        raise
    except Exception as exc:
        return _retry(check, units, exc, failure, deadline, workers)
