"""Which Wagtail Site a GraphQL query is about: its ``site`` argument.

A front end names its site by hostname. With one site that may be left out; with
several, leaving it out is an error, so no front end is ever served another
site's content by accident. Every read of a site passes ``access.check`` (tokens,
"requires a token", browser origins).
"""

import graphene
from django.utils.translation import gettext
from wagtail.models import Site

from cms.api import access
from cms.api.errors import bad_input, not_found
from cms.api.sites import all_sites
from cms.core.request_state import state_of


def current_site(request) -> Site | None:
    """The site this request's queries named (or the only one), once one was resolved."""
    return state_of(request).current_site if request is not None else None


def resolve_site(info, hostname: str | None) -> Site:
    """The site a query reads, once the request is known to be allowed to read it."""
    site = _find_site(info.context, hostname)
    access.check(info.context, site)
    if info.context is not None:
        state_of(info.context).current_site = site
    return site


def _find_site(request, hostname: str | None) -> Site:
    sites = all_sites(request)
    if hostname:
        host, _, port = hostname.strip().lower().partition(":")
        matches = [s for s in sites if s.hostname.lower() == host]
        if port:
            matches = [s for s in matches if str(s.port) == port]
        if not matches:
            raise not_found(gettext("No site “{site}”.").format(site=hostname), "site")
        return matches[0]
    if len(sites) == 1:
        return sites[0]
    if not sites:
        raise not_found(gettext("No site is configured yet."), "site")
    raise bad_input(
        gettext("There are several sites: name one by its hostname in the site argument."), "site"
    )


def site_argument():
    """The ``site`` argument (or input field) of everything that reads one site."""
    return graphene.String(description="The site's hostname; needed when there are several.")
