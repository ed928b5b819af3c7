#!/usr/bin/env python3
"""STAND-IN for kubeconform v0.7.0: it validates nothing, it replays what the real binary printed.

kubeconform ships in no registry this project reaches. ``../shared/corpus/kubeconform-v0.7.0/`` holds ten
manifests (``in/``) and what the real kubeconform v0.7.0 printed for each (``out/``). This script answers
a kubeconform command line with those recorded entries, unchanged but for ``filename`` (kubeconform prints
the path it was given), so that code reading kubeconform's output can be tested on its real output:

- every resource of every file given (each document; each item of a ``kind: List``, as kubeconform
  expands it) is looked up by its data among the recorded resources, and the entries the real binary
  printed for that resource are printed (none for a resource it found valid);
- a resource that was never recorded, a Kubernetes version or an option the recordings were not made with
  is refused: exit 2 and a message on stderr, never a guess;
- the exit status is kubeconform's: 1 when an entry is printed, else 0.

Run with one recorded file in ``in/`` as its current folder, it prints that file's recording byte for byte
(tests/test_kubeconform.py proves it). Put it on PATH as ``kubeconform`` with :func:`install`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "kubeconform-v0.7.0"
VERSION = "v0.7.0 STAND-IN replaying recorded output"
KUBERNETES_VERSION = "1.37.0"  # the recordings' -kubernetes-version
LAYOUT = "{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json"


class Refused(Exception):
    """A command line or an input this stand-in has no recording for."""


def install(folder: Path) -> Path:
    """``folder/kubeconform``, a link to this stand-in, for putting ``folder`` on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "kubeconform"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(__file__).resolve())
    return link


def documents(text: str) -> list[Any]:
    """The YAML documents of one file (JSON is YAML), empty ones left out as kubeconform does."""
    import yaml

    return [d for d in yaml.safe_load_all(text) if d is not None]


def resources(doc: Any) -> list[Any]:
    """What kubeconform validates in one document: the items of a ``kind: List``, else the document."""
    if isinstance(doc, dict) and str(doc.get("kind", "")).lower() == "list" and isinstance(doc.get("items"), list):
        return list(doc["items"])
    return [doc]


def key(resource: Any) -> str:
    return json.dumps(resource, sort_keys=True)


def signature(resource: Any) -> tuple[str, str, str]:
    """``(kind, version, name)`` as the recorded entries name a resource."""
    meta = resource.get("metadata") or {} if isinstance(resource, dict) else {}
    name = meta.get("generateName", "") + "{{ generateName }}" if meta.get("generateName") else meta.get("name", "")
    return (str(resource.get("kind", "")), str(resource.get("apiVersion", "")), str(name))


def recordings(folder: Path = RECORDED) -> dict[str, list[dict[str, Any]]]:
    """Per recorded resource (by its data): the entries the real kubeconform printed for it, in order."""
    if not (folder / "in").is_dir():
        raise Refused(f"no recordings at {folder}")
    table: dict[str, list[dict[str, Any]]] = {}
    for source in sorted((folder / "in").glob("*.yaml")):
        found = [r for d in documents(source.read_text(encoding="utf-8")) for r in resources(d)]
        printed = json.loads((folder / "out" / f"{source.stem}.json").read_text(encoding="utf-8"))["resources"]
        owner: list[list[dict[str, Any]]] = [[] for _ in found]
        for entry in printed:  # each entry belongs to the first resource of its file with its kind, version, name
            wanted = (entry["kind"], entry["version"], entry["name"])
            i = next(i for i, r in enumerate(found) if signature(r) == wanted and not owner[i])
            owner[i].append(entry)
        for resource, entries in zip(found, owner, strict=True):
            table[key(resource)] = entries
    return table


def parse_args(argv: list[str]) -> list[str]:
    """The files of a command line the recordings were made with; :class:`Refused` for any other."""
    files, flags, locations = [], set(), []
    args = iter(argv)
    for arg in args:
        if arg in ("-strict",):
            flags.add(arg)
        elif arg in ("-output", "-n", "-kubernetes-version", "-schema-location"):
            value = next(args, None)
            if value is None:
                raise Refused(f"{arg} needs a value")
            if arg == "-output" and value != "json":
                raise Refused(f"recorded with -output json, not {value}")
            if arg == "-kubernetes-version" and value != KUBERNETES_VERSION:
                raise Refused(f"recorded with -kubernetes-version {KUBERNETES_VERSION}, not {value}")
            if arg == "-schema-location":
                locations.append(value)
            flags.add(arg)
        elif arg.startswith("-"):
            raise Refused(f"no recording made with {arg}")
        else:
            files.append(arg)
    missing = {"-strict", "-output", "-kubernetes-version"} - flags
    if missing:
        raise Refused(f"recorded with {', '.join(sorted(missing))}")
    if not locations or not locations[0].endswith(LAYOUT):
        raise Refused(f"recorded with the standalone strict schemas ({LAYOUT})")
    return files


def replay(files: list[str], table: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The recorded entries for every resource of ``files``, each naming the file as given."""
    out = []
    for name in files:
        for doc in documents(Path(name).read_text(encoding="utf-8")):
            for resource in resources(doc):
                entries = table.get(key(resource))
                if entries is None:
                    kind, version, res = signature(resource) if isinstance(resource, dict) else ("?", "?", "?")
                    raise Refused(f"{name}: {version} {kind} {res!r} was never recorded")
                out += [{**entry, "filename": name} for entry in entries]
    return out


def main(argv: list[str]) -> int:
    if argv == ["-v"]:
        print(VERSION)
        return 0
    try:
        entries = replay(parse_args(argv), recordings())
    except Refused as exc:
        print(f"kubeconform STAND-IN: {exc}; it only replays {RECORDED}", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps({"resources": entries}, indent=2, ensure_ascii=False) + "\n")
    return 1 if entries else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
