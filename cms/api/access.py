"""Who may read a site: its API settings, the request's token and its browser origin.

The settings come with the request's list of sites (``sites.all_sites``, one query).
"""

from __future__ import annotations

from contextlib import suppress

from django.utils.translation import gettext

from cms.api import tokens
from cms.api.errors import forbidden, unauthenticated
from cms.api.models import ApiSettings, ApiToken
from cms.api.origins import same_origin
from cms.api.sites import all_sites
from cms.core.request_state import state_of


def site_settings(request) -> dict:
    """{site id: ApiSettings} for the sites that have any (absent means the defaults)."""
    found = {}
    for site in all_sites(request):
        with suppress(ApiSettings.DoesNotExist):
            found[site.pk] = site.apisettings  # selected with the site: no query
    return found


def origins_of(request, site) -> list[str]:
    row = site_settings(request).get(site.pk)
    return row.origins if row is not None else []


def any_site_allows(request, origin: str) -> bool:
    return any(origin in row.origins for row in site_settings(request).values())


def check(request, site) -> None:
    """Raise a GraphQL error unless this request may read ``site``."""
    if request is None:
        return
    token = state_of(request).api_token
    row = site_settings(request).get(site.pk)
    if token is not None:
        if not token.may_read(site):
            raise forbidden(
                gettext("This API token may not read the site “{site}”.").format(
                    site=site.hostname
                ),
                "site",
            )
    elif row is not None and row.require_token:
        raise unauthenticated(
            gettext(
                "Reading the site “{site}” needs an API token (Authorization: Bearer <token>)."
            ).format(site=site.hostname)
        )
    origin = (request.headers.get("Origin") or "").lower()
    allowed = row.origins if row is not None else []
    if origin and not same_origin(request, origin) and origin not in allowed:
        raise forbidden(
            gettext("The origin {origin} may not read the site “{site}”.").format(
                origin=origin, site=site.hostname
            ),
            "site",
        )


def refuses_outside_api(request, site) -> bool:
    """Whether a path outside the GraphQL door (sitemap, feed, oEmbed) must refuse this
    request for ``site``: the site requires a token and the request sends none that may
    read it. Those paths would otherwise list what the API keeps from anonymous clients."""
    row = site_settings(request).get(site.pk)
    if row is None or not row.require_token:
        return False
    try:
        token = ApiToken.objects.for_request(request)
    except tokens.InvalidToken:
        return True
    return token is None or not token.may_read(site)
