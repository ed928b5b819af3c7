"""Real documentation sites nobody here wrote: what fails with default settings is exactly what was triaged.

The five MkDocs sites in ``../shared/corpus/real-sites/`` are checked as a new user checks them: inside the
site folder, ``docs-examples check -c mkdocs.yml -f json -o <report> --no-cache``, default settings, nothing
written into the corpus. ``tests/triage/<site>.<area>.tsv`` (format: ``/work/helpers/TRIAGE.md``, and the
README's "Real sites" section) lists one line per failing block of the file's kinds (``# kinds:``), and one
per failing page-level problem for kind ``page``: ``where``, ``kind``, ``failing rules``, ``verdict``,
``judgement``. For every triage file the set of failing blocks of its kinds must equal the lines listed
(so every ``real`` problem stays caught, and nothing new fails unjudged), and across a site's files at
least 90 % of the lines must be ``real``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS
from docs_examples import cli

SITES = ("argo-cd", "traefik", "trivy", "aws-load-balancer-controller", "argo-workflows")
TRIAGE = Path(__file__).parent / "triage"
VERDICTS = ("real", "not-real")
MIN_REAL = 0.9
_NAME = re.compile(r"^(?P<site>[a-z0-9-]+)\.(?P<area>[a-z0-9-]+)\.tsv$")


@dataclass(frozen=True, slots=True)
class Line:
    """One triaged failure: where, the kind of block (or ``page``), its failing rules, and the verdict."""

    where: str
    kind: str
    rules: str
    verdict: str
    judgement: str
    source: str  # triage file and line, for messages

    @property
    def key(self) -> tuple[str, str, str]:
        return self.where, self.kind, self.rules


@dataclass(frozen=True, slots=True)
class Triage:
    path: Path
    site: str
    kinds: frozenset[str]
    lines: tuple[Line, ...]


def read_triage(path: Path) -> Triage:
    """One triage file, its header checked (``# site:``, ``# kinds:``) and every line well formed."""
    name = _NAME.match(path.name)
    assert name and name["site"] in SITES, f"{path.name}: expected <site>.<area>.tsv for a site of {SITES}"
    header: dict[str, str] = {}
    lines: list[Line] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        if not raw.strip():
            continue
        if raw.startswith("#"):
            key, _, value = raw[1:].partition(":")
            header[key.strip()] = value.strip()
            continue
        cells = raw.split("\t")
        assert len(cells) == 5, f"{where}: expected 5 tab-separated columns, got {len(cells)}"
        place, kind, rules, verdict, judgement = cells
        assert re.fullmatch(r".+:\d+", place), f"{where}: `where` must be <path>:<line>"
        assert rules == ",".join(sorted(set(rules.split(",")))), f"{where}: rules must be sorted and unique"
        assert verdict in VERDICTS, f"{where}: verdict must be one of {VERDICTS}"
        assert judgement.strip(), f"{where}: a judgement is required"
        lines.append(Line(place, kind, rules, verdict, judgement, where))
    assert header.get("site") == name["site"], f"{path.name}: `# site: {name['site']}` expected"
    kinds = frozenset(header.get("kinds", "").split())
    assert kinds, f"{path.name}: a `# kinds:` line is required"
    strays = [line.source for line in lines if line.kind not in kinds]
    assert not strays, f"lines of kinds the file does not cover: {strays}"
    return Triage(path, name["site"], kinds, tuple(lines))


def triage_files(site: str) -> list[Triage]:
    return [read_triage(p) for p in sorted(TRIAGE.glob(f"{site}.*.tsv"))]


@pytest.fixture(scope="module")
def report_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, Any]]:
    """The JSON report of a site, made the way a new user makes it (no cache, default settings), once."""
    reports: dict[str, dict[str, Any]] = {}

    def report(site: str) -> dict[str, Any]:
        if site not in reports:
            folder = CORPUS / "real-sites" / site
            out = tmp_path_factory.mktemp("real-sites") / f"{site}.json"
            with pytest.MonkeyPatch.context() as mp:
                mp.chdir(folder)
                code = cli.main(["check", "-c", "mkdocs.yml", "-f", "json", "-o", str(out), "--no-cache", "-q"])
            assert code in (0, 1), f"{site}: docs-examples exited {code} (a tool could not run?)"
            assert not (folder / ".cache").exists(), f"{site}: a cache folder was left in the corpus"
            reports[site] = json.loads(out.read_text(encoding="utf-8"))
        return reports[site]

    return report


def failing(report: dict[str, Any], kinds: frozenset[str]) -> Counter[tuple[str, str, str]]:
    """``(where, kind, rules)`` of every failing block of ``kinds`` (and page problem, for ``page``)."""
    found: Counter[tuple[str, str, str]] = Counter()
    for block in report["blocks"]:
        if block["kind"] in kinds and block["status"] in ("failed", "error"):
            rules = ",".join(sorted({f["rule"] for f in block["findings"] if f["fails"]}))
            found[(f"{block['file']}:{block['fence_line']}", block["kind"], rules)] += 1
    if "page" in kinds:
        for problem in report["problems"]:
            if problem["fails"]:
                found[(f"{problem['file']}:{problem['line']}", "page", problem["rule"])] += 1
    return found


def _diff(expected: Counter, actual: Counter) -> str:
    missing = sorted((expected - actual).elements())
    extra = sorted((actual - expected).elements())
    tab = "\t"
    lines = [f"  no longer fails: {tab.join(k)}" for k in missing]
    lines += [f"  fails, not triaged: {tab.join(k)}" for k in extra]
    return "\n".join(lines)


# -- the files themselves (no corpus needed) ---------------------------------------------------------------------


def test_triage_files_are_well_formed_and_do_not_overlap() -> None:
    files = sorted(TRIAGE.glob("*.tsv"))
    assert files, "no triage file under tests/triage/"
    by_site: dict[str, list[Triage]] = {}
    for path in files:
        triage = read_triage(path)
        by_site.setdefault(triage.site, []).append(triage)
        keys = Counter(line.key for line in triage.lines)
        assert all(n == 1 or key[1] == "page" for key, n in keys.items()), f"{path.name}: a block listed twice"
    for site, triages in by_site.items():
        kinds = [k for t in triages for k in t.kinds]
        assert len(kinds) == len(set(kinds)), f"{site}: two triage files claim the same kind"


# -- the sites ---------------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("site", SITES)
def test_what_fails_is_exactly_what_was_triaged(
    site: str, corpus: Path, report_of: Callable[[str], dict[str, Any]]
) -> None:
    triages = triage_files(site)
    if not triages:
        pytest.skip(f"no triage file for {site} yet")
    report = report_of(site)
    problems = []
    for triage in triages:
        expected = Counter(line.key for line in triage.lines)
        actual = failing(report, triage.kinds)
        if expected != actual:
            problems.append(f"{triage.path.name}:\n{_diff(expected, actual)}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("site", SITES)
def test_most_failures_are_real_problems(site: str, corpus: Path) -> None:
    lines = [line for triage in triage_files(site) for line in triage.lines]
    if not lines:
        pytest.skip(f"nothing fails on {site} in the triaged kinds")
    real = sum(line.verdict == "real" for line in lines)
    assert real / len(lines) >= MIN_REAL, f"{site}: {real} of {len(lines)} failing lines are real problems"
