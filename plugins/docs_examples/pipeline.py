"""The pipeline: pages → blocks → checks → results. Both adapters (MkDocs plugin, CLI) call only this.

Nothing here prints or formats; reports/ and site/ turn a :class:`Report` into output.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from docs_examples import cache as cache_mod
from docs_examples import checks as registry
from docs_examples import directives, guard, yaml_loader
from docs_examples import suppress as suppress_mod
from docs_examples.blocks import memo as memo_mod
from docs_examples.blocks.classify import classify, classify_page
from docs_examples.blocks.extract import ExtractedPage, expander_for, extract_page
from docs_examples.blocks.model import Block
from docs_examples.blocks.snippets import Expander
from docs_examples.blocks.templates import Macros
from docs_examples.checks import isolate, runner
from docs_examples.checks.base import Check
from docs_examples.checks.runner import ToolFailed, ToolMissing
from docs_examples.findings import Category, Finding, Severity, tool_error
from docs_examples.results import CheckRun, Report, Result, Summary
from docs_examples.settings import ConfigError, Settings
from docs_examples.verdict import Verdict


@dataclass(slots=True)
class Page:
    """A Markdown source: ``name`` is how reports name it (``docs/x.md``), ``source`` its raw bytes or text."""

    name: str
    source: bytes | str
    path: Path | None = None
    problems: list[Finding] = field(default_factory=list)  # why the source was not read (guard.read_source)


MAX_TREE_FILES = 5000  # a folder beside an included file larger than this is keyed by its first files only


class Pipeline:
    """Owns the settings, the cache and the check instances for one or many runs (``mkdocs serve``)."""

    def __init__(
        self,
        settings: Settings,
        only: Sequence[str] | None = None,
        on_progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.settings = settings
        self.verdict = Verdict(Severity(settings.fail_on))
        self.on_progress = on_progress  # (check name, checks done, checks total): the CLI's progress bar
        names = [n for n in registry.available() if n not in settings.disabled_checks]
        if only is not None:
            names = [n for n in names if n in only]
        self.checks: list[Check] = [registry.check_class(n)(settings) for n in names]
        if linked := guard.linked_outputs([settings.cache_dir], settings.root):  # it would write through it
            raise ConfigError(f"refusing to use the cache folder: {'; '.join(linked)}")
        self.macros = Macros.of(settings.macros)  # the site's mkdocs-macros markers and variables, if any
        self.cache = cache_mod.Cache(settings.cache_dir)
        self.tool_versions = cache_mod.ToolVersions(settings.cache_dir)
        self.pages = memo_mod.PageMemo(settings.cache_dir)  # extracted, classified pages of earlier runs
        self._page_env: str | bool | None = False  # the memo's environment key; False: not computed this run
        self._expander: Expander | None = None  # the snippet folders as found this run
        self._settings_digest = settings.digest()
        self._code = memo_mod.code_digest()  # the checks' own code: results of another version are not reused
        self._versions: dict[str, str | Exception] = {}
        self._labels: dict[str, str] = {}
        self._trees: dict[Path, str] = {}  # folder digests, made once per run

    # -- extraction -------------------------------------------------------------------------------------

    def extract(self, page: Page) -> ExtractedPage:
        """The page's blocks, classified: remembered from an earlier run when nothing they depend on changed."""
        if self._page_env is False:
            s = self.settings
            self._page_env = memo_mod.environment_key(
                s.root, s.snippet_paths, s.snippet_dedent, self._settings_digest, skip=s.cache_dir, code=self._code
            )
        env = self._page_env
        key = memo_mod.page_key(env, page.name, page.source) if isinstance(env, str) else None
        if key is not None and (remembered := self.pages.get(key)) is not None:
            return remembered
        if self._expander is None:
            self._expander = expander_for(self.settings)
        extracted = extract_page(
            page.name, page.source, settings=self.settings, path=page.path, expander=self._expander
        )
        for block in extracted.blocks:
            classify(block, self.macros)
        classify_page(extracted.blocks)
        if key is not None:
            self.pages.put(key, extracted)
        return extracted

    # -- checking ---------------------------------------------------------------------------------------

    def run(self, pages: Iterable[Page]) -> Report:
        # Classification reads every YAML block; the checks then reuse what it read (yaml_loader.shared). The
        # collector is held off for the run: it would walk those documents (hundreds of thousands of nodes and
        # marks, no cycles among them) again and again, a tenth of a cold run; it resumes afterwards.
        with yaml_loader.shared(), yaml_loader.gc_paused():
            return self._run(pages)

    def _run(self, pages: Iterable[Page]) -> Report:
        started = time.perf_counter()
        self._trees.clear()  # files may have changed since the last run (mkdocs serve)
        self._page_env = False  # so may snippet files and pages
        self._expander = None  # and snippet folders
        hits0, misses0 = self.cache.hits, self.cache.misses
        blocks: list[Block] = []
        problems: list[tuple[str, Finding]] = []  # (page, problem)
        page_skip: dict[str, str] = {}
        paths: list[tuple[str, Path | None]] = []
        for page in pages:
            extracted = self.extract(page)
            blocks.extend(extracted.blocks)
            reason, fm_problems = directives.page_skip(extracted.front_matter, page.name)
            problems.extend((page.name, p) for p in [*page.problems, *extracted.problems, *fm_problems])
            paths.append((page.name, page.path))
            if reason:
                page_skip[page.name] = reason
        suppressions = suppress_mod.for_run(self.settings, paths)  # the baseline is read again every run
        self.verdict = self.verdict.with_suppressions(suppressions)
        results = self.check_blocks(blocks, page_skip)
        self.cache.save()
        self.tool_versions.save()
        self.pages.save()
        summary = Summary.of(
            results,
            seconds=time.perf_counter() - started,
            hits=self.cache.hits - hits0,
            misses=self.cache.misses - misses0,
        )
        tools = {name: v for name, v in self._versions.items() if isinstance(v, str)}
        labels = {name: self._labels[name] for name in tools if name in self._labels}
        judged = [self.verdict.judge(p, page=name) for name, p in problems]
        report = Report(results, judged, summary, tools, self.settings, labels)
        report.problem_pages = [suppressions.page(name) for name, _ in problems]
        report.suppression = suppressions.outcome()
        return report

    def check_blocks(self, blocks: list[Block], page_skip: dict[str, str] | None = None) -> list[Result]:
        page_skip = page_skip or {}
        parsed = {b.id: directives.parse(b) for b in blocks}
        todo = [b for b in blocks if b.page not in page_skip and not parsed[b.id][0].skip]
        runs: dict[str, list[CheckRun]] = defaultdict(list)

        def one(check: Check) -> list[tuple[str, CheckRun]]:
            return self._run_check(check, [b for b in todo if check.applies(b)])

        # Every check gets a thread, so in-process checks (schemas, rules) overlap with tool processes; the
        # runner's gate keeps the processes themselves at settings.workers. jobs=1 stays fully sequential.
        runner.limit(self.settings.workers, self.settings.tool_memory)
        threads = len(self.checks) if self.settings.workers > 1 else 1
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            futures = {pool.submit(one, check): i for i, check in enumerate(self.checks)}
            pairs_of: dict[int, list[tuple[str, CheckRun]]] = {}
            try:
                for done, future in enumerate(as_completed(futures), 1):
                    pairs_of[futures[future]] = future.result()
                    if self.on_progress:
                        self.on_progress(self.checks[futures[future]].name, done, len(self.checks))
            except BaseException:  # interrupted: stop every tool now, not after the pool has waited for them
                runner.stop_all()
                raise
        for i in range(len(self.checks)):  # registry order: the order of findings within a block
            for block_id, run in pairs_of[i]:
                runs[block_id].append(run)
        return [self._result(b, parsed[b.id], runs.get(b.id, []), page_skip.get(b.page)) for b in blocks]

    def _result(
        self,
        block: Block,
        parsed: tuple[directives.Directive, list[Finding]],
        runs: list[CheckRun],
        page_reason: str | None,
    ) -> Result:
        """Locate the block's findings (extraction, directive, then each check's) and let the verdict judge."""
        directive, directive_problems = parsed
        checked = registry.merge_overlaps(block, [f for run in runs for f in run.findings])  # one finding a cause
        raw = [*block.problems, *directive_problems, *checked]
        return self.verdict.result(block, directive, [block.locate(f) for f in raw], runs, page_reason)

    def version(self, check: Check) -> str:
        """The check's tool version, asked once per pipeline; raises what the check raised.

        For a check that runs a program, the answer is also remembered in the cache folder while that
        program file is unchanged, so a warm run starts no ``--version`` process at all.
        """
        if check.name not in self._versions:
            fingerprint = _fingerprint(check)
            if fingerprint:  # a label may depend on settings (say, an engine choice) and on our code's wording
                fingerprint += f"|{self._settings_digest}|{self._code}"
            remembered = self.tool_versions.get(check.name, fingerprint) if fingerprint else None
            if remembered is not None:
                self._versions[check.name], self._labels[check.name] = remembered
            try:
                if remembered is None:
                    version, label = check.version(), check.describe()
                    self._versions[check.name], self._labels[check.name] = version, label
                    if fingerprint:
                        self.tool_versions.put(check.name, fingerprint, version, label)
            except (ToolMissing, ToolFailed) as exc:
                self._versions.setdefault(check.name, exc)
        v = self._versions[check.name]
        if isinstance(v, Exception):
            raise v
        return v

    def _run_check(self, check: Check, blocks: list[Block]) -> list[tuple[str, CheckRun]]:
        if not blocks:
            return []
        try:
            version = self.version(check)
        except (ToolMissing, ToolFailed) as exc:
            return [(b.id, CheckRun(check.name, "", [tool_error(check.tool, str(exc))])) for b in blocks]
        keys = self._keys(check, version, blocks)
        out: list[tuple[str, CheckRun]] = []
        misses: list[Block] = []
        for b in blocks:
            cached = self.cache.get(keys[b.id])
            if cached is None:
                misses.append(b)
            else:
                out.append((b.id, CheckRun(check.name, version, cached, cached=True)))
        if misses:
            try:  # a tool that dies on one block of a batch is retried for the others without it
                s = self.settings
                found = isolate.check_isolating(check, misses, _failure(check), timeout=s.timeout, workers=s.workers)
            except ToolMissing as exc:
                # Not cached: the next run must try again.
                return out + [(b.id, CheckRun(check.name, version, [tool_error(check.tool, str(exc))])) for b in misses]
            for b in misses:
                findings = found.get(b.id, [])
                if not any(f.category is Category.TOOL_ERROR for f in findings):
                    self.cache.put(keys[b.id], findings)
                out.append((b.id, CheckRun(check.name, version, findings)))
        return out

    def _keys(self, check: Check, version: str, blocks: list[Block]) -> dict[str, str]:
        context: dict[str, str] = defaultdict(str)
        if check.scope == "page":
            by_page: dict[str, list[str]] = defaultdict(list)
            for b in blocks:
                by_page[b.page].append(b.digest)
            context = {page: cache_mod.key(*sorted(d)) for page, d in by_page.items()}
        files = {b.id: self._files_digest(b) if check.reads_files else "" for b in blocks}
        return {
            b.id: cache_mod.key(
                check.name,
                version,
                self._settings_digest,
                self._code,
                b.digest,
                b.kind.value,
                context[b.page],
                files[b.id],
                check.cache_context(b),
            )
            for b in blocks
        }

    def _files_digest(self, block: Block) -> str:
        """Names, sizes and times of the files beside a block's included file (its build context, the
        overlays' bases, the rule files a config names): a check that reads them must re-run when they change."""
        return cache_mod.key(*(self._tree_digest(top) for top in sorted(set(map(self._tree_of, block.includes)))))

    def _tree_of(self, include: str) -> Path:
        """The folder that holds an included file's neighbours: its top folder inside the snippet base."""
        return guard.context_of(self.settings.root / include, self.settings.snippet_paths)

    def _tree_digest(self, top: Path) -> str:
        if top not in self._trees:
            entries: list[str] = []
            for i, path in enumerate(sorted(top.rglob("*"))):
                if i >= MAX_TREE_FILES:
                    entries.append(f"more than {MAX_TREE_FILES} files")
                    break
                with contextlib.suppress(OSError):
                    st = path.stat()
                    entries.append(f"{path.relative_to(top)}\0{st.st_size}\0{st.st_mtime_ns}")
            self._trees[top] = cache_mod.key(str(top), *entries)
        return self._trees[top]


def _failure(check: Check) -> Callable[[Exception], Finding]:
    """The tool-error finding for blocks the check could not judge: a tool error, or a crash that says so
    (a crashing checker never passes a block). Such findings are never cached: the next run tries again."""

    def finding(exc: Exception) -> Finding:
        if isinstance(exc, ToolFailed | ToolMissing):
            return tool_error(check.tool, str(exc))
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"check crashed: {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return tool_error(check.tool, message, rule="check-crashed")

    return finding


def _fingerprint(check: Check) -> str | None:
    """Path, size and mtime of the program a check runs (its ``binary()``), or None when it runs none."""
    binary = getattr(check, "binary", None)
    if not callable(binary):
        return None
    try:
        path = Path(binary())
        stat = path.stat()
    except (ToolMissing, ToolFailed, OSError, TypeError):
        return None
    return f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{type(check).__module__}"
