"""CORS headers: which browser origins may read the API, listed per site by editors.

A preflight is answered for an origin listed by any site (the browser does not say
yet which site it will read). The read itself is checked per site in ``cms.api.access``:
an origin reads only the sites that list it.
"""

from __future__ import annotations

from django.utils.cache import patch_vary_headers

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, X-Request-ID"
MAX_AGE = "600"


def add_headers(response, origin: str) -> None:
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Expose-Headers"] = "X-Request-ID, Retry-After"
    patch_vary_headers(response, ("Origin",))


def add_preflight_headers(response, origin: str) -> None:
    add_headers(response, origin)
    response["Access-Control-Allow-Methods"] = ALLOW_METHODS
    response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    response["Access-Control-Max-Age"] = MAX_AGE
