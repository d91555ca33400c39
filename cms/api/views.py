from django.conf import settings
from graphene_django.views import GraphQLView


class CmsGraphQLView(GraphQLView):
    """The one GraphQL endpoint. GraphiQL only where GRAPPLE['EXPOSE_GRAPHIQL'] (development)."""

    @classmethod
    def as_endpoint(cls):
        return cls.as_view(graphiql=settings.GRAPPLE.get("EXPOSE_GRAPHIQL", False))
