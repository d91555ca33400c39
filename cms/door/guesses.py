"""Limits on guessing passwords: Wagtail's view-restriction password forms, and the
answers of the admin login lockout (cms.door.login_lockout).

Wagtail's password forms (a private collection's documents; a private page's, where its
URL is mounted) accept any number of wrong guesses. Here wrong attempts are counted per
restriction and client address (CMS_PASSWORD_FORM_MAX_FAILURES), and per restriction
across all addresses (CMS_PASSWORD_FORM_MAX_FAILURES_PER_RESTRICTION, higher: a client
rotating addresses must not guess without end); past either within
CMS_PASSWORD_FORM_LOCKOUT_SECONDS of its first failure, the form is refused, the right
password too, until the counter expires. A wrong guess is the form answered again (200); a
right one redirects and clears the address's count (not the restriction's). The seam is
the URL's name, so Wagtail's views stay as they are. Like the login, this fails closed:
with the counter unreadable (Redis down or hung) a guess is refused with 503 rather than
let through unlimited.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _lazy

from cms.api.ratelimit import client_key
from cms.core.cache import CacheUnavailable, count, strict
from cms.core.request_state import state_of
from cms.door.login_lockout import LockoutUnavailable, LoginLocked, remember_device
from cms.door.throttle import refusal

logger = logging.getLogger("cms.security")

# URL name -> the URL argument naming the restriction.
PASSWORD_FORMS = {
    "wagtaildocs_authenticate_with_password": "restriction_id",
    "wagtailcore_authenticate_with_password": "page_view_restriction_id",
}

LOCKED_MESSAGE = _lazy("Too many wrong passwords: try again in {minutes} minutes.")
UNAVAILABLE_MESSAGE = _lazy("The password cannot be checked right now: try again later.")
LOGIN_LOCKED_MESSAGE = _lazy(
    "Too many failed sign-ins: this account is locked at this address; "
    "try again in {minutes} minutes."
)
LOGIN_UNAVAILABLE_MESSAGE = _lazy("Signing in is unavailable right now: try again later.")


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


def _form_keys(request, view_kwargs) -> dict[str, int] | None:
    """The counters of this guess, the (restriction, address) one first, with their limits."""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match is not None else None
    if request.method != "POST" or name not in PASSWORD_FORMS:
        return None
    restriction = f"password-form:{name}:{view_kwargs.get(PASSWORD_FORMS[name])}"
    return {
        f"{restriction}:{client_key(request)}": settings.CMS_PASSWORD_FORM_MAX_FAILURES,
        restriction: settings.CMS_PASSWORD_FORM_MAX_FAILURES_PER_RESTRICTION,
    }


class GuessLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        remember_device(request, response)
        keys = state_of(request).password_form_keys
        if keys is not None:
            self._record(keys, response.status_code)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        keys = _form_keys(request, view_kwargs)
        if keys is None:
            return None
        try:
            failures = strict(cache).get_many(list(keys))
        except Exception as error:
            if not isinstance(error, CacheUnavailable):
                logger.warning("Password form counter unreadable", exc_info=True)
            return refusal(request, 503, UNAVAILABLE_MESSAGE, "SERVICE_UNAVAILABLE", _retry_after())
        seconds = settings.CMS_PASSWORD_FORM_LOCKOUT_SECONDS
        over = [key for key, limit in keys.items() if failures.get(key, 0) >= limit]
        if over:
            logger.warning("Password form refused: %s", over[0])
            message = format_lazy(LOCKED_MESSAGE, minutes=_minutes(seconds))
            return refusal(request, 429, message, "RATE_LIMITED", seconds)
        state_of(request).password_form_keys = list(keys)
        return None

    def _record(self, keys: list[str], status: int) -> None:
        try:
            if status == 200:  # the form again: the password was wrong
                for key in keys:
                    count(cache, key, settings.CMS_PASSWORD_FORM_LOCKOUT_SECONDS)
            elif 300 <= status < 400:
                cache.delete(keys[0])  # the address's count; the restriction's runs on
        except CacheUnavailable:
            pass  # logged by the breaker; the next guess is refused (fail closed)
        except Exception:
            logger.warning("Password form counter unreachable", exc_info=True)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginLocked):
            seconds = settings.CMS_LOGIN_LOCKOUT_SECONDS
            message = format_lazy(LOGIN_LOCKED_MESSAGE, minutes=_minutes(seconds))
            return refusal(request, 429, message, "RATE_LIMITED", seconds)
        if isinstance(exception, LockoutUnavailable):
            return refusal(
                request, 503, LOGIN_UNAVAILABLE_MESSAGE, "SERVICE_UNAVAILABLE", _retry_after()
            )
        return None


def _retry_after() -> int:
    return settings.CMS_API_RETRY_AFTER
