"""Compose files, loaded the way ``docker compose`` loads them: ``docker-compose config``.

Each block runs in its own process (Compose merges every ``-f`` file, so blocks cannot share one), the
blocks concurrently. A block that stands on the page alone runs in an empty temporary project folder; a
block included from a file (``--8<-- "snippets/app/compose.yaml"``) runs with that file's folder as the
project directory. Only ``config`` is run: nothing is built, pulled or started, no remote ``include:`` is
fetched (Compose's git and OCI loaders are switched off: the block fails with ``remote-include``), and no
Docker engine is needed. Before Compose runs:

- YAML past the shared loader's limits (alias expansion, depth, size) is never given to Compose: the YAML
  check reports it (``yaml-alias-limit`` at the anchor …), once;
- :mod:`.neighbours` screens every file the block names (``include``, ``extends.file``, ``env_file``,
  ``label_file``, the folder's ``.env``): missing ones are ``missing-neighbour-file`` at their key, and one
  outside the block's folder stops Compose from running at all;
- :mod:`.reader` decides which ``${VARIABLES}`` the reader supplies and gives Compose example values for
  them (``data-env``, else placeholders that fit the field), so the rest of the file is still checked;
- :mod:`.excerpts` reads what an excerpt evidently leaves out (a service's image, networks defined
  elsewhere) and gives Compose a stand-in for it in a second file, and tells a Swarm stack file, whose
  Swarm-only keys are then notes.

Then :mod:`.messages` turns every line Compose prints into a finding at the line it is about, and, for a
block included with its folder, :mod:`.build` checks its build contexts. The environment is the runner's
scrubbed one plus those example values: nothing from the build machine reaches Compose or a finding.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

from yaml.nodes import ScalarNode

from docs_examples import directives
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.checks.compose import build, excerpts, locate, messages, neighbours, variables
from docs_examples.checks.compose.reader import Plan, reserved
from docs_examples.findings import Finding, Severity, tool_error
from docs_examples.yaml_loader import SYNTAX, Document, YamlProblem, limit_problem, load

TOOL = "docker-compose"
PROJECT_NAME = "docs-examples"
# One short-lived process per block: Go's garbage collector cost a quarter of Compose's CPU time here. No
# collection until the heap nears 256 MiB keeps small files fast and a huge one bounded.
GO_RUNTIME = {"GOGC": "off", "GOMEMLIMIT": "256MiB"}
# ``include:`` of a git repository or an OCI artifact makes Compose clone or pull it (it runs git, and
# fetches). Nothing is fetched while checking: these switch both loaders off, and Compose says so.
NO_REMOTE = {"COMPOSE_EXPERIMENTAL_GIT_REMOTE": "false", "COMPOSE_EXPERIMENTAL_OCI_REMOTE": "false"}
# Variables the tool's environment sets (the runner's, and the two above): their values are the machine's.
MACHINE = frozenset(runner.scrubbed_env("") | GO_RUNTIME | NO_REMOTE)


class ComposeConfig(Check):
    """``docker-compose config --quiet`` per block, with every message placed on a line of the block."""

    name: ClassVar[str] = "compose"
    tool: ClassVar[str] = TOOL
    reads_files = True  # its context, bases or rule files: see Check.reads_files
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.COMPOSE})

    def binary(self) -> str:
        return runner.find_tool("docker-compose")

    def cache_context(self, block: Block) -> str:
        """Whether the page runs ``docker stack deploy``, and the headings above: they tell a stack file."""
        return f"stack={bool(block.meta.get('stack_deploy'))} headings={' › '.join(block.headings)}"

    def version(self) -> str:
        """``Docker Compose 5.6.1``."""
        out = runner.run([self.binary(), "version", "--short"], timeout=self.settings.timeout)
        text = out.stdout.strip().removeprefix("v")
        if out.returncode != 0 or not text:
            raise runner.ToolFailed(TOOL, f"version: {out.stderr.strip()[:300] or 'no output'}")
        return f"Docker Compose {text.splitlines()[0]}"

    def describe(self) -> str:
        return f"{self.version()} (config)"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        binary = self.binary()
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
            results = pool.map(lambda b: (b.id, self.check_block(b, binary)), blocks)
            return {block_id: found for block_id, found in results if found}

    # -- one block --------------------------------------------------------------------------------------

    def project_dir(self, block: Block) -> Path | None:
        """The folder of the file a block was included from, when it is a folder inside ``settings.root``."""
        if not block.includes:
            return None
        first = block.origins[0].file if block.origins else ""
        source = first if first in block.includes else block.includes[0]
        root = self.settings.root.resolve()
        folder = (root / source).parent
        if not folder.is_dir() or not folder.resolve().is_relative_to(root):
            return None
        return folder

    def check_block(self, block: Block, binary: str) -> list[Finding]:
        """Everything this check knows about one block: pre-checks, then Compose's messages, located."""
        if limit_problem(block.text) is not None:  # the YAML check reports where; Compose never sees it
            return []
        documents, problems = load(block.text)
        if any(p.rule == SYNTAX for p in problems) and neighbours.MENTIONS.search(block.text):
            return [unscreened(problems)]
        project = self.project_dir(block)
        reading = excerpts.read(documents, block.text)
        with tempfile.TemporaryDirectory(prefix="docs-examples-compose-") as tmp:
            folder = project or Path(tmp) / "project"
            folder.mkdir(exist_ok=True)
            plan, survey = self.prepare(block, documents, folder, standalone=project is None)
            findings = [*plan.problems, *survey.findings, *reading.findings]
            if not survey.refused:
                findings += self.run_compose(block, binary, documents, Path(tmp), folder, plan, survey, reading)
        if project is not None:
            findings += build.findings(documents, project)
        stack = excerpts.stack_file(documents, block.headings, bool(block.meta.get("stack_deploy")))
        return _unique(excerpts.in_stack_file(findings, stack))

    def prepare(
        self, block: Block, documents: list[Document], folder: Path, *, standalone: bool
    ) -> tuple[Plan, neighbours.Survey]:
        """The block's variables (what the reader supplies, what Compose is given) and its neighbour files."""
        page, _ = directives.env_values(block.attrs.get("data-env", ""))  # its problems are the directive's
        dotenv = set() if standalone else _dotenv_names(folder)
        plan = Plan.of(documents, page, dotenv | MACHINE)
        screen = neighbours.Screen(
            root=folder,
            env=plan.environment(empty_optional=False),
            machine=frozenset(MACHINE | dotenv),  # a path through them is not screened: refused
            standalone=standalone,
            shown="its folder" if standalone else self.shown(folder),
        )
        return plan, screen.run(documents)

    def shown(self, folder: Path) -> str:
        """A folder as the reader knows it: ``snippets/app/`` (empty for a temporary one)."""
        root = self.settings.root.resolve()
        real = folder.resolve()
        return f"{real.relative_to(root).as_posix()}/" if real.is_relative_to(root) else ""

    def run_compose(
        self,
        block: Block,
        binary: str,
        documents: list[Document],
        tmp: Path,
        folder: Path,
        plan: Plan,
        survey: neighbours.Survey,
        reading: excerpts.Reading,
    ) -> list[Finding]:
        """Compose on the block (with stand-ins for what an excerpt leaves out), with example values; and,
        when the reader may leave a variable unset, again without them, to find where an empty value breaks
        the file."""
        compose_file = tmp / "compose.yaml"
        compose_file.write_text(block.text, encoding="utf-8")
        files = [compose_file]
        if reading.override:
            files.append(tmp / "left-out.yaml")
            files[-1].write_text(reading.override_text(), encoding="utf-8")
        ctx = self.context(block, documents, compose_file, folder, tmp, survey)
        full = self.compose(binary, files, folder, plan.environment(empty_optional=False), survey)
        findings, unset = self.read(full, ctx)
        if full.returncode != 0 and not ctx.errors:
            return [tool_error(TOOL, f"config exited {full.returncode} without a message")]
        findings = [plan.placeholder_hint(f) for f in findings]
        if plan.empty_run_needed:
            empty = self.compose(binary, files, folder, plan.environment(empty_optional=True), survey)
            seen = {(f.rule, f.message) for f in findings}
            only_empty, _ = self.read(empty, ctx)
            findings += [
                plan.empty_value(f)
                for f in only_empty
                if f.severity is Severity.ERROR and (f.rule, f.message) not in seen
            ]
        known = set(plan.required) | set(plan.optional)
        findings += plan.notes(block) + [_unset_elsewhere(name, block) for name in unset if name not in known]
        return findings

    def context(
        self,
        block: Block,
        documents: list[Document],
        compose_file: Path,
        folder: Path,
        tmp: Path,
        survey: neighbours.Survey,
    ) -> messages.Context:
        """How Compose's messages name things, and what they are placed against."""
        root = str(self.settings.root.resolve())
        shown = self.shown(folder)
        scrub = sorted(
            [
                (str(compose_file), self.display_name(block)),
                (f"{folder}/", shown),
                (f"{folder.resolve()}/", shown),
                (f"{tmp}/", ""),
                (f"{root}/", ""),
            ],
            key=lambda pair: -len(pair[0]),
        )
        return messages.Context(
            documents, block.text, str(compose_file), scrub, dict(survey.origin), set(survey.missing)
        )

    def compose(
        self, binary: str, files: list[Path], folder: Path, env: dict[str, str], survey: neighbours.Survey
    ) -> runner.Completed:
        """One ``config`` run on the block's file (and the stand-ins for what it leaves out); without reading
        env files when one is missing (already reported)."""
        argv = [binary, "--project-name", PROJECT_NAME, "--project-directory", str(folder)]
        for file in files:
            argv += ["-f", str(file)]
        argv += ["config", "--quiet"]
        if survey.missing_env:
            argv.append("--no-env-resolution")
        values = {name: value for name, value in env.items() if not reserved(name)}
        return runner.run(argv, timeout=self.settings.timeout, cwd=folder, env=values | GO_RUNTIME | NO_REMOTE)

    @staticmethod
    def read(out: runner.Completed, ctx: messages.Context) -> tuple[list[Finding], list[str]]:
        """Findings from one run, and the variables Compose said were not set."""
        parsed = messages.records(out.stderr, lambda path, first: _value_lines(ctx.documents, path, first))
        findings: list[Finding] = []
        unset: list[str] = []
        for level, message in parsed.warnings:
            if name := messages.unset_variable(message):
                unset.append(name)
            elif level in ("warning", "error", "fatal"):
                findings.append(messages.warning(level, message, ctx))
        if out.returncode != 0:
            ctx.errors += len(parsed.errors)
            findings += [f for text in parsed.errors if (f := messages.error(text, ctx)) is not None]
        return findings, unset

    @staticmethod
    def display_name(block: Block) -> str:
        return block.title or (block.includes[0] if block.includes else "compose.yaml")


