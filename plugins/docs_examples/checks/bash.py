"""Shell syntax with ``bash -n``: bash reads and parses the script without running a single command.

bash parses one script per process, so starting one process per block from Python (a temporary folder, a
scrubbed environment and a session each) made bash one of the slowest checks of a large site. Instead the
blocks are written to files, a few folders of them (:func:`runner.chunks`), and one *driver* bash per folder
runs ``bash -n`` on each file in turn: a fork from bash costs far less than a start from Python. The driver
is this module's fixed script (:data:`DRIVER`), never page content; after each file it writes a marker line
with a random token, the file's name and its exit status, so its combined output splits back into exactly
what ``bash -n`` said about each block.

Console blocks are checked as the commands they contain (:mod:`docs_examples.blocks.console`).

One cause gives one finding: when bash rejects a block and shellcheck's parser stops on the same lines, the
two are one problem, reported once by this check where shellcheck says the broken construct opens (an
unclosed quote, an ``if`` without ``fi``). The two checks' findings are merged after both ran
(:func:`docs_examples.checks.shellcheck.merge_parse_failure`); neither runs the other's tool.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from docs_examples.blocks import console
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity, tool_error

TOOL = "bash"
SCRIPT = "block.sh"
_ECHO = re.compile(r"^`.*'$")  # bash repeats the offending source line after a syntax error

# The driver: ``$1`` is the bash to parse with, ``$2`` the marker token, the rest are script files. Each
# file's own output (stdout too, so the order holds) goes to stderr, followed by a marker line; the newline
# before the marker starts it on a line of its own even when bash's last message ended without one.
DRIVER = r"""bin=$1 mark=$2
shift 2
for f do
  "$bin" --norc --noprofile -n -- "$f" >&2
  printf '\n%s %d %s\n' "$mark" "$?" "$f" >&2
