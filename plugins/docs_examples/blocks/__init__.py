"""Extraction: Markdown text → :class:`Block` records. This step knows only syntax."""

from docs_examples.blocks.model import Block, Kind, Origin

__all__ = ["Block", "Kind", "Origin"]
