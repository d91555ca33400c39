"""Answers to GraphQL reads, kept in the shared cache and told to browsers and CDNs.

An answer is kept when it is a query (never a mutation), carries no errors and asked for
no draft (see ``never_cache``). Its key names the query's hash, operation, variables,
the site asked (scheme and host), the client's token (a hash of its Authorization
header) and browser origin; the answer is kept with the content generation read before
it was made. Any change a client could see (publish, unpublish, move, delete, snippet or
setting saved, see ``cms.api.cache_invalidation``) increments the generation in the
shared cache, and an answer of an older generation is never served again, by any app
server: the generation and the answer are read together, in one round trip.

GET answers carry an ETag, Cache-Control (public for anonymous clients, private for token
holders) and Vary (Origin too: the CORS headers, and which sites an origin may read, depend
on it), and a matching If-None-Match is answered 304.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from cms.api import persisted_queries

logger = logging.getLogger("cms.api")

GENERATION_KEY = "cms:gql:generation"
_NEVER_CACHE_ATTR = "_cms_never_cache"
VARY = ("Host", "Authorization", "Origin")


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # Not there yet (or the cache was emptied): every answer is new anyway.
        cache.add(GENERATION_KEY, 1, timeout=None)


def content_changed() -> None:
    """Stop serving every kept answer, once the current transaction commits.

    After the commit, not before: otherwise a request on another server could keep the old
    content again under the new generation.
    """
    transaction.on_commit(_bump)


def never_cache(request) -> None:
    """Mark this request's answer as not to be kept (a draft preview, say)."""
    if request is not None:
        setattr(request, _NEVER_CACHE_ATTR, True)


_PARAMS_ATTR = "_cms_graphql_params"


def _read_params(request) -> dict | None:
    """query, variables, operationName and extensions as sent, or None when unreadable;
    read once per request (the API's door and the view both ask)."""
    if not hasattr(request, _PARAMS_ATTR):
        setattr(request, _PARAMS_ATTR, _parse_params(request))
    return getattr(request, _PARAMS_ATTR)


def _parse_params(request) -> dict | None:
    if request.method == "GET":
        # extensions stay text: persisted_queries refuses text that is not JSON, by name.
        params = {name: request.GET.get(name) for name in ("query", "operationName", "extensions")}
        raw = request.GET.get("variables")
        try:
            params["variables"] = json.loads(raw) if raw else None
        except ValueError:
            return None  # graphene-django refuses it with its own 400
        return params
    if request.method != "POST" or request.content_type != "application/json":
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    variables = data.get("variables")
    if isinstance(variables, str):
        try:
            variables = json.loads(variables)
        except ValueError:
            return None
    return {
        "query": data.get("query"),
        "operationName": data.get("operationName"),
        "variables": variables,
        "extensions": data.get("extensions"),
    }


