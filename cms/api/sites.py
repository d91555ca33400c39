"""Which Wagtail Site a GraphQL request is about.

A front end names its site by hostname. With one site that may be left out; with
several, leaving it out is an error, so no front end is ever served another
site's content by accident. Every read of a site passes ``access.check`` (tokens,
"requires a token", browser origins).
"""

from django.http.request import split_domain_port
from wagtail.models import Site

from cms.api import access
from cms.api.errors import bad_input, not_found

_REQUEST_ATTR = "_cms_sites"
_CURRENT_ATTR = "_cms_current_site"


def all_sites(request) -> list[Site]:
    sites = getattr(request, _REQUEST_ATTR, None) if request is not None else None
    if sites is None:
        # With each site's API settings (cms.api.access): one query for both.
        sites = list(Site.objects.select_related("root_page", "apisettings").order_by("id"))
        if request is not None:
            setattr(request, _REQUEST_ATTR, sites)
            if not hasattr(request, "_wagtail_site"):  # where Site.find_for_request keeps it
                request._wagtail_site = _wagtail_site(request, sites)
    return sites


def _wagtail_site(request, sites: list[Site]) -> Site | None:
    """The site Wagtail's ``Site.find_for_request`` picks for this request's host and port,
    chosen among the sites already loaded (Wagtail would run a query of its own for it, on
    every request that asks for a page URL). Same order of preference as
    ``wagtail.models.sites.get_site_for_hostname``; tests/test_sites.py compares the two."""
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except (TypeError, ValueError):
        port = None

    def rank(site: Site) -> int:
        if site.hostname == hostname and site.port == port:
            return 0
        if site.hostname == hostname and site.is_default_site:
            return 1
        return 2 if site.is_default_site else 3

    ranked = sorted((s for s in sites if s.hostname == hostname or s.is_default_site), key=rank)
    if not ranked:
        return None
    if len(ranked) == 1 or rank(ranked[0]) in (0, 1):
        return ranked[0]
    if rank(ranked[0]) == 2:
        return ranked[len(ranked) == 2]
    return None


def current_site(request) -> Site | None:
    """The site this request's queries named (or the only one), once one was resolved."""
    return getattr(request, _CURRENT_ATTR, None)


def resolve_site(info, hostname: str | None) -> Site:
    """The site a query reads, once the request is known to be allowed to read it."""
    site = _find_site(info.context, hostname)
    access.check(info.context, site)
    if info.context is not None:
        setattr(info.context, _CURRENT_ATTR, site)
    return site


def _find_site(request, hostname: str | None) -> Site:
    sites = all_sites(request)
    if hostname:
        host, _, port = hostname.strip().lower().partition(":")
        matches = [s for s in sites if s.hostname.lower() == host]
        if port:
            matches = [s for s in matches if str(s.port) == port]
        if not matches:
            raise not_found(f"未找到站点“{hostname}”。", "site")
        return matches[0]
    if len(sites) == 1:
        return sites[0]
    if not sites:
        raise not_found("尚未配置任何站点。", "site")
    raise bad_input("存在多个站点,请用 site 参数指明站点的主机名。", "site")
