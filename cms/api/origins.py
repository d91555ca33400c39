"""Browser origins as editors list them per site (Settings → API access), and as
browsers send them. The CORS headers built from them are the door's (``cms.door.cors``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ORIGIN = re.compile(
    r"^https?://"
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"(?::[0-9]{1,5})?$"
)


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
