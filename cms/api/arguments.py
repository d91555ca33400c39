"""Arguments a client can get wrong: refused with ``BAD_USER_INPUT`` naming the argument.

GraphQL's types let through values the code behind them cannot use: strings holding lone
surrogates (JSON's ``"\\ud800"``, which no database encoding can store), IDs that are not
numbers, a date at the end of the calendar, an offset of 1e30. One graphene middleware
(``GRAPHENE["MIDDLEWARE"]``) checks the arguments of every field before its resolver
runs, so an argument added later is covered without its resolver knowing.

A scalar's own parse error cannot name the argument it came in (graphql-core reports it
against the value or the variable), so the scalars below pass a number or date they
cannot accept on as ``Invalid``, and the middleware refuses it under the argument's name.
"""

from __future__ import annotations

import datetime
import re

import graphene
from django.utils.translation import gettext
from graphql import GraphQLID, Undefined, get_named_type
from graphql.language import FloatValueNode, IntValueNode, StringValueNode

from cms.api.errors import bad_input

MAX_INT = 2**31 - 1  # GraphQL's Int, and the database's integer
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
_DIGITS = re.compile(r"[0-9]+")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Invalid:
    """A value a scalar parsed but cannot accept; ``message`` has ``{name}`` for the
    argument's name."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _whole_number(value):
    """``value`` as a non-negative int within GraphQL's Int, else Invalid."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_INT:
        return Invalid(f"{{name}} 必须是 0 到 {MAX_INT} 之间的整数。")
    return value


class PositiveInt(graphene.Scalar):
    """GraphQL type for an integer that must be equal or greater than zero."""

    # The name and meaning of grapple's scalar, which it replaces on the page relations:
    # grapple's fails with a TypeError on a number outside Int (a server error) and lets
    # a negative variable through.

    @staticmethod
    def serialize(value):
        return int(value)

    @staticmethod
    def parse_literal(ast, _variables=None):
        if isinstance(ast, IntValueNode):
            return _whole_number(int(ast.value))
        if isinstance(ast, FloatValueNode):
            return _whole_number(float(ast.value))
        return Undefined

    @staticmethod
    def parse_value(value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return Undefined
        return _whole_number(value)


class Date(graphene.Scalar):
    """
    The `Date` scalar type represents a Date
    value as specified by
    [iso8601](https://en.wikipedia.org/wiki/ISO_8601).
    """

    # graphene's Date, with days outside MIN_DATE..MAX_DATE refused (the day after
    # 9999-12-31 overflows) and a malformed day refused under the argument's name.

    @staticmethod
    def serialize(value):
        return value.isoformat()

    @staticmethod
    def parse_literal(ast, _variables=None):
        if isinstance(ast, StringValueNode):
            return Date.parse_value(ast.value)
        return Undefined

    @staticmethod
    def parse_value(value):
        if isinstance(value, datetime.date):
            day = value
        elif isinstance(value, str):
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                return Invalid("{name} 必须是 YYYY-MM-DD 格式的日期。")
        else:
            return Undefined
        if not MIN_DATE <= day <= MAX_DATE:
            return Invalid(f"{{name}} 必须在 {MIN_DATE} 到 {MAX_DATE} 之间。")
        return day


def _bad_string(value) -> bool:
    """Whether a string, or one inside a list or input object, cannot be stored."""
    if isinstance(value, str):
        return "\x00" in value or _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_bad_string(key) or _bad_string(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_bad_string(item) for item in value)
    return False


def check_argument(name: str, value, graphql_type) -> None:
    if value is None:
        return
    if isinstance(value, Invalid):
        raise bad_input(value.message.format(name=name), name)
    if _bad_string(value):
        raise bad_input(
            gettext(
                "{name} contains characters that cannot be processed (NUL or a lone surrogate)."
            ).format(name=name),
            name,
        )
    if get_named_type(graphql_type) is GraphQLID and not _DIGITS.fullmatch(str(value)):
        # Every ID of this schema is a database row's number.
        raise bad_input(gettext("{name} must be a number.").format(name=name), name)


def check_arguments(info, args: dict) -> None:
    field = info.parent_type.fields.get(info.field_name)
    if field is None:
        return  # introspection's __type(name:): a lookup in the schema, nothing stored
    for name, argument in field.args.items():
        check_argument(name, args.get(argument.out_name or name), argument.type)


class ArgumentsMiddleware:
    """Checks each field's arguments before its resolver runs (see the module's text)."""

    def resolve(self, next, root, info, **args):
        if args:
            check_arguments(info, args)
        return next(root, info, **args)
