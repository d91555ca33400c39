"""Answers to GraphQL reads, kept in the shared cache and told to browsers and CDNs.

An answer is kept when it is a query (never a mutation), carries no errors and asked for
no draft (``cms.api.cache_invalidation.never_cache``). Its key names everything that
changes the answer: the query's hash, operation and variables (all from the one
``GraphQLRequest``), the answer's media type, the site asked (scheme and host), the
client's token (a hash of its Authorization header and the sites the token may read, so
a token edited in the admin stops getting its old answers) and browser origin. The answer
is kept with the content generation read before it was made; a change a client could see
increments the generation, and an answer of an older generation is never served again, by
any app server: the generation and the answer are read together, in one round trip.

GET answers carry an ETag (over the uncompressed answer; ``representation`` makes it per
encoding), Cache-Control (public for anonymous clients, private for token holders) and
Vary on what the key holds that a URL does not.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from cms.api import cache_tags
from cms.api.cache_invalidation import GENERATION_KEY, generation, is_never_cached
from cms.core.request_state import state_of
from cms.door import persisted_queries
from cms.door.answers import content_type
from cms.door.graphql_request import GraphQLRequest

logger = logging.getLogger("cms.api")

# Accept picks the media type (and the status codes) of the answer.
VARY = ("Host", "Authorization", "Origin", "Accept")
# How often each anonymous answer was served from the cache (cms.door.warming reads it).
HOT_KEY = "cms:gql:hot"


def query_sha(gql: GraphQLRequest) -> str | None:
    """The hash naming the query, or None when the sent query and hash disagree (the view
    refuses that)."""
    if gql.query is None:
        return gql.persisted_hash
    sha = persisted_queries.query_hash(gql.query)
    if gql.persisted_hash is not None and gql.persisted_hash != sha:
        return None
    return sha


def _token_fingerprint(request) -> str:
    token = state_of(request).api_token
    if token is None:
        return ""
    site_ids = sorted(site.pk for site in token.sites.all())  # prefetched with the token
    return f"{token.pk}:{','.join(map(str, site_ids))}"


def _key(request, gql: GraphQLRequest, sha: str) -> str:
    authorization = request.headers.get("Authorization", "")
    parts = [
        request.scheme,
        request.get_host(),
        hashlib.sha256(authorization.encode()).hexdigest() if authorization else "",
        _token_fingerprint(request),
        # Which sites a browser origin may read is decided per origin (cms.api.access).
        (request.headers.get("Origin") or "").lower(),
        gql.media_type,
        sha,
        gql.operation_name or "",
        gql.variables_key,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"cms:gql:{digest}"


def _signed_in(request) -> bool:
    """A signed-in editor's answers are never kept. The session is only opened when a
    session cookie came: opening it adds ``Vary: Cookie`` to the answer."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return hasattr(request, "user") and request.user.is_authenticated


def lookup_keys(key: str) -> list[str]:
    """What to read for a lookup: the generation and the answer, in one round trip (the
    answer last: ``tally`` counts the last key read)."""
    return [GENERATION_KEY, key]


def _from_found(request, gql, key: str, found: dict) -> tuple[HttpResponse | None, int | None]:
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
    if not isinstance(kept, tuple) or len(kept) != 6 or kept[0] != current:
        return None, current
    _generation, content, etag, deadline, tags, _replay = kept
    if deadline is not None and time.time() >= deadline:
        return None, current  # a page it shows has expired since
    response = HttpResponse(content, content_type=content_type(gql.media_type))
    response["X-Cache"] = "HIT"
    return _http_headers(request, response, etag, deadline, tags), current


def _lookup(request, gql, key: str) -> tuple[HttpResponse | None, int | None]:
    try:
        found = cache.get_many(lookup_keys(key))
    except Exception:
        logger.warning("Answer cache unreachable", exc_info=True)
        return None, None
    return _from_found(request, gql, key, found)


def answer_key(request, gql: GraphQLRequest) -> str | None:
    """The key of this request's answer, when it may be served before sessions, CSRF, auth
    and the view run (ApiMiddleware); no cache read yet.

    Only for requests without a session cookie (a signed-in editor's answers are never
    kept); a hash that does not match its query is left to the view, which refuses it.
    """
    if settings.CMS_API_CACHE_TIMEOUT <= 0:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    sha = query_sha(gql)
    return _key(request, gql, sha) if sha is not None else None


