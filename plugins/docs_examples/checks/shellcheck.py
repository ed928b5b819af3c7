"""shellcheck over every shell and console block: one process per dialect, JSON (``json1``) output.

The dialect is the block's shebang when it has one, else its language (``sh`` → POSIX sh, the rest → bash).
``--norc`` keeps a stray ``.shellcheckrc`` from changing verdicts; sourced files are not followed (a page's
``source ./env.sh`` names a file that is not there). ``json1`` counts a tab as one column, like our positions.

Three things make its comments fit documentation, where a block is one step of a reader's session:

- **One cause, one finding.** When shellcheck's parser stops, it reports a cascade (``SC1009`` the command,
  ``SC1073`` the construct it could not parse, ``SC1072`` where it gave up, and more): they become one
  finding at the construct that opens, naming where parsing stopped. If ``bash -n`` fails on the same lines,
  the bash check's finding reports the cause, at this position, and this one goes
  (:func:`merge_parse_failure`, run once per block after both checks).
- **A page is one session.** A variable assigned in one block and used in another block of the same page
  is not unused (``SC2034`` becomes an ``info`` note): classification records what the page's other blocks
  read (``meta["page_reads"]``), and that list is part of the block's cache key, so editing one block
  re-checks only the blocks whose answer it can change. One that is used nowhere stays a warning: typed
  without ``export``, it never reaches the program the page runs next.
- **Output that cannot split.** ``SC2046`` (an unquoted ``$(…)`` is split into words and globbed) is a
  note when the substitution is ``date +FORMAT`` whose format prints neither a blank nor a glob character
  in any locale: digits, signs, ``-``/``:``/``T`` and the like (``%Y-%m-%d``, ``%FT%T%Z``, ``%s``, ``-I``).
  Conversions that print blanks or words (``%c``, ``%x``, ``%X``, ``%r``, ``%+``, ``%e``, ``%k``, ``%l``,
  ``%n``, ``%t``, names such as ``%a``/``%b``, ``_`` padding, a width on a non-numeric field) and every
  other command keep the warning: ``-v $(pwd):/src`` breaks in a folder whose path has a blank.
- **A block without ``#!`` is typed at a prompt.** Rules about how a *script* behaves when a command fails
  (``SC2164`` ``cd`` without ``|| exit``, ``SC2155`` ``export x=$(…)`` masking a status), a variable the
  reader sets (``SC2154``: ``${your_ami_id}`` is a placeholder) and shellcheck not following a ``source``
  (``SC1090``) become ``info`` notes. With a shebang, every rule keeps its level.
"""

from __future__ import annotations

import json
import re
import shlex
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from docs_examples.blocks import console
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check, tool_severity
from docs_examples.findings import Finding, Severity

TOOL = "shellcheck"
DIALECTS = ("sh", "bash", "dash", "ksh", "busybox")
_SHEBANG = re.compile(r"^#!\s*(?:\S*/)?(?:env\s+(?:-\S+\s+)*)?(\w+)")


# Codes of shellcheck's parser giving up: when one is present, every SC1xxx comment is part of one cascade.
PARSE_STOPPED = frozenset({"SC1072", "SC1070", "SC1088", "SC1089"})
CONSTRUCT = "SC1073"  # "Couldn't parse this <construct>": where the construct that failed opens
MENTIONED = "SC1009"  # "The mentioned syntax error was in this simple command" (info)
SESSION_RULES = {
    "SC2164": "a reader sees a failed `cd`",
    "SC2155": "a reader sees a failed command",
    "SC2154": "a placeholder the reader sets, or a variable from an earlier step",
    "SC1090": "shellcheck does not follow sourced files here",
}
SPLIT = "SC2046"  # "Quote this to prevent word splitting": an unquoted command substitution
# date(1) conversions whose output has no blank and no glob character in any locale (numbers, signs, `-`,
# `:`, `/`, `T`, a zone abbreviation); a field width is allowed on the numeric ones, which pad with zeros.
DATE_NUMERIC = frozenset("CdgGHIjmMNqsSuUVwWyY")
DATE_SAFE = DATE_NUMERIC | frozenset("DFRTzZ%")
_DATE_CONVERSION = re.compile(r"%([-0^#+]*)(\d*)(:{1,3}z|.)", re.DOTALL)
_DATE_OPTION_VALUE = frozenset({"-d", "--date", "-r", "--reference", "-v", "-z", "--zone"})
_DATE_FLAG = re.compile(r"^(?:-u|--utc|--universal|-j|-[drv].+|--(?:date|reference)=.*)$")
_DATE_ISO = re.compile(r"^(?:-I(?:date|hours|minutes|seconds|ns)?|--iso-8601(?:=(?:date|hours|minutes|seconds|ns))?)$")
_TRAILERS = (" Fix to allow more checks.", " Fix any mentioned problems and try again.")
_UNUSED = re.compile(r"^([A-Za-z_]\w*) appears unused")


