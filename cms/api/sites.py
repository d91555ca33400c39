"""The sites one request reads: all of them, loaded once per content generation with their
API settings (``cms.core.generation_memo``), and Wagtail's site root paths with them.

Which of them a query is about is ``cms.api.site_argument``'s concern.
"""

from django.http.request import split_domain_port
from wagtail.models import Site

from cms.core.generation_memo import per_generation
from cms.core.request_state import state_of


def _load_sites() -> list[Site]:
    # With each site's API settings (cms.api.access): one query for both.
    return list(Site.objects.select_related("root_page", "apisettings").order_by("id"))


def all_sites(request) -> list[Site]:
    state = state_of(request) if request is not None else None
    sites = state.sites if state is not None else None
    if sites is None:
        sites = per_generation(request, "sites", _load_sites)
        if state is not None:
            state.sites = sites
            if state.generation is not None:
                # Where Page.get_url looks first: Wagtail would read them from the cache (a
                # round trip) on each request that asks for a page URL.
                request._wagtail_cached_site_root_paths = per_generation(
                    request, "site_root_paths", Site.get_site_root_paths
                )
            if not hasattr(request, "_wagtail_site"):  # where Site.find_for_request keeps it
                request._wagtail_site = _wagtail_site(request, sites)
    return sites


def _wagtail_site(request, sites: list[Site]) -> Site | None:
    """The site Wagtail's ``Site.find_for_request`` picks for this request's host and port,
    chosen among the sites already loaded (Wagtail would run a query of its own for it, on
    every request that asks for a page URL). Same order of preference as
    ``wagtail.models.sites.get_site_for_hostname``; tests/content/test_sites.py compares the two."""
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
