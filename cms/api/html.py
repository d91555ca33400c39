"""The GraphQL types of HTML: every field that returns HTML is typed with one of these.

``HTML`` (rich text) and ``EmbedHTML`` (a provider's embed) clean their value when it is
serialised into the answer (``cms.sanitize``), so the allowlist holds whatever the
resolver returned. Grapple's generic block types that carry HTML (a rich-text, raw-HTML
or embed block reached through ``blocks``/``items``) are replaced here by types using
them; their rich text also goes through ``cms.richtext`` like the named fields, so a
link to a page the client may not see is dropped there too.
"""

from __future__ import annotations

import graphene
from grapple.registry import registry
from grapple.types import streamfield as grapple_streamfield  # registers grapple's own first
from grapple.types.interfaces import StreamFieldInterface
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock as WagtailEmbedBlock

from cms.richtext import render_rich_text
from cms.sanitize import clean_embed_html, clean_html


def _output_only(value):
    raise TypeError("an output type")


class HTML(graphene.Scalar):
    """Rich text as HTML, cleaned by the server's allowlist: safe to insert as markup
    (README, "HTML from the API")."""

    serialize = staticmethod(clean_html)
    parse_value = staticmethod(_output_only)
    parse_literal = staticmethod(_output_only)


class EmbedHTML(graphene.Scalar):
    """An embed's HTML, cleaned by the server's allowlist; iframes only from the allowed
    players' hosts, over https and sandboxed."""

    serialize = staticmethod(clean_embed_html)
    parse_value = staticmethod(_output_only)
    parse_literal = staticmethod(_output_only)


class RichTextBlock(graphene.ObjectType):
    value = graphene.Field(HTML, required=True)

    class Meta:
        interfaces = (StreamFieldInterface,)

    def resolve_value(self, info, **kwargs):
        return render_rich_text(self.value.source, info.context)


class RawHTMLBlock(graphene.ObjectType):
    value = graphene.Field(HTML, required=True)

    class Meta:
        interfaces = (StreamFieldInterface,)

    def resolve_value(self, info, **kwargs):
        return str(self.value or "")


class EmbedBlock(grapple_streamfield.EmbedBlock):
    embed = graphene.Field(EmbedHTML)

    class Meta:
        interfaces = (StreamFieldInterface,)

    def resolve_raw_embed(self, info, **kwargs):
        raw = grapple_streamfield.EmbedBlock.resolve_raw_embed(self, info, **kwargs)
        if raw:
            raw["html"] = clean_embed_html(raw["html"])
        return raw


registry.streamfield_blocks.update(
    {
        blocks.RichTextBlock: RichTextBlock,
        blocks.RawHTMLBlock: RawHTMLBlock,
        WagtailEmbedBlock: EmbedBlock,
    }
)
