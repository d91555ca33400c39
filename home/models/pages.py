from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLField, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from cms.api.images import Image
from cms.api.model_fields import GraphQLList, registered_type
from cms.api.seo import SeoMixin
from cms.core import visibility
from cms.core.foreign_keys import optional_foreign_key
from cms.publishing.preview import FrontendPreviewMixin


class HomePage(FrontendPreviewMixin, SeoMixin, Page):
    """The root page of one site: hero, featured articles, service areas, call to action."""

    intro = models.TextField(_("introduction"), blank=True)
    hero_heading = models.CharField(_("hero heading"), max_length=100, blank=True)
    hero_image = optional_foreign_key("cms.CustomImage", _("hero image"))
    call_to_action = optional_foreign_key("home.CallToAction", _("call to action"))
    featured_count = models.PositiveSmallIntegerField(
        _("number of latest articles"),
        default=4,
        help_text=_("Shown when no article is chosen as featured."),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.ArticleIndexPage", "leads.BookingFormPage"]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("intro"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        InlinePanel(
            "featured_articles", label=_("Featured article"), heading=_("Featured articles")
        ),
        FieldPanel("featured_count"),
        FieldPanel("call_to_action"),
    ]

    graphql_fields = [
        GraphQLString("intro", required=True),
        GraphQLString("hero_heading", required=True, source="graphql_hero_heading"),
        GraphQLField("hero_image", Image),
        GraphQLField("call_to_action", registered_type("home.CallToAction")),
        GraphQLList(
            "featured_articles",
            registered_type("articles.ArticlePage"),
            source="graphql_featured_articles",
            description="Chosen by editors, else the latest live articles of this site.",
        ),
        GraphQLList(
            "service_areas",
            registered_type("home.ServiceArea"),
            source="graphql_service_areas",
        ),
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def graphql_hero_heading(self, info, **kwargs):
        return self.hero_heading or self.title

    def graphql_featured_articles(self, info, **kwargs):
        articles = apps.get_model("articles.ArticlePage").objects
        rule = visibility.for_request(info.context)
        chosen = [
            item.article
            for item in self.featured_articles.select_related("article").order_by("sort_order")
        ]
        if chosen:
            ids = [article.pk for article in rule.keep(chosen)]
            by_id = articles.filter(pk__in=ids).for_clients(info).in_bulk()
            return [by_id[pk] for pk in ids]
        latest = rule.filter(articles.descendant_of(self)).order_by("-published_at", "-id")
        return list(latest.for_clients(info)[: self.featured_count])

    def graphql_service_areas(self, info, **kwargs):
        from home.models.snippets import ServiceArea

        return list(ServiceArea.objects.for_clients())


class FeaturedArticle(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_articles")
    article = models.ForeignKey(
        "articles.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured article")
        verbose_name_plural = _("featured articles")
