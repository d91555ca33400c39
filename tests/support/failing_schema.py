"""URLs for tests of error masking: the project's GraphQL view over a schema whose one
field fails the way a broken backend does, its message naming an internal host."""

import graphene
from django.urls import path

from cms.door.endpoint import CmsGraphQLView

INTERNAL_DETAIL = "connection to server at db.internal.example (10.0.0.5), port 5432 failed"


class Query(graphene.ObjectType):
    broken = graphene.String()
    fine = graphene.String()
    out_of_range = graphene.String()

    def resolve_broken(root, info):
        raise RuntimeError(INTERNAL_DETAIL)

    def resolve_out_of_range(root, info):
        # A value the database refuses: PostgreSQL does so itself; SQLite stores almost
        # anything, so there the driver's DataError is raised as PostgreSQL's would be.
        from django.db import DataError, connection

        if connection.vendor != "postgresql":
            raise DataError("value out of range for type smallint")
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::smallint", [100000])
        return "unreachable"

    def resolve_fine(root, info):
        return "ok"


urlpatterns = [path("graphql/", CmsGraphQLView.as_view(schema=graphene.Schema(query=Query)))]
