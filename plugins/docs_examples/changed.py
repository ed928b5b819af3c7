"""``--changed-since REF``: the pages a pull request touches, for checking only those.

A page is changed when git says its file differs between the merge base of ``REF`` and ``HEAD`` and the
working tree (committed, staged or not), or it is new and not ignored; it is also changed when it includes
(``--8<--``, directly or through other included files) a file that changed. When the site's configuration
changed (``mkdocs.yml``, the hadolint configuration, the baseline file or anything under ``schemas_dir``),
every page is. A page that includes a file that does not exist is checked whenever a file was deleted.

git runs read-only (``--no-optional-locks``: not even the index is refreshed) through :mod:`checks.runner`,
an argv list and never a shell, with the runner's scrubbed environment (no user or system configuration).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docs_examples.blocks.extract import decode
from docs_examples.blocks.snippets import Expander
from docs_examples.checks import runner
from docs_examples.checks.runner import ToolFailed, ToolMissing
from docs_examples.pipeline import Page
from docs_examples.settings import ConfigError, Settings


def _git(args: Sequence[str], cwd: Path, timeout: float) -> str:
    """Run one read-only git command in ``cwd``; a ConfigError naming it when git fails or is missing."""
    try:
        done = runner.run([runner.find_tool("git"), "--no-optional-locks", *args], timeout=timeout, cwd=cwd)
    except (ToolMissing, ToolFailed) as exc:
        raise ConfigError(f"--changed-since needs git: {exc}") from None
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise ConfigError(f"--changed-since: git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def changed_files(ref: str, root: Path, timeout: float) -> set[Path]:
    """Absolute paths of the files changed since the merge base of ``ref`` and HEAD, new files included."""
    if not ref or ref.startswith("-"):
        raise ConfigError(f"--changed-since: {ref!r} is not a git revision")
    top = Path(_git(["rev-parse", "--show-toplevel"], root, timeout).strip())
    base = _git(["merge-base", ref, "HEAD"], top, timeout).strip()
    names = _git(["diff", "--name-only", "--no-renames", "-z", base, "--"], top, timeout).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top, timeout).split("\0")
    return {(top / name).resolve() for name in names if name}


def _configuration(settings: Settings) -> tuple[list[Path], list[Path]]:
    """Files, and folders, whose change changes every page's verdict."""
    files = [settings.root / "mkdocs.yml"]
    if settings.hadolint_config:
        files.append(settings.hadolint_config)
    if settings.baseline:
        files.append(settings.root / settings.baseline)
    folders = [settings.schemas_dir] if settings.schemas_dir else []
    return [f.resolve() for f in files], [d.resolve() for d in folders]


def affected(pages: list[Page], changed: set[Path], settings: Settings) -> list[Page]:
    """The pages among ``pages`` that changed or include a changed file (every page if the configuration did)."""
    files, folders = _configuration(settings)
    if any(f in changed for f in files) or any(d in c.parents for c in changed for d in folders):
        return list(pages)
    deleted = any(not c.exists() for c in changed)
    expander = Expander(settings.snippet_paths, settings.root, dedent_subsections=settings.snippet_dedent)
    out: list[Page] = []
    for page in pages:
        path = (page.path or Path(page.name)).resolve()
        if path in changed:
            out.append(page)
            continue
        text, _ = decode(page.name, page.source)
        expansion = expander.expand(text.split("\n"), page.name)
        included = {(settings.root / name).resolve() for name in expansion.includes}
        missing = deleted and any(f.rule == "missing-include" for _, f in expansion.problems)
        if included & changed or missing:
            out.append(page)
    return out
