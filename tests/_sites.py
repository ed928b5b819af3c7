"""Build a fixture site the way a user does (``mkdocs build`` in a subprocess) into a temporary copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "sites"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Built:
    root: Path
    returncode: int
    log: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def warnings(self) -> list[str]:
        """Every WARNING line of the log, without the level and the plugin prefix."""
        out = []
        for line in self.log.splitlines():
            if line.startswith("WARNING"):
                text = line.split("-", 1)[1].strip()
                out.append(re.sub(r"^[a-z_]+: ", "", text))
        return out

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def build(source: Path, dest: Path, *args: str) -> Built:
    """Copy ``source`` to ``dest`` and build it there; the log is returned, never printed."""
    if source != dest:
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("site", ".cache", "build"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=dest,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    return Built(dest, proc.returncode, _ANSI.sub("", proc.stdout + proc.stderr))
