"""API keys for ``GET /api/v1/stats``: random, shown once, kept only as a hash.

A key has 256 random bits, so a plain SHA-256 is enough to keep it (a slow password hash
guards guessable secrets; nobody guesses 256 bits).
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "faq_"


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.strip().encode()).hexdigest()
