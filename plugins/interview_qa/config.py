"""Typed options of the ``interview`` MkDocs plugin.

::

    plugins:
      - interview:
          folder: interview
          csv: true
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class InterviewConfig(base.Config):
    """Options of the interview plugin."""

    enabled = c.Type(bool, default=True)
    """Collect talking points and generate the interview section. ``enabled: true``"""

    folder = c.Type(str, default="interview")
    """Folder of the generated pages under the docs folder. ``folder: interview``"""

    csv = c.Type(bool, default=True)
    """Publish every question as ``<folder>/questions.csv`` for flashcard apps. ``csv: true``"""
