"""sitemap.xml of each site, with front-end URLs of visible pages only, and how it and the
feeds find the site they are asked about.

The site is the one named by ``?site=<hostname>``, else the one the request's host
belongs to, as the GraphQL queries do. Visibility is ``cms.core.visibility``'s rule (live,
not expired even before the scheduler runs, no view restriction); pages marked
noindex stay out of the sitemap.
"""

import functools

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from cms.api import access, frontend
from cms.core import visibility

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def requested_site(request) -> Site | None:
    hostname = request.GET.get("site", "").strip().lower()
    if not hostname:
        return Site.find_for_request(request)
    host, _, port = hostname.partition(":")
    sites = Site.objects.select_related("root_page").filter(hostname__iexact=host)
    if port:
        sites = sites.filter(port=port) if port.isdigit() else sites.none()
    return sites.order_by("id").first()


def no_site():
    return JsonResponse({"detail": gettext("Site not found."), "field": "site"}, status=404)


def refusal(request, site) -> JsonResponse | None:
    if not access.refuses_outside_api(request, site):
        return None
    return JsonResponse(
        {
            "detail": gettext("Reading the site “{site}” needs an API token.").format(
                site=site.hostname
            ),
            "field": "site",
        },
        status=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


def site_view(view):
    """A GET view of one site (``?site=`` or the request's host): a missing site is 404 and
    a site that needs a token without one is 401, both as JSON, before ``view(request, site)``."""

    @require_GET
    @functools.wraps(view)
    def with_site(request):
        site = requested_site(request)
        if site is None:
            return no_site()
        if refused := refusal(request, site):
            return refused
        return view(request, site)

    return with_site


@site_view
def sitemap(request, site):
    pages = (
        visibility.for_request(request)
        .filter(Page.objects.descendant_of(site.root_page, inclusive=True))
        .order_by("path")
        .specific()
    )
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    xml = SimplerXMLGenerator(response, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS})
    for page in pages:
        if getattr(page, "noindex", False):
            continue
        url = frontend.page_url(page, request, sites={site.pk: site})
        if url is None:
            continue
        xml.startElement("url", {})
        xml.addQuickElement("loc", url)
        if page.last_published_at:
            xml.addQuickElement("lastmod", timezone.localtime(page.last_published_at).isoformat())
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return response
