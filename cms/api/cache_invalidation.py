"""What resolvers and content apps tell the answer cache, without knowing the HTTP door.

``content_changed`` stops every kept answer from being served (one generation counter in
the shared cache, incremented after the transaction commits); ``never_cache`` marks the
answer being made as not to be kept (a draft preview, a fresh form token).

Publishing, unpublishing, moving and deleting pages and saving snippets or settings call
``content_changed`` from ``cms.publishing.signals`` (the same events the webhooks report).
The receivers here are the rest: privacy (page and collection view restrictions, and
collections themselves), images and documents (not their renditions, which reads
create), sites, the sites' API settings (created too: a row made with ``require_token`` on
must not wait for an edit) and redirects.

The generation starts at the time in nanoseconds, not at 1: when Redis is emptied it starts
again at a number no process has seen, so nothing a process kept under an older generation
(``cms.core.generation_memo``) is taken for current.

A collection inherits the view restrictions above it, so moving one can hide its images.
Treebeard's ``move`` sends no signal; the admin's edit view saves the collection and
moves it in one transaction, so the bump on its save lands after the move commits.
Code that calls ``Collection.move`` itself must call ``content_changed``.

Each change also names what it touched (``tags``, cms.api.cache_tags; none: everything), sent
after the commit as ``content_committed`` for the CDN purge (cms.cdn) to drop exactly the
answers that showed it.
"""

import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site
from wagtail.signals import post_page_move

from cms.api.cache_tags import ALL, tags_for
from cms.api.models import ApiSettings
from cms.core.cache import CacheUnavailable, strict
from cms.core.request_state import state_of

GENERATION_KEY = "cms:gql:generation"

# Set when this process could not increase the generation (Redis out): the increment is
# redone once Redis answers again, and only then, so a blip with nothing dropped keeps every
# answer.
_bump_dropped = threading.Event()

# Sent once a change clients can see has committed, with ``tags``: the cache tags of the
# answers that showed what changed (cms.api.cache_tags).
content_committed = Signal()


def _first_generation() -> int:
    return time.time_ns()


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        first = _first_generation()
        cache.add(GENERATION_KEY, first, timeout=None)
        value = cache.get(GENERATION_KEY) or first
    return int(value)


def _bump() -> None:
    try:
        try:
            strict(cache).incr(GENERATION_KEY)
        except ValueError:  # Not there yet (or the cache was emptied): every answer is new.
            strict(cache).add(GENERATION_KEY, _first_generation(), timeout=None)
    except CacheUnavailable:
        _bump_dropped.set()


def redo_dropped_bump() -> None:
    """The cache's recovery hook (cms.core.cache.on_recovery): increase the generation now if
    this process dropped an increment while Redis was out; the content was committed then."""
    if _bump_dropped.is_set():
        _bump_dropped.clear()
        _bump()


def content_changed(tags=None) -> None:
    """Stop serving every kept answer, once the current transaction commits, and announce
    ``tags`` (what changed; None: anything may have) for the CDN.

    After the commit, not before: otherwise a request on another server could keep the old
    content again under the new generation.
    """
    transaction.on_commit(_bump)
    tags = [ALL] if tags is None else list(tags)
    # robust: a purge that cannot be queued must not turn a committed publish into an error.
    transaction.on_commit(
        lambda: content_committed.send_robust(sender=None, tags=tags), robust=True
    )


def never_cache(context) -> None:
    """Mark the answer being made (``info.context``, the request) as not to be kept."""
    if context is not None:
        state_of(context).never_cache = True


def is_never_cached(context) -> bool:
    return context is not None and state_of(context).never_cache


# What images and documents show is named by their tags; the rest can change any answer.
_NAMED = (get_image_model(), get_document_model())
_MODELS = (
    PageViewRestriction,
    CollectionViewRestriction,
    Collection,
    Site,
    ApiSettings,
    Redirect,
    get_image_model(),
    get_document_model(),
)


@receiver(post_save)
@receiver(post_delete)
def on_visible_change(sender, raw=False, **kwargs):
    if not raw and sender in _MODELS:
        content_changed(tags_for(kwargs["instance"]) if sender in _NAMED else None)


@receiver(post_page_move)
def on_tree_renumbered(sender, **kwargs):
    """Any move, a draft's reorder included, renumbers tree paths (the moved subtree, and on
    a reorder its later siblings): what processes keep by path (the restricted paths,
    cms.core.generation_memo) must be read again. A live page's move also announces what
    it changed (cms.publishing.signals); answers themselves are still right, so no tags."""
    transaction.on_commit(_bump)
