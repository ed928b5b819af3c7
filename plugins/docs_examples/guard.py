"""What a pull request cannot make the build read or write.

The site is built in CI from pull requests whose authors may be hostile, and git stores symbolic links: a
contributor can commit ``docs/env.txt -> /proc/self/environ`` (MkDocs would publish the CI environment),
``snippets/zero -> /dev/zero`` (an include that never ends), or ``site/examples -> /elsewhere`` (MkDocs'
clean keeps a link, and every file written below it lands outside the project). This module decides,
before anything is read or written:

- a source (page, asset, snippet) whose path goes through a symbolic link must resolve inside the project
  root and outside any ``.git`` folder (which may hold a CI token), and every source must be a regular
  file or folder: never a device, FIFO or socket (:func:`unsafe`, :func:`scan_tree`);
- a page is never read past ``max_page_bytes`` (:func:`read_source`);
- the folders the build writes (``site/``, ``site/examples``, the cache folder, report folders) are no
  symbolic links, hold none, and no folder between the project root and them is one (:func:`linked_outputs`).

A refused source is an error finding (``unsafe-link``) that names the file and never what it points to on
this machine. Findings of :data:`REFUSING` rules stop a site build before anything is rendered or written:
the MkDocs adapter raises instead of letting MkDocs copy or render the file (:func:`refusals`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from docs_examples.findings import Category, Finding, Severity
from docs_examples.yaml_loader import LIMIT_RULES

TOOL = "docs-examples"
UNSAFE = "unsafe-link"
TOO_LARGE = "page-too-large"
TOO_MANY = "too-many-blocks"
# Page-level problems that stop a site build before MkDocs renders or copies anything: what MkDocs itself
# would read (a linked file, a huge page, tens of thousands of blocks to highlight, front matter whose
# aliases expand without end) is never handed to it.
REFUSING = frozenset({UNSAFE, TOO_LARGE, TOO_MANY}) | LIMIT_RULES


def _finding(rule: str, message: str, file: str, line: int | None = 1) -> Finding:
    return Finding(TOOL, rule, Severity.ERROR, message, line=line, file=file, category=Category.EXTRACTION)


def lexical(path: Path | str) -> Path:
    """``path`` made absolute and normalised (``..`` removed) without resolving links, as pymdownx does."""
    # normpath(cwd / path) in strings (called for every page and include); Path.resolve() would follow links
    return Path(os.path.abspath(path))  # noqa: PTH100


def display(path: Path, root: Path) -> str:
    """How findings name ``path``: relative to the project root in POSIX form, else as given."""
    absolute = lexical(path)
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# -- sources -----------------------------------------------------------------------------------------------


def unsafe(path: Path, root: Path) -> str | None:
    """Why reading ``path`` could expose the build machine; None for an ordinary file or folder of the project.

    A path that reaches its file through a symbolic link (itself or a parent folder) must resolve inside
    ``root`` (a resolved path) and outside ``.git``; a path that exists must be a regular file or a folder.
    A path that does not exist is not this function's business (the reader reports it as missing).
    """
    return _unsafe(path, root)[0]


def _unsafe(path: Path | str, root: Path) -> tuple[str | None, str | None]:
    """:func:`unsafe`'s answer, and the path resolved (``os.path.realpath``) when it exists."""
    try:
        st = Path(path).stat()  # follows links: what a reader would open
    except (OSError, ValueError):
        return None, None
    real = os.path.realpath(path)
    if real != os.path.abspath(path):  # noqa: PTH100  lexical(), as a string: a link on the way must stay inside
        inside = Path(real)
        if not inside.is_relative_to(root):
            return "leads outside the repository through a symbolic link", real
        if ".git" in inside.relative_to(root).parts:
            return "leads into the .git folder (which may hold credentials) through a symbolic link", real
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        return "is not a regular file (a device, FIFO or socket)", real
    return None, real


def context_of(path: Path, bases: Iterable[Path]) -> Path:
    """The folder that holds an included file's neighbours (its build context): its top folder inside the
    snippet base it was found in (``snippets/app`` for ``snippets/app/k8s/base/x.yaml``), else its own folder.
    Checks that read neighbours (kustomize, promtool) read nothing outside it; the cache keys on it."""
    path = lexical(path)
    for base in map(lexical, bases):
        if base in path.parents:
            parts = path.relative_to(base).parts
            return base / parts[0] if len(parts) > 1 else base
    return path.parent


def within(path: Path, folder: Path, root: Path) -> bool:
    """Whether ``path`` stays inside ``folder``: by name (no ``..`` out, not absolute elsewhere) and where
    its links lead, and is no device (see :func:`unsafe`). A path that does not exist stays where it is."""
    target = lexical(path)
    if not target.is_relative_to(lexical(folder)) or unsafe(target, root):
        return False
    real = Path(os.path.realpath(target))
    return real == target or real.is_relative_to(Path(os.path.realpath(folder)))


def refusal(path: Path, root: Path, reason: str) -> Finding:
    """The ``unsafe-link`` finding for ``path``."""
    return _finding(UNSAFE, f"{reason}; it is neither read nor published", display(path, root))


def check_source(path: Path, root: Path) -> Finding | None:
    """The ``unsafe-link`` finding for one source, or None when it may be read."""
    reason = unsafe(path, root)
    return refusal(path, root, reason) if reason else None


