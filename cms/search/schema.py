"""Root queries: ``search`` (paginated, filtered, ranked, highlighted) and
``searchSuggestions`` (title autocomplete). Both return only what ``cms.core.visibility``
allows."""

import graphene
from django.utils import timezone

from cms.api.arguments import Date
from cms.api.pages import PageInterface
from cms.api.pagination import page_of
from cms.api.site_argument import resolve_site, site_argument
from cms.search import query as site_search


class SearchHit(graphene.ObjectType):
    page = graphene.Field(graphene.NonNull(PageInterface), description="The page found.")
    title = graphene.String(required=True)
    url = graphene.String(required=True)
    highlighted_title = graphene.String(
        required=True, description="The title, HTML-escaped, matched words in <mark>."
    )
    excerpt = graphene.String(
        required=True,
        description="Text around the first match, HTML-escaped, matched words in <mark>.",
    )
    published_at = graphene.DateTime(
        description="An article's publication time, else the page's first publication (Beijing)."
    )

    def resolve_url(hit, info):
        return hit.page.get_url(info.context) or ""

    def resolve_published_at(hit, info):
        return timezone.localtime(hit.published_at) if hit.published_at else None


SearchResults = page_of(
    "SearchResults",
    SearchHit,
    words=graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The words the query was segmented into.",
    ),
)


class SearchSuggestion(graphene.ObjectType):
    title = graphene.String(required=True)
    highlighted_title = graphene.String(required=True)
    url = graphene.String(required=True)
    page = graphene.Field(graphene.NonNull(PageInterface))

    def resolve_url(suggestion, info):
        return suggestion.page.get_url(info.context) or ""


class SearchQuery:
    search = graphene.Field(
        graphene.NonNull(SearchResults),
        query=graphene.String(required=True, description="Words to find, e.g. 普惠托育."),
        site=site_argument(),
        page=graphene.Int(default_value=1),
        per_page=graphene.Int(default_value=10),
        category=graphene.String(description="Only articles of this category (slug)."),
        tag=graphene.String(description="Only articles with this tag (slug)."),
        date_from=Date(description="Articles published on or after this day."),
        date_to=Date(description="Articles published on or before this day."),
        description="Live, public pages of a site matching the query: title hits first, "
        "then newer first.",
    )
    search_suggestions = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(SearchSuggestion))),
        prefix=graphene.String(required=True, description="What the reader typed so far."),
        site=graphene.String(),
        limit=graphene.Int(default_value=8),
        description="Titles of live, public pages for what the reader has typed so far.",
    )

    def resolve_search(self, info, query, site=None, page=1, per_page=10, **filters):
        site_obj = resolve_site(info, site)
        return site_search.search(
            info.context, site_obj, query, page=page, per_page=per_page, info=info, **filters
        )

    def resolve_search_suggestions(self, info, prefix, site=None, limit=8):
        site_obj = resolve_site(info, site)
        limit = 8 if limit is None else limit
        return site_search.suggestions(info.context, site_obj, prefix, limit=limit)
