"""The page interface every page type implements, and the generic ``page`` root query.

Grapple's interface filters its tree relations with ``live().public()``; this one
asks ``cms.core.visibility`` instead (which also hides expired pages and the tree root),
accepts only known ``order`` values (a free-form ``order_by`` lets a client sort by
any column, a side channel), searches (``searchQuery``) with the Chinese-aware search
among the visible pages only, and gives URLs for the request's site.
"""

from urllib.parse import unquote

import graphene
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from grapple.types.interfaces import PageInterface as GrapplePageInterface
from grapple.types.interfaces import get_page_interface
from grapple.types.structures import QuerySetList
from grapple.utils import resolve_queryset
from wagtail.models import Page

from cms.api.arguments import PositiveInt
from cms.api.cache_invalidation import never_cache
from cms.api.drafts import draft_for_token
from cms.api.errors import bad_input
from cms.api.peers import load_together
from cms.api.seo import Seo, seo_for
from cms.api.site_argument import current_site, resolve_site, site_argument
from cms.core import visibility

MAX_ID = 2**63 - 1  # bigint


def _page_ranker():
    """How ``searchQuery`` ranks pages: ``CMS_PAGE_RANKER`` names the function, as
    WAGTAILSEARCH_BACKENDS names a search backend, so the kit needs no search feature."""
    return import_string(settings.CMS_PAGE_RANKER)


def preview_token_argument():
    return graphene.String(
        description=(
            "A preview token from the admin's Preview (the front end's preview URL carries "
            "it). Answers the draft for that token's page, or null for an invalid or "
            "expired token."
        )
    )


ORDERABLE_PAGE_FIELDS = {"title", "slug", "path", "first_published_at", "last_published_at"}


def checked_order(order: str | None) -> str | None:
    if order is None:
        return None
    terms = [term.strip() for term in order.split(",") if term.strip()]
    for term in terms:
        if term.lstrip("-") not in ORDERABLE_PAGE_FIELDS:
            raise bad_input(
                gettext("Cannot order by “{term}”. Fields to order by: {fields}").format(
                    term=term, fields="、".join(sorted(ORDERABLE_PAGE_FIELDS))
                ),
                "order",
            )
    return ",".join(terms) or None


def checked_limit(limit: int | None) -> int | None:
    # Grapple reads 0 as "the default page size"; a client asking for none means a mistake.
    if limit is not None and not 1 <= limit <= settings.GRAPPLE["MAX_PAGE_SIZE"]:
        raise bad_input(
            gettext("{name} must be between 1 and {limit}.").format(
                name="limit", limit=settings.GRAPPLE["MAX_PAGE_SIZE"]
            ),
            "limit",
        )
    return limit


def visible_queryset(queryset, info, **kwargs):
    """Grapple's list arguments (limit, offset, search, order) on the visible pages only,
    with the relations asked of them."""
    kwargs["order"] = checked_order(kwargs.get("order"))
    checked_limit(kwargs.get("limit"))
    queryset = within_site(queryset, info)
    search_query = kwargs.pop("search_query", None)
    operator = str(kwargs.pop("search_operator", None) or "and")
    if search_query is not None:
        return with_relations(
            searched_pages(queryset, info, search_query, operator, **kwargs), info
        )
    queryset = visibility.for_request(info.context).filter(queryset).specific()
    return with_relations(list(resolve_queryset(queryset, info, **kwargs)), info)


def _site_root(info):
    site = current_site(info.context)
    return site.root_page if site is not None else None


def within_site(queryset, info):
    """Only the pages under the root of the site the query resolved (and so was allowed to
    read): the sites' home pages are siblings under the tree root, so a relation left
    unbounded would walk from a public site into one that requires a token or refuses
    the origin. No site resolved, no pages."""
    root = _site_root(info)
    if root is None:
        return queryset.none()
    return queryset.descendant_of(root, inclusive=True)


def searched_pages(queryset, info, search_query, operator, **list_args) -> list:
    """The visible pages of a tree relation matching ``search_query``, ranked as the
    ``search`` query ranks (title hits first, then newer first), under the relation's
    other arguments (grapple's ``limit``, ``offset``, ``order``, ``id``, ``in_menu``).

    The search backend cannot filter on ``expire_at`` (nor on view restrictions), so it
    finds the matches and ``cms.search`` keeps the visible ones of the relation by id:
    a fixed number of queries, however many pages match.
    """
    if list_args.get("order") is not None:
        raise bad_input(
            gettext(
                "searchQuery results come in order of relevance: it cannot be used with order."
            ),
            "order",
        )
    if list_args.get("id") is not None:
        queryset = queryset.filter(pk=list_args["id"])
    if list_args.get("in_menu") is not None:
        queryset = queryset.filter(show_in_menus=list_args["in_menu"])
    ids = _page_ranker()(info.context, queryset, search_query, "searchQuery", operator)
    offset = list_args.get("offset") or 0
    wanted = ids[offset : offset + (list_args.get("limit") or settings.GRAPPLE["PAGE_SIZE"])]
    pages = Page.objects.filter(pk__in=wanted).specific().in_bulk()
    return [pages[pk] for pk in wanted if pk in pages]


def with_relations(pages: list, info) -> list:
    """``pages``, each type's relations fetched for all its pages of the list at once.

    A page type reads the relations its fields need in a class method
    ``graphql_prefetch(pages, info)``, ``info`` being the list's field: a list of pages of
    several types costs a fixed number of queries per type, not some per page.
    """
    # Peers (cms.api.peers): a field such as an article's body reads for all at once.
    load_together(pages)
    by_type: dict[type, list] = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for page_type, of_type in by_type.items():
        prefetch = getattr(page_type, "graphql_prefetch", None)
        if prefetch is not None:
            prefetch(of_type, info)
    return pages


