"""A dependency that fails is a designed answer on every path, not Django's HTML 500.

The database unreachable, a statement cancelled by the statement timeout (a table lock, a
slow query), Redis refusing where a caller asked it strictly: each answers 503 with
Retry-After and no internals, JSON on the paths that speak JSON (/graphql/ keeps its own
GraphQL error shape, cms.door.middleware; oEmbed, the probes), a short Chinese HTML page
elsewhere (the sitemap, the feed, documents, media, the admin).

Two ways in, so no layer is missed: ``DependencyFailureMiddleware.process_exception`` for
what views raise (and under DEBUG, where Django would show its debug page), and
``server_error`` as handler500 for what the middleware around the views raise (sessions,
authentication), which Django turns into a 500 before any outer middleware sees it.

The middleware also gives every request that reads the database for a client a statement
timeout (CMS_STATEMENT_TIMEOUT_MS; the admin CMS_ADMIN_STATEMENT_TIMEOUT_MS, editors'
saves run longer); /graphql/ has its own (CMS_API_STATEMENT_TIMEOUT_MS).
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.utils.html import escape

from cms.core.cache import CacheUnavailable
from cms.door.middleware import _TIMEOUT_ATTR

logger = logging.getLogger("cms.door")

# What a dependency that is down, hung or locked raises (QueryCanceled is an OperationalError).
FAILURES = (OperationalError, InterfaceError, CacheUnavailable)
MESSAGE = "服务暂时不可用,请稍后重试。"
JSON_PATHS = ("/oembed", "/healthz", "/readyz")
ADMIN_PREFIX = "/admin/"
# /healthz reads nothing (and /graphql/ sets its own timeout, cms.door.middleware).
HEALTH = "/healthz"

_PAGE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{message}</p></body></html>
"""


def unavailable(request) -> HttpResponse:
    if request.path == settings.CMS_API_PATH:
        from cms.door.middleware import unavailable as graphql_unavailable

        response = graphql_unavailable(request)
    elif request.path.startswith(JSON_PATHS):
        response = JsonResponse(
            {"error": MESSAGE, "code": "SERVICE_UNAVAILABLE"},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            _PAGE.format(title="503", message=escape(MESSAGE)),
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(settings.CMS_API_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _log(request, exception) -> None:
    # The class and first line only: a dependency outage must not flood the log per request.
    logger.error(
        "Dependency failure on %s %s: %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        str(exception).splitlines()[0] if str(exception) else "",
    )


def server_error(request, *args, **kwargs):
    """handler500: Django calls it inside its ``except`` block, so the exception is known."""
    exception = sys.exc_info()[1]
    if isinstance(exception, FAILURES):
        _log(request, exception)
        return unavailable(request)
    return HttpResponseServerError(
        _PAGE.format(title="500", message="服务器内部错误,请稍后重试。"),
        content_type="text/html; charset=utf-8",
    )


class lazy_statement_timeout:
    """Cancel any statement of this request that runs longer than ``ms`` (PostgreSQL), set
    just before the request's first query: a request that never reads the database (the
    embed script, a probe) opens no connection for it, and answers with the database down.

    Outside a transaction the setting stays on the (persistent) connection, noted as
    cms.door.middleware's ``statement_timeout`` notes it, so the next request with the same
    timeout sends nothing; inside one it is ``SET LOCAL`` and ends with the transaction.
    """

    def __init__(self, ms: int):
        self.ms = ms
        self._wrapper = None

    def __call__(self, execute, sql, params, many, context):
        db = context["connection"]
        if db.vendor == "postgresql" and self.ms:
            local = db.in_atomic_block
            if local or getattr(db, _TIMEOUT_ATTR, None) != self.ms:
                context["cursor"].cursor.execute(
                    "SELECT set_config('statement_timeout', %s, %s)", [str(self.ms), local]
                )
                if not local:
                    setattr(db, _TIMEOUT_ATTR, self.ms)
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._wrapper.__exit__(*exc_info)


def timeout_for(request) -> int:
    if request.path.startswith(ADMIN_PREFIX):
        return settings.CMS_ADMIN_STATEMENT_TIMEOUT_MS
    return settings.CMS_STATEMENT_TIMEOUT_MS


class DependencyFailureMiddleware:
    """Outside every middleware that may read the database, inside the API's door (which
    answers /graphql/ itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in (settings.CMS_API_PATH, HEALTH):
            return self.get_response(request)
        try:
            with lazy_statement_timeout(timeout_for(request)):
                return self.get_response(request)
        except FAILURES as exception:  # raised by a middleware's response phase
            _log(request, exception)
            return unavailable(request)

    def process_exception(self, request, exception):
        if request.path == settings.CMS_API_PATH or not isinstance(exception, FAILURES):
            return None
        _log(request, exception)
        return unavailable(request)