def dialect(block: Block) -> str:
    """The shell shellcheck should assume: the shebang's, else ``sh`` for ``sh`` blocks, else ``bash``."""
    match = _SHEBANG.match(block.text)
    if match and match.group(1) in DIALECTS:
        return match.group(1)
    return "sh" if block.language == "sh" else "bash"


def parse_failure(findings: Sequence[Finding]) -> Finding | None:
    """The one finding for a parse that stopped, made from its cascade; None when shellcheck parsed the block."""
    cascade = [f for f in findings if f.rule.startswith("SC1")]
    if not any(f.rule in PARSE_STOPPED or f.message.startswith("Parsing stopped") for f in cascade):
        return None
    opening = next((f for f in cascade if f.rule == CONSTRUCT), None) or next(
        f for f in cascade if f.severity is Severity.ERROR
    )
    reasons = []
    messages = [_trimmed(f.message) for f in cascade if f is not opening and f.rule != MENTIONED]
    for f in cascade:
        if f is opening or f.rule == MENTIONED:
            continue
        text = _trimmed(f.message)
        if any(text != other and text in other for other in messages):  # "Expected 'fi'" says less than
            continue  # "Expected 'fi' matching previously mentioned 'if'": one reason, said once
        below = (f.line or 0) - (opening.line or 0)
        where = f" ({below} line{'s' if below != 1 else ''} below)" if below > 0 else ""
        if text and text + where not in reasons:
            reasons.append(text + where)
    message = _trimmed(opening.message) + (": " + "; ".join(reasons) if reasons else "")
    last = max((f.end_line or f.line or 0) for f in cascade)
    also = tuple(dict.fromkeys(f.rule for f in cascade if f.rule != opening.rule))
    return Finding(
        TOOL,
        opening.rule,
        Severity.ERROR,
        message,
        line=opening.line,
        column=opening.column,
        end_line=last or None,
        also=also,
    )


def _trimmed(message: str) -> str:
    """A parser message without shellcheck's "fix and try again" trailer."""
    for trailer in _TRAILERS:
        message = message.removesuffix(trailer)
    return message.strip().rstrip(".")


def one_cause(findings: list[Finding]) -> list[Finding]:
    """A block's comments with a parse cascade folded into one finding.

    Whatever else shellcheck said about a script it could not parse to the end was said about a fragment
    (``x=base64(…)`` is "unused" because the line broke off): only the parse failure is kept.
    """
    merged = parse_failure(findings)
    return findings if merged is None else [merged]


def is_parse_failure(finding: Finding) -> bool:
    """Whether ``finding`` is the one :func:`parse_failure` made: its rules hold the code of the parser
    giving up, or its message says parsing stopped (the two signs :func:`parse_failure` looks for)."""
    return (
        finding.tool == TOOL
        and finding.severity is Severity.ERROR
        and finding.rule.startswith("SC1")
        and (any(rule in PARSE_STOPPED for rule in finding.rules) or "Parsing stopped" in finding.message)
    )


def merge_parse_failure(findings: Sequence[Finding]) -> list[Finding]:
    """One block's findings with ``bash -n``'s syntax error and shellcheck's parse failure of the same cause
    made one: bash's finding, moved to where shellcheck says the broken construct opens, with shellcheck's
    words and codes (``data-expect`` may name either tool's); shellcheck's finding goes. Run once per block
    after its checks (:func:`docs_examples.checks.merge_overlaps`). Either check off: nothing to merge."""
    from docs_examples.checks.bash import syntax_error

    opening = next((f for f in findings if is_parse_failure(f)), None)
    if opening is None:
        return list(findings)
    out: list[Finding] = []
    merged = False
    for f in findings:
        if syntax_error(f) and same_cause(f, opening):
            f = f.moved(
                message=f"{f.message} (shellcheck {opening.rule}: {opening.message})",
                line=opening.line,
                column=opening.column,
                end_line=opening.end_line,
                also=(*f.also, opening.rule, *opening.also),
            )
            merged = True
        out.append(f)
    return [f for f in out if not (merged and f is opening)]


