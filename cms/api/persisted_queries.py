"""Apollo's automatic persisted queries: a client sends the SHA-256 of its query first.

The first time a hash is unknown the answer is the error ``PersistedQueryNotFound``; the
client then sends the query with its hash once, which is checked and kept (in the cache,
shared by every app server), and from then on the hash alone, over GET, so browsers and
CDNs can cache the answer by URL.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import cache

_KEY = "cms:apq:{}"


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str, status: int = 200):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status

    def as_json(self) -> dict:
        # Apollo clients recognise the message and the code of PersistedQueryNotFound.
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def requested_hash(extensions) -> str | None:
    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except ValueError:
            raise PersistedQueryError("extensions 不是有效的 JSON。", "BAD_REQUEST", 400) from None
    if not isinstance(extensions, dict):
        return None
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("不支持的 persistedQuery 版本。", "BAD_REQUEST", 400)
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or len(sha) != 64:
        raise PersistedQueryError("sha256Hash 必须是 64 位十六进制字符串。", "BAD_REQUEST", 400)
    return sha.lower()


def resolve(query, extensions) -> str | None:
    """The query to run: the one sent, or the one stored under the sent hash.

    Raises PersistedQueryError for an unknown hash, or a query that does not match its hash.
    """
    sha = requested_hash(extensions)
    if sha is None:
        return query
    key = _KEY.format(sha)
    if isinstance(query, str) and query:
        if query_hash(query) != sha:
            raise PersistedQueryError(
                "sha256Hash 与查询不符。", "PERSISTED_QUERY_HASH_MISMATCH", 400
            )
        cache.set(key, query, settings.CMS_PERSISTED_QUERY_TIMEOUT)
        return query
    stored = cache.get(key)
    if stored is None:
        raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    return stored
