"""``python -m docs_examples`` is the same as the ``docs-examples`` console script."""

from docs_examples.cli import run

run()
