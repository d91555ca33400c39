"""Errors for GraphQL clients: what resolvers raise, and the messages of the door's refusals.

A client's own mistakes get a Chinese message and ``extensions: {code, field}``. How each
error reaches the client (masked or not, with the request id) is the door's
(``cms.door.graphql_errors``).
"""

from django.utils.translation import gettext_lazy as _lazy
from graphql import GraphQLError


def bad_input(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "field": field})


def not_found(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "NOT_FOUND", "field": field})


def unauthenticated(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "UNAUTHENTICATED"})


def forbidden(message: str, field: str | None = None) -> GraphQLError:
    extensions = {"code": "FORBIDDEN"}
    if field:
        extensions["field"] = field
    return GraphQLError(message, extensions=extensions)


# HTTP status for an answer whose errors carry these codes (the first found wins).
STATUS_BY_CODE = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}

INTERNAL_MESSAGE = _lazy(
    "Internal server error: try again later. If you need help, give the requestId."
)
UNAVAILABLE_MESSAGE = _lazy("The service is unavailable right now: try again later.")
INVALID_VALUE_MESSAGE = _lazy("Invalid value: out of range or with unsupported characters.")


def error_body(message: str, code: str, request_id: str) -> dict:
    """A whole answer in GraphQL's shape, for refusals made before GraphQL runs."""
    return {
        "errors": [{"message": str(message), "extensions": {"code": code, "requestId": request_id}}]
    }
