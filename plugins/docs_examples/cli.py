"""``docs-examples``: the same pipeline as the MkDocs plugin, without building the site.

This is the only module that prints. Exit codes: 0 nothing failed, 1 a block failed, 2 a usage,
configuration or tool error (a tool that could not give a verdict is never a pass).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, NoReturn

from docs_examples import __version__, baseline, changed, guard, naming
from docs_examples.cache import in_ci
from docs_examples.checks import runner
from docs_examples.pipeline import Page, Pipeline
from docs_examples.reports import FORMATS, get_writer, why_not_written
from docs_examples.results import Report
from docs_examples.scope import MARKDOWN_SUFFIXES, ScopeError, SiteScope
from docs_examples.settings import ConfigError, Settings, from_mkdocs_yml, read_mkdocs_yml

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
DEFAULT_CONFIGS = ("mkdocs.yml", "properdocs.yml")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="docs-examples",
        description="Check every fenced code block of Markdown pages with the real tools.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("paths", nargs="*", metavar="PATH", help="Markdown files or folders (default: docs_dir)")
        sp.add_argument(
            "-c", "--config", metavar="FILE", help="mkdocs.yml to read settings from (default: ./mkdocs.yml)"
        )
        sp.add_argument("--no-cache", action="store_true", help="check every block again, ignoring the cache")
        sp.add_argument(
            "-k",
            "--kubernetes-version",
            action="append",
            metavar="X.Y",
            help="Kubernetes version to validate against (repeatable; default from mkdocs.yml)",
        )
        sp.add_argument(
            "--kubeconform", metavar="PATH|auto|off", help="kubeconform binary, or off for the embedded engine"
        )
        sp.add_argument("-j", "--jobs", type=int, metavar="N", help="concurrent tool processes (default: CPU count)")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary on stderr")
        sp.add_argument(
            "--include-drafts", action="store_true", help="also check draft_docs pages (mkdocs serve renders them)"
        )
        sp.add_argument(
            "--changed-since",
            metavar="REF",
            help="only pages changed since the merge base of REF and HEAD, and pages including a changed file",
        )

    check = sub.add_parser("check", help="check the examples and report findings")
    common(check)
    check.add_argument("-f", "--format", choices=[f for f in FORMATS if f != "mkdocs"], default="text")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("-v", "--verbose", action="store_true", help="text format: show non-failing findings too")
    check.add_argument(
        "--update-baseline", action="store_true", help="then rewrite the baseline file with this run's failures"
    )

    base = sub.add_parser("baseline", help="record today's failures in the baseline file; later runs fail on new ones")
    common(base)

    lst = sub.add_parser("list", help="list every block with its kind and status")
    common(lst)
    lst.add_argument("--no-check", action="store_true", help="list blocks without running any check")

    ext = sub.add_parser("extract", help="write every block to a file named from page, tab and title")
    ext.add_argument("directory", metavar="DIR")
    common(ext)

    pages = sub.add_parser(
        "pages",
        help="check the site and write its generated pages, downloads and assets into the docs folder "
        "(for site generators that run no MkDocs plugins, such as Zensical)",
    )
    common(pages)
    return p


def config_path(args: argparse.Namespace) -> Path:
    """``-c``, else ``./mkdocs.yml``, else ``./properdocs.yml`` (a site that moved to ProperDocs renames it)."""
    if args.config:
        return Path(args.config)
    return next((p for p in map(Path, DEFAULT_CONFIGS) if p.is_file()), Path(DEFAULT_CONFIGS[0]))


def load_settings(args: argparse.Namespace) -> Settings:
    """The ``docs-examples`` entry of mkdocs.yml, then the flags, each validated by the same declarations."""
    config = config_path(args)
    if args.config and not config.is_file():
        raise ConfigError(f"{config}: no such file")
    warn = None if args.quiet else lambda message: print(f"docs-examples: warning: {message}", file=sys.stderr)
    settings = from_mkdocs_yml(config, warn=warn) if config.is_file() else Settings(root=Path.cwd())
    flags = {
        "cache": False if args.no_cache else None,
        "kubernetes_versions": args.kubernetes_version,
        "kubeconform": args.kubeconform,
        "jobs": args.jobs,
    }
    return settings.overridden(**{name: value for name, value in flags.items() if value is not None})


def site_scope(args: argparse.Namespace) -> SiteScope:
    """The page patterns (``exclude_docs``, ``draft_docs``, ``not_in_nav``) of the mkdocs.yml in use."""
    config = config_path(args)
    try:
        return SiteScope.from_config(read_mkdocs_yml(config) if config.is_file() else {})
    except ScopeError as exc:
        raise ConfigError(str(exc).replace("mkdocs.yml:", f"{config}:", 1)) from None


def find_pages(
    paths: Sequence[str],
    settings: Settings,
    scope: SiteScope | None = None,
    *,
    include_drafts: bool = False,
    notice: Callable[[str], None] | None = None,
) -> list[Page]:
    """The pages the site builds, among the Markdown files named or found under the folders named.

    A file under ``docs_dir`` is a page when MkDocs would build it (``scope``: MkDocs' defaults when None);
    a file named on the command line that the site does not build is left out with a ``notice``. Files
    outside ``docs_dir`` are checked as named. Each page is named as given on the command line.
    """
    scope = scope or SiteScope.from_config({})
    docs = (settings.docs_dir or Path("docs")).absolute()
    if not paths:
        shown = docs
        with contextlib.suppress(ValueError):
            shown = docs.relative_to(Path.cwd())
        if not docs.is_dir():
            raise ConfigError(f"{shown}: no such folder (docs_dir)")
        files = [shown / uri for uri in scope.pages(docs, include_drafts=include_drafts)]
        return [*_refused_files(shown, settings, exclude=set(files)), *(_page(f, settings) for f in files)]

    built = {os.path.normpath(docs / uri) for uri in scope.pages(docs, include_drafts=include_drafts)}

    def in_site(f: Path) -> bool:
        full = os.path.normpath(f.absolute())
        return full in built or not Path(full).is_relative_to(os.path.normpath(docs))

    pages: list[Page] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = [
                f for f in sorted(p.rglob("*")) if f.name.endswith(MARKDOWN_SUFFIXES) and (f.is_file() or _linked(f))
            ]
            pages += _refused_files(p, settings, exclude=set(files))
            pages.extend(_page(f, settings) for f in files if in_site(f))
        elif p.is_file() or _linked(p):
            if in_site(p):
                pages.append(_page(p, settings))
            elif notice is not None:
                uri = Path(os.path.relpath(p.absolute(), docs)).as_posix()
                notice(f"{raw}: not a page of the site, not checked: {scope.why_not(uri)}")
        else:
            raise ConfigError(f"{raw}: no such file or folder")
    return pages


def _page(f: Path, settings: Settings) -> Page:
    """A page read within the guard's limits (size; a link out of the project is refused, not followed)."""
    name = f.as_posix()
    try:
        source, problems, resolved = guard.read_page(f, name, settings.root, settings.max_page_bytes)
    except OSError as exc:
        raise ConfigError(f"{f}: cannot read: {exc.strerror}") from exc
    return Page(name=name, source=source, path=resolved or f.resolve(), problems=problems)


def _linked(path: Path) -> bool:
    """A link to something that is not a regular file (a device, say): read, so that the guard refuses it.
    A dangling link is left out, as a missing file is."""
    return path.is_symlink() and path.exists()


def _refused_files(folder: Path, settings: Settings, exclude: set[Path]) -> list[Page]:
    """Files of a docs folder the site build would refuse to publish (links out of the project, devices),
    each as an empty page that carries its ``unsafe-link`` error; pages are left out: reading them says it."""
    refused = guard.scan_tree(folder, settings.root)
    if refused:  # rare: name the pages only then
        pages = {guard.display(f, settings.root) for f in exclude}
        refused = [f for f in refused if f.file not in pages]
    return [Page(name=f.file or "", source=b"", problems=[f]) for f in refused]


class Progress:
    """A one-line progress bar on stderr, only when it is a terminal and not in CI."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty() and not in_ci()

    def __call__(self, name: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 24
        filled = int(width * done / max(total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} checks ({name})\033[K")
        self.stream.flush()
        if done == total:
            self.stream.write("\r\033[K")


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fh = target.open("w", encoding="utf-8")
    except OSError as exc:  # its folder is a file, or read-only: said like any other bad option
        raise ConfigError(f"-o {path}: cannot write the report: {why_not_written(exc)}") from None
    with fh:
        yield fh


def _exit_code(report: Report) -> int:
    if report.tool_errors:
        return EXIT_ERROR
    return EXIT_FAILED if report.failed else EXIT_OK


def _notice(args: argparse.Namespace) -> Callable[[str], None] | None:
    """Where the CLI tells what it leaves out (stderr), unless ``-q``."""
    return None if args.quiet else lambda message: print(f"docs-examples: {message}", file=sys.stderr)


def _pages(args: argparse.Namespace, settings: Settings) -> list[Page]:
    """The pages this command checks: the site's own, among the paths named (and changed, if asked)."""
    scope = site_scope(args)
    pages = find_pages(args.paths, settings, scope, include_drafts=args.include_drafts, notice=_notice(args))
    if args.changed_since is None:
        return pages
    files = changed.changed_files(args.changed_since, settings.root, settings.timeout)
    chosen = changed.affected(pages, files, settings)
    if notice := _notice(args):
        notice(f"--changed-since {args.changed_since}: {len(chosen)} of {len(pages)} pages changed or include a change")
    return chosen


def _run(args: argparse.Namespace, settings: Settings) -> Report:
    pages = _pages(args, settings)
    pipeline = Pipeline(settings, only=[] if getattr(args, "no_check", False) else None)
    pipeline.on_progress = Progress(sys.stderr, not args.quiet)
    return pipeline.run(pages)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    report = _run(args, settings)
    with _output(args.output) as out:
        writer = get_writer(args.format, stream=out, **({"verbose": args.verbose} if args.format == "text" else {}))
        writer.write_report(report)
    if not args.quiet and (args.output or args.format != "text"):
        print(report.summary.line(), file=sys.stderr)
    if args.update_baseline:
        return _write_baseline(args, settings, report)
    return _exit_code(report)


def cmd_baseline(args: argparse.Namespace, settings: Settings) -> int:
    return _write_baseline(args, settings, _run(args, settings))


def _write_baseline(args: argparse.Namespace, settings: Settings, report: Report) -> int:
    """Record ``report``'s failures in the baseline file (keeping the entries of pages not checked)."""
    file = baseline.path(settings.root, settings.baseline)
    if file is None:
        raise ConfigError("the baseline option is empty; name a file, e.g. baseline: .docs-examples-baseline.json")
    old = baseline.load(file)
    checked = set(report.suppression.pages.values()) if report.suppression else set()
    today = baseline.recorded(report)
    entries = baseline.rewritten(old, today, checked)
    baseline.write(file, entries)
    if not args.quiet:
        print(f"docs-examples: {settings.baseline}: {baseline.change(old, today, entries, checked)}", file=sys.stderr)
    if report.tool_errors:
        print("docs-examples: error: a tool could not run; its blocks are not in the baseline", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    report = _run(args, settings)
    for r in report.results:
        b = r.block
        status = "-" if args.no_check else r.status.value
        where = " › ".join(b.path) or "-"
        print(f"{b.page}:{b.fence_line}\t{b.language or '-'}\t{b.kind.value}\t{status}\t{where}\t{b.title or ''}")
    if not args.quiet:
        print(report.summary.line(), file=sys.stderr)
    return EXIT_OK if args.no_check else _exit_code(report)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    pages = _pages(args, settings)
    pipeline = Pipeline(settings, only=[])
    blocks = [b for page in pages for b in pipeline.extract(page).blocks]
    target = Path(args.directory).resolve()
    for block_id, rel in naming.file_names(blocks).items():
        block = next(b for b in blocks if b.id == block_id)
        dest = (target / rel).resolve()
        if not dest.is_relative_to(target):  # naming already makes this impossible; never trust it blindly
            raise ConfigError(f"{block.page}:{block.fence_line}: refusing to write outside {target}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(block.text + "\n", encoding="utf-8", errors="surrogateescape")
        if not args.quiet:
            print(f"{block.page}:{block.fence_line} -> {dest.relative_to(target)}")
    return EXIT_OK


def cmd_pages(args: argparse.Namespace, settings: Settings) -> int:
    """The pre-build step for generators without plugins: the same run as ``check``, then every file the
    MkDocs plugins would add, written into the docs folder (exit code as ``check``)."""
    if args.paths:
        raise ConfigError("pages writes the whole site's generated files: give no PATH")
    warn = None if args.quiet else lambda message: print(f"docs-examples: warning: {message}", file=sys.stderr)
    from docs_examples import generated, standalone  # the pre-build step alone renders pages and writes files

    run = standalone.load(config_path(args), warn=warn, settings=settings)
    written = standalone.write_pages(run)
    docs = run.settings.docs_dir or Path("docs")
    for rel in written.kept:
        print(f"docs-examples: warning: {docs / rel} is the author's; not generating it", file=sys.stderr)
    for note in run.unrendered:
        print(f"docs-examples: warning: {note}", file=sys.stderr)
    for rel in written.excluded:
        print(
            f"docs-examples: warning: {docs / rel} is left out of the site by exclude_docs (dot files are, by "
            "default); bring generated downloads back with exclude_docs: '!/examples/**/.*'",
            file=sys.stderr,
        )
    if not args.quiet:
        if run.report is not None:
            print(standalone.summary_line(run.report), file=sys.stderr)
        print(
            f"docs-examples: {written.pages} pages and {len(written.files) - written.pages} other files in {docs}"
            f" ({len(written.removed)} stale removed), listed in {docs / generated.MANIFEST}",
            file=sys.stderr,
        )
    return _exit_code(run.report) if run.report is not None else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with runner.stop_on_signals():  # SIGTERM/SIGINT: every tool stopped at once, temporary folders removed
            settings = load_settings(args)
            commands = {"check": cmd_check, "list": cmd_list, "extract": cmd_extract, "baseline": cmd_baseline}
            commands["pages"] = cmd_pages
            code = commands[args.command](args, settings)
            sys.stdout.flush()
    except runner.Interrupted as exc:
        print(f"docs-examples: interrupted by {signal.Signals(exc.signum).name}", file=sys.stderr)
        return 128 + exc.signum
    except ConfigError as exc:
        print(f"docs-examples: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`docs-examples check | head`): stop quietly, as other command-line tools do.
        # Python would still try to flush stdout at exit and print a second error; point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("docs-examples: interrupted", file=sys.stderr)
        return 130
    return code


def run() -> NoReturn:
    """The console script (and ``python -m docs_examples``): :func:`main`, then an exit without teardown.

    At the end of a cold run the process holds every page, block, YAML document and finding it made; the
    interpreter's teardown would free them one by one after a last full collection, about 3 % of a cold
    check of 377 pages, for memory the system takes back at once. Everything is written and closed by then
    (reports and cache files are closed where they are written); here the standard streams are flushed and
    the ``atexit`` handlers run (a schema folder made for a run without a cache folder is removed), then
    the process exits. Tests and programs that embed the checker call :func:`main`, which returns.
    """
    code = main()
    run_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's; elsewhere, the ordinary exit
    if run_handlers is None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away, a stream already closed
            stream.flush()
    run_handlers()
    os._exit(code)


__all__ = ["main", "run"]
