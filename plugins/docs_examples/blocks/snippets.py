"""``--8<--`` include resolution, with the rules of pymdownx.snippets and every line's origin kept.

Snippets are expanded before fences are looked for, even inside fences, exactly as the Markdown
preprocessor does. The supported notation:

* ``--8<-- "file"`` on a line of its own (any number of ``-`` around ``8<``), indented or not: the
  marker's indentation is put in front of every included line;
* ``"file:3:8"``, ``"file:3"``, ``"file:-2"``, ``"file:1:3,7:9"`` line ranges and ``"file:name"`` sections
  between ``--8<-- [start:name]`` and ``--8<-- [end:name]`` lines; section marker lines are removed from
  the output wherever they appear (the page too);
* the block form: a bare ``--8<--`` line, file names one per line (an empty line adds a blank line, a
  ``;`` comments a name out), a closing ``--8<--``;
* ``;--8<--`` escapes a marker (one ``;`` is removed and the line is kept);
* nested snippets, and ``base_path`` search in order, never outside a base folder.

Unlike a Markdown build, nothing raises: a missing file or section, a URL (never fetched here), an
unreadable file or a cycle becomes a located finding at the marker line (``check_paths: true``).

A file is found exactly as pymdownx.snippets finds it (the base joined with the name, normalised without
resolving links, and kept only while it stays under the base), so both read the same file. Then the guard
decides whether it may be read at all: a name that reaches its file through a symbolic link leading out of
the project, or a device such as ``/dev/zero``, is an ``unsafe-link`` error and is never opened (the site
build stops on it before pymdownx.snippets renders it). Expansion has a byte budget (``max_page_bytes``):
the lines walked, at every depth, count against it, so neither a huge snippet nor includes that fan out
exponentially can exhaust the build; past it, :class:`TooLarge` is raised.
"""

from __future__ import annotations

import re
import stat
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docs_examples import guard
from docs_examples.findings import Category, Finding, Severity

