"""API tokens: made once, shown once, stored as a SHA-256 hash, sent as a bearer header.

A token is 32 random bytes, so a fast hash is enough: nobody can guess one to test
against the stored hash, and each request checks its token with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import re
import secrets

PREFIX = "cms_"
# What a token looks like: the prefix and URL-safe base64. Anything else is refused unread.
_TOKEN = re.compile(r"^cms_[A-Za-z0-9_-]{20,100}$")
_BEARER = re.compile(r"^Bearer[ \t]+(\S+)[ \t]*$", re.IGNORECASE)


class InvalidToken(Exception):
    """The request named a token that is malformed, unknown, revoked or expired."""


def generate() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def parse_bearer(header: str | None) -> str | None:
    """The token in an Authorization header; None without one; InvalidToken if malformed."""
    if header is None or not header.strip():
        return None
    match = _BEARER.match(header)
    if match is None or not _TOKEN.match(match.group(1)):
        raise InvalidToken
    return match.group(1)
