"""Rate limits (Flask-Limiter): the public API, feedback, and signing in to the workspace.

Limits count per client address (behind a load balancer, set ``FAQ_TRUSTED_PROXIES`` so
the address is the shopper's). Failed sign-ins also count per account, so guessing one
account's password from many addresses is throttled too. Counts live where
``FAQ_RATE_LIMIT_STORAGE`` says: ``memory://`` counts in each worker process alone;
``redis://`` shares them between workers and machines.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from flask import Blueprint, Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage


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


def register(app: Flask, api: Blueprint) -> Limiter:
    settings = app.config
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=_storage_uri(str(settings["FAQ_RATE_LIMIT_STORAGE"])),
        strategy="fixed-window",
    )
    if settings["FAQ_RATE_LIMIT_API"]:
        limiter.shared_limit(settings["FAQ_RATE_LIMIT_API"], scope="api")(api)  # one count
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


def _storage_uri(configured: str) -> str:
    return "faq-memory://" if configured.strip() in ("memory://", "") else configured


def _limit(app: Flask, limiter: Limiter, endpoint: str, value: str, **options: Any) -> None:
    if value:
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
