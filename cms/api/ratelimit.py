"""Fixed-window request counters in Django's cache (Redis when REDIS_URL is set).

Shared by every app server through Redis; ``incr`` is atomic there. If the cache
is unreachable the request is let through and the failure logged: an outage of the
cache must not take the API down with it.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger("cms.api")


def hit(key: str, limit: int, window: int) -> int | None:
    """Count one request against ``key``; seconds to wait when over ``limit``, else None."""
    now = time.time()
    window_start = int(now // window) * window
    cache_key = f"api:rl:{key}:{window_start}"
    counter = getattr(cache, "count_in_window", None)  # cms.cache.RedisCache
    try:
        if counter is not None:
            count = counter(cache_key, window + 5)
        else:
            cache.add(cache_key, 0, timeout=window + 5)
            count = cache.incr(cache_key)
    except ValueError:  # The key expired between add and incr: a new window began.
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    except Exception:
        logger.warning("Rate limit cache unreachable; request %s let through", key, exc_info=True)
        return None
    if count > limit:
        return max(1, int(window_start + window - now) + 1)
    return None


def client_ip(request, trusted_proxies: int) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw, from X-Forwarded-For."""
    if trusted_proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return request.META.get("REMOTE_ADDR", "")
