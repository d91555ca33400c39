"""A /graphql/ whose view fails outside any GraphQL executor, for the door's last resort."""

from django.urls import path

DETAIL = "secret detail of a failure outside the executor"


def fails(request):
    raise RuntimeError(DETAIL)


urlpatterns = [path("graphql/", fails)]