# -- findings made here ---------------------------------------------------------------------------------


def unscreened(problems: list[YamlProblem]) -> Finding:
    """YAML that does not read, naming files: what it names cannot be screened, so Compose does not run."""
    first = next(p for p in problems if p.rule == SYNTAX)
    return Finding(
        TOOL,
        "yaml-syntax",
        Severity.ERROR,
        f"{first.message}; the files this Compose file names cannot be screened, so Compose is not run",
        line=first.line,
        column=first.column,
    )


def _unset_elsewhere(name: str, block: Block) -> Finding:
    """A variable Compose found unset that the block's values do not show (inside a ``${…:?…}`` message)."""
    text = block.text.split("\n")
    line = next((i for i, t in enumerate(text, 1) if "${" + name in t or "$" + name in t), None)
    return Finding(
        TOOL, "unset-variable", Severity.INFO, f"read from the environment (empty when unset): {name}", line=line
    )


def _dotenv_names(folder: Path) -> set[str]:
    """Names the project folder's ``.env`` defines, when it is a plain file inside the folder."""
    path = folder / ".env"
    if not path.is_file() or not path.resolve().is_relative_to(folder.resolve()):
        return set()
    if path.stat().st_size > neighbours.MAX_FILE_BYTES:
        return set()
    return variables.dotenv_names(path.read_text(encoding="utf-8", errors="replace"))


def _value_lines(documents: list[Document], path: str, first: str) -> int:
    """How many lines the value at ``path`` starting with the line ``first`` has (Compose prints it whole)."""
    for doc in documents:
        _, node, depth = locate.walk(doc.node, locate.split(path), want=first.strip() or None)
        if depth and isinstance(node, ScalarNode):
            return str(node.value).rstrip("\n").count("\n") + 1
    return 1


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once (Compose repeats a warning for every file that shares a value)."""
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule, f.message, f.line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