TOOL = "docs-examples"
MAX_DEPTH = 64
MAX_PATH = 4096
# A whole-line marker: the inline form with a quoted name, or the bare block delimiter.
_MARKER = re.compile(
    r"""(?P<space>[ \t]*)(?P<escape>;*)(?:
        (?P<inline>-+8<-+[ \t]+)(?P<name>"(?:\\"|[^"\r\n])+?"|'(?:\\'|[^'\r\n])+?')(?![ \t])
        |(?P<block>-+8<-+)(?![ \t])
    )\r?$""",
    re.VERBOSE,
)
# A section marker anywhere in a line; the look-behinds make the match start at a whole run of `;`/`-`.
_SECTION = re.compile(
    r"(?<![;-])(?P<escape>;*)(?P<marker>-+8<-+[ \t]+)"
    r"(?P<section>\[[ \t]*(?P<type>start|end)[ \t]*:[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\])",
    re.IGNORECASE,
)
_RANGES = re.compile(r":-?\d*(?::-?\d*)?(?:,(?=[-\d:])-?\d*(?::-?\d*)?)*")
_SECTION_NAME = re.compile(r":[a-z][-_0-9a-z]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Source:
    """Where an expanded line came from: file, 1-based line, columns the include added, page line."""

    file: str
    line: int
    shift: int  # columns of marker indentation put in front of an included line (0 for page lines)
    page_line: int  # the page line that produced it (the marker line for included lines)


@dataclass(slots=True)
class Target:
    """A parsed snippet reference: path, line ranges (start, end) and section name."""

    path: str
    ranges: list[tuple[int | None, int | None]] = field(default_factory=list)
    section: str | None = None


@dataclass(slots=True)
class Expansion:
    """The lines after expansion, their sources, the files included and the problems met."""

    lines: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    problems: list[tuple[int, Finding]] = field(default_factory=list)  # (page line, located finding)
    walked: int = 0  # bytes of every line looked at, at every depth, and of the indentation added


class TooLarge(Exception):
    """Expansion went past its byte budget at ``page_line`` (the marker that did it)."""

    def __init__(self, page_line: int) -> None:
        super().__init__(page_line)
        self.page_line = page_line


# -- reading, cached for the run --------------------------------------------------------------------------

_FILE_CACHE: dict[str, tuple[tuple[int, int], list[str], int | None]] = {}


def read_lines(path: Path, limit: int | None = None) -> tuple[list[str], int | None]:
    """A snippet file's lines (no line endings; an empty file has none) and the line of a bad byte.

    Cached by path, size and modification time, so every page of a run reads a shared file once and
    ``mkdocs serve`` still sees edits. A file larger than ``limit`` bytes raises :class:`TooLarge`
    (line 0: the caller knows the marker) after reading no more than ``limit + 1`` bytes.
    """
    stat = path.stat()
    key = str(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _FILE_CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    with path.open("rb") as fh:
        data = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise TooLarge(0)
    bad: int | None = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n") if text else []
    _FILE_CACHE[key] = (stamp, lines, bad)
    return lines, bad


# -- references -------------------------------------------------------------------------------------------


def parse_target(spec: str) -> Target | None:
    """Split ``file:1:5``, ``file:1:2,8:9`` or ``file:name`` into a :class:`Target`; None for no path."""
    path, ranges, section = spec, None, None
    if len(spec) <= MAX_PATH:
        colon = spec.find(":")
        while colon != -1:
            tail = spec[colon:]
            if _RANGES.fullmatch(tail):
                path, ranges = spec[:colon], tail
                break
            if _SECTION_NAME.fullmatch(tail):
                path, section = spec[:colon], tail[1:]
                break
            colon = spec.find(":", colon + 1)
    path = path.strip()
    if not path:
        return None
    target = Target(path, section=section)
    for item in ranges[1:].split(",") if ranges else ():
        bounds = item.split(":")
        start = _number(bounds[0])
        end = _number(bounds[1]) if len(bounds) > 1 else None
        target.ranges.append((start if start is None or start < 0 else max(0, start - 1), end))
    return target


def _number(text: str) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:  # a lone "-"
        return None


def select_ranges(lines: list[str], ranges: list[tuple[int | None, int | None]]) -> list[int]:
    """Indexes of the lines the ranges pick (negative numbers count from the end, as pymdownx does)."""
    total = len(lines)
    picked: list[int] = []
    for start, end in ranges:
        if start is not None and start < 0:
            start = min(max(total + start, 0), total)
        if end is not None and end < 0:
            end = min(max(total + 1 + end, 0), total)
        picked.extend(range(total)[slice(start, end)])
    return picked


def select_section(lines: list[str], name: str) -> tuple[list[int], list[str], bool]:
    """Indexes and (unescaped) texts of the lines of section ``name``, and whether its start was found."""
    picked: list[int] = []
    texts: list[str] = []
    inside = found = False
    for i, line in enumerate(lines):
        m = _SECTION.search(line) if "8<-" in line else None
        if m is not None and m.group("escape"):
            line = _unescape_section(line, m)
        elif m is not None and m.group("name") == name:
            kind = m.group("type").lower()
            if kind == "start":
                found = inside = True
                continue
            break  # an end (with or without a start) finishes the section
        elif m is not None and inside:
            continue  # another section's marker
        if inside:
            picked.append(i)
            texts.append(line)
    return picked, texts, found


def _unescape_section(line: str, m: re.Match[str]) -> str:
    return line[: m.start()] + m.group("escape")[1:] + line[m.start("marker") :]


# -- expansion --------------------------------------------------------------------------------------------


def _dedent(texts: list[str]) -> tuple[list[str], list[int]]:
    """pymdownx's ``dedent_subsections``: ``textwrap.dedent`` of the lines, and the columns each one lost."""
    dedented = textwrap.dedent("\n".join(texts)).split("\n")
    return dedented, [len(a) - len(b) if b else 0 for a, b in zip(texts, dedented, strict=True)]


def _kind(path: Path) -> bool | None:
    """Whether ``path`` is a folder (True) or another file (False); None when it does not exist."""
    try:
        return stat.S_ISDIR(Path(path).stat().st_mode)
    except (OSError, ValueError):
        return None


class Expander:
    """Expands snippets for pages of one project; file reads are cached for the process."""

    def __init__(
        self,
        base_paths: Iterable[Path],
        root: Path,
        *,
        dedent_subsections: bool = False,
        max_bytes: int | None = None,
    ) -> None:
        self.root = root
        self.dedent_subsections = dedent_subsections
        self.max_bytes = max_bytes
        # As pymdownx.snippets keeps them: absolute and normalised, links not resolved.
        self.bases = [(guard.lexical(b), is_dir) for b in base_paths if (is_dir := _kind(b)) is not None]

    def resolve(self, path: str) -> Path | None:
        """The file ``path`` names, searched in base-path order and never outside a base folder."""
        for base, is_dir in self.bases:
            try:
                found = self._resolve_in(base, is_dir, path)
            except (OSError, ValueError):  # a name too long for the file system, a NUL in it …
                continue
            if found is not None:
                return found
        return None

    @staticmethod
    def _resolve_in(base: Path, is_dir: bool, path: str) -> Path | None:
        """The file ``path`` names in one base folder (or the base file itself), or None: pymdownx's rule
        (the joined name normalised without resolving links, kept only while it stays under the base)."""
        if is_dir:
            candidate = guard.lexical(base / path)
            inside = candidate != base and candidate.is_relative_to(base)
            return candidate if inside and candidate.exists() else None
        candidate = base.parent / path
        return candidate if candidate.exists() and candidate.samefile(base) else None

    def name(self, path: Path) -> str:
        """How findings and origins name a snippet file: relative to the project root, posix."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def expand(self, lines: list[str], page: str, first_line: int = 1) -> Expansion:
        """Expand a page's lines (``first_line`` is the page line of ``lines[0]``)."""
        out = Expansion()
        sources = [Source(page, first_line + i, 0, first_line + i) for i in range(len(lines))]
        if not any("8<" in line for line in lines):  # no marker: the page as it is (most pages)
            out.walked = sum(map(len, lines)) + len(lines)
            if self.max_bytes is not None and out.walked > self.max_bytes:
                self._walk(lines, sources, Expansion(), seen=(), section_mode=False, depth=0)  # raises at its line
            out.lines, out.sources = list(lines), sources
            return out
        self._walk(lines, sources, out, seen=(), section_mode=False, depth=0)
        return out

    def _walk(
        self,
        lines: list[str],
        sources: list[Source],
        out: Expansion,
        *,
        seen: tuple[Path, ...],
        section_mode: bool,
        depth: int,
    ) -> None:
        """One level of pymdownx's ``parse_snippets``: copy lines, replacing markers by their files."""
        in_block = False
        for line, src in zip(lines, sources, strict=True):
            self._spend(out, len(line) + 1, src)
            m = _MARKER.match(line) if "8<" in line else None
            if m is not None:
                if m.group("escape"):
                    out.lines.append(line.replace(";", "", 1))
                    out.sources.append(src)
                elif m.group("block") is not None:
                    in_block = not in_block
                elif not in_block:  # an inline marker directly in a block is ignored, as upstream
                    self._include(m.group("space"), m.group("name")[1:-1].strip(), src, out, seen, depth)
                continue
            if in_block:
                space = line[: len(line) - len(line.lstrip(" \t"))]
                path = line.strip()
                if not path:
                    out.lines.append("")
                    out.sources.append(src)
                else:
                    self._include(space, path, src, out, seen, depth)
                continue
            if not section_mode and "8<-" in line:
                s = _SECTION.search(line)
                if s is not None and not s.group("escape"):
                    continue  # section markers never reach the page
                if s is not None:
                    line = _unescape_section(line, s)
            out.lines.append(line)
            out.sources.append(src)

    def _include(self, space: str, spec: str, src: Source, out: Expansion, seen: tuple[Path, ...], depth: int) -> None:
        """Put the lines of one reference in place of its marker, or record why it cannot be."""
        if spec.startswith(";"):
            return  # commented out
        target = parse_target(spec)
        if target is None:
            self._problem(out, src, "missing-include", "snippet marker names no file")
            return
        if target.path.lower().startswith(("https://", "http://")):
            self._problem(
                out,
                src,
                "url-include",
                f"URL snippet {target.path} is not fetched: checks run offline",
                severity=Severity.WARNING,
            )
            return
        path = self.resolve(target.path)
        if path is None:
            where = ", ".join(self.name(b) or "." for b, _ in self.bases) or "no existing base_path"
            self._problem(out, src, "missing-include", f"snippet {target.path!r} not found (searched {where})")
            return
        if path in seen or depth >= MAX_DEPTH:
            return  # pymdownx silently skips a file already being included
        unsafe = guard.unsafe(path, self.root)
        if unsafe:
            self._problem(out, src, guard.UNSAFE, f"snippet {target.path!r} {unsafe}; it is not included")
            return
        try:
            lines, bad = read_lines(path, self.max_bytes)
        except TooLarge:
            raise TooLarge(src.page_line) from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self._problem(out, src, "missing-include", f"snippet {target.path!r} cannot be read: {reason}")
            return
        name = self.name(path)
        if bad is not None:
            self._problem(out, src, "invalid-utf8", f"{name}:{bad}: not valid UTF-8; bad bytes replaced")
        indexes: list[int] = list(range(len(lines)))
        texts = lines
        if lines and target.ranges:
            indexes = select_ranges(lines, target.ranges)
            texts = [lines[i] for i in indexes]
        elif lines and target.section:
            indexes, texts, found = select_section(lines, target.section)
            if not found:
                self._problem(out, src, "missing-include", f"section {target.section!r} not found in {name}")
        removed = [0] * len(texts)
        if self.dedent_subsections and (target.ranges or target.section):
            texts, removed = _dedent(texts)
        if name not in out.includes:
            out.includes.append(name)
        pad = space.expandtabs(4)
        # A dedented line starts `removed` columns further right in its file than in the block.
        sources = [
            Source(name, i + 1, len(pad) + src.shift - r, src.page_line) for i, r in zip(indexes, removed, strict=True)
        ]
        start = len(out.lines)
        self._walk(texts, sources, out, seen=(*seen, path), section_mode=target.section is not None, depth=depth + 1)
        if pad:
            self._spend(out, len(pad) * (len(out.lines) - start), src)
            out.lines[start:] = [pad + t for t in out.lines[start:]]

    def _spend(self, out: Expansion, size: int, src: Source) -> None:
        """Count ``size`` bytes against the budget; past it, :class:`TooLarge` at ``src``'s page line."""
        out.walked += size
        if self.max_bytes is not None and out.walked > self.max_bytes:
            raise TooLarge(src.page_line)

    @staticmethod
    def _problem(out: Expansion, src: Source, rule: str, message: str, severity: Severity = Severity.ERROR) -> None:
        finding = Finding(
            tool=TOOL,
            rule=rule,
            severity=severity,
            message=message,
            file=src.file,
            line=src.line,
            category=Category.EXTRACTION,
        )
        out.problems.append((src.page_line, finding))
