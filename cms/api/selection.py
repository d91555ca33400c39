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


def child_fields(info: GraphQLResolveInfo) -> frozenset[str]:
    """Names of the fields asked directly below this one."""
    return _names(info, deep=False)


def all_fields(info: GraphQLResolveInfo) -> frozenset[str]:
    """Names of every field asked anywhere below this one."""
    return _names(info, deep=True)
