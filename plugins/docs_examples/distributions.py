"""Versions of installed Python distributions, read from the names of their ``.dist-info`` folders.

Cache keys and status lines name the versions of the libraries checks use (PyYAML, jsonschema-rs,
kubernetes-validate …). :mod:`importlib.metadata` answers by importing the ``email`` package and parsing
each ``METADATA`` file: about 30 ms of a cold ``docs-examples check`` that lasts a few hundred. An installer
names a distribution's folder ``<name>-<version>.dist-info`` (the wheel format's naming, with ``-`` in either
part escaped as ``_``), so one listing of each ``sys.path`` folder gives every version. Anything that folder
names do not answer (an ``.egg-info``, say) is asked of :mod:`importlib.metadata`, as before.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache

_SEPARATORS = re.compile(r"[-_.]+")


def version(name: str) -> str | None:
    """The installed version of distribution ``name`` (``"PyYAML"``, ``"jsonschema-rs"``); None when absent.

    The first folder of ``sys.path`` that has it wins, as for :func:`importlib.metadata.version`.
    """
    found = _installed().get(_normalized(name))
    if found is not None:
        return found
    from importlib import metadata  # only for what no .dist-info folder name answers

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _normalized(name: str) -> str:
    return _SEPARATORS.sub("_", name).lower()


@cache
def _installed() -> dict[str, str]:
    """Normalised distribution name → version, from the ``.dist-info`` folders of every ``sys.path`` entry."""
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:  # names only: no Path object per entry
                names = [e.name for e in entries if e.name.endswith(".dist-info")]
        except OSError:  # a zip file, or a folder that went away
            continue
        for entry in names:
            dist, sep, ver = entry[: -len(".dist-info")].partition("-")
            if sep and ver and "-" not in ver:
                versions.setdefault(_normalized(dist), ver)
    return versions
