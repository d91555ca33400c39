"""The bytes of a /graphql/ answer: gzip when the client accepts it, an ETag per
representation, and 304 for a matching If-None-Match.

The ETag ``response_cache`` computes names the uncompressed answer; a gzip answer gets
its own (``"…-gzip"``), as a strong validator must differ between representations.
Compression is deterministic (no timestamp in the header), so the same answer always
compresses to the same bytes under that tag. Brotli and zstd are left out: gzip reaches
every client, and JSON answers of a few kilobytes gain little more from them.
"""

from __future__ import annotations

import gzip

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from cms.door.headers import weighted

MIN_SIZE = 200  # below this, gzip's own header eats the gain
_LEVEL = 6


def accepts_gzip(request) -> bool:
    """Whether Accept-Encoding, read whole, allows gzip: its own entry's q-value when it
    has one (``*;q=0, gzip`` allows it, ``gzip;q=0, *`` does not), else that of ``*``."""
    found = {}
    for name, q in weighted(request.headers.get("Accept-Encoding")):
        if name not in ("gzip", "*"):
            continue
        found[name] = min(found.get(name, q), q)  # listed twice: the stricter
    return found.get("gzip", found.get("*", 0.0)) > 0


def _compressible(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Content-Encoding")
        and "json" in response.get("Content-Type", "")
        and len(response.content) >= MIN_SIZE
    )


def finish(request, response):
    """The answer as this client gets it."""
    if _compressible(response):
        patch_vary_headers(response, ("Accept-Encoding",))
        if accepts_gzip(request):
            response.content = gzip.compress(response.content, _LEVEL, mtime=0)
            response["Content-Encoding"] = "gzip"
            if response.has_header("ETag"):
                response["ETag"] = response["ETag"][:-1] + '-gzip"'
    if not response.streaming:
        response["Content-Length"] = str(len(response.content))
    return _not_modified(request, response)


def _not_modified(request, response):
    etag = response.get("ETag")
    if request.method != "GET" or response.status_code != 200 or not etag:
        return response
    sent = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag not in sent:
        return response
    unchanged = HttpResponseNotModified()
    for name in ("ETag", "Cache-Control", "Vary", "X-Request-ID", "X-Cache"):
        if response.has_header(name):
            unchanged[name] = response[name]
    for name in ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers"):
        if response.has_header(name):
            unchanged[name] = response[name]
    return unchanged
