"""Articles: load, validate, render."""

from .loader import ContentSet, content_files, load_content

__all__ = ["ContentSet", "content_files", "load_content"]