# What "visible" means in the tree relations' descriptions (``visible_queryset``).
VISIBLE = "Visible: published, not expired, not behind a view restriction, in the request's site."


def _relation(description: str):
    """A tree relation, as grapple's interface declares it, with a ``limit`` and ``offset``
    whose out-of-range values are refused under their names (``cms.api.arguments``)."""
    return QuerySetList(
        graphene.NonNull(get_page_interface),
        description=f"{description} {VISIBLE}",
        enable_search=True,
        required=True,
        enable_in_menu=True,
        limit=graphene.Argument(PositiveInt, description="Limit a number of resulting objects."),
        offset=graphene.Argument(
            PositiveInt,
            description="Number of records skipped from the beginning of the results set.",
        ),
    )


class PageInterface(GrapplePageInterface):
    # Pages outside the request's site are never in a relation: a site's home page has no
    # siblings and no ancestors.
    children = _relation("The visible pages directly below this one, in the tree's order.")
    siblings = _relation("The other visible pages with the same parent, in the tree's order.")
    next_siblings = _relation(
        "The visible pages with the same parent after this one, the nearest first."
    )
    previous_siblings = _relation(
        "The visible pages with the same parent before this one, the nearest first."
    )
    descendants = _relation("Every visible page below this one, at any depth, in the tree's order.")
    ancestors = _relation(
        "The visible pages above this one, from the site's home page down to the parent."
    )
    seo = graphene.Field(
        graphene.NonNull(Seo), description="Title, description, sharing image, canonical URL."
    )

    class Meta:
        name = "PageInterface"

    def resolve_seo(self, info, **kwargs):
        return seo_for(self, info.context)

    def resolve_url(self, info, **kwargs):
        return self.get_url(info.context)

    def resolve_parent(self, info, **kwargs):
        root = _site_root(info)
        if root is None or self.pk == root.pk or not (self.path or "").startswith(root.path):
            return None  # the site's root has no parent within the site
        parent = self.get_parent()
        if parent is not None and visibility.for_request(info.context).allows(parent):
            return parent.specific
        return None

    def resolve_children(self, info, **kwargs):
        return visible_queryset(self.get_children(), info, **kwargs)

    def resolve_siblings(self, info, **kwargs):
        return visible_queryset(self.get_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_next_siblings(self, info, **kwargs):
        return visible_queryset(self.get_next_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_previous_siblings(self, info, **kwargs):
        return visible_queryset(self.get_prev_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_descendants(self, info, **kwargs):
        return visible_queryset(self.get_descendants(), info, **kwargs)

    def resolve_ancestors(self, info, **kwargs):
        return visible_queryset(self.get_ancestors(), info, **kwargs)


def _site_path(url_path: str) -> str:
    # Page URLs are percent-encoded (Chinese slugs); accept both forms.
    url_path = unquote(url_path)
    return "/" + url_path.strip("/") + "/" if url_path.strip("/") else "/"


def _draft_matches(page, site_obj, id=None, slug=None, url_path=None) -> bool:
    if id is not None and str(page.pk) != str(id):
        return False
    if slug is not None and page.slug != slug:
        return False
    if url_path is not None:
        wanted = site_obj.root_page.url_path + _site_path(url_path).lstrip("/")
        return page.url_path == wanted
    return True


def find_page(info, queryset, *, site=None, id=None, slug=None, url_path=None, token=None):
    """One visible page of ``site`` by id, slug or URL path within the site, else None.

    With a preview ``token``, the draft that token stands for instead (see
    ``cms.publishing.preview``); id, slug or URL path, when given, must be that page's.
    """
    if token is not None:
        never_cache(info.context)  # a draft changes without any publish

        site_obj = resolve_site(info, site)
        if id is not None and not str(id).isdigit():
            raise bad_input(gettext("{name} must be a number.").format(name="id"), "id")
        draft = draft_for_token(token, site_obj, queryset.model)
        if draft is None or not _draft_matches(draft, site_obj, id, slug, url_path):
            return None
        return draft
    if id is None and slug is None and url_path is None:
        raise bad_input(gettext("Give one of id, slug or urlPath."), "id")
    site_obj = resolve_site(info, site)
    queryset = visibility.for_request(info.context).filter(
        queryset.descendant_of(site_obj.root_page, inclusive=True)
    )
    if id is not None:
        if not str(id).isdigit():
            raise bad_input(gettext("{name} must be a number.").format(name="id"), "id")
        if int(id) > MAX_ID:
            return None  # No such page; the database would refuse the number itself.
        queryset = queryset.filter(id=int(id))
    if slug is not None:
        queryset = queryset.filter(slug=slug)
    if url_path is not None:
        path = _site_path(url_path)
        queryset = queryset.filter(url_path=site_obj.root_page.url_path + path.lstrip("/"))
    return queryset.order_by("path").first()


def one_page(page_type, description):
    """A root field answering one page of ``page_type`` by its ``find_page`` arguments: the
    site, then id, slug or URL path, or a preview token; its resolver passes them on."""
    return graphene.Field(
        page_type,
        site=site_argument(),
        id=graphene.ID(),
        slug=graphene.String(),
        url_path=graphene.String(description="The path within the site, e.g. /articles/some-slug/"),
        token=preview_token_argument(),
        description=description,
    )


class PageQuery:
    page = one_page(
        PageInterface,
        "A live, public page of any type; with a preview token, that page's draft.",
    )

    def resolve_page(self, info, **lookup):
        page = find_page(info, Page.objects.all(), **lookup)
        return page.specific if page is not None else None
