"""oEmbed (https://oembed.com/) for articles: a partner's CMS pastes an article's link and
gets a card to embed. Only live, public articles are answered; anything else is a 404
that does not say whether a draft exists."""

from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_GET
from wagtail.models import Site

from articles.models import ArticlePage
from cms.api import access
from cms.api.frontend import base_url, page_url
from cms.api.media_rule import visible_image
from cms.api.sites import all_sites
from cms.core import visibility

THUMBNAIL_FILTER = "fill-640x360|format-jpeg"
DEFAULT_WIDTH = 600
MAX_URL_LENGTH = 2048


class OEmbedError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _site_and_path(url: str, request) -> tuple[Site, str] | None:
    """Which site's front end (or CMS host) a URL belongs to, and the path within it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    for site in all_sites(request):
        front = urlsplit(base_url(site, request))
        if parts.netloc == front.netloc and parts.path.startswith(front.path or "/"):
            return site, "/" + parts.path[len(front.path.rstrip("/")) :].lstrip("/")
        if parts.hostname == site.hostname:
            return site, parts.path or "/"
    return None


def find_article(url: str, request) -> ArticlePage:
    if not url:
        raise OEmbedError(400, gettext("The url parameter is missing."))
    if len(url) > MAX_URL_LENGTH:
        raise OEmbedError(400, gettext("url is too long."))
    found = _site_and_path(url, request)
    if found is None:
        raise OEmbedError(404, gettext("Article not found."))
    site, path = found
    if access.refuses_outside_api(request, site):
        raise OEmbedError(
            401, gettext("Reading the site “{site}” needs an API token.").format(site=site.hostname)
        )
    path = "/" + unquote(path).strip("/") + "/"
    queryset = ArticlePage.objects.descendant_of(site.root_page).filter(
        url_path=site.root_page.url_path + path.lstrip("/")
    )
    article = visibility.for_request(request).filter(queryset).select_related("cover_image").first()
    if article is None:
        raise OEmbedError(404, gettext("Article not found."))
    return article


def _dimension(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or not 0 < int(value) <= 4096:
        raise OEmbedError(
            400, gettext("{name} must be a whole number from 1 to 4096.").format(name=name)
        )
    return int(value)


def oembed_for(
    url: str, request, maxwidth: str | None = None, maxheight: str | None = None
) -> dict:
    width = min(_dimension(maxwidth, "maxwidth") or DEFAULT_WIDTH, DEFAULT_WIDTH)
    max_height = _dimension(maxheight, "maxheight")
    article = find_article(url, request)
    site = next(s for s in all_sites(request) if article.path.startswith(s.root_page.path))
    # The organisation is kept in the home app's settings, named as Wagtail names settings.
    profile = apps.get_model("home.OrganisationProfile").for_site(site)
    provider = profile.name or site.site_name or site.hostname
    link = page_url(article, request) or url
    published = timezone.localtime(article.published_at).strftime("%Y-%m-%d")
    height = 220 if max_height is None else min(220, max_height)
    html = format_html(
        '<blockquote class="cms-article-embed" style="max-width:{}px">'
        '<p><a href="{}" target="_blank" rel="noopener">{}</a></p>'
        "<p>{}</p><footer>{} · {}</footer></blockquote>",
        width,
        link,
        article.title,
        article.summary,
        provider,
        published,
    )
    data = {
        "version": "1.0",
        "type": "rich",
        "title": article.title,
        "provider_name": provider,
        "provider_url": base_url(site, request) + "/",
        "html": str(html),
        "width": width,
        "height": height,
        "cache_age": settings.CMS_OEMBED_CACHE_AGE,
    }
    cover = visible_image(article.cover_image, request)
    if cover is not None:
        thumbnail = cover.get_rendition(THUMBNAIL_FILTER)
        data.update(
            thumbnail_url=request.build_absolute_uri(thumbnail.url)
            if thumbnail.url.startswith("/")
            else thumbnail.url,
            thumbnail_width=thumbnail.width,
            thumbnail_height=thumbnail.height,
        )
    return data


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def oembed(request):
    if request.GET.get("format", "json") != "json":
        return _error(501, gettext("Only format=json is supported."))
    try:
        data = oembed_for(
            request.GET.get("url", ""),
            request,
            maxwidth=request.GET.get("maxwidth"),
            maxheight=request.GET.get("maxheight"),
        )
    except OEmbedError as error:
        return _error(error.status, error.message)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={data['cache_age']}"
    # Partner sites fetch this from their own servers or browsers.
    response["Access-Control-Allow-Origin"] = "*"
    return response
