"""Accept-style header lists (Accept, Accept-Encoding): each entry with its q-value, read
one way for every header the door negotiates on."""

from __future__ import annotations

import math


def weighted(header: str | None) -> list[tuple[str, float]]:
    """``[(name, q), ...]`` in the order sent, names lower-cased; a q that is missing is 1,
    one that is not a number in 0…1 counts as 0 (refused), never as a preference."""
    entries = []
    for entry in (header or "").split(","):
        name, *params = (part.strip() for part in entry.split(";"))
        if not name:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                if math.isnan(q) or not 0.0 <= q <= 1.0:
                    q = 0.0
        entries.append((name.lower(), q))
    return entries
