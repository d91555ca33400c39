from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.publishing.preview import FrontendPreviewMixin
from cms.publishing.seo import SeoMixin


class HomePage(FrontendPreviewMixin, SeoMixin, Page):
    """The root page of one site. Site-wide content (profile, menus, footer) hangs off it."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.ArticleIndexPage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    graphql_fields = [GraphQLString("intro", required=True)]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
