"""Proven examples: extract every fenced block of a documentation site, check it with the real tool for
its kind, and report every finding at its Markdown line.

The pipeline, one folder per step::

    Markdown page → blocks/ → checks/ → findings.py → reports/ and site/

``plugin.py`` (MkDocs) and ``cli.py`` are thin adapters over :mod:`docs_examples.pipeline`.
"""

__version__ = "0.1.0"
