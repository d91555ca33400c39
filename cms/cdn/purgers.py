"""Purgers: how one CDN is asked to drop the answers carrying some cache tags.

``CMS_CDN_PURGER`` picks one:

- ``http``: a POST of ``{"tags": [...]}`` (JSON) to CMS_CDN_PURGE_URL, with
  ``Authorization: Bearer CMS_CDN_PURGE_TOKEN`` when set. For a CDN or cache reached through a
  small adapter of one's own (Varnish with xkey, nginx with a purge module, a cloud
  function calling the provider's SDK); any 2xx is success.
- ``cloudflare``: Cloudflare's purge by Cache-Tag, ``POST {CMS_CDN_API_URL}/zones/{zone}/
  purge_cache`` with ``{"tags": [...]}`` (at most 30 a call) and an API token allowed
  "Cache Purge"; success is 2xx and ``"success": true`` in the answer.

Each returns None on success, else the error (retried by cms.cdn.tasks).
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CLOUDFLARE_TAGS_PER_CALL = 30


def _post(url: str, payload: dict, token: str) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json", "User-Agent": "childcare-cms-cdn/1"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.CMS_CDN_TIMEOUT) as answer:
            return answer.status, answer.read(2000)
    except urllib.error.HTTPError as error:
        return error.code, error.read(2000)


def http_purge(tags: list[str]) -> str | None:
    if not settings.CMS_CDN_PURGE_URL:
        raise ImproperlyConfigured("CMS_CDN_PURGER=http needs CMS_CDN_PURGE_URL.")
    status, _body = _post(settings.CMS_CDN_PURGE_URL, {"tags": tags}, settings.CMS_CDN_PURGE_TOKEN)
    return None if 200 <= status < 300 else f"HTTP {status}"


def cloudflare_purge(tags: list[str]) -> str | None:
    if not settings.CMS_CDN_ZONE or not settings.CMS_CDN_PURGE_TOKEN:
        raise ImproperlyConfigured("CMS_CDN_PURGER=cloudflare needs CMS_CDN_ZONE and a token.")
    url = f"{settings.CMS_CDN_API_URL.rstrip('/')}/zones/{settings.CMS_CDN_ZONE}/purge_cache"
    for start in range(0, len(tags), CLOUDFLARE_TAGS_PER_CALL):
        batch = tags[start : start + CLOUDFLARE_TAGS_PER_CALL]
        status, body = _post(url, {"tags": batch}, settings.CMS_CDN_PURGE_TOKEN)
        try:
            success = json.loads(body or b"{}").get("success") is True
        except ValueError:
            success = False
        if not (200 <= status < 300 and success):
            return f"HTTP {status}: {body[:150].decode('utf-8', 'replace')}"
    return None


PURGERS = {"http": http_purge, "cloudflare": cloudflare_purge}


def configured():
    """The purger CMS_CDN_PURGER names, or None when no CDN is to be purged."""
    name = settings.CMS_CDN_PURGER
    if not name:
        return None
    if name not in PURGERS:
        raise ImproperlyConfigured(f"CMS_CDN_PURGER must be one of {sorted(PURGERS)}, not {name!r}")
    return PURGERS[name]


def purge(tags: list[str]) -> str | None:
    purger = configured()
    if purger is None:
        return None
    try:
        return purger(tags)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return f"{type(error).__name__}: {error}"[:200]
