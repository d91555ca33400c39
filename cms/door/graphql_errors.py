"""How GraphQL errors reach the client.

A client's own mistakes keep their message and code. Anything else (a bug, the database
gone) is logged with the request id and, in production (``CMS_API_MASK_ERRORS``), reaches
the client as a fixed message with that id: no exception text, path or host name.
"""

import logging
import re

from django.conf import settings
from django.db import DataError, InterfaceError, OperationalError
from graphql import GraphQLError, GraphQLSyntaxError

from cms.api.errors import INTERNAL_MESSAGE, INVALID_VALUE_MESSAGE, UNAVAILABLE_MESSAGE

logger = logging.getLogger("cms.api")

# graphql-core appends hints that spell out the schema: "Did you mean 'title'?".
_SUGGESTION = re.compile(r"\s*Did you mean .*\?$", re.DOTALL)


def is_client_error(error: Exception) -> bool:
    """Errors the client caused and can read: validation, syntax, our own GraphQLErrors."""
    if not isinstance(error, GraphQLError):
        return False
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def is_database_unavailable(error: Exception) -> bool:
    original = getattr(error, "original_error", None) or error
    return isinstance(original, OperationalError | InterfaceError)


def _client_code(error: GraphQLError) -> str:
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if error.path is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "BAD_USER_INPUT"


def format_error(error: Exception, request_id: str) -> dict:
    """One error for the client; server-side failures logged under the request id."""
    if is_client_error(error):
        formatted = dict(error.formatted)
        if not settings.CMS_API_SUGGESTIONS:
            formatted["message"] = _SUGGESTION.sub("", formatted["message"])
        extensions = dict(formatted.get("extensions") or {})
        extensions.setdefault("code", _client_code(error))
        formatted["extensions"] = {**extensions, "requestId": request_id}
        return formatted
    original = getattr(error, "original_error", None) or error
    if isinstance(original, DataError):
        # A value the database cannot hold (out of range, NUL): the input's fault, though a
        # validator should have caught it first; logged so that one gets written.
        logger.warning("Database refused a value, request %s: %s", request_id, original)
        return {
            "message": str(INVALID_VALUE_MESSAGE),
            "extensions": {"code": "BAD_USER_INPUT", "requestId": request_id},
        }
    logger.error(
        "GraphQL error, request %s, path %s",
        request_id,
        getattr(error, "path", None),
        exc_info=(type(original), original, original.__traceback__),
    )
    if is_database_unavailable(error):
        message, code = str(UNAVAILABLE_MESSAGE), "SERVICE_UNAVAILABLE"
    else:
        message, code = str(INTERNAL_MESSAGE), "INTERNAL_SERVER_ERROR"
    if not settings.CMS_API_MASK_ERRORS:
        formatted = dict(error.formatted) if isinstance(error, GraphQLError) else {}
        formatted["message"] = str(error)
        formatted["extensions"] = {"code": code, "requestId": request_id}
        return formatted
    return {"message": message, "extensions": {"code": code, "requestId": request_id}}
