"""Root query ``redirect``: the admin's redirects (wagtail.contrib.redirects) for front ends.

A redirect to a page answers only while that page is visible to clients, so a
redirect never reveals the path or title of a draft, expired or private page.
"""

import graphene
from django.db.models import F
from django.utils.translation import gettext
from wagtail.contrib.redirects.models import Redirect

from cms.api import frontend
from cms.api.errors import bad_input
from cms.api.pages import PageInterface
from cms.api.site_argument import resolve_site, site_argument
from cms.core import visibility


class RedirectTarget(graphene.ObjectType):
    old_path = graphene.String(required=True, description="The path as stored, e.g. /old-news")
    is_permanent = graphene.Boolean(required=True, description="301 when true, else 302.")
    location = graphene.String(
        required=True,
        description="Where to send the visitor: a path on this site, or an absolute URL.",
    )
    url = graphene.String(required=True, description="The same target as an absolute URL.")
    page = graphene.Field(PageInterface, description="The target page, when it is one.")


def find_redirect(site_obj, path: str):
    normalised = Redirect.normalise_path(path)
    candidates = (
        Redirect.get_for_site(site_obj)
        .filter(old_path__in={normalised, Redirect.normalise_path(path, decode_unicode=False)})
        .select_related("redirect_page")
        .order_by(F("site_id").desc(nulls_last=True), "id")
    )
    return candidates.first()


class RedirectQuery:
    redirect = graphene.Field(
        RedirectTarget,
        path=graphene.String(required=True, description="The requested path, e.g. /old-news/"),
        site=site_argument(),
        description="The redirect for a path on a site, or null when there is none.",
    )

    def resolve_redirect(self, info, path, site=None):
        path = path.strip()
        if not path or len(path) > 255 or "\0" in path:
            raise bad_input(gettext("path must be a path of 1 to 255 characters."), "path")
        site_obj = resolve_site(info, site)
        found = find_redirect(site_obj, path)
        if found is None:
            return None
        request = info.context
        if found.redirect_page_id is not None:
            page = found.redirect_page
            if not visibility.for_request(request).allows(page):
                return None
            page = page.specific
            located = frontend.page_path(page, request)
            if located is None:
                return None
            target_site_id, target_path = located
            url = frontend.page_url(page, request)
            location = target_path if target_site_id == site_obj.pk else url
            return RedirectTarget(
                old_path=found.old_path,
                is_permanent=found.is_permanent,
                location=location,
                url=url,
                page=page,
            )
        if not found.redirect_link:
            return None
        return RedirectTarget(
            old_path=found.old_path,
            is_permanent=found.is_permanent,
            location=found.redirect_link,
            url=found.redirect_link,
            page=None,
        )
