"""File names for extracted blocks and downloads: readable, unique, and never outside the output folder."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from conftest import make_block
from docs_examples.blocks.model import Kind
from docs_examples.naming import file_names, page_folder


@pytest.mark.parametrize(
    ("title", "kind", "expected"),
    [
        ("deployment.yaml", Kind.KUBERNETES, "deployment.yaml"),
        ("deployment.yaml (anti-pattern)", Kind.KUBERNETES, "deployment-anti-pattern.yaml"),
        ("Dockerfile", Kind.DOCKERFILE, "Dockerfile"),
        ("Dockerfile (anti-pattern)", Kind.DOCKERFILE, "Dockerfile-anti-pattern"),
        ("server.py (routes)", Kind.PYTHON, "server-routes.py"),
        ("resources (fragment of a Container)", Kind.KUBERNETES_FRAGMENT, "resources-fragment-of-a-container.yaml"),
        (".dockerignore", Kind.DOCKERIGNORE, ".dockerignore"),
        ("snippets/app/compose.yaml", Kind.COMPOSE, "compose.yaml"),
        ("v1.2 notes", Kind.TEXT, "v1-2-notes.txt"),
        ("../../x", Kind.YAML, "x.yaml"),
        ("..", Kind.YAML, "block.yaml"),
        ('<script>alert("x")</script>.yaml', Kind.YAML, "script.yaml"),
    ],
)
def test_title_to_file_name(title: str, kind: Kind, expected: str) -> None:
    block = make_block("x: 1", kind=kind, title=title, page="docs/guide/x.md")
    assert file_names([block])[block.id] == PurePosixPath("guide/x") / expected


def test_untitled_blocks_are_named_from_their_tabs_and_kind() -> None:
    block = make_block("FROM a", kind=Kind.DOCKERFILE, page="docs/a.md")
    block.tabs = ("Dockerfile Basics",)
    shell = make_block("ls", kind=Kind.SHELL, page="docs/a.md", index=1)
    shell.heading = "Docker Commands"
    names = file_names([block, shell])
    assert names[block.id].name == "dockerfile-basics.Dockerfile"
    assert names[shell.id].name == "docker-commands.sh"


def test_names_are_unique_within_a_page() -> None:
    blocks = [make_block("a: 1", kind=Kind.YAML, title="pod.yaml", index=i) for i in range(3)]
    assert [p.name for p in file_names(blocks).values()] == ["pod.yaml", "pod-2.yaml", "pod-3.yaml"]


@pytest.mark.parametrize("page", ["docs/../../etc/passwd.md", "/abs/docs/x.md", "docs/./a/../b.md"])
def test_page_folders_never_climb(page: str) -> None:
    folder = page_folder(page)
    assert ".." not in folder.parts and not folder.is_absolute()