def tally(request) -> tuple[str, int] | None:
    """Where a hit on an anonymous answer is counted (``HOT_KEY``, and how long the counts
    live), read with the answer in the same round trip; None: not counted. Answers to
    token holders are never warmed (``warming``), so not counted."""
    if settings.CMS_API_WARM_QUERIES <= 0 or request.headers.get("Authorization"):
        return None
    return HOT_KEY, settings.CMS_PERSISTED_QUERY_TIMEOUT


def replay_of(request, gql: GraphQLRequest, sha: str) -> dict | None:
    """What ``warming`` sends to make this answer again, as an anonymous client: the same
    key's parts, without credentials; None for a token holder's answer."""
    if request.headers.get("Authorization"):
        return None
    return {
        "scheme": request.scheme,
        "host": request.get_host(),
        "origin": request.headers.get("Origin") or "",
        "accept": gql.media_type,
        # A persisted query is sent by its hash, as clients send it.
        "query": None if gql.persisted_hash else gql.query,
        "sha": sha,
        "operation_name": gql.operation_name,
        "variables": gql.variables,
    }


def early_answer(request, gql, key: str, found: dict) -> HttpResponse | None:
    """The kept answer, from what was read under ``lookup_keys(key)``; else None, and the
    view keeps its answer under ``key`` afterwards."""
    response, current = _from_found(request, gql, key, found)
    state_of(request).answer_key = (key, current)
    return response


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def next_expiry(current: int | None) -> float | None:
    """When the next live page expires (a Unix time), or None.

    Expiry needs no publish: the page leaves every answer at that moment (cms.core.visibility),
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


def _http_headers(request, response, etag: str | None, deadline=None, tags=()) -> HttpResponse:
    """Cache-Control, ETag and Vary on a GET answer that may be kept (If-None-Match is
    answered once the representation is chosen, in ``representation``).

    With a CDN purger (cms.cdn) a public answer names what it shows (``tags``) and a CDN may
    keep it CMS_CDN_MAX_AGE: each change purges the answers carrying its tags. Browsers,
    which no purge reaches, keep CMS_API_HTTP_MAX_AGE."""
    max_age = settings.CMS_API_HTTP_MAX_AGE
    shared_age = settings.CMS_CDN_MAX_AGE if settings.CMS_CDN_PURGER else max_age
    if deadline is not None:
        left = int(deadline - time.time())
        max_age, shared_age = min(max_age, left), min(shared_age, left)
    if request.method != "GET" or etag is None or max_age <= 0:
        response["Cache-Control"] = "no-store"
        return response
    response["ETag"] = etag
    patch_vary_headers(response, VARY)
    if request.headers.get("Authorization"):
        response["Cache-Control"] = f"private, max-age={max_age}"
        return response
    response["Cache-Control"] = f"public, max-age={max_age}"
    if settings.CMS_CDN_PURGER and tags:
        response["Cache-Control"] += f", s-maxage={shared_age}"
        response["Cache-Tag"] = ",".join(tags)  # Cloudflare, Tencent EdgeOne
        response["Surrogate-Key"] = " ".join(tags)  # Fastly, Varnish (xkey)
    return response


def serve(request, gql: GraphQLRequest, answer) -> HttpResponse:
    """The kept answer, else ``answer()`` (a response and whether it may be kept), kept."""
    key = current = None
    if settings.CMS_API_CACHE_TIMEOUT > 0 and not _signed_in(request):
        key, current = state_of(request).answer_key or (None, None)
        sha = query_sha(gql)
        if key is None and sha is not None:  # not looked up early (a session cookie came)
            key = _key(request, gql, sha)
            response, current = _lookup(request, gql, key)
            if response is not None:
                return response

    response, keepable = answer()
    etag = deadline = None
    tags = cache_tags.of(request)
    if keepable and not is_never_cached(request):
        etag = _etag(response.content)
        if current is None:  # read as the request came in, when the answer is not kept
            current = state_of(request).generation
        deadline = next_expiry(current) if request.method == "GET" or key else None
        timeout = settings.CMS_API_CACHE_TIMEOUT
        if deadline is not None:
            timeout = min(timeout, int(deadline - time.time()))
        if key is not None and current is not None and timeout > 0:
            # Under the generation read before the query ran: a change published
            # meanwhile makes this answer old at once.
            replay = replay_of(request, gql, query_sha(gql))
            kept = (current, response.content, etag, deadline, tags, replay)
            cache.set(key, kept, timeout)
            response["X-Cache"] = "MISS"
    return _http_headers(request, response, etag, deadline, tags)
