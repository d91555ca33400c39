"""Fixed-window request counters in Django's cache (Redis when REDIS_URL is set).

Shared by every app server through Redis; ``incr`` is atomic there. If the cache
is unreachable the request is let through (fail open): an outage of the cache must not
take the reads down with it. The cache's circuit breaker logs the outage once per trip
(cms/core/cache.py), so a refused or hung Redis is not logged once per request here.
"""

from __future__ import annotations

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache

from cms.core.cache import CacheUnavailable

logger = logging.getLogger("cms.api")


def hit(key: str, limit: int, window: int) -> int | None:
    """Count one request against ``key``; seconds to wait when over ``limit``, else None."""
    return hit_and_fetch(key, limit, window)[0]


def hit_and_fetch(
    key: str, limit: int, window: int, fetch=(), tally=None
) -> tuple[int | None, dict]:
    """``hit``, and the cache values of the ``fetch`` keys that exist, read in the same
    round trip when the cache is Redis (cms.core.cache.RedisCache, which also keeps the
    ``tally`` there; other caches keep none)."""
    now = time.time()
    window_start = int(now // window) * window
    cache_key = f"api:rl:{key}:{window_start}"
    counter = getattr(cache, "count_in_window", None)
    found: dict = {}
    try:
        if counter is not None:
            count, found = counter(cache_key, window + 5, fetch, tally)
        else:
            cache.add(cache_key, 0, timeout=window + 5)
            count = cache.incr(cache_key)
            found = cache.get_many(list(fetch)) if fetch else {}
    except ValueError:  # The key expired between add and incr: a new window began.
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    except CacheUnavailable:
        return None, {}
    except Exception:
        logger.warning("Rate limit cache unreachable; request %s let through", key, exc_info=True)
        return None, {}
    if count > limit:
        return max(1, int(window_start + window - now) + 1), found
    return None, found


def client_ip(request, trusted_proxies: int | None = None) -> str:
    """The client's address: REMOTE_ADDR, or behind ``trusted_proxies`` reverse proxies
    (default CMS_API_TRUSTED_PROXIES) the address the outermost one saw, from
    X-Forwarded-For. The one reader of the client address: the API's limits, the public
    paths' throttle, the login lockout and the password forms all count by it (through
    ``client_key``). Entries a
    client put in X-Forwarded-For itself lie left of what the proxies appended, unread."""
    if trusted_proxies is None:
        trusted_proxies = settings.CMS_API_TRUSTED_PROXIES
    if trusted_proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request, trusted_proxies: int | None = None) -> str:
    """What every per-address counter counts by: ``client_ip``, an IPv6 address grouped by
    its /64 (one subscriber's network: a client rotating through its 2^64 addresses must not
    get a fresh counter for each). IPv4, and IPv4 mapped into IPv6, stay one address."""
    ip = client_ip(request, trusted_proxies)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 4:
        return ip
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.IPv6Network((address, 64), strict=False))
