"""Rate limits (Flask-Limiter): the public API, feedback, and signing in to the workspace.

Limits count per client address (behind a load balancer, set ``FAQ_TRUSTED_PROXIES`` so
the address is the shopper's). Failed sign-ins also count per account, so guessing one
account's password from many addresses is throttled too. Counts live where
``FAQ_RATE_LIMIT_STORAGE`` says: ``memory://`` counts in each worker process alone;
``redis://`` shares them between workers and machines.

Flask-Limiter works out a request's limits afresh on every request (decorators, blueprint
limits, exemptions), which cost 0.14 ms of the 0.47 ms an answer took. So routes without a
limit of their own skip it, and the API's one shared count is taken by
Flask-Limiter's own strategy and storage before each API request.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage

API_SCOPE = "api"


class Limited(Exception):
    """A client went past a limit; ``seconds`` until it may try again."""

    def __init__(self, description: str, seconds: int) -> None:
        super().__init__(description)
        self.description = description
        self.seconds = seconds


class WorkerCounts(MemoryStorage):
    """limits' in-process storage, sweeping expired counts once a second, not every 10 ms.

    A count past its window is already ignored when read (``get`` drops it); the sweep only
    frees memory. limits' own 10-ms timer starts a new thread up to a hundred times a second
    in every worker, and each start takes the interpreter from the request being served.
    ``FAQ_RATE_LIMIT_STORAGE=memory://`` means this storage.
    """

    STORAGE_SCHEME = ["faq-memory"]
    SWEEP_SECONDS = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - limits' private hook
        if not self.timer.is_alive():
            sweep = self._MemoryStorage__expire_events  # type: ignore[attr-defined]
            self.timer = threading.Timer(self.SWEEP_SECONDS, sweep)
            self.timer.daemon = True
            self.timer.start()


class RouteLimiter(Limiter):
    """Flask-Limiter, consulted only for the routes given a limit of their own."""

    def __init__(self, **options: Any) -> None:
        self.limited: set[str] = set()
        super().__init__(**options)

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if request.endpoint in self.limited:
            super()._check_request_limit(callable_name, in_middleware)

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        # Its after-request hook (deductions, headers) and teardown (its per-request state)
        # have nothing to do for the other routes either.
        for hooks in (app.after_request_funcs[None], app.teardown_request_funcs[None]):
            if hooks and _is_limiters(hooks[-1]):
                hooks[-1] = self._limited_only(hooks[-1])

    def _limited_only(self, hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def run(value: Any) -> Any:
            return hook(value) if request.endpoint in self.limited else value

        return run


def _is_limiters(hook: Any) -> bool:
    function = getattr(hook, "func", None) or getattr(hook, "__func__", None)
    return getattr(function, "__module__", "").startswith("flask_limiter")


def register(app: Flask, api: Blueprint) -> Limiter:
    settings = app.config
    limiter = RouteLimiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=_storage_uri(str(settings["FAQ_RATE_LIMIT_STORAGE"])),
        strategy="fixed-window",
    )
    if settings["FAQ_RATE_LIMIT_API"]:
        count = SharedCount(limiter, str(settings["FAQ_RATE_LIMIT_API"]))

        @app.before_request
        def api_count() -> None:
            if request.blueprint == api.name:
                count()

    _limit(app, limiter, "api.feedback", settings["FAQ_RATE_LIMIT_FEEDBACK"])
    _limit(app, limiter, "site.help_feedback", settings["FAQ_RATE_LIMIT_FEEDBACK"])
    _limit(app, limiter, "staff.login", settings["FAQ_RATE_LIMIT_LOGIN"], methods=["POST"])
    _limit(
        app,
        limiter,
        "staff.login",
        settings["FAQ_LOGIN_FAILURES"],
        methods=["POST"],
        key_func=_account,
        deduct_when=_failed,
    )
    return limiter


class SharedCount:
    """One count per client address for the whole API (every route, one budget), taken
    with Flask-Limiter's strategy and storage, so ``FAQ_RATE_LIMIT_STORAGE`` holds it too."""

    def __init__(self, limiter: Limiter, value: str) -> None:
        self.limiter = limiter
        self.items: list[RateLimitItem] = parse_many(value)

    def __call__(self) -> None:
        key = get_remote_address()
        strategy = self.limiter.limiter
        for item in self.items:
            if not strategy.hit(item, key, API_SCOPE):
                reset = strategy.get_window_stats(item, key, API_SCOPE).reset_time
                raise Limited(str(item), retry_seconds(reset))


def retry_seconds(reset_at: float) -> int:
    """Whole seconds until ``reset_at`` (a Unix time), at least 1: a 429's ``Retry-After``."""
    return max(1, math.ceil(reset_at - time.time()))


def _storage_uri(configured: str) -> str:
    return "faq-memory://" if configured.strip() in ("memory://", "") else configured


def _limit(app: Flask, limiter: RouteLimiter, endpoint: str, value: str, **options: Any) -> None:
    if value:
        limiter.limited.add(endpoint)
        view: Any = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(value, override_defaults=False, **options)(
            view
        )


def _account() -> str:
    """The account a sign-in is for, hashed: the address itself is not kept in the counts."""
    email = (request.form.get("email") or "").strip().casefold()
    return "login:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _failed(response: Response) -> bool:
    return response.status_code == 401
