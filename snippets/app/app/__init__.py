"""myapp: a small standard-library HTTP service used by every example in the guide."""

__version__ = "1.4.2"
