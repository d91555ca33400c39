"""Grapple's GraphQL type of a model named by its label ("home.ServiceArea").

A field names the model it shows, as grapple's own ``GraphQLSnippet`` and
``GraphQLForeignKey`` accept, and the type is looked up when the schema is built: no
module imports another app's models to point at them, and no field reaches into
grapple's registry by hand.
"""

from django.apps import apps
from grapple.registry import registry


def registered_type(label: str):
    """A callable graphene accepts as a field type: grapple's type for ``label``."""

    def graphql_type():
        return registry.models[apps.get_model(label)]

    graphql_type.__name__ = f"type_of_{label.replace('.', '_')}"
    return graphql_type