def _key(request, query_sha: str, params: dict) -> str:
    authorization = request.headers.get("Authorization", "")
    parts = [
        request.scheme,
        request.get_host(),
        hashlib.sha256(authorization.encode()).hexdigest() if authorization else "",
        # Which sites a browser origin may read is decided per origin (cms.api.access).
        (request.headers.get("Origin") or "").lower(),
        query_sha,
        params.get("operationName") or "",
        json.dumps(params.get("variables") or {}, sort_keys=True, separators=(",", ":")),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"cms:gql:{digest}"


def _cacheable(request) -> bool:
    """Anonymous and token reads; never a signed-in editor's."""
    return settings.CMS_API_CACHE_TIMEOUT > 0 and not (
        hasattr(request, "user") and request.user.is_authenticated
    )


def lookup_keys(key: str) -> list[str]:
    """What to read for a lookup: the generation and the answer, in one round trip."""
    return [GENERATION_KEY, key]


def _from_found(request, key: str, found: dict) -> tuple[HttpResponse | None, int | None]:
    """The answer kept under ``key`` if it is of the current generation, and that
    generation (the one to keep a new answer under; None when the cache is unreachable)."""
    current = found.get(GENERATION_KEY)
    if current is None:
        try:
            current = generation()
        except Exception:  # The cache is down: answer without it rather than fail.
            logger.warning("Answer cache unreachable", exc_info=True)
            return None, None
    kept = found.get(key)
    if not isinstance(kept, tuple) or len(kept) != 4 or kept[0] != current:
        return None, current
    _generation, content, etag, deadline = kept
    if deadline is not None and time.time() >= deadline:
        return None, current  # a page it shows has expired since
    response = HttpResponse(content, content_type="application/json")
    response["X-Cache"] = "HIT"
    return _http_headers(request, response, etag, deadline), current


def _lookup(request, key: str) -> tuple[HttpResponse | None, int | None]:
    try:
        found = cache.get_many(lookup_keys(key))
    except Exception:
        logger.warning("Answer cache unreachable", exc_info=True)
        return None, None
    return _from_found(request, key, found)


def answer_key(request) -> str | None:
    """The key of this request's answer, when it may be served before sessions, CSRF, auth
    and the view run (ApiMiddleware); no cache read yet.

    Only for requests without a session cookie (a signed-in editor's answers are never
    kept); anything unusual (bad parameters, a hash that does not match its query) is left
    to the view, which refuses it properly.
    """
    if settings.CMS_API_CACHE_TIMEOUT <= 0 or request.method not in ("GET", "POST"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    params = _read_params(request)
    if params is None:
        return None
    query = params.get("query")
    try:
        sha = persisted_queries.requested_hash(params.get("extensions"))
    except persisted_queries.PersistedQueryError:
        return None
    if isinstance(query, str) and query:
        if sha is not None and sha != persisted_queries.query_hash(query):
            return None
        sha = sha or persisted_queries.query_hash(query)
    if sha is None:
        return None
    return _key(request, sha, params)


def early_answer(request, key: str, found: dict) -> HttpResponse | None:
    """The kept answer, from what was read under ``lookup_keys(key)``; else None, and the
    view keeps its answer under ``key`` afterwards."""
    response, current = _from_found(request, key, found)
    request._cms_answer_key = (key, current)
    return response


def _has_no_errors(content: bytes) -> bool:
    try:
        answer = json.loads(content)
    except ValueError:
        return False
    return isinstance(answer, dict) and not answer.get("errors") and "data" in answer


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def next_expiry(current: int | None) -> float | None:
    """When the next live page expires (a Unix time), or None.

    Expiry needs no publish: the page leaves every answer at that moment (cms.visibility),
    not when the scheduler next runs. So no answer is kept, by us or by browsers and CDNs,
    past it. Only a change to the content moves the moment, so it is kept in the cache
    under the content ``generation``: one query per change, not per answer.
    """
    from wagtail.models import Page

    key = f"cms:gql:expiry:{current}"
    try:
        if current is None:
            current = generation()
            key = f"cms:gql:expiry:{current}"
        kept = cache.get(key)
    except Exception:
        kept = None
    now = time.time()
    if kept is not None and (kept == 0 or kept > now):
        return kept or None
    first = Page.objects.filter(live=True, expire_at__gt=timezone.now()).aggregate(
        first=Min("expire_at")
    )["first"]
    value = first.timestamp() if first is not None else 0
    try:
        cache.set(key, value, settings.CMS_PERSISTED_QUERY_TIMEOUT)
    except Exception:
        logger.warning("Answer cache unreachable", exc_info=True)
    return value or None


def _http_headers(request, response, etag: str | None, deadline=None) -> HttpResponse:
    """Cache-Control, ETag and Vary on a GET answer that may be kept; 304 when unchanged."""
    max_age = settings.CMS_API_HTTP_MAX_AGE
    if deadline is not None:
        max_age = min(max_age, int(deadline - time.time()))
    if request.method != "GET" or etag is None or max_age <= 0:
        response["Cache-Control"] = "no-store"
        return response
    scope = "private" if request.headers.get("Authorization") else "public"
    cache_control = f"{scope}, max-age={max_age}"
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, VARY)
    return response


class ResponseCacheMixin:
    """Put before graphene-django's GraphQLView: persisted queries and the answer cache."""

    def dispatch(self, request, *args, **kwargs):
        self._persisted_query = None
        self.ran_query = False  # set by the view once it knows the operation
        params = _read_params(request)
        if params is None:
            return super().dispatch(request, *args, **kwargs)
        try:
            query = persisted_queries.resolve(params.get("query"), params.get("extensions"))
        except persisted_queries.PersistedQueryError as error:
            response = JsonResponse(error.as_json(), status=error.status)
            response["Cache-Control"] = "no-store"
            return response
        if not isinstance(query, str) or not query:
            return super().dispatch(request, *args, **kwargs)
        self._persisted_query = query
        key = current = None
        if _cacheable(request):
            key, current = getattr(request, "_cms_answer_key", (None, None))
            if key is None:  # not looked up early (a session cookie was sent)
                key = _key(request, persisted_queries.query_hash(query), params)
                response, current = _lookup(request, key)
                if response is not None:
                    return response

        response = super().dispatch(request, *args, **kwargs)
        etag = deadline = None
        if (
            response.status_code == 200
            and not getattr(request, _NEVER_CACHE_ATTR, False)
            and _has_no_errors(response.content)
            and getattr(self, "ran_query", False)
        ):
            etag = _etag(response.content)
            deadline = next_expiry(current) if request.method == "GET" or key else None
            timeout = settings.CMS_API_CACHE_TIMEOUT
            if deadline is not None:
                timeout = min(timeout, int(deadline - time.time()))
            if key is not None and current is not None and timeout > 0:
                # Under the generation read before the query ran: a change published
                # meanwhile makes this answer old at once.
                kept = (current, response.content, etag, deadline)
                cache.set(key, kept, timeout)
                response["X-Cache"] = "MISS"
        return _http_headers(request, response, etag, deadline)

    def parse_body(self, request):
        data = super().parse_body(request)
        query = getattr(self, "_persisted_query", None)
        if query is not None and isinstance(data, dict) and not data.get("query"):
            data = {**data, "query": query}
        return data
