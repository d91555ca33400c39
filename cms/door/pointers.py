import os
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import JsonResponse
from django.utils._os import safe_join
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from cms.door import media_serving


def landing(request):
    """Pages are rendered by the front ends; the CMS itself only points to its two doors."""
    return JsonResponse({"admin": "/admin/", "graphql": "/graphql/"})


def page_path(request, path):
    """Wagtail names page URLs after this route; the pages themselves are served by front ends."""
    return JsonResponse(
        {
            "detail": gettext(
                "This site's pages are rendered by its front end: read them through /graphql/."
            ),
            "path": f"/{path}",
        },
        status=404,
    )


def _no_file():
    # The same answer for a missing file and a private one: nothing says which exists.
    return JsonResponse({"detail": gettext("File not found.")}, status=404)


@require_safe
def media(request, path):
    """A file under MEDIA_URL, only after the media rule (see cms.door.media_serving)."""
    if not media_serving.serving_enabled():
        return _no_file()
    if posixpath.normpath(path) != path or path.startswith("/"):
        return _no_file()
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
