"""Admin login lockout, counted per account and address (as django-axes does), so that
failures from one address cannot lock the real user out everywhere.

Three counters of failed logins, each living CMS_LOGIN_LOCKOUT_SECONDS from its first
failure (README: "Admin accounts"):

- the account from one address: CMS_LOGIN_MAX_FAILURES (5) refuses that pair only;
- one address across accounts (password spraying): CMS_LOGIN_MAX_FAILURES_PER_ADDRESS (20)
  refuses the address for every account;
- one account across addresses (a distributed guess): CMS_LOGIN_MAX_FAILURES_PER_ACCOUNT
  (100) refuses the account from every address.

A refused attempt checks no password and counts nothing, so an attacker hammering from
one address adds at most CMS_LOGIN_MAX_FAILURES to the account's counter: locking the
account everywhere takes CMS_LOGIN_MAX_FAILURES_PER_ACCOUNT failures from many addresses.
That lock does not hold against the real user's own browser: a successful login sets a
signed "known device" cookie naming the account (CMS_LOGIN_KNOWN_DEVICE_DAYS), and an
attempt carrying it is judged by its (account, address) and address counters only.
The address is ``cms.api.ratelimit.client_key`` (an IPv6 address counts by its /64;
X-Forwarded-For only behind CMS_API_TRUSTED_PROXIES proxies).

Fails closed: when the counters cannot be read (Redis down or hung, cms/core/cache.py), no
login is checked, and the login page answers 503 with a Chinese message; an unlimited
password guess is worse than editors waiting for Redis. Failures are counted from the
``user_login_failed`` signal; a successful login clears its own (account, address) count.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.dispatch import receiver

from cms.api.ratelimit import client_key
from cms.core.cache import CacheUnavailable, count, strict
from cms.core.request_state import state_of

logger = logging.getLogger("cms.security")

DEVICE_COOKIE = "cms_known_device"
_DEVICE_SALT = "cms.door.login_lockout.known-device"


class LoginLocked(Exception):
    """Too many failures for this account, address or pair: refused, unchecked."""


class LockoutUnavailable(Exception):
    """The failure counters cannot be read: refused, unchecked (fail closed)."""


def _account(username: str | None) -> str:
    if not username:
        return ""
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _device_seconds() -> int:
    return settings.CMS_LOGIN_KNOWN_DEVICE_DAYS * 24 * 3600


def _known_device(request, account: str) -> bool:
    """Whether the attempt comes from a browser that signed in to ``account`` before."""
    value = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not (value and account):
        return False
    try:
        return signing.loads(value, salt=_DEVICE_SALT, max_age=_device_seconds()) == account
    except signing.BadSignature:  # forged, for another key, or expired
        return False


def remember_device(request, response) -> None:
    """Set the known-device cookie on the answer to a successful login (from
    cms.door.guesses.GuessLimitMiddleware, which sees every login's answer)."""
    value = state_of(request).known_device
    if value is not None:
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=_device_seconds(),
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )


def _counters(username: str | None, request) -> dict[str, int]:
    """The keys of the counters this attempt is judged by (and counts into), each with its
    limit."""
    ip = client_key(request) if request is not None else ""
    account = _account(username)
    counters = {}
    if account and ip:
        counters[f"login-failures:pair:{account}:{ip}"] = settings.CMS_LOGIN_MAX_FAILURES
    if ip:
        counters[f"login-failures:ip:{ip}"] = settings.CMS_LOGIN_MAX_FAILURES_PER_ADDRESS
    if account:
        counters[f"login-failures:user:{account}"] = settings.CMS_LOGIN_MAX_FAILURES_PER_ACCOUNT
    return counters


def check(username: str | None, request) -> None:
    """Raise LoginLocked or LockoutUnavailable when this attempt must not be checked."""
    counters = _counters(username, request)
    if _known_device(request, _account(username)):
        counters = {key: limit for key, limit in counters.items() if ":user:" not in key}
    try:
        counts = strict(cache).get_many(list(counters))
    except Exception as error:  # Each backend raises its own; CacheUnavailable for Redis.
        if not isinstance(error, CacheUnavailable):
            logger.warning("Login lockout cache unreadable", exc_info=True)
        raise LockoutUnavailable from error
    if any(counts.get(key, 0) >= limit for key, limit in counters.items()):
        raise LoginLocked


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        try:
            check(username, request)
        except (LoginLocked, LockoutUnavailable):
            # Not PermissionDenied: Django would send user_login_failed (counting a refusal
            # as a failure) and answer "wrong password"; these propagate to
            # cms.door.guesses.GuessLimitMiddleware, which answers 429 or 503.
            logger.warning("Login refused unchecked (%s)", username)
            raise
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    for key in _counters(username, request):
        try:
            count(cache, key, settings.CMS_LOGIN_LOCKOUT_SECONDS)
        except CacheUnavailable:
            return  # the breaker has logged it; the next attempt is refused (fail closed)
        except Exception:
            logger.warning("Login lockout cache unreachable", exc_info=True)
            return


@receiver(user_logged_in)
def clear_failures(sender, request, user, **kwargs):
    if request is None:
        return
    state_of(request).known_device = signing.dumps(_account(user.get_username()), salt=_DEVICE_SALT)
    pair = [key for key in _counters(user.get_username(), request) if ":pair:" in key]
    try:
        cache.delete_many(pair)
    except Exception:
        logger.warning("Login lockout cache unreachable", exc_info=True)


def _login_form_class():
    from django.utils.translation import gettext_lazy
    from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

    class LoginForm(WagtailLoginForm):
        """Wagtail's login form, whose password field has no label of its own: Django's
        "Password" from the field name, untranslated on a Chinese login page."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["password"].label = gettext_lazy("Password")

    return LoginForm


def __getattr__(name):
    # Wagtail imports the form by name (WAGTAILADMIN_USER_LOGIN_FORM) once its admin is
    # loaded; this module is imported earlier, by the authentication backend setting.
    if name == "LoginForm":
        return _login_form_class()
    raise AttributeError(name)
