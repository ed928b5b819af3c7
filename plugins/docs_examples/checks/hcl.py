"""HCL (Terraform / OpenTofu) syntax, with HashiCorp's own parser: the ``pygohcl`` bindings of hcl/v2.

No registry here ships terraform, tofu or tflint, so nothing checks what the configuration *means*
(providers, resource arguments, references). What is checked, and all that ``describe()`` claims, is the
syntax, parsed by the same Go library (``hclsyntax``) Terraform and OpenTofu use. The parser runs in
process and only parses: expressions come back as text, no function (``file()``, ``env()``) is evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import metadata
from typing import ClassVar

from docs_examples.blocks.model import Block, Kind
from docs_examples.checks import runner
from docs_examples.checks.base import Check
from docs_examples.findings import Finding, Severity

TOOL = "hcl"
PACKAGE = "pygohcl"
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
        try:
            return f"{PACKAGE} {metadata.version(PACKAGE)}"
        except metadata.PackageNotFoundError as exc:
            raise runner.ToolMissing(PACKAGE) from exc

    def describe(self) -> str:
        return f"HCL syntax ({self.version()}, HashiCorp hcl/v2 parser; not Terraform semantics)"

    def check(self, blocks: Sequence[Block]) -> dict[str, list[Finding]]:
        try:
            import pygohcl  # a native library: loaded only when an HCL block exists
        except ImportError as exc:
            raise runner.ToolMissing(PACKAGE) from exc
        out: dict[str, list[Finding]] = {}
        for block in blocks:
            try:
                pygohcl.loads(block.text, keep_interpolations=True)
            except pygohcl.HCLParseError as exc:
                out[block.id] = parse_diagnostics(str(exc))
            except pygohcl.HCLInternalError as exc:
                raise runner.ToolFailed(PACKAGE, str(exc)[:500]) from exc
        return out


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
