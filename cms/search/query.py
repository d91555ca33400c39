"""Site search over live, public pages: matching, filters, ranking, excerpts, suggestions.

Matching is the search backend's (``WAGTAILSEARCH_BACKENDS``; Chinese-aware); which
pages a client may see is ``cms.core.visibility``'s; ranking is done here, the same on every
backend: pages whose title holds every query word first, then those whose title holds
some, then body-only hits; newer first within each.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.api.errors import bad_input
from cms.api.pagination import checked_window
from cms.core import visibility
from cms.search import highlight
from cms.search.backends import MatchingIds
from cms.search.segmentation import normalize, segmenter

MAX_QUERY_LENGTH = 100
MAX_PREFIX_LENGTH = 50
ID_CHUNK = 10_000


def clean_query(text: str | None, field: str, max_length: int) -> tuple[str, list[str]]:
    text = (text or "").strip()
    if not text:
        raise bad_input(gettext("Enter words to search for."), field)
    if len(text) > max_length:
        raise bad_input(
            gettext("Search words cannot be longer than {limit} characters.").format(
                limit=max_length
            ),
            field,
        )
    words = [term.word for term in segmenter().query_terms(text)]
    if not words:
        raise bad_input(gettext("Search words need Chinese characters, letters or digits."), field)
    return text, words


@dataclass
class Hit:
    page: Page
    title: str
    highlighted_title: str
    excerpt: str
    published_at: datetime.datetime | None


@dataclass
class Results:
    items: list[Hit]
    total_count: int
    page: int
    per_page: int
    words: list[str]

    @property
    def total_pages(self):
        return math.ceil(self.total_count / self.per_page)

    @property
    def has_next_page(self):
        return self.page * self.per_page < self.total_count


def _title_rank(title: str, words: list[str]) -> tuple[int, int]:
    title = normalize(title)
    hits = sum(1 for word in words if word in title)
    tier = 2 if hits == len(words) else (1 if hits else 0)
    return tier, hits


def _matching(query: str, *, autocomplete: bool = False, operator: str = "and"):
    """The pages matching ``query``: on the database backends a subquery of their ids, so the
    database narrows them further and no page is loaded; else (an external engine) their ids.
    """
    backend = get_search_backend()
    if autocomplete:
        # Title prefixes; an external backend's autocomplete already is that.
        complete = getattr(backend, "title_autocomplete", backend.autocomplete)
        found = complete(query, Page.objects.all(), order_by_relevance=False)
    else:
        found = backend.search(
            query, Page.objects.all(), order_by_relevance=False, operator=operator
        )
    if isinstance(found, MatchingIds):
        return found.id_subquery()
    return sorted(page.pk for page in found)


def _site_pages(site):
    return Page.objects.descendant_of(site.root_page)


def _visible_rows(request, pages, matching, **filters) -> list[tuple]:
    """(id, title, date, article id or None) of the visible pages of ``pages`` among
    ``matching`` (see ``_matching``)."""
    queryset = visibility.for_request(request).filter(pages)
    if filters.get("category"):
        queryset = queryset.filter(articlepage__categories__slug=filters["category"])
    if filters.get("tag"):
        queryset = queryset.filter(articlepage__tagged_items__tag__slug=filters["tag"])
    if filters.get("category") or filters.get("tag"):
        queryset = queryset.distinct()
    if filters.get("date_from"):
        queryset = queryset.filter(articlepage__published_at__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(articlepage__published_at__lt=filters["date_to"])
    queryset = queryset.annotate(
        sort_date=Coalesce(F("articlepage__published_at"), F("first_published_at")),
        article_id=F("articlepage__page_ptr_id"),
    ).values_list("pk", "title", "sort_date", "article_id")
    if isinstance(matching, QuerySet):
        return list(queryset.filter(pk__in=matching))
    rows = []
    # Chunks keep each query under the databases' limits on bound parameters.
    for start in range(0, len(matching), ID_CHUNK):
        rows.extend(queryset.filter(pk__in=matching[start : start + ID_CHUNK]))
    return rows


def _day_bounds(date_from, date_to):
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(date_from, datetime.time(), zone) if date_from else None
    end = (
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time(), zone)
        if date_to
        else None
    )
    return start, end


def _newest_first(date):
    return -date.timestamp() if date else math.inf


def search(
    request,
    site,
    query,
    *,
    page=1,
    per_page=10,
    category=None,
    tag=None,
    date_from=None,
    date_to=None,
    info=None,
) -> Results:
    text, words = clean_query(query, "query", MAX_QUERY_LENGTH)
    page, per_page = checked_window(page, per_page)
    if date_from and date_to and date_from > date_to:
        raise bad_input(gettext("dateFrom cannot be after dateTo."), "dateFrom")
    start, end = _day_bounds(date_from, date_to)

    rows = _visible_rows(
        request,
        _site_pages(site),
        _matching(text),
        category=category,
        tag=tag,
        date_from=start,
        date_to=end,
    )
    rows.sort(key=_ranking(words))
    offset = (page - 1) * per_page
    selected = rows[offset : offset + per_page]
    return Results(
        items=_hits(selected, words, info),
        total_count=len(rows),
        page=page,
        per_page=per_page,
        words=words,
    )


def _ranking(words: list[str]):
    """Sort key of visible rows: every query word in the title, then some, then body-only
    hits; newer first within each."""
    return lambda row: (
        *(-rank for rank in _title_rank(row[1], words)),
        _newest_first(row[2]),
        -row[0],
    )


def ranked_page_ids(request, pages, query, field: str, operator: str = "and") -> list[int]:
    """Ids of the visible pages of the queryset ``pages`` matching ``query``, ranked as
    ``search`` ranks them; ``field`` names the argument in errors."""
    text, words = clean_query(query, field, MAX_QUERY_LENGTH)
    rows = _visible_rows(request, pages, _matching(text, operator=operator))
    rows.sort(key=_ranking(words))
    return [row[0] for row in rows]


def _hits(rows, words, info=None) -> list[Hit]:
    """The hits of ``rows``; with the GraphQL ``info`` of ``search``, their articles come with
    the relations asked of ``items { page }``, else with all of them. Bodies are always
    read: each excerpt is cut from one."""
    article_ids = [row[0] for row in rows if row[3] is not None]
    other_ids = [row[0] for row in rows if row[3] is None]
    # Pages found are mostly articles: each comes with what is asked of it, in one go.
    articles = (
        apps.get_model("articles.ArticlePage")
        .objects.filter(pk__in=article_ids)
        .for_clients(info, ("items", "page"), body=True)
    )
    pages = {p.pk: p for p in articles}
    if other_ids:
        pages.update({p.pk: p for p in Page.objects.filter(pk__in=other_ids).specific()})
    hits = []
    for pk, title, sort_date, _article in rows:
        page = pages[pk]
        hits.append(
            Hit(
                page=page,
                title=title,
                highlighted_title=highlight.mark(title, words),
                excerpt=highlight.excerpt(highlight.plain_text(page), words),
                published_at=sort_date,
            )
        )
    return hits


@dataclass
class Suggestion:
    page: Page
    title: str
    highlighted_title: str


def suggestions(request, site, prefix, *, limit=8) -> list[Suggestion]:
    text, words = clean_query(prefix, "prefix", MAX_PREFIX_LENGTH)
    if not 1 <= limit <= 20:
        raise bad_input(
            gettext("{name} must be between 1 and {limit}.").format(name="limit", limit=20), "limit"
        )
    wanted = normalize(text)
    rows = _visible_rows(request, _site_pages(site), _matching(text, autocomplete=True))
    rows.sort(
        key=lambda row: (
            not normalize(row[1]).startswith(wanted),
            wanted not in normalize(row[1]),
            _newest_first(row[2]),
            -row[0],
        )
    )
    rows = rows[:limit]
    pages = Page.objects.in_bulk([row[0] for row in rows])
    return [
        Suggestion(page=pages[pk], title=title, highlighted_title=highlight.mark(title, words))
        for pk, title, _date, _article in rows
    ]
