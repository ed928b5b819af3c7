"""Prometheus configuration and rules, checked by Prometheus's own ``promtool``.

No PyPI package ships promtool; Debian's ``prometheus`` package does (``apt-get install prometheus``), so
promtool is optional for ``make build`` and required for a verdict: when it is not found, every Prometheus
block gets a tool-error that says how to install it — never a pass. PromQL in rules is parsed by promtool
itself (``promtool check rules``), the same parser Prometheus loads rules with.

- Rule files (``groups:``): all blocks in ONE ``promtool check rules 0.yml 1.yml …`` process.
- Scrape configurations: ``promtool check config --syntax-only`` (``rule_files`` and TLS files named by
  an inline example do not exist beside a page). A block included from a file under ``snippets/`` is
  checked in place without ``--syntax-only``, so the rule files it names must exist and are checked too.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import yaml

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity
from docs_examples.yaml_loader import first_document

TOOL = "promtool"
_PARSING = re.compile(r"^parsing YAML file (?P<file>\S+?): (?P<msg>.*)$")
_LINE = re.compile(r"^line (?P<line>\d+): (?P<msg>.*)$")
_POSITION = re.compile(r"^(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")
_TRAILING_VALUE = re.compile(r'"(?P<value>[^"]+)"\s*$')
_RULE = re.compile(r'group "(?P<group>[^"]*)", rule (?P<rule>\d+)')


class Prometheus(Check):
    """``promtool check rules`` / ``promtool check config`` with every message placed on a block line."""

    name: ClassVar[str] = "prometheus"
    tool: ClassVar[str] = TOOL
    reads_files = True  # its context, bases or rule files: see Check.reads_files
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.PROMETHEUS, Kind.PROMETHEUS_RULES})

    def binary(self) -> str:
        return runner.find_tool("promtool")

    def version(self) -> str:
        """``promtool 2.42.0+ds``."""
        first = runner.version_of([self.binary(), "--version"], timeout=self.settings.timeout)
        m = re.search(r"version (\S+)", first)
        if not m:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {first[:200]}")
        return f"promtool {m[1]}"

    def describe(self) -> str:
        return f"{self.version()} (check rules / check config)"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        binary = self.binary()
        out: dict[str, list[Finding]] = {}
        rules = [b for b in blocks if b.kind is Kind.PROMETHEUS_RULES]
        configs = [b for b in blocks if b.kind is Kind.PROMETHEUS]
        if rules:
            out.update(self.run_batch(binary, ["check", "rules"], rules))
        inline = [b for b in configs if self.source_file(b) is None]
        if inline:
            out.update(self.run_batch(binary, ["check", "config", "--syntax-only"], inline))
        for block in configs:
            source = self.source_file(block)
            if source is not None:
                found = self.run_files(binary, ["check", "config"], {str(source): block}, cwd=source.parent)
                out.update(found)
        return {k: v for k, v in out.items() if v}

    def source_file(self, block: Block) -> Path | None:
        """The snippet file a block is, when the block shows the whole file unchanged."""
        for source in block.includes:
            path = (self.settings.root / source).resolve()
            if path.is_file() and path.read_text(encoding="utf-8", errors="replace").rstrip("\n") == block.text.rstrip(
                "\n"
            ):
                return path
        return None

    def run_batch(self, binary: str, command: list[str], blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        """Write each block to ``<n>.yml`` of a temporary folder and check them all in one process."""
        with tempfile.TemporaryDirectory(prefix="docs-examples-promtool-") as tmp:
            files: dict[str, Block] = {}
            for n, block in enumerate(blocks):
                name = f"{n}.yml"
                (Path(tmp) / name).write_text(block.text, encoding="utf-8")
                files[name] = block
            return self.run_files(binary, command, files, cwd=Path(tmp))

    def run_files(
        self, binary: str, command: list[str], files: dict[str, Block], *, cwd: Path
    ) -> dict[str, list[Finding]]:
        out = runner.run([binary, *command, *files], timeout=self.settings.timeout, cwd=cwd)
        if out.returncode not in (0, 1):
            raise runner.ToolFailed(TOOL, f"exit {out.returncode}: {(out.stderr or out.stdout).strip()[:500]}")
        found = parse_output(out.stderr, files, [str(cwd), str(self.settings.root)])
        if out.returncode == 1 and not any(found.values()):
            raise runner.ToolFailed(TOOL, f"failed without a message we understand: {out.stderr.strip()[:300]}")
        return found


def parse_output(text: str, files: dict[str, Block], folders: list[str]) -> dict[str, list[Finding]]:
    """promtool's stderr: ``FAILED:`` then messages naming a file (``f: …``) or continuing its last one
    (``line N: …``). A message naming no file belongs to the only file when there is one."""
    found: dict[str, list[Finding]] = {b.id: [] for b in files.values()}
    current: Block | None = next(iter(files.values())) if len(files) == 1 else None
    for raw in text.splitlines():
        line = raw.strip().removeprefix("FAILED:").strip()
        if not line or line.startswith("SUCCESS"):
            continue
        if m := _PARSING.match(line):
            current, line = files.get(m["file"], current), m["msg"]
        else:
            for name, block in files.items():
                if line.startswith(f"{name}: "):
                    current, line = block, line[len(name) + 2 :]
                    break
        if current is None or line.endswith("unmarshal errors:"):
            continue
        found[current.id].append(_finding(_clean(line, folders), current))
    return found


def _clean(message: str, folders: list[str]) -> str:
    for folder in folders:
        message = message.replace(folder + "/", "")
    return message


def _finding(message: str, block: Block) -> Finding:
    """One promtool message: ``line N: …``, ``L:C: …``, ``group "g", rule N …`` or a whole-file message."""
    line: int | None = None
    column: int | None = None
    if m := _LINE.match(message):
        line, message = int(m["line"]), m["msg"].strip()
    elif m := _POSITION.match(message):
        line, column, message = int(m["line"]), int(m["col"]), m["msg"]
    elif m := _RULE.search(message):
        line = _rule_line(block.text, m["group"], int(m["rule"]))
    elif m := _TRAILING_VALUE.search(message):  # 'not a valid duration string: "10 minutes"'
        line = next((i for i, t in enumerate(block.lines, 1) if m["value"] in t), None)
    rule = "promql" if "could not parse expression" in message else "promtool"
    if "not found in type" in message:
        rule = "unknown-field"
    return Finding(TOOL, rule, Severity.ERROR, message, line=line or 1, column=column)


def _rule_line(text: str, group: str, rule: int) -> int | None:
    """Line of rule number ``rule`` (1-based) of the group called ``group``."""
    doc = first_document(text)
    groups = doc.node_at(["groups"]) if doc is not None else None
    if doc is None or not isinstance(groups, yaml.SequenceNode):
        return None
    for i in range(len(groups.value)):
        name = doc.node_at(["groups", i, "name"])
        if isinstance(name, yaml.ScalarNode) and name.value == group:
            return doc.line_of(["groups", i, "rules", rule - 1])
    return None
