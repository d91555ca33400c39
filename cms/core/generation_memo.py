"""What every API request of a process reads alike (the sites, the view restrictions), read
once per content generation instead of once per request.

The content generation (``cms.api.cache_invalidation``) is a counter in the shared cache,
increased after every change a client could see commits: publishing, view restrictions,
collections, sites, settings. The door reads it at the start of each API request, in the
round trip that counts the request against its rate limit, and keeps it on the request
(``RequestState.generation``). A value loaded after that read is at least as new as that
generation, so any later request that read the same generation may use it; one that read
another loads its own. The answer cache trusts the same counter for whole answers.

No generation on the request (the cache unreachable, not an API request, or
CMS_GENERATION_MEMO off, as in the tests, where no commit ever increases it): the value
is loaded for the request alone, and what the process kept is dropped, so a change made
while the generation could not be increased is not hidden behind a value kept before.

Whatever the generation, nothing is kept longer than CMS_GENERATION_MEMO_SECONDS (as long
as a kept answer, by default): an increase dropped while Redis blipped, by a process that
then never redoes it, hides a change no longer than that.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from cms.core.request_state import state_of

T = TypeVar("T")

# (generation, when it was first kept (monotonic seconds), {name: value}): replaced whole,
# never changed in place, so threads of one process read a consistent triple without a lock.
_kept: tuple[int | None, float, dict] = (None, 0.0, {})


def per_generation(request, name: str, load: Callable[[], T]) -> T:
    """``load()``, shared with every request of this process that read the same generation.

    The value is shared: callers must not change it (tuples, frozensets, or objects no code
    writes to)."""
    global _kept
    generation = state_of(request).generation if request is not None else None
    if generation is None:
        if _kept[0] is not None:
            _kept = (None, 0.0, {})
        return load()
    kept_generation, born, values = _kept
    now = time.monotonic()
    if kept_generation != generation or now - born >= settings.CMS_GENERATION_MEMO_SECONDS:
        kept_generation, born, values = generation, now, {}
    if name in values:
        return values[name]
    value = load()
    _kept = (kept_generation, born, {**values, name: value})
    return value


def forget() -> None:
    """Drop what this process kept (tests)."""
    global _kept
    _kept = (None, 0.0, {})
