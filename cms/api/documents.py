"""Parsed and specification-validated GraphQL documents, kept per process.

Front ends and the embed widget send the same few documents again and again (persisted
queries make that explicit). Parsing and running graphql-core's specification rules
costs more than executing a small query, and the result depends only on the document's
text and the schema, so each worker keeps the last ``CACHE_SIZE`` documents that passed.
The project's own limits (``limits``) depend on the variables and the client, so they
run on every request; failures are never kept.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules, validate

from cms.api import limits

CACHE_SIZE = 512


class InvalidDocument(Exception):
    """The document does not parse or breaks a specification rule; ``errors`` say how."""

    def __init__(self, errors: list[GraphQLError]):
        super().__init__(errors)
        self.errors = errors


def _parse(query: str) -> DocumentNode:
    try:
        return parse(query, max_tokens=settings.CMS_API_MAX_TOKENS)
    except GraphQLError as error:
        if "tokens" in error.message and "Parsing aborted" in error.message:
            raise InvalidDocument(
                [
                    limits.limit_error(
                        f"查询过长(超过 {settings.CMS_API_MAX_TOKENS} 个词法单元)。",
                        "QUERY_TOO_LARGE",
                    )
                ]
            ) from None
        raise InvalidDocument([error]) from None


@lru_cache(maxsize=CACHE_SIZE)
def _checked(
    schema: GraphQLSchema, query: str, max_tokens: int, max_errors: int
) -> tuple[DocumentNode, limits.DocumentFacts]:
    # max_tokens is part of the key so that a changed setting (tests do) is honoured.
    document = _parse(query)
    errors = validate(schema, document, specified_rules, max_errors)
    if errors:
        raise InvalidDocument(errors)
    return document, limits.document_facts(document)


def checked_document(
    schema: GraphQLSchema, query: str, max_errors: int
) -> tuple[DocumentNode, limits.DocumentFacts]:
    """The parsed document, valid under the specification's rules, and what the limits need
    to know of it; else InvalidDocument.

    lru_cache does not keep calls that raise, so refused documents are checked anew.
    """
    return _checked(schema, query, settings.CMS_API_MAX_TOKENS, max_errors)
