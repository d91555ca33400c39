"""Probes for the orchestrator: /healthz (the process answers) and /readyz (it can serve).

/healthz touches nothing, so a database outage never gets healthy processes restarted.
/readyz asks the database and the cache; either unreachable means 503 and no traffic, and
``failing`` names what failed ("database", "redis", or "cache" for the file cache).
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from cms.core.cache import RedisCache

logger = logging.getLogger("cms.door.health")


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("readyz: database unreachable", exc_info=True)
        return False


def _cache_ok() -> bool:
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return ok
    except Exception:  # Each cache backend raises its own errors (redis.ConnectionError ...).
        logger.warning("readyz: cache unreachable", exc_info=True)
        return False


def _cache_name() -> str:
    """What the cache is, so a failing probe names the service to look at."""
    return "redis" if isinstance(caches["default"], RedisCache) else "cache"


@never_cache
def readyz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        **{k: "ok" if v else "unreachable" for k, v in checks.items()},
    }
    if not ready:
        names = {"database": "database", "cache": _cache_name()}
        body["failing"] = [names[k] for k, v in checks.items() if not v]
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(settings.CMS_API_RETRY_AFTER)
    return response
