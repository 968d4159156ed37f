"""Flask lives here only: one blueprint per audience."""

from .app import create_app

__all__ = ["create_app"]
