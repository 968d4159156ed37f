"""faq-engine: a context-aware self-service FAQ engine for online shops."""

from .web.app import create_app

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]
