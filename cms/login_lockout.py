"""Admin login lockout: after CMS_LOGIN_MAX_FAILURES failed logins for one account, or
from one address, further attempts are refused (even with the right password) for
CMS_LOGIN_LOCKOUT_SECONDS.

Failures are counted in Django's cache (Redis when REDIS_URL is set, so shared by all
app servers) from the ``user_login_failed`` signal; a successful login clears the
account's counter. Django's ``authenticate`` treats the PermissionDenied raised here
as a final "no" without asking other backends.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

logger = logging.getLogger("cms.security")


def _keys(username: str | None, request) -> list[str]:
    keys = []
    if username:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        keys.append(f"login-failures:user:{digest}")
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    if ip:
        keys.append(f"login-failures:ip:{ip}")
    return keys


def is_locked(username: str | None, request) -> bool:
    try:
        counts = cache.get_many(_keys(username, request))
    except Exception:
        logger.warning("Login lockout cache unreachable", exc_info=True)
        return False
    return any(count >= settings.CMS_LOGIN_MAX_FAILURES for count in counts.values())


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if is_locked(username, request):
            logger.warning("Login refused: locked out (%s)", username)
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    for key in _keys(username, request):
        try:
            cache.add(key, 0, timeout=settings.CMS_LOGIN_LOCKOUT_SECONDS)
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.CMS_LOGIN_LOCKOUT_SECONDS)
        except Exception:
            logger.warning("Login lockout cache unreachable", exc_info=True)


@receiver(user_logged_in)
def clear_failures(sender, request, user, **kwargs):
    try:
        cache.delete_many(_keys(user.get_username(), None))
    except Exception:
        logger.warning("Login lockout cache unreachable", exc_info=True)
