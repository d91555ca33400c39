"""Front-end addresses: where a site's pages, previews and canonical URLs live.

The CMS renders no pages, so every public URL it hands out (sitemap, feed, canonical
URL, preview) points at the site's front end: the ``FrontendSettings.base_url`` of
that site, else ``CMS_FRONTEND_URL`` (what `make run` starts), else the site's own root
URL. Settings are read once per
request and kept on it.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from wagtail.models import Page, Site

from cms.api.sites import all_sites
from cms.core.request_state import state_of


def frontend_settings(site: Site, request=None):
    cache = state_of(request).frontend_settings if request is not None else {}
    if site.pk not in cache:
        # The settings model belongs to cms.publishing, where editors keep it; the kit
        # reads it by name, as Wagtail's own settings are found.
        cache[site.pk] = apps.get_model("publishing", "FrontendSettings").for_site(site)
    return cache[site.pk]


def base_url(site: Site, request=None) -> str:
    """The front end's address for ``site``, without a trailing slash."""
    configured = frontend_settings(site, request).base_url or settings.CMS_FRONTEND_URL
    return (configured or site.root_url).rstrip("/")


def has_front_end(site: Site, request=None) -> bool:
    """Whether anything renders this site's pages: else its URLs lead to the CMS itself."""
    found = frontend_settings(site, request)
    return bool(found.base_url or found.preview_url or settings.CMS_FRONTEND_URL)


def preview_url(site: Site, request=None) -> str:
    configured = frontend_settings(site, request).preview_url
    return configured or base_url(site, request) + "/preview"


def page_path(page: Page, request=None) -> tuple[int, str] | None:
    """(site id, path within that site) of a page, or None when no site holds it."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    site_id, _root_url, path = parts
    return site_id, path


def page_url(page: Page, request=None, sites: dict[int, Site] | None = None) -> str | None:
    """The absolute front-end URL of a page, or None when no site holds it."""
    found = page_path(page, request)
    if found is None:
        return None
    site_id, path = found
    site = (sites or {}).get(site_id) or _site(site_id, request)
    return base_url(site, request) + path


def site_of(page: Page, request=None) -> Site | None:
    """The site holding a page, from the request's cached site roots (no query per page)."""
    found = page_path(page, request) if page.pk and page.path else None
    return _site(found[0], request) if found else None


def _site(site_id: int, request=None) -> Site:
    return next(site for site in all_sites(request) if site.pk == site_id)