def scan_tree(folder: Path, root: Path) -> list[Finding]:
    """Every entry below ``folder`` (and ``folder`` itself) that must not be read or published.

    Walks without following links, then into every linked folder that stays inside the project (MkDocs
    follows those too), each real folder once.
    """
    found: list[Finding] = []
    pending = [lexical(folder)]
    seen: set[str] = set()
    if (top := check_source(pending[0], root)) is not None:
        return [top]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        for entry in _entries(current):
            path = Path(entry.path)
            reason = unsafe(path, root) if entry.is_symlink() or not _ordinary(entry) else None
            if reason:
                found.append(refusal(path, root, reason))
            elif entry.is_dir():  # a real folder, or a link to a folder inside the project
                pending.append(path)
    return sorted(found, key=lambda f: f.file or "")


def _entries(folder: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            yield from sorted(it, key=lambda e: e.name)
    except OSError:
        return


def _ordinary(entry: os.DirEntry[str]) -> bool:
    """A regular file or a folder, judged without following a link."""
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return True  # gone since the listing: nothing to read
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def read_source(path: Path, name: str, root: Path, limit: int) -> tuple[bytes, list[Finding]]:
    """A page's bytes, never more than ``limit`` of them, and why it was not read (an error finding).

    A refused page (see :func:`unsafe`) or one over the limit gives empty bytes and one finding; nothing
    past ``limit + 1`` bytes is read, so a 50 MB page costs what reading 2 MB does.
    """
    data, problems, _ = read_page(path, name, root, limit)
    return data, problems


def read_page(path: Path, name: str, root: Path, limit: int) -> tuple[bytes, list[Finding], Path | None]:
    """:func:`read_source`, and the page's resolved path (``os.path.realpath``; None when it does not exist)."""
    reason, real = _unsafe(path, root)
    resolved = Path(real) if real is not None else None
    if reason:
        return b"", [_finding(UNSAFE, f"{reason}; it is neither read nor published", name)], resolved
    with Path(path).open("rb") as fh:
        # as many bytes as the file has, and one more to see it grew since (read(limit + 1) would make a
        # buffer of max_page_bytes for every page: a 2 MiB allocation and its page faults for a 2 KiB page)
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(min(size, limit) + 1)
        if size < len(data) <= limit:  # it grew since the size was taken: on to the limit
            data += fh.read(limit + 1 - len(data))
    if len(data) > limit:
        return b"", [too_large(name, limit)], resolved
    return data, [], resolved


def too_large(name: str, limit: int, line: int = 1, what: str = "page") -> Finding:
    """The ``page-too-large`` finding: the page is not checked (nor built) at all."""
    return _finding(
        TOO_LARGE,
        f"{what} is larger than max_page_bytes ({limit:,} bytes); it is not checked or built. "
        "Split it, or raise max_page_bytes in mkdocs.yml",
        name,
        line,
    )


# -- outputs -----------------------------------------------------------------------------------------------


def linked_outputs(folders: Iterable[Path | None], root: Path) -> list[str]:
    """Why writing into each of ``folders`` could write outside it: a folder that is a symbolic link, a
    link inside it (MkDocs' clean keeps links, and writes through them), or a linked folder between the
    project root and it. ``folders`` are absolute paths as configured, not resolved; a file (a report)
    is checked like a folder, without a walk."""
    problems: list[str] = []
    for folder in folders:
        if folder is None:
            continue
        folder = lexical(folder)
        top = lexical(root)
        chain = [folder]
        if folder.is_relative_to(top):
            chain += [p for p in folder.parents if p.is_relative_to(top) and p != top]
        linked = [p for p in chain if p.is_symlink()]
        if linked:
            problems.append(f"{display(linked[-1], root)} is a symbolic link")
            continue
        if folder.is_dir() and folder != top:  # a report written beside mkdocs.yml: not the whole project
            problems += [f"{display(p, root)} is a symbolic link" for p in _links_below(folder)]
    return list(dict.fromkeys(problems))


def _links_below(folder: Path) -> list[Path]:
    """Symbolic links anywhere below ``folder``, which is walked without following any."""
    found: list[Path] = []
    for current, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            path = Path(current, name)
            if path.is_symlink():
                found.append(path)
    return sorted(found)


# -- the site build ----------------------------------------------------------------------------------------


def before_build(docs_dir: Path, outputs: Iterable[Path | None], root: Path) -> list[Finding | str]:
    """Everything that must stop a site build before MkDocs cleans its output folder and walks the docs
    folder (both follow symbolic links): refused sources in ``docs_dir``, then linked output folders."""
    return [*scan_tree(docs_dir, root), *linked_outputs(outputs, root)]


def refusals(problems: Iterable[Finding]) -> list[Finding]:
    """The page-level problems that must stop a site build before MkDocs renders or copies anything."""
    return [p for p in problems if p.rule in REFUSING]


def describe(found: Iterable[Finding | str]) -> str:
    """One message for an aborted build: every refused file, located."""
    lines = []
    for item in found:
        if isinstance(item, str):
            lines.append(item)
        else:
            where = f"{item.file}:{item.line}" if item.line else f"{item.file}"
            lines.append(f"{where}: {item.message}")
    return "refusing to build: " + "; ".join(lines)
