from urllib.parse import urlencode

import graphene
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLField, GraphQLString
from grapple.types.streamfield import StreamFieldInterface
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from articles.types import RecommendedReadingItem, Tag
from cms.api import selection
from cms.api.blocks import StoryBlock, primed_stream
from cms.api.frontend import page_url
from cms.api.images import Image
from cms.api.model_fields import GraphQLList, registered_type
from cms.api.peers import loaded_together
from cms.api.seo import SeoMixin
from cms.api.terms import OrderedTerm
from cms.core import visibility
from cms.core.foreign_keys import optional_foreign_key
from cms.publishing.preview import FrontendPreviewMixin
from cms.review.page_form import ScreenedPageForm
from cms.review.screening_panel import screening_panels


class ArticleIndexPage(FrontendPreviewMixin, SeoMixin, Page):
    """The one page per site under which articles live (新闻资讯)."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    graphql_fields = [GraphQLString("intro", required=True)]

    class Meta:
        verbose_name = _("article index")
        verbose_name_plural = _("article indexes")


@register_snippet
class ArticleCategory(OrderedTerm):
    """An editorial category such as 政策解读."""

    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta(OrderedTerm.Meta):
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


# Which relations each field reads; an answer prefetches only those the client asked for.
_IMAGES = ("cover_image__renditions", "og_image__renditions")
_RELATIONS_BY_FIELD = {
    "cover": ("cover_image__renditions",),
    "seo": _IMAGES,
    "jsonLd": (*_IMAGES, "categories", "tagged_items"),
    "categories": ("categories",),
    "sources": ("sources",),
    "tags": ("tagged_items",),
    "recommendedReading": ("recommended_reading",),
}


def _prefetches(info, path: tuple[str, ...], prefix: str = "") -> list:
    """Prefetch lookups, below ``prefix``, for the relations asked of the articles at
    ``path`` (GraphQL field names from the resolved field down); all of them without
    ``info``. Sorted: the same queries in the same order for the same question."""
    if info is None:
        wanted = {name for names in _RELATIONS_BY_FIELD.values() for name in names}
    else:
        asked = selection.fields_at(info, *path)
        wanted = {name for field in asked for name in _RELATIONS_BY_FIELD.get(field, ())}
    return [_prefetch(name, info, path, prefix) for name in sorted(wanted)]


def _prefetch(name: str, info, path: tuple[str, ...], prefix: str):
    if name == "tagged_items":
        return Prefetch(prefix + name, queryset=ArticleTag.objects.select_related("tag"))
    if name == "recommended_reading":
        linked_path = (*path, "recommendedReading", "article")
        linked = RecommendedReading.objects.select_related("article", "article__cover_image")
        if info is not None:
            if "body" not in selection.fields_at(info, *linked_path):
                # Each linked article's body is the largest column there is; read it only
                # when a client asks for it through recommendedReading { article { body } }.
                linked = linked.defer("article__body")
            # What is asked of the linked articles (their covers, categories, own
            # recommended reading ...), for all of them at once: no query per item.
            linked = linked.prefetch_related(*_prefetches(info, linked_path, "article__"))
        # The linked articles of all items are peers: their bodies are read together.
        return Prefetch(prefix + name, queryset=loaded_together(linked.order_by("sort_order")))
    return prefix + name


class ArticlePageQuerySet(PageQuerySet):
    def for_clients(self, info=None, path: tuple[str, ...] = (), *, body: bool = False):
        """Everything an article answer reads, fetched in a fixed number of queries.

        With ``info``, only the relations of the fields the client selected on the articles
        at ``path`` below the resolved field (``("items",)`` for a list), and of the
        articles they recommend; the body only when it is selected, or when ``body`` says
        the caller reads it.
        """
        queryset = self
        if info is not None and not body and "body" not in selection.fields_at(info, *path):
            queryset = queryset.defer("body")
        queryset = queryset.select_related("cover_image", "og_image").prefetch_related(
            *_prefetches(info, path)
        )
        # The articles of one answer are peers: their bodies are read together.
        return loaded_together(queryset)


def _prefetch_relations(articles: list, info, path: tuple[str, ...] = ()) -> None:
    """What ``for_clients`` fetches, for articles already loaded (a page tree list)."""
    prefetch_related_objects(articles, *_prefetches(info, path))


class ArticlePage(FrontendPreviewMixin, SeoMixin, Page):
    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("Shown in lists and previews; plain text.")
    )
    cover_image = optional_foreign_key("cms.CustomImage", _("cover image"))
    # Empty until the article first goes live (see save()): a default of "now" would be the
    # moment the editor opened the form, wrong for an article scheduled for later.
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "The date and time shown to readers (Beijing time). Leave it empty to use the "
            "moment the article goes live (for a scheduled article, its scheduled time)."
        ),
    )
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)
    categories = ParentalManyToManyField(
        ArticleCategory, verbose_name=_("categories"), blank=True, related_name="articles"
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ArticleTag, blank=True)

    parent_page_types = ["articles.ArticleIndexPage"]

    objects = PageManager.from_queryset(ArticlePageQuerySet)()
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("published_at"),
        FieldPanel("body"),
        InlinePanel("sources", label=_("Sources"), heading=_("Sources")),
        InlinePanel(
            "recommended_reading",
            label=_("Recommended article"),
            heading=_("Recommended reading"),
        ),
        MultiFieldPanel(
            [FieldPanel("categories"), FieldPanel("tags")], heading=_("Categories and tags")
        ),
        screening_panels(),
    ]
    # Sensitive-word screening before submission and publishing; the 三审 before Publish.
    base_form_class = ScreenedPageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("published_at"),
    ]

    graphql_fields = [
        GraphQLString("subtitle", source="graphql_subtitle"),
        GraphQLString("summary", required=True),
        GraphQLField("cover", Image, source="graphql_cover"),
        GraphQLField(
            "published_at",
            graphene.DateTime,
            required=True,
            source="graphql_published_at",
            description="Publication time set by editors, in Beijing time.",
        ),
        GraphQLList(
            "body",
            StreamFieldInterface,
            source="graphql_body",
        ),
        GraphQLList(
            "sources",
            registered_type("articles.ArticleSource"),
            source="graphql_sources",
        ),
        GraphQLList(
            "categories",
            registered_type("articles.ArticleCategory"),
            source="graphql_categories",
        ),
        GraphQLList("tags", Tag, source="graphql_tags"),
        GraphQLList(
            "recommended_reading",
            RecommendedReadingItem,
            source="graphql_recommended_reading",
            description="往期推荐: live, public articles and external links, in editor order.",
        ),
        GraphQLString(
            "json_ld",
            required=True,
            source="graphql_json_ld",
            description=(
                "A schema.org NewsArticle as JSON, safe to place inside "
                '<script type="application/ld+json">.'
            ),
        ),
        GraphQLString(
            "oembed_url",
            required=True,
            source="graphql_oembed_url",
            description=(
                'For <link rel="alternate" type="application/json+oembed">: lets partner '
                "sites embed the article from its link."
            ),
        ),
    ]

    @classmethod
    def graphql_prefetch(cls, articles, info):
        """The relations asked of the articles of a page tree list (cms.api.pages)."""
        _prefetch_relations(articles, info)

    def graphql_body(self, info, **kwargs):
        # What the blocks read (chosen images and calls to action, renditions, linked pages,
        # embeds) for the bodies of all the articles loaded with this one (cms.api.blocks).
        return primed_stream(self, "body", info)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def publication_time(self):
        """``published_at``; a draft (seen in preview) may have none yet: when it would go live."""
        return self.published_at or self.go_live_at or timezone.now()

    def with_content_json(self, content):
        # A revision saved before the article first went live holds an empty date, which
        # save() filled in on the page row since: editing and republishing keep that date.
        page = super().with_content_json(content)
        if page.published_at is None:
            page.published_at = self.published_at
        return page

    def save(self, *args, **kwargs):
        if self.live and self.published_at is None:
            # Going live with the date left empty: now, or the scheduled time when the
            # scheduler (which runs every minute or so) publishes it.
            now = timezone.now()
            scheduled = self.go_live_at if self.go_live_at and self.go_live_at <= now else None
            self.published_at = scheduled or now
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        return super().save(*args, **kwargs)

    # GraphQL resolvers: they read prefetched relations (see ArticlePageQuerySet) and never
    # touch the database for an article that came from a list.

    def seo_fallback_description(self) -> str:
        return self.summary

    def seo_fallback_image(self):
        return self.cover_image

    def graphql_json_ld(self, info, **kwargs):
        from articles.json_ld import news_article

        return news_article(self, info.context)

    def graphql_oembed_url(self, info, **kwargs):
        request = info.context
        query = urlencode({"url": page_url(self, request) or "", "format": "json"})
        return request.build_absolute_uri(reverse("oembed")) + "?" + query

    def graphql_subtitle(self, info, **kwargs):
        return self.subtitle or None

    def graphql_cover(self, info, **kwargs):
        # Null when the image sits in a private collection (or below one): the media rule
        # on the Image type (cms.api.media_rule).
        return self.cover_image

    def graphql_published_at(self, info, **kwargs):
        return timezone.localtime(self.publication_time)

    def graphql_sources(self, info, **kwargs):
        return list(self.sources.all())

    def graphql_categories(self, info, **kwargs):
        return list(self.categories.all())

    def graphql_tags(self, info, **kwargs):
        return [item.tag for item in self.tagged_items.all()]

    def graphql_recommended_reading(self, info, **kwargs):
        rule = visibility.for_request(info.context)
        items = []
        for item in self.recommended_reading.all():
            if item.article_id is None:
                if item.external_url:
                    items.append(RecommendedReadingItem.external(item))
            elif rule.allows(item.article):
                items.append(RecommendedReadingItem.internal(item, info.context))
        return items


class ArticleSource(Orderable):
    """A source the article is based on (来源), e.g. 新华网."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]

    graphql_fields = [GraphQLString("name", required=True), GraphQLString("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name


class RecommendedReading(Orderable):
    """One 往期推荐 item: an article on this site, or an external link with its title."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="recommended_reading")
    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    external_url = models.URLField(_("external URL"), blank=True)
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Required for an external link; overrides the article's title otherwise."),
    )

    panels = [FieldPanel("article"), FieldPanel("external_url"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("recommended article")
        verbose_name_plural = _("recommended reading")

    def clean(self):
        super().clean()
        if self.article_id and self.external_url:
            raise ValidationError(_("Choose an article or enter an external URL, not both."))
        if not self.article_id and not self.external_url:
            raise ValidationError(_("Choose an article or enter an external URL."))
        if self.external_url and not self.title:
            raise ValidationError({"title": _("An external link needs a title.")})
        if self.article_id and self.article_id == self.page_id:
            raise ValidationError({"article": _("An article cannot recommend itself.")})
