"""CORS: which browser origins may read the API, listed per site by editors.

A preflight is answered for an origin listed by any site (the browser does not say
yet which site it will read). The read itself is checked per site in ``sites``: an
origin reads only the sites that list it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

_ORIGIN = re.compile(
    r"^https?://"
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"(?::[0-9]{1,5})?$"
)

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, X-Request-ID"
MAX_AGE = "600"


def normalise_origin(value: str) -> str:
    """An origin as browsers send it (scheme://host[:port]), or ValidationError."""
    origin = value.strip().lower().rstrip("/")
    match = _ORIGIN.match(origin)
    port = origin.rsplit(":", 1)[-1] if origin.count(":") == 2 else None
    if match is None or (port is not None and not 0 < int(port) < 65536):
        raise ValidationError(
            _("“%(value)s” is not an origin such as https://www.example.cn"),
            code="invalid_origin",
            params={"value": value.strip()},
        )
    return origin


def parse_origins(text: str) -> list[str]:
    """One origin per line (blank lines ignored); ValidationError naming each bad line."""
    origins, errors = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        try:
            origin = normalise_origin(line)
        except ValidationError as error:
            errors.append(error)
        else:
            if origin not in origins:
                origins.append(origin)
    if errors:
        raise ValidationError(errors)
    return origins


def same_origin(request, origin: str) -> bool:
    return origin == f"{request.scheme}://{request.get_host()}".lower()


def add_headers(response, origin: str) -> None:
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Expose-Headers"] = "X-Request-ID, Retry-After"
    patch_vary_headers(response, ("Origin",))


def add_preflight_headers(response, origin: str) -> None:
    add_headers(response, origin)
    response["Access-Control-Allow-Methods"] = ALLOW_METHODS
    response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    response["Access-Control-Max-Age"] = MAX_AGE
