"""The app's URLs plus Wagtail's API v2 at /api/v2/, exposing what our article list shows."""

from django.urls import path
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField

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

urlpatterns = [path("api/v2/", router.urls), *cms_urlpatterns]
