"""The app's URLs plus what `make bench` compares it with, never served in production:

- Wagtail's API v2 at /api/v2/, exposing what our article list shows;
- stock wagtail-grapple at /bench/grapple/: grapple's own schema (its ``pages``, ``page`` ...
  root queries) built from the registered models, without our root queries, served by
  graphene-django's view as grapple ships it (no middleware of ours, no answer cache).
"""

import functools

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from grapple.registry import registry
from grapple.schema import create_schema
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page as WagtailPage

from articles.models import ArticlePage
from cms.urls import urlpatterns as cms_urlpatterns

ArticlePage.api_fields = [
    APIField("summary"),
    APIField("published_at"),
    APIField("categories", serializer=serializers.StringRelatedField(many=True)),
    APIField("cover", serializer=ImageRenditionField("fill-320x180", source="cover_image")),
    APIField("body"),
]

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PagesAPIViewSet)


def stock_schema():
    """Grapple's schema as grapple builds it. cms.schema registers grapple's base Page type
    for Wagtail's Page; grapple's own ``pages`` query registers it again under another key,
    and its ``search`` union would list it twice: without ours while it is built."""
    ours = registry.pages.pop(WagtailPage, None)
    try:
        return create_schema()
    finally:
        if ours is not None:
            registry.pages[WagtailPage] = ours


@functools.cache
def stock_view():
    return GraphQLView.as_view(schema=stock_schema(), middleware=[])


@csrf_exempt
def stock_grapple(request):
    # Built on its first request: the workers' memory measured before grapple is asked
    # (make bench's figure for our GraphQL) holds no second schema.
    return stock_view()(request)


urlpatterns = [
    path("api/v2/", router.urls),
    path("bench/grapple/", stock_grapple),
    *cms_urlpatterns,
]
