"""HCL (Terraform / OpenTofu) syntax, with HashiCorp's own parser: the ``pygohcl`` bindings of hcl/v2.

No registry here ships terraform, tofu or tflint, so nothing checks what the configuration *means*
(providers, resource arguments, references). What is checked, and all that ``describe()`` claims, is the
syntax, parsed by the same Go library (``hclsyntax``) Terraform and OpenTofu use. The parser runs in
process and only parses: expressions come back as text, no function (``file()``, ``env()``) is evaluated.

Because it runs in this process, a hostile block must not reach it unbounded: the Go parser recurses once
per bracket, and ``[`` nested a hundred thousand deep overflows its stack, which aborts the whole build
(Go's fatal error cannot be caught); twenty thousand deep already costs 400 MB and 4 s. A block with more
than :data:`MAX_BRACKETS` opening brackets is an error (``hcl/too-many-brackets``) and is not parsed — a
count, which no string or comment can fool, bounds any nesting; a result nested too deep for Python's JSON
reader is an error (``hcl/too-deep``) for that block alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from docs_examples import distributions
from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity

TOOL = "hcl"
PACKAGE = "pygohcl"
MAX_BRACKETS = 2000  # `[`, `{` and `(` in one block; a 500-line Terraform file has a few hundred
# "tmp.hcl:3,3-4: Attribute redefined; The argument "a" was already set …", several joined by ", "
_DIAGNOSTIC = re.compile(
    r"(?:^|, )[^\s,:]+\.hcl:(?P<line>\d+),(?P<col>\d+)(?:-(?:(?P<end_line>\d+),)?\d+)?: "
    r"(?P<summary>[^;]+); (?P<detail>.*?)(?=, [^\s,:]+\.hcl:\d+,\d+|$)",
    re.DOTALL,
)


class HclSyntax(Check):
    """Parses every HCL block with hcl/v2; each diagnostic becomes an error at its line and column."""

    name: ClassVar[str] = "hcl"
    tool: ClassVar[str] = TOOL
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.HCL})

    def version(self) -> str:
        """``pygohcl 1.2.9``; raises ToolMissing when the package is not installed."""
        found = distributions.version(PACKAGE)
        if found is None:
            raise runner.ToolMissing(PACKAGE)
        return f"{PACKAGE} {found}"

    def describe(self) -> str:
        return f"HCL syntax ({self.version()}, HashiCorp hcl/v2 parser; not Terraform semantics)"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        try:
            import pygohcl  # a native library: loaded only when an HCL block exists
        except ImportError as exc:
            raise runner.ToolMissing(PACKAGE) from exc
        out: dict[str, list[Finding]] = {}
        for block in blocks:
            refused = too_large(block.text)
            if refused is not None:
                out[block.id] = [refused]
                continue
            try:
                pygohcl.loads(block.text, keep_interpolations=True)
            except pygohcl.HCLParseError as exc:
                out[block.id] = parse_diagnostics(str(exc))
            except RecursionError:  # the parser's result, nested deeper than Python's JSON reader goes
                message = "nested too deeply for the parser's result to be read"
                out[block.id] = [Finding(TOOL, "hcl/too-deep", Severity.ERROR, message, line=1)]
            except pygohcl.HCLInternalError as exc:
                raise runner.ToolFailed(PACKAGE, str(exc)[:500]) from exc
        return out


def too_large(text: str) -> Finding | None:
    """The error for a block with more opening brackets than the in-process parser is given; else None."""
    brackets = sum(text.count(c) for c in "[{(")
    if brackets <= MAX_BRACKETS:
        return None
    message = (
        f"{brackets:,} opening brackets, more than {MAX_BRACKETS:,}: not parsed (nested that deep, the "
        "in-process parser would exhaust its stack)"
    )
    return Finding(TOOL, "hcl/too-many-brackets", Severity.ERROR, message, line=1)


def parse_diagnostics(message: str) -> list[Finding]:
    """hcl/v2 diagnostics (``file:line,col-col: Summary; Detail``, joined by ``, ``) as findings."""
    text = message.removeprefix("invalid HCL: ")
    findings = [
        Finding(
            tool=TOOL,
            rule="hcl/" + re.sub(r"[^a-z0-9]+", "-", m["summary"].strip().lower()).strip("-"),
            severity=Severity.ERROR,
            message=f"{m['summary'].strip()}: {m['detail'].strip()}",
            line=int(m["line"]),
            column=int(m["col"]),
        )
        for m in _DIAGNOSTIC.finditer(text)
    ]
    return findings or [Finding(TOOL, "syntax", Severity.ERROR, text, line=1)]
