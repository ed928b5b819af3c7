"""Unit tests of myapp (standard library unittest: `python -m unittest discover`)."""
