"""Fragment guesses read a type's properties from its own bundled file, not the 1.8 MB definitions file.

The shortcut is only right if both sources name the same properties: checked for every well-known type on
every bundled Kubernetes version, so a kubernetes-validate upgrade that breaks it fails here.
"""

from __future__ import annotations

import pytest

from docs_examples.checks.kubernetes import fragments, schemas


@pytest.mark.parametrize("version", schemas.bundled_versions())
def test_own_files_name_the_same_properties_as_the_definitions(version: str) -> None:
    definitions = schemas.definitions(version, True)
    for short, definition in fragments.WELL_KNOWN.items():
        expected = frozenset((definitions.get(definition) or {}).get("properties") or {})
        own = fragments._own_file(definition, version)
        assert own is not None, f"{short}: no per-type file on {version}"
        assert own == expected, f"{short} on {version}"
        assert fragments._properties(definition, version) == expected


def test_a_definition_without_its_own_file_falls_back_to_the_definitions() -> None:
    version = schemas.bundled_versions()[-1]
    name = "io.k8s.api.core.v1.KeyToPath"  # core/v1 but not well known: read from its own file too
    assert fragments._properties(name, version) == frozenset(
        schemas.definitions(version, True)[name].get("properties") or {}
    )
    odd = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"  # no table entry
    assert fragments._own_file(odd, version) is None
    assert fragments._properties(odd, version) == frozenset(
        schemas.definitions(version, True)[odd].get("properties") or {}
    )


def test_guess_is_unchanged_for_typical_fragments() -> None:
    assert fragments.guess({"image", "name", "ports"}).name == "Container"
    assert fragments.guess({"containers", "volumes"}).name == "PodSpec"
    assert fragments.guess({"requests", "limits"}).name == "ResourceRequirements"
    assert fragments.guess({"replicas", "selector", "template"}).name == "DeploymentSpec"
    assert fragments.guess({"colour", "flavour"}) is None
