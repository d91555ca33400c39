"""URLs for tests of error masking: the project's GraphQL view over a schema whose one
field fails the way a broken backend does, its message naming an internal host."""

import graphene
from django.urls import path

from cms.api.views import CmsGraphQLView

INTERNAL_DETAIL = "connection to server at db.internal.example (10.0.0.5), port 5432 failed"


class Query(graphene.ObjectType):
    broken = graphene.String()
    fine = graphene.String()

    def resolve_broken(root, info):
        raise RuntimeError(INTERNAL_DETAIL)

    def resolve_fine(root, info):
        return "ok"


urlpatterns = [path("graphql/", CmsGraphQLView.as_view(schema=graphene.Schema(query=Query)))]
