"""Apollo's automatic persisted queries: a client sends the SHA-256 of its query first.

The first time a hash is unknown the answer is the error ``PersistedQueryNotFound``; the
client then sends the query with its hash once, which is kept (in the cache, shared by
every app server) only after it passed every check, the size cap first, and from then on
the hash alone, over GET, so browsers and CDNs can cache the answer by URL.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

_KEY = "cms:apq:{}"


class PersistedQueryError(Exception):
    """``request_error``: a GraphQL request error (400 or 200 by media type, as the
    endpoint answers any); else Apollo's PersistedQueryNotFound, 200 for every client."""

    def __init__(self, message: str, code: str, request_error: bool = False):
        super().__init__(message)
        self.message, self.code, self.request_error = message, code, request_error


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def resolve(query: str | None, sha: str | None) -> str:
    """The query to run: the one sent (which must match its hash), or the one stored under
    the hash. Raises PersistedQueryError for an unknown hash or a mismatch."""
    if sha is None:
        return query
    if query:
        if query_hash(query) != sha:
            raise PersistedQueryError(
                gettext("sha256Hash does not match the query."),
                "PERSISTED_QUERY_HASH_MISMATCH",
                request_error=True,
            )
        return query
    stored = cache.get(_KEY.format(sha))
    if stored is None:
        # Apollo clients recognise this message and code, and then send the query.
        raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    return stored


def register(query: str, sha: str) -> None:
    """Keep a query that passed every check under its hash (the caller checked both)."""
    if len(query.encode()) <= settings.CMS_API_MAX_QUERY_BYTES:
        cache.set(_KEY.format(sha), query, settings.CMS_PERSISTED_QUERY_TIMEOUT)


def is_stored(sha: str) -> bool:
    return cache.get(_KEY.format(sha)) is not None
