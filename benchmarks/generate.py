"""Synthetic documentation sets for the benchmark: a MkDocs site of N mixed code blocks, reproducible by seed.

Each page holds about :data:`BLOCKS_PER_PAGE` blocks of every kind the pipeline checks — Dockerfile, shell,
console, Kubernetes (multi-document), Kubernetes fragment, Compose, GitHub Actions workflow — at the top
level, inside content tabs and inside admonitions. About one block in :data:`BROKEN_EVERY` is broken on
purpose, so the tools report findings as they would on a real site. Every block text is unique (a serial
number sits in a comment, a name or an image tag) so no two blocks share a cache entry.

Usage::

    python benchmarks/generate.py OUT_DIR --blocks 500 [--seed 6]
"""

from __future__ import annotations

import argparse
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BLOCKS_PER_PAGE = 25
BROKEN_EVERY = 10  # about one block in ten is broken on purpose
KUBERNETES_VERSION = "1.37"

# Relative weights of the kinds: roughly the mix of a DevOps guide (more shell and manifests than Compose).
WEIGHTS = {
    "dockerfile": 14,
    "shell": 18,
    "console": 14,
    "kubernetes": 22,
    "fragment": 12,
    "compose": 10,
    "workflow": 10,
}

MKDOCS_YML = """\
site_name: Synthetic benchmark site
docs_dir: docs
site_dir: site
theme:
  name: material
plugins:
  - docs-examples:
      kubernetes_versions: ["{version}"]
      decorate: true
      downloads: false
      archives: {{}}
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


@dataclass(frozen=True, slots=True)
class Example:
    """One generated block: its fence language, optional title, and text."""

    language: str
    text: str
    title: str | None = None
    broken: bool = False


# -- block makers: (serial, broken) → Example ---------------------------------------------------------


def dockerfile(n: int, broken: bool) -> Example:
    """A small multi-stage Dockerfile; the broken variant uses ``latest`` and a misspelt instruction."""
    tag = "latest" if broken else f"3.12.{n % 10}-slim"
    copy = "COPPY" if broken and n % 2 else "COPY"
    text = f"""\
        # example {n}
        FROM python:{tag} AS build
        WORKDIR /src
        {copy} requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        FROM python:3.12.{n % 10}-slim
        COPY --from=build /usr/local /usr/local
        USER 10001
        CMD ["python", "-m", "app{n}"]"""
    return Example("dockerfile", textwrap.dedent(text), title="Dockerfile", broken=broken)


def shell(n: int, broken: bool) -> Example:
    """A bash script; broken: ``local`` outside a function (SC2168) or an unterminated ``if``."""
    if broken and n % 2:
        body = f'if [ -f "/etc/app{n}" ]; then\n  echo found'
    elif broken:
        body = f'local target=/srv/app{n}\nrm -rf "$target/cache"'
    else:
        body = f'target="/srv/app{n}"\nif [ -d "$target" ]; then\n  echo "cleaning $target"\nfi'
    return Example("bash", f"#!/usr/bin/env bash\nset -euo pipefail\n# example {n}\n{body}", broken=broken)


def console(n: int, broken: bool) -> Example:
    """Prompted commands with output lines; broken: a command with an unclosed quote."""
    quote = "" if broken else '"'
    text = f"""\
        $ kubectl get pods -l app=web{n}
        NAME          READY   STATUS
        web{n}-abc    1/1     Running
        $ echo "deployed {n}{quote}
        deployed {n}"""
    return Example("console", textwrap.dedent(text), broken=broken)


def kubernetes(n: int, broken: bool) -> Example:
    """A Deployment and its Service in one block; broken: an unknown field (``replicaz``)."""
    replicas = "replicaz" if broken else "replicas"
    text = f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web{n}
          labels:
            app: web{n}
        spec:
          {replicas}: {1 + n % 3}
          selector:
            matchLabels:
              app: web{n}
          template:
            metadata:
              labels:
                app: web{n}
            spec:
              containers:
                - name: web
                  image: nginx:1.27.{n % 10}
                  ports:
                    - name: http
                      containerPort: 8080
                  resources:
                    requests:
                      cpu: 100m
                      memory: 64Mi
                    limits:
                      cpu: 200m
                      memory: 128Mi
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web{n}
        spec:
          selector:
            app: web{n}
          ports:
            - port: 80
              targetPort: http"""
    return Example("yaml", textwrap.dedent(text), broken=broken)


def fragment(n: int, broken: bool) -> Example:
    """A Container fragment; broken: ``containerPort`` given as a word."""
    port = "http" if broken else str(8000 + n % 1000)
    text = f"""\
        name: sidecar{n}
        image: busybox:1.36.{n % 10}
        ports:
          - containerPort: {port}
        livenessProbe:
          httpGet:
            path: /health
            port: {port}"""
    return Example("yaml", textwrap.dedent(text), broken=broken)