done
"""


@dataclass(frozen=True, slots=True)
class Parsed:
    """What ``bash -n`` said about one script: its exit status and everything it printed."""

    returncode: int
    output: str


def parse_output(stderr: str, line_count: int, script: str = SCRIPT) -> list[Finding]:
    """Findings from ``bash -n`` diagnostics about the file ``script`` (``block.sh: line 4: syntax error …``).

    The source line bash echoes after an error is dropped; a line past the end (``unexpected end of
    file``) is clamped to the last line.
    """
    message_line = re.compile(rf"^{re.escape(script)}: line (\d+): (.*)$")
    findings = []
    for raw in stderr.splitlines():
        match = message_line.match(raw.strip())
        if not match or _ECHO.match(match.group(2)):
            continue
        line = min(max(int(match.group(1)), 1), max(line_count, 1))
        message = match.group(2)
        severity = Severity.WARNING if message.startswith("warning:") else Severity.ERROR
        message = message.removeprefix("warning: ")
        findings.append(Finding(TOOL, "syntax", severity, message, line=line))
    return findings


def block_findings(block: Block, script: str, name: str, parsed: Parsed) -> list[Finding]:
    """The findings of one block from what ``bash -n`` said about its script, saved as the file ``name``.

    A failure bash placed on no line is :func:`unlocated`: a located NUL-byte error or a tool error for this
    block alone.
    """
    findings = parse_output(parsed.output, len(block.lines), name)
    if parsed.returncode != 0 and not any(f.severity is Severity.ERROR for f in findings):
        return [unlocated(block, script, parsed)]
    return findings


def unlocated(block: Block, script: str, parsed: Parsed) -> Finding:
    """A failure bash did not place on a line: a NUL byte (bash refuses a "binary file") is a located
    error; anything else is a tool error for this block alone, never for every block of the batch."""
    if "\0" in script:
        line = next((i for i, text in enumerate(block.lines, 1) if "\0" in text), 1)
        return Finding(
            TOOL, "nul-byte", Severity.ERROR, "the script contains a NUL byte; bash cannot read it", line=line
        )
    detail = parsed.output.strip()[:500] or "no diagnostics"
    if parsed.returncode > 128:  # the driver's $? for a bash -n that died of a signal
        return tool_error(TOOL, f"bash -n was killed by signal {parsed.returncode - 128}: {detail}")
    return tool_error(TOOL, f"bash -n exited {parsed.returncode} without a located error: {detail}")


def split_output(stderr: str, mark: str, names: Sequence[str]) -> tuple[dict[str, Parsed], str]:
    """The driver's combined output cut back into each file's own: the text before each marker line
    belongs to the file the marker names. Files with no marker (the driver stopped early) are absent; the
    text after the last marker is returned beside them."""
    pattern = re.compile(rf"\n{re.escape(mark)} (-?\d+) ([^\n]*)\n")
    expected = set(names)
    out: dict[str, Parsed] = {}
    start = 0
    for match in pattern.finditer(stderr):
        name = match.group(2)
        if name in expected and name not in out:
            out[name] = Parsed(int(match.group(1)), stderr[start : match.start()])
        start = match.end()
    return out, stderr[start:]


class BashSyntax(Check):
    """``bash -n`` on every shell and console block, many blocks per driver process."""

    name = "bash"
    tool = TOOL
    kinds = frozenset({Kind.SHELL, Kind.CONSOLE})

    def applies(self, block: Block) -> bool:
        return console.checkable(block)

    def binary(self) -> str:
        return runner.find_tool("bash")

    def version(self) -> str:
        line = runner.version_of([self.binary(), "--version"])
        match = re.search(r"version (\d+\.\d+(?:\.\d+)?)", line)
        if not match:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {line[:200]!r}")
        return f"bash {match.group(1)}"

    def argv(self, binary: str, mark: str, files: Sequence[str]) -> list[str]:
        """The driver's command line: the same bash runs the driver and parses each file."""
        return [binary, "--norc", "--noprofile", "-c", DRIVER, "docs-examples-bash", binary, mark, *files]

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        """What ``bash -n`` says about each block, many blocks per driver process."""
        binary = self.binary()
        batches = runner.chunks(blocks, self.settings.workers)
        out: dict[str, list[Finding]] = {}
        with ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
            for found in pool.map(lambda batch: self._batch(binary, batch), batches):
                out.update(found)
        return out

    def _batch(self, binary: str, blocks: list[Block]) -> dict[str, list[Finding]]:
        """One driver process for ``blocks``, each block's script a file of one scratch folder."""
        names = [f"block-{i:05d}.sh" for i in range(len(blocks))]
        scripts = [console.script(block)[0] for block in blocks]
        mark = f"docs-examples-{secrets.token_hex(16)}"  # page content cannot know it, so cannot forge one
        with tempfile.TemporaryDirectory(prefix="docs-examples-bash-") as folder:
            for name, text in zip(names, scripts, strict=True):
                (Path(folder) / name).write_text(text + "\n", encoding="utf-8")
            done = runner.run(self.argv(binary, mark, names), timeout=self.settings.timeout, cwd=folder)
        parsed, rest = split_output(done.stderr, mark, names)
        out = {}
        for name, block, text in zip(names, blocks, scripts, strict=True):
            if name in parsed:
                out[block.id] = block_findings(block, text, name, parsed[name])
            else:
                out[block.id] = [_no_result(done.returncode, rest or done.stdout)]
        return out


def syntax_error(finding: Finding) -> bool:
    """A located syntax error of this check (not a warning, not a tool error)."""
    return finding.tool == TOOL and finding.rule == "syntax" and finding.severity is Severity.ERROR


def _no_result(returncode: int, output: str) -> Finding:
    """The driver ended before it reached this block's file: a tool error, never a pass."""
    detail = output.strip()[:500] or "no diagnostics"
    return tool_error(TOOL, f"bash exited {returncode} without a located error for this block: {detail}")
