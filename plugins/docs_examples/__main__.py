"""``python -m docs_examples`` is the same as the ``docs-examples`` console script."""

import sys

from docs_examples.cli import main

sys.exit(main())
