"""faq-engine: a context-aware self-service FAQ engine for online shops."""

__version__ = "0.1.0"

from .web.app import create_app  # noqa: E402 - the web layer reads __version__

__all__ = ["__version__", "create_app"]
