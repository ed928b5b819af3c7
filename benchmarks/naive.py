"""The naive checker the benchmark compares against: what a team would script without this project.

It uses our extractor (so both sides check exactly the same blocks) and then, block after block, starts one
tool process per block and per tool, sequentially, as a straightforward loop would:

- Dockerfile → ``hadolint`` (JSON);
- shell and console → ``bash -n`` and ``shellcheck`` (console blocks as their prompted commands);
- Compose → ``docker-compose config --quiet`` in an empty project folder;
- GitHub Actions workflow → ``actionlint``;
- Kubernetes manifest → one ``python naive.py --k8s FILE`` process per block: PyYAML (libyaml) and
  jsonschema-rs against the same standalone strict schemas our engine uses. kubeconform would be the usual
  per-file tool, but no registry here ships it; this process imports nothing but yaml, json and
  jsonschema_rs, so its start-up is as close to a small Go binary's as Python gets.

Fragments (YAML without apiVersion/kind) are not validated by the naive checker: a plain script would not
know what type they are. That leaves the naive side less work, never more. Every process goes through
``checks.runner.run`` (argv list, scrubbed environment, timeout, temporary folder), like ours.
"""

from __future__ import annotations

import sys
from pathlib import Path


def schema_name(kind: str, api: str) -> str:
    """kubeconform's file name for a kind: ``deployment-apps-v1.json`` for ``apps/v1`` Deployment."""
    group, _, version = api.rpartition("/")
    return "-".join([kind.lower(), *([group.split(".")[0].lower()] if group else []), version.lower()]) + ".json"


def validate_manifest(path: str, schema_folder: str) -> int:
    """``--k8s`` mode: validate every document of one YAML file; print errors; exit 1 when any is invalid."""
    import json

    import jsonschema_rs
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    bad = 0
    with open(path, encoding="utf-8") as fh:  # noqa: PTH123 - the lightest import is the point here
        docs = [d for d in yaml.load_all(fh, Loader=loader) if isinstance(d, dict)]
    for doc in docs:
        api, kind = str(doc.get("apiVersion", "")), str(doc.get("kind", ""))
        schema_file = f"{schema_folder}/{schema_name(kind, api)}"
        try:
            with open(schema_file, encoding="utf-8") as fh:  # noqa: PTH123
                schema = json.load(fh)
        except OSError:
            print(f"{path}: no schema for {kind} {api}")
            bad += 1
            continue
        for error in jsonschema_rs.validator_for(schema).iter_errors(doc):
            print(f"{path}: {kind}: {error.message}")
            bad += 1
    return 1 if bad else 0


def check(site: Path, version: str = "1.37", timeout: float = 120) -> dict[str, int]:
    """Run the naive checker over the site's ``docs/``; counts of blocks run, processes started, blocks failed."""
    import tempfile

    from docs_examples.blocks import console
    from docs_examples.blocks.model import Kind
    from docs_examples.checks import runner
    from docs_examples.checks.kubernetes import schemas
    from docs_examples.cli import find_pages
    from docs_examples.pipeline import Pipeline
    from docs_examples.settings import from_mkdocs_yml

    settings = from_mkdocs_yml(site / "mkdocs.yml")
    settings.cache_dir = None
    extractor = Pipeline(settings, only=[])
    blocks = [b for page in find_pages([str(site / "docs")], settings) for b in extractor.extract(page).blocks]
    store = schemas.store_for(settings)
    folder = prepare_schemas(blocks, store, version)
    counts = {"blocks": 0, "processes": 0, "failed": 0}
    with tempfile.TemporaryDirectory(prefix="naive-") as tmp:
        for n, block in enumerate(blocks):
            commands = _commands(block, Path(tmp), n, folder, console, Kind)
            if not commands:
                continue
            counts["blocks"] += 1
            failed = False
            for argv, cwd in commands:
                done = runner.run(argv, timeout=timeout, cwd=cwd)
                counts["processes"] += 1
                failed |= _failed(argv, done)
            counts["failed"] += failed
    return counts


def prepare_schemas(blocks: list, store: object, version: str) -> str:
    """Generate the standalone schemas the blocks need before timing starts (our engine caches them too)."""
    from docs_examples.blocks.classify import yaml_documents
    from docs_examples.blocks.model import Kind

    for block in blocks:
        if block.kind is Kind.KUBERNETES:
            for doc in yaml_documents(block.text) or []:
                if isinstance(doc, dict) and doc.get("kind") and doc.get("apiVersion"):
                    store.path(version, str(doc["kind"]), str(doc["apiVersion"]))  # type: ignore[attr-defined]
    return str(store.folder(version, strict=True))  # type: ignore[attr-defined]


def _commands(block, tmp: Path, n: int, folder: str, console, Kind) -> list[tuple[list[str], Path]]:
    """The argv lists (and working folder) that check one block, naive style."""
    from docs_examples.checks import runner

    bin_ = runner.VENV_BIN
    if block.kind is Kind.DOCKERFILE:
        path = _write(tmp / f"{n}.Dockerfile", block.text)
        return [([str(bin_ / "hadolint"), "--no-fail", "-f", "json", str(path)], tmp)]
    if block.kind in {Kind.SHELL, Kind.CONSOLE} and console.checkable(block):
        path = _write(tmp / f"{n}.sh", console.script(block)[0])
        shellcheck = [str(bin_ / "shellcheck"), "-f", "json1", "--norc", str(path)]
        return [(["bash", "-n", str(path)], tmp), (shellcheck, tmp)]
    if block.kind is Kind.COMPOSE:
        path = _write(tmp / f"{n}-compose.yaml", block.text)
        project = tmp / f"project-{n}"
        project.mkdir(exist_ok=True)
        argv = [str(bin_ / "docker-compose"), "--project-directory", str(project), "-f", str(path), "config", "-q"]
        return [(argv, project)]
    if block.kind is Kind.WORKFLOW:
        path = _write(tmp / f"{n}.yaml", block.text)
        return [([str(bin_ / "actionlint"), "-no-color", str(path)], tmp)]
    if block.kind is Kind.KUBERNETES:
        path = _write(tmp / f"{n}.yaml", block.text)
        return [([sys.executable, str(Path(__file__).resolve()), "--k8s", str(path), folder], tmp)]
    return []


def _write(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _failed(argv: list[str], done: object) -> bool:
    """Whether one tool's answer fails the block (hadolint exits 0 with --no-fail: read its JSON)."""
    if "hadolint" in Path(argv[0]).name:
        return '"level":"error"' in done.stdout or '"level":"warning"' in done.stdout  # type: ignore[attr-defined]
    return done.returncode != 0  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    """``naive.py SITE`` runs the naive checker; ``naive.py --k8s FILE SCHEMA_FOLDER`` is its per-block step."""
    if argv[:1] == ["--k8s"]:
        return validate_manifest(argv[1], argv[2])
    counts = check(Path(argv[0]))
    print(counts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
