"""Validation limits: depth, aliases, page size and cost, checked before a query runs.

The view runs graphql-core's specification rules once per document (``documents``
keeps the documents that passed, with their ``DocumentFacts``) and ``check``, which
depends on the variables and the client, on every request. The document's size is
capped earlier, at parse time (``MAX_TOKENS``).

Cost is one per field, multiplied by the list size requested above it: ``perPage``
or ``limit`` when given (or their default), else ``CMS_API_DEFAULT_LIST_SIZE`` for a
list. A size argument on an object field (``articles(perPage:)``) sizes the first list
below it (``items``). Inline fragments on several types are all counted: cost is an
upper bound, as in Contentful's complexity limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    ValidationContext,
    ValidationRule,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    is_list_type,
    validate,
    visit,
)
from graphql.validation.rules.custom.no_schema_introspection import (
    NoSchemaIntrospectionCustomRule,
)

SIZE_ARGUMENTS = ("perPage", "limit", "first")


def limit_error(message: str, code: str, nodes=None, field: str | None = None) -> GraphQLError:
    extensions = {"code": code}
    if field:
        extensions["field"] = field
    return GraphQLError(message, nodes, extensions=extensions)


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_introspection_depth: int
    max_aliases: int
    max_cost: int
    max_page_size: int
    default_list_size: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_depth=settings.CMS_API_MAX_DEPTH,
            max_introspection_depth=settings.CMS_API_MAX_INTROSPECTION_DEPTH,
            max_aliases=settings.CMS_API_MAX_ALIASES,
            max_cost=settings.CMS_API_MAX_COST,
            max_page_size=settings.GRAPPLE["MAX_PAGE_SIZE"],
            default_list_size=settings.CMS_API_DEFAULT_LIST_SIZE,
        )


class _Walker:
    """Depth and cost of one operation, fragments expanded once each (memoised)."""

    def __init__(self, rule: QueryLimitsRule):
        self.rule = rule
        self.context = rule.context
        self.limits = rule.limits
        self.variables = rule.variables
        self.memo: dict[tuple, tuple[int, int]] = {}
        self.oversized: set[int] = set()

    def size_argument(self, node: FieldNode, field_def) -> int | None:
        for name in SIZE_ARGUMENTS:
            if name not in field_def.args:
                continue
            value = None
            for argument in node.arguments or ():
                if argument.name.value != name:
                    continue
                if isinstance(argument.value, IntValueNode):
                    value = int(argument.value.value)
                elif isinstance(argument.value, VariableNode):
                    value = self.variables.get(argument.value.name.value)
            if value is None:
                value = field_def.args[name].default_value
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            if value > self.limits.max_page_size and id(node) not in self.oversized:
                self.oversized.add(id(node))
                self.rule.report_error(
                    limit_error(
                        gettext("{name} cannot be greater than {limit}.").format(
                            name=name, limit=self.limits.max_page_size
                        ),
                        "BAD_USER_INPUT",
                        [node],
                        field=name,
                    )
                )
            return max(value, 0)
        return None

    def walk(self, selection_set: SelectionSetNode | None, parent_type, inherited, seen=()):
        """(cost, depth) of a selection set under ``parent_type``."""
        if selection_set is None:
            return 0, 0
        cost = depth = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field_cost, field_depth = self.field(selection, parent_type, inherited, seen)
            elif isinstance(selection, InlineFragmentNode):
                fragment_type = parent_type
                if selection.type_condition is not None:
                    fragment_type = self.context.schema.get_type(
                        selection.type_condition.name.value
                    )
                field_cost, field_depth = self.walk(
                    selection.selection_set, fragment_type, inherited, seen
                )
            elif isinstance(selection, FragmentSpreadNode):
                field_cost, field_depth = self.spread(selection, inherited, seen)
            else:
                continue
            cost += field_cost
            depth = max(depth, field_depth)
        return cost, depth

    def spread(self, node: FragmentSpreadNode, inherited, seen):
        name = node.name.value
        fragment = self.context.get_fragment(name)
        if fragment is None or name in seen:
            return 0, 0  # Unknown fragments and cycles are the specification rules' errors.
        key = (name, inherited)
        if key not in self.memo:
            fragment_type = self.context.schema.get_type(fragment.type_condition.name.value)
            self.memo[key] = self.walk(
                fragment.selection_set, fragment_type, inherited, (*seen, name)
            )
        return self.memo[key]

    def field(self, node: FieldNode, parent_type, inherited, seen):
        name = node.name.value
        if name == "__typename":
            return 0, 1
        if name.startswith("__"):
            depth = 1 + _plain_depth(self.context, node.selection_set, ())
            if depth > self.limits.max_introspection_depth:
                self.rule.report_error(
                    limit_error(
                        gettext(
                            "The introspection query is nested too deeply (at most {limit} levels)."
                        ).format(limit=self.limits.max_introspection_depth),
                        "QUERY_TOO_DEEP",
                        [node],
                    )
                )
            return 0, 0
        if not isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType):
            return 1, 1
        field_def = parent_type.fields.get(name)
        if field_def is None:
            return 1, 1  # FieldsOnCorrectTypeRule reports it.
        size = self.size_argument(node, field_def)
        if is_list_type(get_nullable_type(field_def.type)):
            multiplier = size or inherited or self.limits.default_list_size
            passed_down = None
        else:
            multiplier = 1
            passed_down = size or inherited
        child_cost, child_depth = self.walk(
            node.selection_set, get_named_type(field_def.type), passed_down, seen
        )
        return 1 + multiplier * child_cost, 1 + child_depth


def _plain_depth(context, selection_set, seen) -> int:
    if selection_set is None:
        return 0
    depth = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            depth = max(depth, 1 + _plain_depth(context, selection.selection_set, seen))
        elif isinstance(selection, InlineFragmentNode):
            depth = max(depth, _plain_depth(context, selection.selection_set, seen))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = context.get_fragment(selection.name.value)
            if fragment is not None and selection.name.value not in seen:
                depth = max(
                    depth,
                    _plain_depth(context, fragment.selection_set, (*seen, selection.name.value)),
                )
    return depth


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


NUL_MESSAGE = _lazy("Arguments cannot contain the NUL (\\u0000) character.")


class QueryLimitsRule(ValidationRule):
    """The limits of one request; ``check`` calls it on each operation (no visit)."""

    limits: Limits
    variables: dict

    def report_document(self, facts: DocumentFacts):
        # PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
        for node in facts.nul_strings:
            self.report_error(limit_error(str(NUL_MESSAGE), "BAD_USER_INPUT", [node]))
        if _has_nul(self.variables):
            self.report_error(limit_error(str(NUL_MESSAGE), "BAD_USER_INPUT", field="variables"))
        aliases = facts.aliases
        if aliases > self.limits.max_aliases:
            self.report_error(
                limit_error(
                    gettext("The query uses {aliases} aliases; the limit is {limit}.").format(
                        aliases=aliases, limit=self.limits.max_aliases
                    ),
                    "TOO_MANY_ALIASES",
                )
            )

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        root_type = self.context.schema.get_root_type(node.operation)
        if root_type is None:
            return
        cost, depth = _Walker(self).walk(node.selection_set, root_type, None)
        if depth > self.limits.max_depth:
            self.report_error(
                limit_error(
                    gettext(
                        "The query is nested {depth} levels deep; the limit is {limit}."
                    ).format(depth=depth, limit=self.limits.max_depth),
                    "QUERY_TOO_DEEP",
                    [node],
                )
            )
        if cost > self.limits.max_cost:
            self.report_error(
                limit_error(
                    gettext(
                        "The query's cost is {cost}; the limit is {limit}. "
                        "Ask for fewer fields or fewer items per page (perPage, limit)."
                    ).format(cost=cost, limit=self.limits.max_cost),
                    "QUERY_TOO_COMPLEX",
                    [node],
                )
            )


@dataclass(frozen=True)
class DocumentFacts:
    """What the limits need from a document that does not depend on the request: found in
    one pass and kept with the document (``documents``)."""

    aliases: int
    nul_strings: tuple  # string literals holding NUL
    introspects: bool  # asks for __schema or __type


class _FactFinder(Visitor):
    def __init__(self):
        super().__init__()
        self.aliases = 0
        self.nul_strings: list = []
        self.introspects = False

    def enter_field(self, node, *_args):
        if node.alias is not None:
            self.aliases += 1
        if node.name.value in ("__schema", "__type"):
            self.introspects = True

    def enter_string_value(self, node, *_args):
        if "\x00" in node.value:
            self.nul_strings.append(node)


def document_facts(document) -> DocumentFacts:
    finder = _FactFinder()
    visit(document, finder)
    return DocumentFacts(finder.aliases, tuple(finder.nul_strings), finder.introspects)


def check(schema, document, facts: DocumentFacts, variables, *, introspection: bool):
    """This project's limits for one request: errors, or an empty list.

    The rules run directly on the operations rather than in a visit of the whole document;
    what a visit would find once per document is in ``facts``.
    """
    errors: list[GraphQLError] = []
    context = ValidationContext(schema, document, TypeInfo(schema), errors.append)
    rule = QueryLimitsRule(context)
    rule.limits = Limits.from_settings()
    rule.variables = dict(variables or {})
    rule.report_document(facts)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            rule.enter_operation_definition(definition)
    if facts.introspects and not introspection:
        errors.extend(validate(schema, document, (NoSchemaIntrospectionCustomRule,)))
    return errors
