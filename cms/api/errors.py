"""Errors for GraphQL clients: what resolvers raise, and the messages of the door's refusals.

A client's own mistakes get a Chinese message and ``extensions: {code, field}``. How each
error reaches the client (masked or not, with the request id) is the door's
(``cms.door.graphql_errors``).
"""

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

INTERNAL_MESSAGE = "服务器内部错误,请稍后重试。如需帮助,请提供请求编号 requestId。"
UNAVAILABLE_MESSAGE = "服务暂时不可用,请稍后重试。"
INVALID_VALUE_MESSAGE = "参数值无效:超出范围或含有不支持的字符。"


def error_body(message: str, code: str, request_id: str) -> dict:
    """A whole answer in GraphQL's shape, for refusals made before GraphQL runs."""
    return {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}
