"""After a change, the answers readers ask for most are made again before they ask.

A change clients can see makes every kept answer old (``response_cache``): the next reader
of each waits for the database. So each change committed (``content_committed``) queues
one durable task, which takes the ``CMS_API_WARM_QUERIES`` anonymous answers served most
from the cache (counted in the lookup's own round trip, ``response_cache.tally``) and asks
for each again, through the whole middleware stack, as the anonymous client that first
asked did (same site, origin, media type, query and variables; no token, no cookie). The
view keeps what it answers as it would for that client: nothing a client without
credentials may not see, nothing with errors, no draft. Bounded: each request by the
door's statement timeout, the task by ``CMS_API_WARM_SECONDS``.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import time
import urllib.parse

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.dispatch import receiver
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.api.cache_invalidation import content_committed, generation
from cms.door.middleware import reset_statement_timeout
from cms.door.response_cache import HOT_KEY

logger = logging.getLogger("cms.api")

# The tally keeps this many names per answer warmed: enough for the order to settle.
_KEEP_FACTOR = 10


@receiver(content_committed)
def on_content_committed(sender, **kwargs):
    if settings.CMS_API_WARM_QUERIES <= 0 or settings.CMS_API_CACHE_TIMEOUT <= 0:
        return
    # A burst of changes (an import, a tree moved) needs one run, not one each.
    waiting = DBTaskResult.objects.filter(
        task_path=warm_hot_answers.module_path,
        status=TaskResultStatus.READY,
        backend_name="durable",
    )
    if not waiting.exists():
        warm_hot_answers.enqueue()


@task(backend="durable")
def warm_hot_answers() -> str:
    most_tallied = getattr(cache, "most_tallied", None)
    if most_tallied is None:  # only the Redis cache counts hits
        return "no tally"
    count = settings.CMS_API_WARM_QUERIES
    names = most_tallied(HOT_KEY, count, count * _KEEP_FACTOR)
    kept = cache.get_many(names) if names else {}
    current = generation()
    handler = BaseHandler()
    handler.load_middleware()
    deadline = time.monotonic() + settings.CMS_API_WARM_SECONDS
    warmed = 0
    try:
        for name in names:
            entry = kept.get(name)
            if not isinstance(entry, tuple) or len(entry) != 6 or entry[5] is None:
                continue  # gone, or a token holder's
            if entry[0] == current:
                continue  # a reader (or another run) made it already
            if time.monotonic() >= deadline:
                break
            try:
                response = handler.get_response(_request(entry[5]))
            except Exception:
                logger.warning("Warming an answer failed", exc_info=True)
                continue
            warmed += response.get("X-Cache") == "MISS"
    finally:
        # The door leaves its statement timeout on the connection; the worker's other
        # tasks run without it.
        reset_statement_timeout()
    return f"warmed {warmed} of {len(names)}"


def _request(replay: dict) -> WSGIRequest:
    """The GET an anonymous client sends for this answer."""
    params = {}
    if replay["query"] is not None:
        params["query"] = replay["query"]
    else:
        persisted = {"persistedQuery": {"version": 1, "sha256Hash": replay["sha"]}}
        params["extensions"] = json.dumps(persisted)
    if replay["operation_name"]:
        params["operationName"] = replay["operation_name"]
    if replay["variables"]:
        params["variables"] = json.dumps(replay["variables"])
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": settings.CMS_API_PATH,
        "SCRIPT_NAME": "",
        "QUERY_STRING": urllib.parse.urlencode(params),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443" if replay["scheme"] == "https" else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": replay["host"],
        "HTTP_ACCEPT": replay["accept"],
        "wsgi.url_scheme": replay["scheme"],
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    if replay["scheme"] == "https" and settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    if replay["origin"]:
        environ["HTTP_ORIGIN"] = replay["origin"]
    return WSGIRequest(environ)
