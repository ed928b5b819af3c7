"""The baseline: today's failures, recorded in a committed file, so that only new ones fail.

Like the baselines of ruff, mypy and Semgrep. ``docs-examples baseline`` writes the file
(``.docs-examples-baseline.json`` beside ``mkdocs.yml`` by default; the ``baseline`` option names another);
every later run, the CLI's and the MkDocs plugin's alike, reads it, and :class:`Matcher` tells the verdict
which failing findings it lists. Those are reported, marked, and do not fail; the entries no finding matched
any more are reported as stale; ``docs-examples check --update-baseline`` rewrites the file.

An entry is a page (relative to ``mkdocs.yml``'s folder), a block fingerprint, a tool and a rule, with a
count. The fingerprint is made from the block's text (trailing spaces and blank edge lines dropped) and its
heading and tab path, so it survives lines moving above or below the block; editing the block itself makes
its findings new (whoever touches a block fixes it or records it again). A problem that belongs to the page
rather than a block is fingerprinted by its message with numbers left out. The heading path and a message
are kept in each entry for the people reviewing the file; they are not matched.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docs_examples.cache import write_atomic
from docs_examples.findings import Category, Finding, Status, Suppression
from docs_examples.settings import ConfigError

if TYPE_CHECKING:
    from docs_examples.blocks.model import Block
    from docs_examples.results import Report

VERSION = 1
ABOUT = (
    "Known failures of the documentation examples: docs-examples reports them, marked, and does not fail on "
    "them. Written by `docs-examples baseline`; `docs-examples check --update-baseline` rewrites it."
)
_DIGITS = re.compile(r"\d+")
Key = tuple[str, str, str, str]  # page, block fingerprint, tool, rule


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    """One recorded failure (``count`` times the same rule in the same block)."""

    page: str
    where: str  # heading › tab path, for people
    block: str
    tool: str
    rule: str
    count: int = 1
    message: str = ""  # the first finding's message, for people

    @property
    def key(self) -> Key:
        return (self.page, self.block, self.tool, self.rule)

    def describe(self) -> str:
        """``docs/x.md › Install › Docker: hadolint DL3007 (×2)`` for the reports."""
        where = f"{self.page} › {self.where}" if self.where else self.page
        times = f" (×{self.count})" if self.count > 1 else ""
        return f"{where}: {self.tool} {self.rule}{times}"


def fingerprint(block: Block | None, finding: Finding) -> str:
    """What identifies the place of a failure across line moves: the block (text and path) or the message."""
    h = hashlib.blake2b(digest_size=8)
    if block is None:
        h.update(b"page\0" + _DIGITS.sub("#", finding.message).encode("utf-8", "surrogatepass"))
        return h.hexdigest()
    lines = [line.rstrip() for line in block.text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    for part in (*block.path, "\0", *lines):
        h.update(part.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()


def path(settings_root: Path, configured: str | None) -> Path | None:
    """The baseline file of a site, or None when the ``baseline`` option is empty."""
    return (settings_root / configured) if configured else None


def load(file: Path) -> list[Entry]:
    """The entries of a baseline file; none when it does not exist; a ConfigError when it is not one."""
    if not file.is_file():
        return []
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} docs-examples baseline")
        return [_entry(item) for item in data["findings"]]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{file}: cannot read the baseline: {exc}; fix it, or write it again with `docs-examples baseline`"
        ) from None


def _entry(item: Any) -> Entry:
    if not isinstance(item, dict):
        raise TypeError("a finding entry is not a mapping")
    texts = {k: item[k] for k in ("page", "block", "tool", "rule")}
    if not all(isinstance(v, str) and v for v in texts.values()):
        raise TypeError("page, block, tool and rule must be strings")
    count = item.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise TypeError(f"count {count!r} is not a positive whole number")
    return Entry(where=str(item.get("where", "")), count=count, message=str(item.get("message", "")), **texts)


def dump(entries: Iterable[Entry]) -> str:
    """The file's text: sorted, one entry per finding kind and block, stable under rewriting."""
    items = []
    for e in sorted(entries):
        item = asdict(e)
        items.append({k: item[k] for k in ("page", "where", "block", "tool", "rule", "count", "message")})
    return json.dumps({"version": VERSION, "about": ABOUT, "findings": items}, indent=2, ensure_ascii=False) + "\n"


def write(file: Path, entries: Iterable[Entry]) -> None:
    """Write the baseline atomically (a half-written baseline would fail every block it lists)."""
    write_atomic(file, dump(entries).encode("utf-8"))


class Matcher:
    """Answers the verdict for one run: each entry suppresses up to ``count`` findings of its key."""

    def __init__(self, entries: Iterable[Entry], name: str) -> None:
        self.name = name
        self.entries = list(entries)
        self.left: Counter[Key] = Counter()
        for e in self.entries:
            self.left[e.key] += e.count

    def take(self, page: str, block: Block | None, finding: Finding) -> Suppression | None:
        key = (page, fingerprint(block, finding), finding.tool, finding.rule)
        if self.left[key] <= 0:
            return None
        self.left[key] -= 1
        return Suppression("baseline", f"known failure recorded in {self.name}")

    def stale(self, pages: set[str]) -> list[Entry]:
        """Entries of ``pages`` (the pages checked) that fewer findings matched than they count."""
        out: list[Entry] = []
        seen: set[Key] = set()
        for e in self.entries:
            if e.page in pages and self.left[e.key] > 0 and e.key not in seen:
                seen.add(e.key)
                out.append(Entry(e.page, e.where, e.block, e.tool, e.rule, self.left[e.key], e.message))
        return out


def recorded(report: Report) -> list[Entry]:
    """Today's failures in ``report``: every finding that fails, or would but for the baseline.

    Findings the ``ignore`` option silences are not recorded (the configuration already says why), nor
    tool errors (a missing tool is about the machine), nor an anti-pattern's intended failures.
    """
    counts: Counter[Key] = Counter()
    first: dict[Key, tuple[str, str]] = {}
    pages = report.suppression.pages if report.suppression is not None else {}

    def add(page: str, block: Block | None, f: Finding) -> None:
        if f.category is Category.TOOL_ERROR:
            return
        if not (f.fails or (f.suppressed is not None and f.suppressed.by == "baseline")):
            return
        key = (pages.get(page, page), fingerprint(block, f), f.tool, f.rule)
        counts[key] += 1
        first.setdefault(key, (" › ".join(block.path) if block is not None else "", f.message))

    for r in report.results:
        if r.status is not Status.EXPECTED_FAILURE:
            for f in r.findings:
                add(r.block.page, r.block, f)
    for page, f in report.page_problems():
        add(page, None, f)
    return [Entry(k[0], first[k][0], k[1], k[2], k[3], n, first[k][1]) for k, n in counts.items()]


def rewritten(old: Iterable[Entry], today: Iterable[Entry], checked: set[str]) -> list[Entry]:
    """The new baseline: today's failures, and the old entries of pages this run did not check."""
    return [e for e in old if e.page not in checked] + list(today)


def change(old: list[Entry], today: list[Entry], entries: list[Entry], checked: set[str]) -> str:
    """``972 failures recorded in 694 places (3 new, 1 no longer failing)``: what a rewrite did, in failures."""
    before: Counter[Key] = Counter({e.key: e.count for e in old if e.page in checked})
    now: Counter[Key] = Counter({e.key: e.count for e in today})
    new, gone = sum((now - before).values()), sum((before - now).values())
    places = len({(e.page, e.block) for e in entries})
    return f"{sum(e.count for e in entries)} failures recorded in {places} places ({new} new, {gone} no longer failing)"