def date_format_unsplittable(fmt: str) -> bool:
    """Whether ``date +FMT`` prints one word: no blank, no glob character, in any locale."""
    i = 0
    while i < len(fmt):
        if fmt[i] != "%":
            if fmt[i].isspace() or fmt[i] in "*?[":
                return False
            i += 1
            continue
        match = _DATE_CONVERSION.match(fmt, i)
        if match is None:
            return False
        flags, width, conversion = match.groups()
        if "_" in flags or not (conversion in DATE_SAFE or conversion.endswith("z")):
            return False
        if width and conversion not in DATE_NUMERIC:
            return False
        i = match.end()
    return True


def unsplittable(substitution: str) -> bool:
    """Whether a command substitution (``$(…)`` or backticks) is a ``date`` call that prints one word."""
    inner = substitution.strip()
    if inner.startswith("$(") and inner.endswith(")"):
        inner = inner[2:-1]
    elif inner.startswith("`") and inner.endswith("`"):
        inner = inner[1:-1]
    else:
        return False
    try:
        lexer = shlex.shlex(inner, posix=True, punctuation_chars=";&|<>()`")
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        return False
    if not words or words[0].rsplit("/", 1)[-1] not in ("date", "gdate"):
        return False
    return _date_options_unsplittable(words[1:])


def _date_options_unsplittable(words: list[str]) -> bool:
    """``date``'s arguments: options that pick the time, and one output format that prints one word."""
    formats = 0
    take_value = False
    for word in words:
        if take_value:
            take_value = False
        elif word in _DATE_OPTION_VALUE:
            take_value = True
        elif word.startswith("+"):
            if "$" in word or "`" in word or not date_format_unsplittable(word[1:]):
                return False
            formats += 1
        elif _DATE_ISO.match(word):
            formats += 1
        elif not _DATE_FLAG.match(word):
            return False  # an operand, a pipe, another format (-R, --rfc-3339 print blanks): not judged
    return formats == 1 and not take_value


def session(block: Block) -> bool:
    """Whether a block is commands typed at a prompt (no ``#!`` line), not a script file."""
    return not block.text.startswith("#!")


