"""The booking form's limits (per client IP, per mobile number), on the API's counters."""

from django.conf import settings

from cms.api import ratelimit


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


def client_key(request) -> str:
    return ratelimit.client_key(request, settings.CMS_API_TRUSTED_PROXIES) or "unknown"


def limit(scope: str, key: str) -> None:
    """Count one event; raise RateLimited once LEADS_RATE_LIMITS[scope] is passed."""
    max_events, window = settings.LEADS_RATE_LIMITS[scope]
    retry_after = ratelimit.hit(f"leads-{scope}:{key}", max_events, window)
    if retry_after is not None:
        raise RateLimited(retry_after)
