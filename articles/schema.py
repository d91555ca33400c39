"""Root queries for articles: one by slug or path, and a paginated, filterable list."""

import math

import graphene

from articles.models import ArticleCategory, ArticlePage
from cms.api import selection
from cms.api.model_fields import list_of, registered_type
from cms.api.pages import find_page, one_page
from cms.api.pagination import checked_window, page_of
from cms.api.site_argument import resolve_site, site_argument
from cms.core import visibility


def child_needs_total(info) -> bool:
    return not selection.child_fields(info).isdisjoint({"totalCount", "totalPages"})


class ArticleOrder(graphene.Enum):
    NEWEST = "-published_at"
    OLDEST = "published_at"


ArticleList = page_of("ArticleList", registered_type("articles.ArticlePage"))


class ArticleQuery:
    article = one_page(
        registered_type("articles.ArticlePage"),
        "A live, public article by id, slug or URL path; with a token, its draft.",
    )
    articles = graphene.Field(
        graphene.NonNull(ArticleList),
        site=graphene.String(),
        page=graphene.Int(default_value=1),
        per_page=graphene.Int(default_value=10),
        category=graphene.String(description="A category slug."),
        tag=graphene.String(description="A tag slug."),
        order=graphene.Argument(ArticleOrder, default_value=ArticleOrder.NEWEST.value),
        description="Live, public articles of a site, newest first by default.",
    )
    article_categories = list_of(
        "articles.ArticleCategory",
        site=site_argument(),
        description="All article categories.",
    )

    def resolve_article(self, info, **lookup):
        return find_page(info, ArticlePage.objects.for_clients(info), **lookup)

    def resolve_articles(
        self, info, site=None, page=1, per_page=10, category=None, tag=None, order=None
    ):
        page, per_page = checked_window(page, per_page)
        site_obj = resolve_site(info, site)
        queryset = visibility.for_request(info.context).filter(
            ArticlePage.objects.descendant_of(site_obj.root_page)
        )
        if category:
            queryset = queryset.filter(categories__slug=category)
        if tag:
            queryset = queryset.filter(tags__slug=tag)
        order = getattr(order, "value", order) or ArticleOrder.NEWEST.value
        queryset = queryset.order_by(order, "-id" if order.startswith("-") else "id")
        if category or tag:
            # Only these joins can repeat an article. DISTINCT over every column (the body
            # included) would otherwise make each page of the list sort the whole table.
            queryset = queryset.distinct()

        offset = (page - 1) * per_page
        if child_needs_total(info):
            total = queryset.count()
            rows = queryset.for_clients(info, ("items",))[offset : offset + per_page]
            items = list(rows) if offset < total else []
        else:
            # No count asked for: one more row says whether there is a next page.
            items = list(queryset.for_clients(info, ("items",))[offset : offset + per_page + 1])
            total = None
        has_next = offset + per_page < total if total is not None else len(items) > per_page
        return ArticleList(
            items=items[:per_page],
            total_count=total,
            page=page,
            per_page=per_page,
            total_pages=math.ceil(total / per_page) if total is not None else None,
            has_next_page=has_next,
        )

    def resolve_article_categories(self, info, site=None):
        # Shared by all sites, but read under the site's rules (tokens, origins) all the same.
        resolve_site(info, site)
        return list(ArticleCategory.objects.all())
