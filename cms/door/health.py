"""Probes for the orchestrator: /healthz (the process answers) and /readyz (it can serve).

/healthz touches nothing, so a database outage never gets healthy processes restarted.
/readyz asks the database and the cache; either unreachable means 503 and no traffic.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

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


@never_cache
def readyz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        **{k: "ok" if v else "unreachable" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)
