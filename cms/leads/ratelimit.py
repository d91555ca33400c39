"""Fixed-window counters in Django's cache (Redis when REDIS_URL is set), shared by all
app servers, so a limit holds however many processes serve the API."""

import time

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


def hit(scope: str, key: str, limit: int, window: int) -> None:
    """Count one event for ``key``; raise RateLimited once ``limit`` is passed in the window."""
    now = int(time.time())
    window_start = now - now % window
    cache_key = f"ratelimit:{scope}:{key}:{window_start}"
    # add() is atomic: only the first request of a window creates the counter.
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=window_start + window - now)


def client_ip(request) -> str:
    """The client's address; behind CMS_TRUSTED_PROXIES proxies, read from X-Forwarded-For."""
    proxies = settings.CMS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def limit(scope: str, key: str) -> None:
    max_events, window = settings.LEADS_RATE_LIMITS[scope]
    hit(f"leads-{scope}", key, max_events, window)
