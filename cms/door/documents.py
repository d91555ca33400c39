"""Parsed and checked GraphQL documents, kept per process, cheapest checks first.

Front ends and the embed widget send the same few documents again and again (persisted
queries make that explicit), and parsing and graphql-core's specification rules cost
more than executing a small query. So each worker keeps the documents that passed, in
a cache bounded in entries and in bytes; a refused document is never kept.

Order, cheapest first: the size in bytes (before any parsing), the lexical tokens (at
parse time), then this project's limits (aliases, depth, cost, NUL, introspection), and
only then the specification's rules: OverlappingFieldsCanBeMerged is quadratic in the
fields of a selection, so 660 conflicting aliases cost a second of CPU if it runs first.
The limits depend on the variables and the client, so they run on every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.utils.translation import gettext
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules, validate

from cms.door import limits

CACHE_SIZE = 512


class InvalidDocument(Exception):
    """The document breaks a limit or a specification rule; ``errors`` say how."""

    def __init__(self, errors: list[GraphQLError]):
        super().__init__(errors)
        self.errors = errors


class DocumentCache:
    """The last documents that passed, at most ``max_entries`` and ``max_bytes`` of text."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return found

    def put(self, key, value, size: int, max_bytes: int) -> None:
        with self._lock:
            if key in self._entries or size > max_bytes:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > max_bytes:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self.hits = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes


_cache = DocumentCache(CACHE_SIZE)


def too_large(query: str) -> GraphQLError | None:
    size = len(query.encode())
    if size > settings.CMS_API_MAX_QUERY_BYTES:
        return limits.limit_error(
            gettext("The query is too long ({size} bytes; at most {limit}).").format(
                size=size, limit=settings.CMS_API_MAX_QUERY_BYTES
            ),
            "QUERY_TOO_LARGE",
        )
    return None


def _parse(query: str) -> DocumentNode:
    try:
        return parse(query, max_tokens=settings.CMS_API_MAX_TOKENS)
    except GraphQLError as error:
        if "tokens" in error.message and "Parsing aborted" in error.message:
            raise InvalidDocument(
                [
                    limits.limit_error(
                        gettext("The query is too long (more than {limit} tokens).").format(
                            limit=settings.CMS_API_MAX_TOKENS
                        ),
                        "QUERY_TOO_LARGE",
                    )
                ]
            ) from None
        raise InvalidDocument([error]) from None
    except RecursionError:
        raise InvalidDocument(
            [limits.limit_error(gettext("The query is nested too deeply."), "QUERY_TOO_DEEP")]
        ) from None


def checked_document(
    schema: GraphQLSchema, query: str, variables: dict, *, introspection: bool, max_errors: int
) -> DocumentNode:
    """The parsed document, within the limits for these variables and valid under the
    specification's rules; else InvalidDocument."""
    refusal = too_large(query)
    if refusal is not None:
        raise InvalidDocument([refusal])
    # The token limit is part of the key so that a changed setting (tests do) is honoured.
    key = (schema, query, settings.CMS_API_MAX_TOKENS)
    kept = _cache.get(key)
    if kept is not None:
        document, facts = kept[0]
        errors = limits.check(schema, document, facts, variables, introspection=introspection)
        if errors:
            raise InvalidDocument(errors)
        return document
    document = _parse(query)
    facts = limits.document_facts(document)
    errors = limits.check(schema, document, facts, variables, introspection=introspection)
    if errors:
        raise InvalidDocument(errors)
    errors = validate(schema, document, specified_rules, max_errors)
    if errors:
        raise InvalidDocument(errors)
    _cache.put(key, (document, facts), len(query.encode()), settings.CMS_API_DOCUMENT_CACHE_BYTES)
    return document


def cache() -> DocumentCache:
    return _cache
