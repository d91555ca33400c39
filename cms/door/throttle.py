"""A per-client request limit on every public path, early in the middleware stack.

The sitemap, the feed, oEmbed, the embed script, media, documents, preflights (OPTIONS,
/graphql/'s included), the admin's login page and any other path share one counter per
client address: CMS_PUBLIC_RATE_LIMIT_PER_IP requests per CMS_PUBLIC_RATE_LIMIT_WINDOW
seconds, counted in one cache round trip (cms.api.ratelimit). Not counted here:

- GET and POST on /graphql/: the API's door counts them (cms.door.middleware), once;
- the health probes, which must stay cheap and answer the orchestrator whatever happens;
- the admin behind its login (editors signed in load many pages and assets), and /static/,
  which WhiteNoise answers from memory before this middleware.

Over the limit: 429 with Retry-After and ``Cache-Control: no-store``, JSON on the paths
that speak JSON, a short Chinese text elsewhere. Redis down or hung: let through (fail
open), as the API's limits are; the cache's circuit breaker logs it once per trip.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _lazy

from cms.api import ratelimit

EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})
# Where cms/urls.py mounts Wagtail's admin, and its login page.
ADMIN_PREFIX, ADMIN_LOGIN = "/admin/", "/admin/login/"


def counted(request) -> bool:
    path = request.path
    if path in EXEMPT_PATHS:
        return False
    if path == settings.CMS_API_PATH:
        return request.method == "OPTIONS"
    if path.startswith(ADMIN_PREFIX):
        return path == ADMIN_LOGIN
    return True


def refusal(request, status: int, message, code: str, retry_after: int) -> HttpResponse:
    """A refusal in the language of the path: GraphQL's error shape on the API, oEmbed's
    on oEmbed, plain Chinese text elsewhere. Never kept by a browser or CDN.

    ``message`` may be lazy: it is put in Chinese here, whatever language the request
    activated (the throttle runs before any, the login form follows Accept-Language).
    """
    with translation.override(settings.LANGUAGE_CODE):
        message = str(message)
    if request.path == settings.CMS_API_PATH:
        from cms.api.errors import error_body
        from cms.door.answers import request_id

        response = JsonResponse(error_body(message, code, request_id(request)), status=status)
    elif request.path.startswith("/oembed"):
        response = JsonResponse(
            {"error": message, "code": code},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if counted(request):
            retry_after = ratelimit.hit(
                f"public:{ratelimit.client_key(request)}",
                settings.CMS_PUBLIC_RATE_LIMIT_PER_IP,
                settings.CMS_PUBLIC_RATE_LIMIT_WINDOW,
            )
            if retry_after is not None:
                return refusal(
                    request,
                    429,
                    format_lazy(
                        _lazy("Too many requests: try again in {seconds} seconds."),
                        seconds=retry_after,
                    ),
                    "RATE_LIMITED",
                    retry_after,
                )
        return self.get_response(request)
