"""THE rule for what a client may see.

A page reaches a client only when it is live, not past its expiry time, and not
behind a view restriction (password, login or group) on itself or an ancestor.
Every resolver that returns pages goes through this module, so a new relation
cannot forget the rule.

Wagtail's own ``live().public()`` misses one case: a page whose ``expire_at`` has
passed stays ``live`` until the scheduler runs; it is hidden here at once.

Images and documents follow the same idea: one in a view-restricted collection, or in
a descendant of one, is never shown (Wagtail and grapple check only the item's own
collection).

The restrictions are read once per content generation (``cms.core.generation_memo``; once
per request when there is none) and kept on the request, so checking a page that is already
loaded (a foreign key, a list item) costs no SQL query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.core.generation_memo import per_generation
from cms.core.request_state import state_of


def _restricted_paths() -> tuple[str, ...]:
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())


def _hidden_collections() -> frozenset[int]:
    # One query: collections whose path starts with a restricted collection's path.
    restricted_above = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("path"), 1, Length("collection__path"))
    )
    return frozenset(
        Collection.objects.filter(Exists(restricted_above)).values_list("id", flat=True)
    )


class Visibility:
    def __init__(self, request=None):
        self.now = timezone.now()
        self._request = request
        self._restricted_paths: tuple[str, ...] | None = None
        self._hidden_collections: frozenset[int] | None = None

    @property
    def restricted_paths(self) -> tuple[str, ...]:
        if self._restricted_paths is None:
            self._restricted_paths = per_generation(
                self._request, "restricted_paths", _restricted_paths
            )
        return self._restricted_paths

    def allows(self, page: Page | None) -> bool:
        """Whether an already-loaded page may be shown. No query after the first call."""
        if page is None or not page.live or page.depth is None or page.depth <= 1:
            return False
        if page.expire_at is not None and page.expire_at <= self.now:
            return False
        return not any(page.path.startswith(path) for path in self.restricted_paths)

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Narrow a page queryset to the pages a client may see."""
        queryset = queryset.filter(live=True, depth__gt=1).filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=self.now)
        )
        for path in self.restricted_paths:
            queryset = queryset.exclude(path__startswith=path)
        return queryset

    @property
    def hidden_collections(self) -> frozenset[int]:
        """Ids of view-restricted collections and of every collection below one."""
        if self._hidden_collections is None:
            self._hidden_collections = per_generation(
                self._request, "hidden_collections", _hidden_collections
            )
        return self._hidden_collections

    def allows_media(self, item) -> bool:
        """Whether an image or document (already loaded) may be shown."""
        return item is not None and item.collection_id not in self.hidden_collections

    def media(self, item):
        """The image or document itself when it may be shown, else None."""
        return item if self.allows_media(item) else None

    def keep(self, pages: Iterable[Page | None]) -> list[Page]:
        """The visible pages of an already-loaded list, in order."""
        return [page for page in pages if self.allows(page)]


def for_request(request) -> Visibility:
    """The visibility rule for one request (a fresh one when there is no request)."""
    if request is None:
        return Visibility()
    state = state_of(request)
    if state.visibility is None:
        state.visibility = Visibility(request)
    return state.visibility


def visible_pages(queryset: QuerySet | None = None, request=None) -> QuerySet:
    return for_request(request).filter(Page.objects.all() if queryset is None else queryset)
