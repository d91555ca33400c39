"""Errors a GraphQL client can act on: a Chinese message plus a machine-readable code."""

from graphql import GraphQLError


def bad_input(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "field": field})


def not_found(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "NOT_FOUND", "field": field})
