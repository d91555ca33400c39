"""The API's door, in front of the GraphQL view: request id, CORS preflight, bearer
token, rate limits, the one reading of the request (refusals answered here), kept answers,
statement timeout, 503 when the database is unreachable, and the answer's bytes (gzip,
ETag per representation, 304).

Every answer carries ``X-Request-ID`` (the client's own when it sends a sane one);
the same id is in each error's ``extensions.requestId`` and in the server log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from cms.api import access, ratelimit, tokens
from cms.api.cache_invalidation import GENERATION_KEY
from cms.api.errors import INTERNAL_MESSAGE, UNAVAILABLE_MESSAGE
from cms.api.models import ApiToken
from cms.api.origins import same_origin
from cms.core.request_state import state_of
from cms.door import cors, graphql_request, representation, response_cache
from cms.door.answers import error_answer, refusal, request_id
from cms.door.graphql_request import JSON, RequestRefused, answer_media_type

logger = logging.getLogger("cms.api")

__all__ = ["ApiMiddleware", "SiteLocaleMiddleware", "request_id", "unavailable"]


def _media_type(request) -> str:
    return answer_media_type(request.headers.get("Accept")) or JSON


def unavailable(request):
    return error_answer(
        request,
        UNAVAILABLE_MESSAGE,
        "SERVICE_UNAVAILABLE",
        503,
        _media_type(request),
        **{"Retry-After": str(settings.CMS_API_RETRY_AFTER)},
    )


# Where editors work, in the language their browser asks for (cms/urls.py).
class SiteLocaleMiddleware(LocaleMiddleware):
    """Every path in the site's language (LANGUAGE_CODE, zh-hans), whatever Accept-Language
    says; in the admin, an editor's own choice in Wagtail's account settings.

    Clients read Chinese on every public path (/graphql/, the sitemap, oEmbed, documents,
    the pointers), and no ``Vary: Accept-Language`` splits cached answers by browser
    language. The editors are Chinese-speaking, often on browsers set to English. Activated
    explicitly, since a thread keeps the language of the request it served before. Wagtail
    applies an editor's choice in its admin views; it is applied here too so the views it
    leaves undecorated (its JavaScript catalogue) follow it.
    """

    def process_request(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After AuthenticationMiddleware: request.user is known here, not in process_request.
        if not _is_admin(request.path) or not request.user.is_authenticated:
            return None
        profile = getattr(request.user, "wagtail_userprofile", None)
        if profile is not None and profile.preferred_language:
            translation.activate(profile.get_preferred_language())
            request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        return response


def _is_admin(path: str) -> bool:
    try:
        return path.startswith(reverse("wagtailadmin_home"))
    except NoReverseMatch:  # a URLconf without the admin (some tests)
        return False


# Exceptions Django answers with their own 4xx, not server failures.
_DJANGO_ANSWERS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)

# The one header the middleware after this one adds to the view's answers: an answer given
# here (a kept one, a refusal) carries it too, so a hit and a miss tell clients the same.
_FRAME_OPTIONS = XFrameOptionsMiddleware(lambda request: None)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != settings.CMS_API_PATH:
            reset_statement_timeout()
            return self.get_response(request)
        rid = request_id(request)
        origin = (request.headers.get("Origin") or "").lower()
        with translation.override(settings.LANGUAGE_CODE):
            try:
                response = self._handle(request, origin)
            except (OperationalError, InterfaceError):
                logger.exception("Database unreachable, request %s", rid)
                response = unavailable(request)
        response["X-Request-ID"] = rid
        # Refusals (401, 403, 429, 503) are never to be kept by a browser or CDN; the view
        # sets its own Cache-Control on the answers it gives.
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return representation.finish(request, response)

    def process_exception(self, request, exception):
        """A failure the view let out (the answer cache's expiry query, sessions, auth):
        Django would answer it with its HTML 500 before ``__call__`` saw it."""
        if request.path != settings.CMS_API_PATH or isinstance(exception, _DJANGO_ANSWERS):
            return None
        rid = request_id(request)
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unreachable, request %s", rid, exc_info=exception)
            return unavailable(request)
        logger.error("Unhandled error, request %s", rid, exc_info=exception)
        return error_answer(
            request, INTERNAL_MESSAGE, "INTERNAL_SERVER_ERROR", 500, _media_type(request)
        )

    def _handle(self, request, origin: str):
        cross_origin = bool(origin) and not same_origin(request, origin)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            if cross_origin and access.any_site_allows(request, origin):
                cors.add_preflight_headers(response, origin)
            return response

        response = self._authenticate(request)
        if response is None:
            response = self._early(request)
        if response is None:
            with statement_timeout(settings.CMS_API_STATEMENT_TIMEOUT_MS):
                response = self.get_response(request)
        # The browser may read the answer (errors included) when some site lists the origin;
        # whether the origin may read the site it asked for is checked in ``access``.
        if cross_origin and access.any_site_allows(request, origin):
            cors.add_headers(response, origin)
        return response

    def _early(self, request):
        """A refusal or a kept answer, else None.

        The request is read once, here (the view reads the same object). The rate-limit
        counter and a kept answer are read in one round trip; a kept answer skips sessions,
        CSRF, auth, the view and the database. Refusals count against the limit too. The
        content generation comes in the same round trip.
        """
        try:
            gql = graphql_request.of(request)
        except RequestRefused as refused:
            if not graphql_request.wants_graphiql(request):
                response, _found = self._rate_limit(request)
                return response or refusal(request, refused)
            return None
        key = response_cache.answer_key(request, gql)
        fetch = response_cache.lookup_keys(key) if key is not None else ()
        if settings.CMS_GENERATION_MEMO and GENERATION_KEY not in fetch:
            fetch = (*fetch, GENERATION_KEY)
        # Hits are tallied on the answer's key only (the last key read when there is one).
        tally = response_cache.tally(request) if key is not None else None
        response, found = self._rate_limit(request, fetch, tally)
        if settings.CMS_GENERATION_MEMO:
            # What requests of one generation read alike is read once (cms.core.generation_memo).
            state_of(request).generation = found.get(GENERATION_KEY)
        if response is None and key is not None:
            response = response_cache.early_answer(request, gql, key, found)
        if response is not None:
            _FRAME_OPTIONS.process_response(request, response)
        return response

    def _authenticate(self, request):
        state = state_of(request)
        state.api_token = None
        try:
            state.api_token = ApiToken.objects.for_request(request)
        except tokens.InvalidToken:
            # Bad tokens count against the address, so guessing costs the guesser.
            refusal, _found = self._rate_limit(request)
            if refusal is not None:
                return refusal
            return error_answer(
                request,
                gettext("The API token is invalid, expired or revoked."),
                "UNAUTHENTICATED",
                401,
                _media_type(request),
                **{"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return None

    def _rate_limit(self, request, fetch=(), tally=None):
        """A 429 answer when over the limit, else None; and the ``fetch`` cache values."""
        token = state_of(request).api_token
        if token is not None:
            key, limit = f"token:{token.pk}", token.rate_limit
        else:
            ip = ratelimit.client_key(request, settings.CMS_API_TRUSTED_PROXIES)
            key, limit = f"ip:{ip}", settings.CMS_API_RATE_LIMIT_PER_IP
        retry_after, found = ratelimit.hit_and_fetch(
            key, limit, settings.CMS_API_RATE_LIMIT_WINDOW, fetch, tally
        )
        if retry_after is None:
            return None, found
        response = error_answer(
            request,
            gettext(
                "Too many requests (at most {limit} a minute): try again in {seconds} seconds."
            ).format(limit=limit, seconds=retry_after),
            "RATE_LIMITED",
            429,
            _media_type(request),
            **{"Retry-After": str(retry_after)},
        )
        return response, found


_TIMEOUT_ATTR = "_cms_statement_timeout_ms"


@receiver(connection_created)
def _new_connection_has_the_default(sender, connection, **kwargs):
    setattr(connection, _TIMEOUT_ATTR, None)


def reset_statement_timeout() -> None:
    """Give a non-API request the database's default timeout back, if an API request left
    its own on this (persistent) connection."""
    if getattr(connection, _TIMEOUT_ATTR, None):
        setattr(connection, _TIMEOUT_ATTR, None)
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        except DatabaseError:
            logger.warning("Could not reset statement_timeout", exc_info=True)


class statement_timeout:
    """On PostgreSQL, cancel any statement of this request that runs longer than ``ms``.

    The setting stays on the persistent connection from one API request to the next: most
    requests an app server sees are API requests, and setting it costs a round trip. Any
    other request gives the default back first (``reset_statement_timeout``). Inside a
    transaction (tests run in one) a rollback would undo the setting unseen, so there it is
    set and reset around each request.
    """

    def __init__(self, ms: int):
        self.ms = ms
        self.reset_after = False

    def __enter__(self):
        if not self.ms or connection.vendor != "postgresql":
            return self
        if connection.in_atomic_block:
            self._set()
            self.reset_after = True
        elif getattr(connection, _TIMEOUT_ATTR, None) != self.ms:
            self._set()
            setattr(connection, _TIMEOUT_ATTR, self.ms)
        return self

    def _set(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(self.ms)])

    def __exit__(self, *exc_info):
        if self.reset_after:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
            except DatabaseError:
                logger.warning("Could not reset statement_timeout", exc_info=True)
        return False
