"""Everything the project keeps for one HTTP request, in one typed object.

Per-request state used to be a dozen ad-hoc attributes hung on the ``HttpRequest``, each
module naming its own; nothing listed them, two could collide, and a typo read ``None``
silently. Now the request carries one attribute, ``request.cms``, made by ``state_of``,
and every piece of state is a field below. ``tests/api/test_request_state.py`` fails when
code in cms/, home/ or articles/ hangs anything else on a request.

This is the platform base: fields whose types belong to higher layers (the door's
GraphQL request, the schema kit's API token, the front-end settings model) are typed
``Any`` here, and the module that owns each field is the one that reads and writes it.
Wagtail's own ``request._wagtail_site`` stays where Wagtail looks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wagtail.models import Site

_ATTR = "cms"


@dataclass(slots=True)
class RequestState:
    # cms.door.graphql_request: the request read once, a GraphQLRequest or the
    # RequestRefused it raised (None: not read yet).
    graphql: Any = None
    # cms.door.answers: the id of this request in logs and error answers.
    request_id: str | None = None
    # cms.door.middleware: the API token the request authenticated with (cms.api.models.ApiToken).
    api_token: Any = None
    # cms.door.middleware: the content generation read as the request came in (None: not
    # read); cms.core.generation_memo shares what requests of one generation read alike.
    generation: int | None = None
    # cms.door.response_cache: the answer cache key and content generation looked up before
    # the view ran (None: not looked up early).
    answer_key: tuple[str, int | None] | None = None
    # cms.api.cache_invalidation: the answer shows something that must not be kept.
    never_cache: bool = False
    # cms.door.endpoint: seconds a resolver (the booking form) told the client to wait;
    # the answer becomes 429 with Retry-After.
    retry_after: int | None = None
    # cms.door.guesses: the counters of a password-form guess, counted once answered.
    password_form_keys: list[str] | None = None
    # cms.door.login_lockout: the signed known-device cookie to set after a login.
    known_device: str | None = None
    # cms.api.sites: every site, loaded once with their API settings.
    sites: list[Site] | None = None
    # cms.api.site_argument: the site this request's queries named.
    current_site: Site | None = None
    # cms.api.frontend: FrontendSettings by site id.
    frontend_settings: dict[int, Any] = field(default_factory=dict)
    # cms.core.visibility: the rule for this request (a Visibility, made on first use).
    visibility: Any = None
    # cms.core.richtext: URL of each linked page by id (None: not visible).
    page_link_urls: dict[int, str | None] = field(default_factory=dict)
    # cms.core.richtext: URL of each linked document by id (None: not shown).
    document_link_urls: dict[int, str | None] = field(default_factory=dict)
    # home.types: URL of the booking form page by site id (None key: no site named).
    booking_form_urls: dict[int | None, str | None] = field(default_factory=dict)
    # cms.api.cache_tags: the CDN cache tags of what this answer read (None: not recording).
    cache_tags: set[str] | None = None


def state_of(request) -> RequestState:
    """This request's state, made on first use."""
    state = getattr(request, _ATTR, None)
    if state is None:
        state = RequestState()
        setattr(request, _ATTR, state)
    return state
