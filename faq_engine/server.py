"""The production server: gunicorn running the app in worker processes."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, overrides: dict[str, Any] | None, options: dict[str, Any]) -> None:
        self.overrides = overrides
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from . import create_app

        return create_app(self.overrides)


def run(overrides: dict[str, Any] | None, bind: str, workers: int, timeout: int) -> int:
    # Build the indexes once before forking, so workers only open them.
    from .config import load_settings, resolve_paths
    from .engine import engine_from_settings

    engine_from_settings(resolve_paths(load_settings(overrides)))
    _Gunicorn(
        overrides, {"bind": bind, "workers": workers, "timeout": timeout, "accesslog": "-"}
    ).run()
    return 0