def compose(n: int, broken: bool) -> Example:
    """A two-service Compose file; broken: ``depends_on`` names a service that does not exist."""
    needs = "databse" if broken else "db"
    text = f"""\
        services:
          web{n}:
            image: nginx:1.27.{n % 10}
            ports:
              - "{8000 + n % 1000}:80"
            depends_on:
              - {needs}
          db:
            image: postgres:18
            environment:
              POSTGRES_PASSWORD: ${{DB_PASSWORD:-example}}"""
    return Example("yaml", textwrap.dedent(text), title="compose.yaml", broken=broken)


def workflow(n: int, broken: bool) -> Example:
    """A GitHub Actions workflow; broken: an unknown ``runs-on`` key spelling."""
    runs_on = "runs_on" if broken else "runs-on"
    text = f"""\
        name: ci {n}
        on:
          push:
            branches: [main]
        jobs:
          test:
            {runs_on}: ubuntu-24.04
            steps:
              - uses: actions/checkout@v4
              - run: echo "job {n}\""""
    return Example("yaml", textwrap.dedent(text), broken=broken)


MAKERS: dict[str, Callable[[int, bool], Example]] = {
    "dockerfile": dockerfile,
    "shell": shell,
    "console": console,
    "kubernetes": kubernetes,
    "fragment": fragment,
    "compose": compose,
    "workflow": workflow,
}


# -- page layout -------------------------------------------------------------------------------------


def fence(example: Example, indent: str = "") -> str:
    """The Markdown of one fenced block, indented for a tab or admonition body."""
    header = f"```{example.language}"
    if example.title:
        header = f'``` {{ .{example.language} title="{example.title}" }}'
    lines = [header, *example.text.split("\n"), "```"]
    return "\n".join(indent + line if line else line for line in lines)


def wrap(examples: list[Example], rng: random.Random, n: int) -> str:
    """Place one or two blocks at the top level, in content tabs, or in an admonition."""
    where = rng.choice(("top", "tabs", "admonition"))
    if where == "tabs" or (where == "admonition" and len(examples) > 1):
        parts = []
        for i, ex in enumerate(examples):
            parts.append(f'=== "Variant {n}.{i}"\n\n{fence(ex, "    ")}\n')
        return "\n".join(parts)
    if where == "admonition":
        return f'!!! example "Example {n}"\n\n{fence(examples[0], "    ")}\n'
    return "\n\n".join(fence(ex) for ex in examples) + "\n"


def page(number: int, examples: list[Example], rng: random.Random) -> str:
    """One Markdown page holding ``examples``, grouped under headings."""
    out = [f"# Chapter {number}\n", f"Synthetic page {number} for the benchmark.\n"]
    i = 0
    while i < len(examples):
        take = min(rng.choice((1, 1, 2)), len(examples) - i)
        out.append(f"## Section {number}.{i}\n")
        out.append("Some prose before the example.\n")
        out.append(wrap(examples[i : i + take], rng, i))
        i += take
    return "\n".join(out)


def examples(count: int, seed: int) -> list[Example]:
    """``count`` examples drawn from :data:`WEIGHTS`, about one in :data:`BROKEN_EVERY` broken."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    out = []
    for n in range(count):
        kind = rng.choices(kinds, weights)[0]
        out.append(MAKERS[kind](n, rng.randrange(BROKEN_EVERY) == 0))
    return out


def generate(target: Path, blocks: int, seed: int = 6, per_page: int = BLOCKS_PER_PAGE) -> list[Path]:
    """Write ``mkdocs.yml`` and ``docs/*.md`` with ``blocks`` code blocks under ``target``; return the pages."""
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible test data, not secrets
    all_examples = examples(blocks, seed)
    docs = target / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (target / "mkdocs.yml").write_text(MKDOCS_YML.format(version=KUBERNETES_VERSION), encoding="utf-8")
    pages = []
    index = ["# Synthetic site\n"]
    for number, start in enumerate(range(0, blocks, per_page), 1):
        path = docs / f"chapter-{number:04d}.md"
        path.write_text(page(number, all_examples[start : start + per_page], rng), encoding="utf-8")
        pages.append(path)
        index.append(f"- [Chapter {number}](chapter-{number:04d}.md)")
    (docs / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return pages


def main() -> None:
    """Command line: ``generate.py OUT_DIR --blocks N --seed S``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    pages = generate(args.target, args.blocks, args.seed)
    print(f"{args.blocks} blocks on {len(pages)} pages under {args.target}")


if __name__ == "__main__":
    main()
