"""The MkDocs plugin's config class, generated from the option declarations in ``settings.py``.

Options are declared once (``settings.Settings``: defaults, checks, groups and docs). Here MkDocs validates
each one with the declared check while it reads ``mkdocs.yml``, so a bad value is a configuration error
that names the option and the accepted values, as the CLI's is; the plugin then builds its Settings from
the validated values without checking them again. A name MkDocs does not know gets its "Unrecognised
configuration name" warning, which ``--strict`` turns into a failure.
"""

from __future__ import annotations

import copy
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from docs_examples import settings


class _Declared(base.BaseConfigOption[Any]):
    """One declared option: its default, checked by the declaration's own function."""

    def __init__(self, name: str, default: Any) -> None:
        super().__init__()
        self.name = name
        self.default = default
        self.__doc__ = settings.declarations()[name].doc

    def run_validation(self, value: object) -> object:
        try:
            return settings.parse_option(self.name, value)
        except settings.ConfigError as exc:
            raise base.ValidationError(str(exc)) from None


def _schema() -> dict[str, base.BaseConfigOption[Any]]:
    options: dict[str, base.BaseConfigOption[Any]] = {
        name: _Declared(name, copy.deepcopy(default)) for name, default in settings.defaults().items()
    }
    # The old nested form; `from_options` maps it onto kubernetes_versions / kubeconform / schemas_dir.
    options["kubernetes"] = c.Optional(c.Type(dict))
    return options


class ExamplesConfig(base.Config):
    """Options of the examples plugin: see ``settings.Settings`` for each one's documentation."""

    # The declared options become class attributes here, where MkDocs' Config collects its schema.
    vars().update(_schema())
