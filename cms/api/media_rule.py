"""The one media rule on every image- and document-valued field of the GraphQL schema.

``guard_schema`` wraps the resolver of every field whose type is (or wraps) an image,
a rendition or a document type, wherever it was declared: a model's ``graphql_fields``,
a StreamField block, a settings or snippet type, grapple's own chooser-block types, or a
plain graphene type. The wrapped resolver returns the value only when
``cms.core.visibility`` allows the image or document it shows, so a field added later is
covered without anyone remembering it. Values it cannot trace back to an image or a
document are hidden (fail closed): a rendition built here carries its ``source_image``.

Grapple's ``rawValue`` on every block (a String made from the block's value, images
serialised as their file URLs) is guarded too: empty for a block holding an image or
document a client may not see, and JSON for a structured value (grapple leaves a dict
there, whose text then appeared in the error message). Rich text in it is rendered as
the ``html`` fields render it (links to hidden pages dropped, then sanitised), raw HTML
is sanitised and an embed is its URL only (not the provider's HTML): grapple would
leave objects whose ``str`` is the unchecked, unsanitised HTML.

Other derived strings (alt text, rendition URLs in JSON-LD or oEmbed) are not
image-typed; they are built from ``visible_image`` only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from django.db.models import QuerySet
from django.utils.safestring import SafeData
from graphql import GraphQLObjectType, GraphQLSchema, default_field_resolver, get_named_type
from wagtail.blocks import StreamValue
from wagtail.blocks.list_block import ListValue
from wagtail.documents.models import AbstractDocument
from wagtail.embeds.blocks import EmbedValue
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.rich_text import RichText

from cms.core import visibility
from cms.core.richtext import render_rich_text
from cms.core.sanitize import clean_html

# GraphQL type names whose values are, or are made from, an image or a document.
MEDIA_TYPE_NAMES = frozenset(
    {
        "Image",
        "ImageRendition",
        "ImageObjectType",
        "ImageRenditionObjectType",
        "DocumentObjectType",
    }
)
_GUARDED = "_cms_media_rule"
BLOCK_INTERFACE = "StreamFieldInterface"


def media_source(value):
    """The image or document a resolved value shows; None when it shows none we know."""
    if isinstance(value, AbstractImage | AbstractDocument):
        return value
    if isinstance(value, AbstractRendition):
        return value.image
    return getattr(value, "source_image", None)


def visible_image(image, request):
    """The image itself when a client of this request may see it, else None."""
    return visibility.for_request(request).media(image)


def visible_value(value, request):
    """A resolved value kept only as far as the media rule allows (lists item by item)."""
    if value is None:
        return None
    rule = visibility.for_request(request)
    if isinstance(value, QuerySet | list | tuple) or (
        isinstance(value, Iterable) and not isinstance(value, str | bytes | dict)
    ):
        return [item for item in value if rule.allows_media(media_source(item))]
    return value if rule.allows_media(media_source(value)) else None


def _guarded(resolve):
    def resolve_visible(root, info, **kwargs):
        return visible_value(resolve(root, info, **kwargs), info.context)

    setattr(resolve_visible, _GUARDED, True)
    return resolve_visible


def _hides_media(value, rule) -> bool:
    """Whether a block value holds, at any depth, an image or document not to be shown."""
    if isinstance(value, AbstractImage | AbstractDocument):
        return not rule.allows_media(value)
    if isinstance(value, Mapping):
        return any(_hides_media(item, rule) for item in value.values())
    if isinstance(value, StreamValue):
        return any(_hides_media(child.value, rule) for child in value)
    if isinstance(value, list | tuple) or type(value).__name__ == "ListValue":
        return any(_hides_media(item, rule) for item in value)
    return False


def _client_safe(value, request):
    """``value`` with its rich text, raw HTML and embeds as a client may receive them."""
    if isinstance(value, RichText):
        return clean_html(render_rich_text(value.source, request))
    if isinstance(value, EmbedValue):
        return value.url
    if isinstance(value, SafeData) and isinstance(value, str):
        return clean_html(value)
    if isinstance(value, Mapping):
        return {key: _client_safe(item, request) for key, item in value.items()}
    if isinstance(value, StreamValue):
        return [_client_safe(child.value, request) for child in value]
    if isinstance(value, list | tuple | ListValue):
        return [_client_safe(item, request) for item in value]
    return value


def _guarded_raw_value(resolve):
    def resolve_raw_value(root, info, **kwargs):
        value = root if isinstance(root, Mapping) else getattr(root, "value", root)
        if _hides_media(value, visibility.for_request(info.context)):
            return ""
        if isinstance(value, RichText | EmbedValue):
            # Grapple answers rich text's stored source, with the ids of linked pages.
            return _client_safe(value, info.context)
        raw = _client_safe(resolve(root, info, **kwargs), info.context)
        if isinstance(raw, Mapping | list):
            return json.dumps(raw, ensure_ascii=False, default=str)
        return raw

    setattr(resolve_raw_value, _GUARDED, True)
    return resolve_raw_value


def raw_value_fields(schema: GraphQLSchema):
    """(type name, field) of the ``rawValue`` of every block type."""
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType):
            continue
        if any(i.name == BLOCK_INTERFACE for i in type_.interfaces) and "rawValue" in type_.fields:
            yield type_.name, type_.fields["rawValue"]


def is_guarded(field) -> bool:
    return getattr(field.resolve, _GUARDED, False)


def media_fields(schema: GraphQLSchema):
    """(type name, field name, field) of every object-type field that returns media."""
    for type_ in schema.type_map.values():
        if type_.name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        for name, field in type_.fields.items():
            if get_named_type(field.type).name in MEDIA_TYPE_NAMES:
                yield type_.name, name, field


def guard_schema(schema: GraphQLSchema) -> GraphQLSchema:
    """Put the media rule on every media-valued field of ``schema`` (idempotent)."""
    for _type_name, _name, field in media_fields(schema):
        if not is_guarded(field):
            field.resolve = _guarded(field.resolve or default_field_resolver)
    for _type_name, field in raw_value_fields(schema):
        if not is_guarded(field):
            field.resolve = _guarded_raw_value(field.resolve or default_field_resolver)
    return schema
