"""What a client asked for below the field being resolved, so a resolver fetches only that.

Names are GraphQL field names as sent (camelCase). Fragments are followed; ``@skip`` and
``@include`` are not evaluated, so the answer may hold more than is executed, never less:
a resolver that prefetches by these names never misses a relation it needs.
"""

from __future__ import annotations

from graphql import FieldNode, FragmentSpreadNode, GraphQLResolveInfo, InlineFragmentNode


def _walk(selection_set, fragments, names: set[str], deep: bool, seen: set[str]) -> None:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
            if deep:
                _walk(selection.selection_set, fragments, names, deep, seen)
        elif isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set, fragments, names, deep, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                _walk(fragments[name].selection_set, fragments, names, deep, seen)


def _names(info: GraphQLResolveInfo, deep: bool) -> frozenset[str]:
    names: set[str] = set()
    for node in info.field_nodes:
        _walk(node.selection_set, info.fragments, names, deep, set())
    return frozenset(names)


def _fields_named(selection_set, fragments, name: str, seen: set[str]):
    """The fields called ``name`` directly in this selection (fragments followed)."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_named(selection.selection_set, fragments, name, seen)
        elif isinstance(selection, FragmentSpreadNode):
            spread = selection.name.value
            if spread not in seen and spread in fragments:
                seen.add(spread)
                yield from _fields_named(fragments[spread].selection_set, fragments, name, seen)


def child_fields(info: GraphQLResolveInfo) -> frozenset[str]:
    """Names of the fields asked directly below this one."""
    return _names(info, deep=False)


def all_fields(info: GraphQLResolveInfo) -> frozenset[str]:
    """Names of every field asked anywhere below this one."""
    return _names(info, deep=True)


def _nodes_at(info: GraphQLResolveInfo, path: tuple[str, ...]) -> list[FieldNode]:
    nodes = list(info.field_nodes)
    for name in path:
        nodes = [
            found
            for node in nodes
            for found in _fields_named(node.selection_set, info.fragments, name, set())
        ]
    return nodes


def fields_at(info: GraphQLResolveInfo, *path: str) -> frozenset[str]:
    """Names of the fields asked directly below ``path`` (field names from this one down),
    e.g. ``fields_at(info, "items")`` for the fields of each item of a list; with no path,
    as ``child_fields``."""
    names: set[str] = set()
    for node in _nodes_at(info, path):
        _walk(node.selection_set, info.fragments, names, False, set())
    return frozenset(names)


def fields_below(info: GraphQLResolveInfo, *path: str) -> frozenset[str]:
    """Names of every field asked anywhere below ``path`` (field names from this one down),
    e.g. ``fields_below(info, "recommendedReading", "article")``."""
    names: set[str] = set()
    for node in _nodes_at(info, path):
        _walk(node.selection_set, info.fragments, names, True, set())
    return frozenset(names)