class ShellCheck(Check):
    """shellcheck, batched: all blocks of one dialect go to one process."""

    name = "shellcheck"
    tool = TOOL
    kinds = frozenset({Kind.SHELL, Kind.CONSOLE})

    def applies(self, block: Block) -> bool:
        return console.checkable(block)

    def cache_context(self, block: Block) -> str:
        """The variables the page's other blocks read: whether an assignment here is "unused" depends on them."""
        return " ".join(block.meta.get("page_reads", ()))

    def binary(self) -> str:
        return runner.find_tool("shellcheck")

    def version(self) -> str:
        done = runner.run([self.binary(), "--version"], timeout=30)
        match = re.search(r"^version:\s*(\S+)", done.stdout, re.MULTILINE)
        if not match:
            raise runner.ToolFailed(TOOL, f"unexpected --version output: {done.stdout.strip()[:200]!r}")
        return f"shellcheck {match.group(1)}"

    def argv(self, shell: str, files: Sequence[str]) -> list[str]:
        return [self.binary(), "--format=json1", f"--shell={shell}", "--norc", "--severity=style", *files]

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        linted = self.lint(blocks)
        return {block.id: [_in_docs(block, f) for f in one_cause(linted[block.id])] for block in blocks}

    def lint(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        """shellcheck's comments on every block as findings (block lines, columns past any prompt)."""
        groups: dict[str, list[Block]] = defaultdict(list)
        for block in blocks:
            groups[dialect(block)].append(block)
        out: dict[str, list[Finding]] = {block.id: [] for block in blocks}
        # Big groups in a few processes at once, so every core lints (the runner caps the processes).
        batches = [
            (shell, part) for shell, members in groups.items() for part in runner.chunks(members, self.settings.workers)
        ]
        with ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
            for found in pool.map(lambda batch: self._group(*batch), batches):
                out.update(found)
        return out

    def _group(self, shell: str, blocks: list[Block]) -> dict[str, list[Finding]]:
        """One shellcheck process for the blocks of one dialect."""
        names = {f"block-{i:04d}.sh": block for i, block in enumerate(blocks)}
        shifts = {}
        scripts = {}
        with tempfile.TemporaryDirectory(prefix="docs-examples-shellcheck-") as folder:
            for name, block in names.items():
                scripts[name], shifts[name] = console.script(block)
                (Path(folder) / name).write_text(scripts[name] + "\n", encoding="utf-8")
            done = runner.run(self.argv(shell, list(names)), timeout=self.settings.timeout, cwd=folder)
        out: dict[str, list[Finding]] = {block.id: [] for block in blocks}
        for item in self._decode(done):
            name = str(item.get("file"))
            if name not in names:
                raise runner.ToolFailed(TOOL, f"result for a file it was not given: {name!r}")
            out[names[name].id].append(_one_word(self._finding(item, shifts[name]), item, scripts[name]))
        return out

    def _decode(self, done: runner.Completed) -> list[dict[str, Any]]:
        """shellcheck's comments; exit 0 (clean) or 1 (findings) only, anything else is a tool error."""
        if done.returncode not in (0, 1):
            detail = (done.stderr or done.stdout).strip()[:500]
            raise runner.ToolFailed(TOOL, f"exited {done.returncode}: {detail}")
        try:
            data = json.loads(done.stdout)
        except json.JSONDecodeError:
            detail = (done.stderr or done.stdout).strip()[:500]
            raise runner.ToolFailed(TOOL, f"no JSON output: {detail}") from None
        comments = data.get("comments") if isinstance(data, dict) else None
        if not isinstance(comments, list) or not all(isinstance(c, dict) for c in comments):
            raise runner.ToolFailed(TOOL, "JSON output has no list of comments")
        return comments

    def _finding(self, item: dict[str, Any], shifts: list[int]) -> Finding:
        """One shellcheck comment as a block-relative finding, columns moved past any prompt."""
        line = int(item.get("line") or 0) or None
        end_line = int(item.get("endLine") or 0) or None
        column = console.shift_column(shifts, line, int(item.get("column") or 0) or None)
        return Finding(
            TOOL,
            f"SC{item.get('code')}",
            tool_severity(TOOL, str(item.get("level"))),
            str(item.get("message", "")),
            line=line,
            column=column,
            end_line=end_line,
        )


def _one_word(finding: Finding, item: dict[str, Any], script: str) -> Finding:
    """``SC2046`` on a substitution that prints one word (``$(date +%F)``) is a note: nothing can split."""
    if finding.rule != SPLIT or finding.severity in (Severity.INFO, Severity.STYLE):
        return finding
    lines = script.split("\n")
    line, end_line = int(item.get("line") or 0), int(item.get("endLine") or 0)
    column, end_column = int(item.get("column") or 0), int(item.get("endColumn") or 0)
    if not (line == end_line and 1 <= line <= len(lines) and 1 <= column < end_column):
        return finding
    if not unsplittable(lines[line - 1][column - 1 : end_column - 1]):
        return finding
    hint = "`date +FORMAT` with this format prints one word: nothing to split"
    return finding.moved(severity=Severity.INFO, hint=hint)


def same_cause(error: Finding, merged: Finding) -> bool:
    """Whether bash's syntax error and shellcheck's parse cascade are one cause: bash stopped on the
    cascade's lines, or at the end of the file (where an unclosed construct is noticed, not where it opens)."""
    last = merged.end_line or merged.line or 0
    at_end = "end of file" in error.message or "unexpected EOF" in error.message
    return at_end or (merged.line or 0) <= (error.line or 0) <= last


def _in_docs(block: Block, finding: Finding) -> Finding:
    """A finding as it matters in documentation: session rules and page-level variables become notes."""
    if finding.severity in (Severity.INFO, Severity.STYLE):
        return finding
    if finding.rule in SESSION_RULES and session(block):
        why = SESSION_RULES[finding.rule]
        return finding.moved(severity=Severity.INFO, hint=f"no #! line: read as commands typed at a prompt ({why})")
    match = _UNUSED.match(finding.message) if finding.rule == "SC2034" else None
    if match and match.group(1) in block.meta.get("page_reads", ()):
        return finding.moved(severity=Severity.INFO, hint="used in another block of this page")
    return finding
