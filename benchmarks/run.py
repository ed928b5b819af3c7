"""``make bench``: one table of ratios, each measured side by side in one run.

Every ratio compares two things timed on the same machine in the same run (medians of ``--repeat`` runs,
the two sides interleaved), because these machines are shared and noisy. The bench reports; it never
fails: the exit status is 0 whatever the ratios. The table is printed and written as JSON to
``benchmarks/out/results.json``.

Rows:

1. warm overhead — ``mkdocs build`` of this site with the plugin and a warm cache / plugin disabled;
2. cold check vs naive — ``docs-examples check --no-cache`` / :mod:`naive` (one process per block and tool);
3. Kubernetes check in process — our schema check / python-jsonschema validating the same standalone
   schemas, each in a fresh process but timed from inside it (start-up and imports left out);
4. Kubernetes check, cold run — ``docs-examples check`` on one page per corpus file (only the schema check
   on, results cache empty, schemas in place) / ``kubeconform -n 2`` on the same files when kubeconform is
   installed, else a python-jsonschema process (``k8s_baseline.py``). The ratio is of CPU seconds (user +
   system, the process and its children), wall seconds beside; the row names the baseline that ran;
5. scale — cold 5,000 / cold 500, peak RSS of the 5,000 run, warm / cold re-check of 5,000;
6. one edit — a rebuild after editing one block / a rebuild with no edit, in one MkDocs process.

Usage: ``python benchmarks/run.py [--repeat 3] [--small 500] [--large 5000] [--only warm,naive,k8s,cold-k8s,...]``
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docs_examples.checks.kubernetes.schemas import SchemaStore

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
CORPUS = ROOT.parent / "shared" / "corpus" / "k8s-website" / "content" / "en" / "examples"
# The manifests the Kubernetes rows validate: the k8s-website corpus when it is beside the clone, otherwise
# (a user's clone) manifests the generator writes, so every row still measures something real.
MANIFESTS = CORPUS
SOURCE = "k8s corpus"


def use_manifests(tmp: Path) -> None:
    """Point the Kubernetes rows at the corpus, or at 200 generated manifest files when it is absent."""
    global MANIFESTS, SOURCE
    if CORPUS.is_dir():
        MANIFESTS, SOURCE = CORPUS, "k8s corpus"
        return
    import generate

    folder = tmp / "k8s-generated"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(200):
        example = generate.kubernetes(n, broken=n % 10 == 0)
        (folder / f"manifest-{n:03}.yaml").write_text(example.text + "\n", encoding="utf-8")
    MANIFESTS, SOURCE = folder, "k8s generated (corpus absent)"


sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - the sibling module, importable once HERE is on sys.path
import naive  # noqa: E402


@dataclass(slots=True)
class Row:
    """One line of the table: what was measured, both sides, their ratio and the target."""

    metric: str
    ours: float
    baseline: float
    unit: str
    target: str
    passed: bool
    note: str = ""
    ours_wall: float | None = None  # for a CPU-seconds row: the wall seconds beside
    baseline_wall: float | None = None

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")


@dataclass(slots=True)
class Run:
    """One timed subprocess: wall seconds, exit status, peak RSS (KiB) of its biggest process."""

    seconds: float
    returncode: int
    max_rss_kib: int
    cpu: float = 0.0  # user + system seconds of the child and every descendant it reaped


# -- measuring ---------------------------------------------------------------------------------------


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to completion; wall time and ``wait4`` rusage of that child alone.

    ``ru_maxrss`` of a reaped child covers the child and every descendant it reaped in turn, as the
    maximum over those processes (not their sum): the biggest single process of the run.
    """
    # CI is dropped: there every process seals its cache with a key of its own, and the warm rows measure
    # what one machine's cache saves.
    base = {k: v for k, v in os.environ.items() if k not in {"CI", "GITHUB_ACTIONS"}}
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env={**base, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    with proc.stderr:  # type: ignore[union-attr]
        stderr = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.stderr.write(stderr.decode(errors="replace")[-2000:])
    return Run(seconds, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def instructions(argv: list[str], cwd: Path) -> int | None:
    """Instructions one run of ``argv`` executes (valgrind's ``I refs``), when valgrind is installed.

    Unlike seconds, the count does not move with the machine's load, so a ratio of two counts can be
    compared across runs; it leaves out what instructions do not show (cache misses, page faults).
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    base = {k: v for k, v in os.environ.items() if k not in {"CI", "GITHUB_ACTIONS"}}
    tool = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    done = subprocess.run([*tool, *argv], cwd=cwd, env=base, capture_output=True, text=True, check=False)
    for line in done.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    return None


def median_of(repeat: int, *sides: Callable[[], float]) -> list[float]:
    """Interleave the sides ``repeat`` times (A B A B …) and return each side's median."""
    samples: list[list[float]] = [[] for _ in sides]
    for _ in range(repeat):
        for i, side in enumerate(sides):
            samples[i].append(side())
    return [statistics.median(s) for s in samples]


def cli(site: Path, *extra: str) -> list[str]:
    """``docs-examples check`` on a site, quiet, JSON report thrown away."""
    return [str(BIN / "docs-examples"), "check", "-q", "-f", "json", "-o", os.devnull, *extra]


# -- 1. warm overhead ---------------------------------------------------------------------------------


def mkdocs_variant(root: Path, enabled: bool, site_dir: Path, cache_dir: Path) -> Path:
    """A temporary copy of ``root/mkdocs.yml`` (beside it, so relative paths hold) with the plugin on or off."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    name = f".bench-{os.getpid()}-{'on' if enabled else 'off'}.yml"
    target = root / name
    marker = "  - docs-examples:\n"
    options = f"      enabled: {str(enabled).lower()}\n      cache_dir: {cache_dir}\n"
    if marker in text:
        text = text.replace(marker, marker + options, 1)
    elif "  - docs-examples\n" in text:
        text = text.replace("  - docs-examples\n", marker + options, 1)
    else:
        raise SystemExit(f"{root}/mkdocs.yml has no docs-examples plugin entry")
    text = text.replace("strict: true", "strict: false")
    target.write_text(text + f"\nsite_dir: {site_dir}\n", encoding="utf-8")
    return target


def warm_overhead(root: Path, repeat: int, tmp: Path) -> Row:
    """``mkdocs build`` with the plugin (warm cache) / without; both from temporary copies of mkdocs.yml."""
    on = mkdocs_variant(root, True, tmp / "site-on", tmp / "cache")
    off = mkdocs_variant(root, False, tmp / "site-off", tmp / "cache")
    try:
        build = [str(BIN / "mkdocs"), "build", "-q", "-f"]
        timed([*build, str(on)], root)  # fills the cache
        with_plugin, without = median_of(
            repeat,
            lambda: timed([*build, str(on)], root).seconds,
            lambda: timed([*build, str(off)], root).seconds,
        )
    finally:
        on.unlink(missing_ok=True)
        off.unlink(missing_ok=True)
    ratio = with_plugin / without
    return Row("warm mkdocs build: plugin / no plugin", with_plugin, without, "s", "≤ 1.10×", ratio <= 1.10)


# -- 2. cold check vs naive ---------------------------------------------------------------------------


def cold_vs_naive(site: Path, repeat: int, naive_repeat: int) -> Row:
    """Our CLI on a cold cache / the naive checker, on the same generated site."""
    ours = statistics.median(timed(cli(site, "--no-cache"), site).seconds for _ in range(repeat))
    samples = []
    counts: dict[str, int] = {}
    for _ in range(naive_repeat):
        start = time.perf_counter()
        counts = naive.check(site)
        samples.append(time.perf_counter() - start)
    baseline = statistics.median(samples)
    speedup = baseline / ours
    note = (
        f"{speedup:.1f}× faster; naive: {counts.get('processes', 0)} processes for {counts.get('blocks', 0)} "
        "blocks, one after another"
    )
    return Row("cold check: CLI / naive checker", ours, baseline, "s", "≥ 5× faster", speedup >= 5, note)


# -- 3. Kubernetes engine vs kubeconform / jsonschema -------------------------------------------------


def k8s_engine(repeat: int) -> Row:
    """Our schema check / python-jsonschema on the k8s-website corpus, 1.37 strict, each timed in its process.

    The baseline is always python-jsonschema: kubeconform cannot be timed from inside; the cold-run row
    compares with kubeconform where it is installed.
    """
    base = "python-jsonschema"
    step = [sys.executable, str(Path(__file__).resolve()), "--manifests", str(MANIFESTS), "--k8s-side"]
    results: dict[str, list[dict]] = {"ours": [], base: []}
    for _ in range(repeat):
        for side in ("ours", base):
            out = subprocess.run([*step, side], capture_output=True, text=True, check=True, cwd=ROOT)
            results[side].append(json.loads(out.stdout))
    ours = statistics.median(r["seconds"] for r in results["ours"])
    baseline = statistics.median(r["seconds"] for r in results[base])
    same = results["ours"][0]["invalid"] == results[base][0]["invalid"]
    note = (
        f"{results['ours'][0]['documents']} resources; invalid files: ours {len(results['ours'][0]['invalid'])}, "
        f"{base} {len(results[base][0]['invalid'])}; same verdicts: {'yes' if same else 'NO'}"
    )
    ours_v = statistics.median(r["validate_seconds"] for r in results["ours"])
    base_v = statistics.median(r["validate_seconds"] for r in results[base])
    note += (
        f"; validation alone (parsed, compiled): ours {ours_v:.3f} s, {base} {base_v:.3f} s = {ours_v / base_v:.2f}×"
    )
    ratio = ours / baseline
    metric = f"{SOURCE}, in process: our check / {base}"
    return Row(metric, ours, baseline, "s", "≤ 0.33×", ratio <= 0.33 and same, note)


def k8s_side(side: str) -> dict:
    """In a fresh process: validate the corpus with one engine; seconds (incl. schema compiles) and verdicts."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_block
    from docs_examples.blocks.classify import classify, yaml_documents
    from docs_examples.blocks.model import Kind
    from docs_examples.checks.kubernetes import engine, schemas
    from docs_examples.checks.kubernetes.schema import KubernetesSchema
    from docs_examples.settings import Settings

    cache = ROOT / ".cache" / "bench"
    settings = Settings(root=ROOT, cache_dir=cache, kubernetes_versions=("1.37",), kubeconform="off")
    files = sorted(MANIFESTS.rglob("*.yaml"))
    blocks = []
    for i, path in enumerate(files):
        block = make_block(path.read_text(encoding="utf-8"), kind=Kind.OTHER, language="yaml", index=i)
        block.page = str(path.relative_to(MANIFESTS))
        classify(block)
        blocks.append(block)
    store = schemas.store_for(settings)
    docs = [d for b in blocks for d in yaml_documents(b.text) or [] if isinstance(d, dict) and d.get("kind")]
    for d in docs:  # the standalone layout exists before timing, for both sides
        store.path("1.37", str(d["kind"]), str(d.get("apiVersion", "")))
    if side == "ours":
        check = KubernetesSchema(settings)
        todo = [b for b in blocks if check.applies(b)]
        start = time.perf_counter()
        found = check.check(todo)
        seconds = time.perf_counter() - start
        invalid = sorted(b.page for b in todo if any(_not_valid(f) for f in found.get(b.id, [])))
        validate = _validation_pass(docs, store, lambda doc, path: engine.validate(doc, path))
    else:
        seconds, invalid, validators = _jsonschema_side(blocks, store.folder("1.37", strict=True))
        validate = _validation_pass(docs, store, lambda doc, path: list(validators[path.name].iter_errors(doc)))
    return {"seconds": seconds, "invalid": invalid, "documents": len(docs), "validate_seconds": validate}


def _not_valid(finding: object) -> bool:
    """An error, or a kind with no schema (a custom resource says so as info): what the baseline calls invalid."""
    return finding.severity.value == "error" or finding.rule == "no-schema"  # type: ignore[attr-defined]


def _validation_pass(docs: list, store: object, validate: Callable) -> float:
    """Seconds for one more pass of validation alone (already parsed, validators already built)."""
    pairs = [(d, store.path("1.37", str(d["kind"]), str(d.get("apiVersion", "")))) for d in docs]  # type: ignore[attr-defined]
    pairs = [(d, p) for d, p in pairs if p is not None]
    start = time.perf_counter()
    for doc, path in pairs:
        validate(doc, path)
    return time.perf_counter() - start


def _jsonschema_side(blocks: list, folder: Path) -> tuple[float, list[str], dict]:
    """python-jsonschema, per document, each schema file read and its validator built once (as kubeconform)."""
    import jsonschema
    import yaml

    from docs_examples.blocks.classify import yaml_documents
    from docs_examples.checks.kubernetes.schemas import schema_filename

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    validators: dict[str, object] = {}
    invalid = set()
    start = time.perf_counter()
    for block in blocks:
        try:  # the baseline parses its files itself, with libyaml, as kubeconform does with its own parser
            docs = list(yaml.load_all(block.text, Loader=loader))
        except yaml.YAMLError:  # Go-YAML dialect (a \\' escape, content after "..."): take what kubectl reads
            docs = yaml_documents(block.text) or []
        for doc in docs:
            if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("apiVersion"):
                continue
            name = schema_filename(str(doc["kind"]), str(doc["apiVersion"]))
            if name not in validators:
                path = folder / name
                schema = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
                validators[name] = jsonschema.validators.validator_for(schema)(schema) if schema else None
            validator = validators[name]
            if validator is None or list(validator.iter_errors(doc)):  # type: ignore[attr-defined] # every error, like ours
                invalid.add(block.page)
    return time.perf_counter() - start, sorted(invalid), validators


# -- 4. Kubernetes check, cold run ------------------------------------------------------------------


def corpus_site(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A CLI project with one page per corpus file (its text in one yaml block), only the schema check on.

    Returns the project folder and, per page name as the CLI reports it, the corpus file it holds.
    """
    from docs_examples.checks import REGISTRY

    site = tmp / "k8s-corpus"
    pages = {}
    for path in sorted(MANIFESTS.rglob("*.yaml")):
        rel = path.relative_to(MANIFESTS)
        page = site / "docs" / rel.with_suffix(".md")
        page.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8").rstrip("\n")
        fence = "`" * max(3, 1 + max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0))
        page.write_text(f"# {rel}\n\n{fence}yaml\n{text}\n{fence}\n", encoding="utf-8")
        pages[f"docs/{rel.with_suffix('.md').as_posix()}"] = rel.as_posix()
    others = ", ".join(name for name in REGISTRY if name != "kubernetes-schema")
    (site / "mkdocs.yml").write_text(
        "site_name: k8s corpus\nplugins:\n  - docs-examples:\n"
        f'      kubernetes_versions: ["1.37"]\n      disabled_checks: [{others}]\n',
        encoding="utf-8",
    )
    return site, pages


def _emptied(cache: Path) -> None:
    """The results, page memo and tool versions gone; the generated schema layout kept (kubeconform's too)."""
    for entry in cache.iterdir() if cache.is_dir() else []:
        if entry.name != "schemas":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _failed_pages(report: Path, pages: dict[str, str]) -> list[str]:
    """Corpus files whose block failed or has a kind without schema (a custom resource passes with an info
    finding, where the baseline calls the file invalid), from the CLI's JSON report."""
    data = json.loads(report.read_text(encoding="utf-8"))
    unchecked = {b["file"] for b in data["blocks"] if any(f["rule"] == "no-schema" for f in b["findings"])}
    return sorted(pages[b["file"]] for b in data["blocks"] if b["status"] != "passed" or b["file"] in unchecked)


def k8s_cold(repeat: int, tmp: Path) -> Row:
    """CPU seconds of a cold ``docs-examples check`` on the corpus / of kubeconform (or python-jsonschema)."""
    site, pages = corpus_site(tmp)
    cache = site / ".cache" / "plugin" / "docs-examples"
    report = site / "report.json"
    ours_argv = [str(BIN / "docs-examples"), "check", "-q", "-f", "json", "-o", str(report), "--kubeconform", "off"]
    timed(ours_argv, site)  # generates our standalone schemas (in this user's cache folder; per run in CI)
    files = [str(MANIFESTS / rel) for rel in pages.values()]
    store = _baseline_layout(tmp / "baseline-schemas", files)
    layout = store.folder("1.37", strict=True)
    kubeconform = _real_kubeconform()
    if kubeconform:
        base = "kubeconform -n 2"
        template = str(store.directory) + "/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}"
        base_argv = [kubeconform, "-strict", "-output", "json", "-n", "2", "-kubernetes-version", "1.37.0",
                     "-schema-location", template + "/{{.ResourceKind}}{{.KindSuffix}}.json", *files]  # fmt: skip
    else:
        base = "python-jsonschema process"
        base_argv = [sys.executable, str(HERE / "k8s_baseline.py"), str(layout), *files]
    sides: dict[str, list[str]] = {"ours": ours_argv, "base": base_argv}
    if kubeconform:
        sides["ours+kubeconform"] = [*ours_argv[:-1], kubeconform]
    runs: dict[str, list[Run]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, argv in sides.items():
            _emptied(cache)
            runs[name].append(timed(argv, site if name != "base" else MANIFESTS))
    _emptied(cache)
    timed(ours_argv, site)  # the report of the embedded engine's run gives our verdicts
    ours_invalid = _failed_pages(report, pages)
    base_invalid = _baseline_invalid(base_argv, kubeconform is not None)
    cpu = {name: statistics.median(r.cpu for r in rs) for name, rs in runs.items()}
    wall = {name: statistics.median(r.seconds for r in rs) for name, rs in runs.items()}
    apart = _cut_short(MANIFESTS, pages.values()) if kubeconform else set()
    same = [f for f in ours_invalid if f not in apart] == [f for f in base_invalid if f not in apart]
    note = (
        f"{len(files)} files, Kubernetes 1.37 strict, results cache empty, schema layout in place; "
        f"invalid files: ours {len(ours_invalid)}, {base} {len(base_invalid)}; same verdicts: {'yes' if same else 'NO'}"
    )
    if apart:
        note += (
            f" (files with a `...` line compared apart, {len(apart)}: kubeconform stops reading at it, we read on; "
            f"invalid to ours: {', '.join(sorted(apart & set(ours_invalid))) or 'none'}, "
            f"to kubeconform: {', '.join(sorted(apart & set(base_invalid))) or 'none'})"
        )
    if kubeconform:
        note += f"; CLI with kubeconform: {cpu['ours+kubeconform']:.2f} s CPU, {wall['ours+kubeconform']:.2f} s wall"
    else:
        note += "; kubeconform is not installed (no registry ships it): the goal, under its CPU, is unmeasured"
    _emptied(cache)
    single = [sys.executable, *ours_argv[:-2], "-j", "1", *ours_argv[-2:]]  # one thread, as the baseline
    counted = instructions(single, site), instructions(base_argv, MANIFESTS)
    if counted[0] and counted[1]:
        note += (
            f"; instructions (valgrind): ours {counted[0] / 1e9:.2f} G, {base} {counted[1] / 1e9:.2f} G"
            f" = {counted[0] / counted[1]:.2f}×"
        )
    ratio = cpu["ours"] / cpu["base"]
    return Row(
        f"{SOURCE}, cold run: CLI / {base}",
        cpu["ours"],
        cpu["base"],
        "s CPU",
        "< 1× CPU",
        ratio < 1 and same,
        note,
        ours_wall=wall["ours"],
        baseline_wall=wall["base"],
    )


def _baseline_layout(folder: Path, files: list[str]) -> SchemaStore:
    """The same standalone schemas, generated into ``folder`` before timing, for the baseline to read."""
    from docs_examples.blocks.classify import yaml_documents
    from docs_examples.checks.kubernetes.schemas import SchemaStore

    store = SchemaStore(folder)
    for name in files:
        for doc in yaml_documents(Path(name).read_text(encoding="utf-8")) or []:
            if isinstance(doc, dict) and doc.get("kind") and doc.get("apiVersion"):
                store.path("1.37", str(doc["kind"]), str(doc["apiVersion"]))
    return store


def _real_kubeconform() -> str | None:
    """kubeconform on PATH, unless it is the tests' stand-in (which replays recordings, and cannot be timed)."""
    found = shutil.which("kubeconform")
    if found is None:
        return None
    version = subprocess.run([found, "-v"], capture_output=True, text=True, check=False).stdout
    return None if "STAND-IN" in version else found


def _cut_short(folder: Path, files: Iterable[str]) -> set[str]:
    """``files`` (relative to ``folder``) with a ``...`` line at the margin that we read as an elision: content
    follows it in the same ``---`` section (``placeholders.mask_yaml`` decides, as for every block).

    kubeconform reads ``...`` as YAML's document end and never reads what follows it there (such a file can
    pass on its first lines alone); we check what follows as part of a partial object. Their verdicts compare
    two readings, not two engines: the row compares them apart and names them.
    """
    from docs_examples.blocks.placeholders import mask_yaml

    def read_on(text: str) -> bool:
        return any(s.form == "ellipsis-line" and s.column == 1 and s.text == "..." for s in mask_yaml(text).elisions)

    return {rel for rel in files if read_on((folder / rel).read_text(encoding="utf-8"))}


def _baseline_invalid(argv: list[str], kubeconform: bool) -> list[str]:
    """Corpus files the baseline finds invalid (or cannot validate), relative to the corpus folder."""
    out = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=MANIFESTS)
    data = json.loads(out.stdout)
    if kubeconform:
        bad = ("statusInvalid", "statusError")
        names = {r["filename"] for r in data.get("resources", []) if r.get("status") in bad}
    else:
        names = set(data["invalid"])
    return sorted(Path(n).relative_to(MANIFESTS).as_posix() for n in names)


# -- 5. scale ----------------------------------------------------------------------------------------


def scale(small: Path, large: Path, repeat: int, tmp: Path) -> list[Row]:
    """Cold 5,000 / cold 500 (linear?), peak RSS of the cold 5,000 runs, warm / cold re-check of 5,000.

    The small and large cold runs alternate, so a change in the machine's load hits both. CPU seconds (the
    CLI and every tool process) are given beside wall seconds: on a shared machine they are the steadier
    measure of work.
    """
    cache = large / ".cache"
    small_runs, cold_runs = [], []
    for _ in range(max(1, repeat - 1)):
        small_runs.append(timed(cli(small, "--no-cache"), small))
        shutil.rmtree(cache, ignore_errors=True)
        cold_runs.append(timed(cli(large), large))
    cold_small = statistics.median(r.seconds for r in small_runs)
    cold_large = statistics.median(r.seconds for r in cold_runs)
    cpu_small = statistics.median(r.cpu for r in small_runs)
    cpu_large = statistics.median(r.cpu for r in cold_runs)
    rss_mib = max(r.max_rss_kib for r in cold_runs) / 1024
    warm = statistics.median(timed(cli(large), large).seconds for _ in range(repeat))
    n_small, n_large = _count(small), _count(large)
    growth = cold_large / cold_small
    limit = 10.5 * n_large / n_small / 10
    return [
        Row(
            f"cold {n_large} / cold {n_small} blocks",
            cold_large,
            cold_small,
            "s",
            f"≤ {limit:g}×",
            growth <= limit,
            f"CPU seconds: {cpu_large:.1f} / {cpu_small:.1f} = {cpu_large / cpu_small:.2f}×",
        ),
        Row(
            f"peak RSS, cold {n_large} blocks",
            rss_mib,
            400,
            "MiB",
            "≤ 400 MiB",
            rss_mib <= 400,
            "max ru_maxrss over the CLI and every tool process (wait4 of the CLI)",
        ),
        Row(f"warm / cold re-check, {n_large} blocks", warm, cold_large, "s", "≤ 0.10×", warm / cold_large <= 0.10),
    ]


def _count(site: Path) -> int:
    return int((site / ".blocks").read_text(encoding="utf-8"))


# -- 6. one edit -------------------------------------------------------------------------------------


def one_edit(site: Path, repeat: int) -> Row:
    """As ``mkdocs serve`` does (config reloaded, plugin instance kept): rebuild after one edit / no-op rebuild."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def config():
        return load_config(str(site / "mkdocs.yml"), site_dir=str(site / "site"))

    page = sorted((site / "docs").glob("chapter-*.md"))[0]
    original = page.read_text(encoding="utf-8")
    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["docs-examples"]

    def rebuild(text: str) -> float:
        page.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        build(config(), serve_url=None, dirty=False)
        return time.perf_counter() - start

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the generated site's broken blocks are broken on purpose
    try:
        rebuild(original)  # cold
        rebuild(original)  # warm
        edits = iter(range(1, 10**6))
        edited, unchanged = median_of(
            repeat,
            lambda: rebuild(edit_one_block(original, next(edits))),
            lambda: rebuild(original),
        )
        rebuild(edit_one_block(original, 0))
        summary = plugin.report.summary
    finally:
        page.write_text(original, encoding="utf-8")
        logger.setLevel(level)
    note = (
        f"the last edit re-ran {summary.cache_misses} check runs (bash -n and shellcheck of the edited block), "
        f"{summary.cache_hits} came from the cache; extra time {edited - unchanged:+.2f} s"
    )
    return Row(
        "one edit: serve rebuild after edit / no-op rebuild",
        edited,
        unchanged,
        "s",
        "only that block",
        summary.cache_misses == 2,
        note,
    )


def edit_one_block(text: str, n: int, insert: str | None = None) -> str:
    """``text`` with a line (default: a comment) added to its first bash block, at the block's indentation.

    Every other block of the page keeps its text, so exactly one block changes.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == "set -euo pipefail":
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(i + 1, indent + (insert if insert is not None else f"# edited {n}"))
            return "\n".join(lines)
    raise ValueError("no bash block to edit")


# -- table -------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """nproc, CPU model and date, for the README's performance section."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def table(rows: list[Row]) -> str:
    """The rows as an aligned text table."""
    head = ("metric", "ours", "baseline", "ratio", "target", "result")
    lines = [
        (r.metric, _value(r.ours, r.unit, r.ours_wall), _value(r.baseline, r.unit, r.baseline_wall),
         f"{r.ratio:.3f}×", r.target, "pass" if r.passed else "FAIL")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*line) for line in lines]
    out += [f"  {r.metric}: {r.note}" for r in rows if r.note]
    return "\n".join(out)


def _value(amount: float, unit: str, wall: float | None) -> str:
    """``0.91 s CPU (1.02 s wall)``, or ``0.91 s``."""
    return f"{amount:.2f} {unit}" + (f" ({wall:.2f} s wall)" if wall is not None else "")


def write_json(rows: list[Row], info: dict[str, str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": info, "rows": [{**asdict(r), "ratio": r.ratio} for r in rows]}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def prepare(tmp: Path, blocks: int, seed: int) -> Path:
    """Generate a site of ``blocks`` blocks (its cache lives in its own ``.cache/``)."""
    site = tmp / f"site-{blocks}"
    generate.generate(site, blocks, seed)
    (site / ".blocks").write_text(str(blocks), encoding="utf-8")
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make bench: ratios measured side by side")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (median)")
    parser.add_argument("--naive-repeat", type=int, default=1, help="runs of the (slow) naive checker")
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--only", default="warm,naive,k8s,cold-k8s,scale,edit")
    parser.add_argument("--output", type=Path, default=OUT / "results.json")
    parser.add_argument("--site", type=Path, default=ROOT, help="site for the warm-overhead row (default: this one)")
    parser.add_argument("--k8s-side", help=argparse.SUPPRESS)
    parser.add_argument("--manifests", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.k8s_side:
        global MANIFESTS
        MANIFESTS = args.manifests or CORPUS
        print(json.dumps(k8s_side(args.k8s_side)))
        return 0
    only = set(args.only.split(","))
    # Bytecode for the project's own modules, as an installed wheel has it: an editable install has none, and
    # where PYTHONDONTWRITEBYTECODE is set every run would compile them again (~0.1 s that no user pays),
    # while the baselines' libraries in site-packages were compiled by pip.
    compileall.compile_dir(ROOT / "plugins", quiet=1)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="docs-examples-bench-") as folder:
        tmp = Path(folder)
        use_manifests(tmp)
        small = prepare(tmp, args.small, args.seed)
        steps: list[tuple[str, Callable[[], list[Row]]]] = [
            ("warm", lambda: [warm_overhead(args.site.resolve(), args.repeat, tmp)]),
            ("naive", lambda: [cold_vs_naive(small, args.repeat, args.naive_repeat)]),
            ("k8s", lambda: [k8s_engine(args.repeat)]),
            ("cold-k8s", lambda: [k8s_cold(args.repeat, tmp)]),
            ("scale", lambda: scale(small, prepare(tmp, args.large, args.seed), args.repeat, tmp)),
            ("edit", lambda: [one_edit(small, args.repeat)]),
        ]
        for name, step in steps:
            if name in only:
                print(f"bench: {name} …", file=sys.stderr, flush=True)
                rows.extend(step())
    info = machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}, {info['date']}")
    print(table(rows))
    write_json(rows, info, args.output)
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
