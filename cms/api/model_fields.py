"""How models declare their GraphQL fields beyond grapple's column helpers.

``registered_type`` names the type a field shows by its model's label
("home.ServiceArea"), as grapple's own ``GraphQLSnippet`` and ``GraphQLForeignKey``
accept: the type is looked up when the schema is built, so no module imports another
app's models to point at them and no field reaches into grapple's registry by hand.

``GraphQLList`` is the one spelling of a field that is a list, never null, of items never
null: what clients may iterate without checks.
"""

import graphene
from django.apps import apps
from grapple.models import GraphQLField
from grapple.registry import registry


def registered_type(label: str):
    """A callable graphene accepts as a field type: grapple's type for ``label``."""

    def graphql_type():
        return registry.models[apps.get_model(label)]

    graphql_type.__name__ = f"type_of_{label.replace('.', '_')}"
    return graphql_type


def list_of(label: str, **kwargs):
    """A root query's ``[Type!]!`` of a model's grapple type (arguments in ``kwargs``)."""
    return graphene.List(graphene.NonNull(registered_type(label)), required=True, **kwargs)


def GraphQLList(field_name: str, item_type, **kwargs):
    """A model's ``[item_type!]!`` field, for ``graphql_fields``."""

    def Mixin():
        return GraphQLField(
            field_name, graphene.List(graphene.NonNull(item_type)), required=True, **kwargs
        )

    return Mixin
