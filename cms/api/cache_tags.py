"""What a GraphQL answer shows, as cache tags a CDN can purge by (``Cache-Tag``,
``Surrogate-Key``; cms.door.response_cache sends them, cms.cdn purges them).

The tags come from what the executed query actually read, recorded while it resolves
(``CacheTagMiddleware``, one of GRAPHENE's middleware), never guessed from the query text:

- every model instance whose fields a client read is the ``root`` of those fields: a page
  (``page-<id>``), an image or a rendition of it (``image-<id>``), a document
  (``document-<id>``), a snippet, a setting or any other row (``<app>.<model>-<id>``);
- a list of pages or snippets may gain a member it never showed (an article published for
  the first time): each list field records ``list-<app>.<model>`` of what it lists (page
  lists of the page interface: ``list-wagtailcore.page``), so a change to a row of that model
  purges the lists too, however short they were.

Every public answer also carries ``ALL``: a change whose reach no tag names (a view
restriction, a collection moved, a site's host name) purges that one tag.

``tags_for`` gives the tags a changed row must purge; it names them exactly as the
middleware records them, one function for both sides.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model
from graphql import GraphQLInterfaceType, GraphQLObjectType, get_named_type
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Page

from cms.core.request_state import state_of

ALL = "cms"
PAGE_LIST = "list-wagtailcore.page"


def _label(model) -> str:
    return model._meta.label_lower


def tag_of(instance) -> str | None:
    """The tag naming one row a client was shown; None for values that are not rows."""
    if isinstance(instance, Page):
        return f"page-{instance.pk}"
    if isinstance(instance, AbstractImage):
        return f"image-{instance.pk}"
    if isinstance(instance, AbstractRendition):
        return f"image-{instance.image_id}"
    if isinstance(instance, AbstractDocument):
        return f"document-{instance.pk}"
    if isinstance(instance, Model):
        return f"{_label(type(instance))}-{instance.pk}"
    source = getattr(instance, "source_image", None)  # cms.api.images.ImageRendition
    return f"image-{source.pk}" if source is not None else None


def list_tag(model) -> str:
    return PAGE_LIST if model is Page else f"list-{_label(model)}"


def tags_for(instance) -> list[str]:
    """What to purge when ``instance`` changes: its own tag and every list of its kind."""
    tags = [tag_of(instance)]
    if isinstance(instance, Page):
        model = instance.specific_class or type(instance)
        tags += [list_tag(model), PAGE_LIST]
    else:
        tags.append(list_tag(type(instance)))
    return list(dict.fromkeys(tag for tag in tags if tag))


def _recorded(context) -> set[str] | None:
    if context is None:
        return None
    try:
        state = state_of(context)
    except AttributeError:  # a context that takes no attribute records nothing
        return None
    if state.cache_tags is None:
        state.cache_tags = {ALL}
    return state.cache_tags


def of(request) -> list[str]:
    """The tags recorded while this request's answer was made, sorted (empty: none)."""
    return sorted(state_of(request).cache_tags or ())


# GraphQL list fields by the object or interface type they list: the list tag, or None.
_LIST_TAGS: dict[int, str | None] = {}


def _list_tag_of_type(return_type) -> str | None:
    key = id(return_type)
    if key not in _LIST_TAGS:
        named = get_named_type(return_type)
        tag = None
        if isinstance(named, GraphQLInterfaceType) and named.name == "PageInterface":
            tag = PAGE_LIST
        elif isinstance(named, GraphQLObjectType):
            meta = getattr(getattr(named, "graphene_type", None), "_meta", None)
            model = getattr(meta, "model", None)
            if isinstance(model, type) and issubclass(model, Model):
                tag = list_tag(model)
        _LIST_TAGS[key] = tag
    return _LIST_TAGS[key]


def _is_list(return_type) -> bool:
    while hasattr(return_type, "of_type"):
        if type(return_type).__name__ == "GraphQLList":
            return True
        return_type = return_type.of_type
    return False


class CacheTagMiddleware:
    """Records on the request (``info.context``) the rows and lists an answer shows."""

    def resolve(self, next, root, info, **kwargs):
        # Runs for every field of every answer: with no CDN to purge, nothing reads the
        # tags, so the hot path pays one settings lookup and no more.
        if not settings.CMS_CDN_PURGER:
            return next(root, info, **kwargs)
        tags = _recorded(info.context)
        if tags is not None:
            if root is not None and not isinstance(root, str | int | float | dict):
                tag = tag_of(root)
                if tag is not None:
                    tags.add(tag)
            if _is_list(info.return_type):
                tag = _list_tag_of_type(info.return_type)
                if tag is not None:
                    tags.add(tag)
        return next(root, info, **kwargs)
