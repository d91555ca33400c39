import logging
import os
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponseRedirect, JsonResponse
from django.utils._os import safe_join
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from cms.api import frontend
from cms.core import visibility
from cms.door import failures, media_serving

logger = logging.getLogger("cms.door")


def landing(request):
    """Pages are rendered by the front ends; the CMS itself only points to its two doors."""
    return JsonResponse({"admin": "/admin/", "graphql": "/graphql/"})


def page_path(request, path):
    """Wagtail names page URLs after this route; the pages themselves are served by front ends.

    The admin's links to a page ("View live", usage, the status panel) lead here: a live
    page of a site with a front end is sent on to where readers see it.
    """
    site = Site.find_for_request(request)
    if site is not None and frontend.has_front_end(site, request):
        url_path = site.root_page.url_path + path
        # Only a page any reader may see: a private or expired one stays a plain 404.
        if visibility.for_request(request).filter(Page.objects.filter(url_path=url_path)).exists():
            return HttpResponseRedirect(frontend.base_url(site, request) + f"/{path}")
    return JsonResponse(
        {
            "detail": gettext(
                "This site's pages are rendered by its front end: read them through /graphql/."
            ),
            "path": f"/{path}",
        },
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


def _no_file():
    # The same answer for a missing file and a private one: nothing says which exists.
    return JsonResponse({"detail": gettext("File not found.")}, status=404)


def _storable(path: str) -> bool:
    """Whether the database can even hold ``path``: PostgreSQL refuses NUL in text, and
    a lone surrogate cannot be encoded; no stored file has either."""
    return "\x00" not in path and path.isprintable() and _encodable(path)


def _encodable(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@require_safe
def media(request, path):
    """A file under MEDIA_URL, only after the media rule (see cms.door.media_serving)."""
    if not media_serving.serving_enabled():
        return _no_file()
    if posixpath.normpath(path) != path or path.startswith("/") or not _storable(path):
        return _no_file()
    if media_serving.remote():
        return _from_bucket(request, path)
    try:
        filename = safe_join(settings.MEDIA_ROOT, path)
    except SuspiciousFileOperation:
        return _no_file()
    item = media_serving.owner_of(path)
    if item is None or not media_serving.may_fetch(request, item):
        return _no_file()
    if not os.path.isfile(filename):
        return _no_file()
    response = media_serving.sendfile(request, filename)
    if media_serving.is_public(request, item):
        response["Cache-Control"] = f"public, max-age={settings.CMS_MEDIA_MAX_AGE}"
    else:
        # An entitled reader's copy: no shared cache (CDN, proxy) may keep it for others.
        response["Cache-Control"] = "private, no-store"
    return media_serving.protect(response, filename, item)


def _from_bucket(request, path):
    item = media_serving.owner_of(path)
    if item is None or not media_serving.may_fetch(request, item):
        return _no_file()
    try:
        response = media_serving.from_bucket(request, path, item)
    except media_serving.BucketUnavailable:
        logger.warning("Media bucket unavailable for %s", path, exc_info=True)
        return failures.unavailable(request)
    if response is None:
        return _no_file()
    return media_serving.protect(response, path, item)
