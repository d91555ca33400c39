"""StreamField blocks shared by page types, ending in the one top-level ``StoryBlock``.

Every block is a StructBlock registered with grapple and typed field by field, so a
client gets one concrete GraphQL type per block (``... on QuoteBlock``) and
TypeScript codegen sees required values as non-null. Rich text is rendered through
``cms.core.richtext`` (links to pages a client may not see are dropped).
"""

from collections import defaultdict

import graphene
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLField, GraphQLString
from wagtail import blocks
from wagtail.embeds import embeds
from wagtail.embeds.blocks import EmbedBlock as WagtailEmbedBlock
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.models import Embed
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api import selection
from cms.api.html import HTML, EmbedHTML
from cms.api.images import Image
from cms.api.media_rule import visible_image
from cms.api.model_fields import registered_type
from cms.api.peers import load_together, peers
from cms.core.richtext import prime_page_links, render_rich_text

INLINE_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]
PARAGRAPH_FEATURES = [*INLINE_FEATURES, "ol", "ul", "hr", "document-link"]


def _required_string(name, **kwargs):
    return GraphQLString(name, required=True, **kwargs)


@register_streamfield_block
class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (H2)")), ("h3", _("Sub-heading (H3)"))],
        default="h2",
    )

    graphql_fields = [_required_string("text"), _required_string("level")]

    class Meta:
        icon = "title"
        label = _("Heading")


class _HtmlOfText:
    """A block whose rich ``text`` the API serves as ``html``, rendered for the caller."""

    @staticmethod
    def html_field():
        return GraphQLField("html", HTML, required=True, source="graphql_html")

    def graphql_html(self, info, values, **kwargs):
        return render_rich_text(values["text"].source, info.context)


@register_streamfield_block
class ParagraphBlock(_HtmlOfText, blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=PARAGRAPH_FEATURES)

    graphql_fields = [_HtmlOfText.html_field()]

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")


@register_streamfield_block
class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the image's own alt text."),
    )

    graphql_fields = [
        # Null when the chosen image has been deleted or sits in a private collection.
        GraphQLField("image", Image, source="graphql_image"),
        GraphQLString("caption", source="graphql_caption"),
        _required_string("alt", source="graphql_alt"),
    ]

    def graphql_image(self, info, values, **kwargs):
        # The media rule on the Image type (cms.api.media_rule) hides a private image.
        return values["image"]

    def graphql_caption(self, info, values, **kwargs):
        return values["caption"] or None

    def graphql_alt(self, info, values, **kwargs):
        # The image's own alt text (else its title) only from an image a client may see.
        image = visible_image(values["image"], info.context)
        return values["alt_text"] or (image.default_alt_text if image else "")

    class Meta:
        icon = "image"
        label = _("Image")


@register_streamfield_block
class QuoteBlock(_HtmlOfText, blocks.StructBlock):
    """A quotation or a speech, with who said it and in what role."""

    text = blocks.RichTextBlock(label=_("Quotation"), features=PARAGRAPH_FEATURES)
    speaker_name = blocks.CharBlock(label=_("Speaker"), max_length=100)
    speaker_role = blocks.CharBlock(label=_("Speaker's role"), required=False, max_length=200)

    graphql_fields = [
        _HtmlOfText.html_field(),
        _required_string("speaker_name"),
        GraphQLString("speaker_role", source="graphql_speaker_role"),
    ]

    def graphql_speaker_role(self, info, values, **kwargs):
        return values["speaker_role"] or None

    class Meta:
        icon = "openquote"
        label = _("Quotation or speech")


_EMBED_ATTR = "_cms_embed"  # the embed of an EmbedValue, once read


@register_streamfield_block
class MediaEmbedBlock(blocks.StructBlock):
    embed = WagtailEmbedBlock(
        label=_("URL"), help_text=_("A video or post URL, e.g. a Bilibili link.")
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    graphql_fields = [
        _required_string("url", source="graphql_url"),
        # Named apart from QuoteBlock.html (HTML!): one selection may ask for both.
        GraphQLField("embed_html", EmbedHTML, source="graphql_embed_html"),
        GraphQLString("title", source="graphql_title"),
        GraphQLString("caption", source="graphql_caption"),
    ]

    @staticmethod
    def _embed(values):
        value = values["embed"]
        if value is None:
            return None
        if not hasattr(value, _EMBED_ATTR):
            try:
                # Served from Wagtail's embed table after the first fetch (done when the
                # editor saved); kept on the value for the other fields of the same block.
                embed = embeds.get_embed(value.url)
            except EmbedException:
                embed = None
            setattr(value, _EMBED_ATTR, embed)
        return getattr(value, _EMBED_ATTR)

    def graphql_url(self, info, values, **kwargs):
        return values["embed"].url if values["embed"] else ""

    def graphql_embed_html(self, info, values, **kwargs):
        embed = self._embed(values)
        return embed.html if embed else None

    def graphql_title(self, info, values, **kwargs):
        embed = self._embed(values)
        return (embed.title or None) if embed else None

    def graphql_caption(self, info, values, **kwargs):
        return values["caption"] or None

    class Meta:
        icon = "media"
        label = _("Embed")


class KeyFigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=100)
    # "Value" is also an organisation's core value (home's 价值观): a number here.
    value = blocks.CharBlock(
        label=pgettext_lazy("key figure", "Value"),
        max_length=50,
        help_text=_("e.g. 6255个 or 12.5%"),
    )

    class Meta:
        icon = "order"
        label = _("Key figure")


class KeyFigure(graphene.ObjectType):
    """One figure of a KeyFiguresBlock: a label and its value."""

    # A plain type, not a StreamFieldInterface: a figure never stands in a body on its own,
    # so typed clients need not handle it there. Read from the block's StructValue, a dict:
    # graphene's default resolver takes the keys.
    label = graphene.String(required=True)
    value = graphene.String(required=True)

    class Meta:
        name = "KeyFigureBlock"


@register_streamfield_block
class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1)

    graphql_fields = [
        GraphQLString("heading", source="graphql_heading"),
        GraphQLField("figures", graphene.List(graphene.NonNull(KeyFigure)), required=True),
    ]

    def graphql_heading(self, info, values, **kwargs):
        return values["heading"] or None

    class Meta:
        icon = "table"
        label = _("Key figures")


@register_streamfield_block
class CallToActionBlock(blocks.StructBlock):
    """A reusable call to action (a snippet) placed inside a story."""

    call_to_action = SnippetChooserBlock("home.CallToAction", label=_("Call to action"))

    graphql_fields = [
        GraphQLField(
            "call_to_action",
            graphene.NonNull(registered_type("home.CallToAction")),
        )
    ]

    class Meta:
        icon = "pick"
        label = _("Call to action")


class StoryBlock(blocks.StreamBlock):
    """The body of an article: the blocks an editor composes a story from."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = FigureBlock()
    quote = QuoteBlock()
    embed = MediaEmbedBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()


def story_block_types() -> set[type]:
    """The block classes a story (an article's body) can hold."""
    return {type(block) for block in StoryBlock().child_blocks.values()}


_PRIMED = "_cms_primed"  # on a StreamValue: the fields asked below it when it was primed


def primed_stream(instance, field_name: str, info):
    """``instance``'s StreamField ``field_name``, with what its blocks read (for the fields
    asked below it) read at once for it and for every peer loaded with it
    (``cms.api.peers``): a list of articles with their bodies costs the queries of one.
    """
    stream = getattr(instance, field_name)
    asked = selection.all_fields(info)
    if asked <= getattr(stream, _PRIMED, frozenset()):
        return stream
    streams = [
        getattr(peer, field_name)
        for peer in peers(instance)
        # A peer whose field was not loaded would cost a query to read it.
        if peer is instance or field_name not in peer.get_deferred_fields()
    ]
    prime_stories(streams, asked, info.context)
    return stream


def _convert_together(streams) -> None:
    """Turn the stored blocks of all ``streams`` into values with one ``bulk_to_python``
    per block type (one query per chosen model, e.g. for every figure's image), as Wagtail's
    ``StreamValue._prefetch_blocks`` does within one stream."""
    pending = defaultdict(list)
    for stream in streams:
        for index, bound in enumerate(stream._bound_blocks):
            if bound is None:
                type_name = stream._raw_data[index]["type"]
                pending[(id(stream.stream_block), type_name)].append((stream, index))
    for (_block, type_name), places in pending.items():
        child_block = places[0][0].stream_block.child_blocks[type_name]
        values = child_block.bulk_to_python([s._raw_data[i]["value"] for s, i in places])
        for (stream, index), value in zip(places, values, strict=True):
            stream._bound_blocks[index] = blocks.StreamValue.StreamChild(
                child_block, value, id=stream._raw_data[index].get("id")
            )


def prime_stories(streams, asked: frozenset[str], request) -> None:
    """Read for all blocks of all ``streams`` (stories: articles' bodies) at once what each
    block would read on its own, for the fields ``asked`` below the stories (GraphQL names).

    The page links of every rich text: one query (``cms.core.richtext``). The chosen
    images and calls to action: one query each, however many stories. The figures'
    renditions: one query for all of them, where a cold rendition cache costs one per
    figure. The pages the calls to action lead to, each as its own type: one query per page
    type, not two per call to action. The embeds kept in Wagtail's table: one query, not one
    per embed block and field.
    """
    streams = [s for s in streams if not asked <= getattr(s, _PRIMED, frozenset())]
    if not streams:
        return
    prime_page_links([stream.raw_data for stream in streams], request)
    _convert_together(streams)
    images, calls, embed_values = [], [], []
    for stream in streams:
        for child in stream:
            if isinstance(child.block, FigureBlock) and child.value["image"] is not None:
                images.append(child.value["image"])
            elif isinstance(child.block, CallToActionBlock) and child.value["call_to_action"]:
                calls.append(child.value["call_to_action"])
            elif isinstance(child.block, MediaEmbedBlock) and child.value["embed"] is not None:
                embed_values.append(child.value["embed"])
    if images and not asked.isdisjoint({"rendition", "srcset"}):
        prefetch_related_objects(images, "renditions")
    page_ids = {call.target_page_id for call in calls if call.target_page_id}
    if page_ids and "target" in asked:
        pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
        # Articles the calls lead to read their own bodies together too.
        load_together(pages.values())
        for call in calls:
            if call.target_page_id in pages:
                call.target_page = pages[call.target_page_id]
    if embed_values and not asked.isdisjoint({"embedHtml", "title"}):
        # As embeds.get_embed reads them; one missing here is fetched by it as before.
        hashes = [(value, get_embed_hash(value.url)) for value in embed_values]
        kept = Embed.objects.exclude(cache_until__lte=timezone.now()).in_bulk(
            {embed_hash for _value, embed_hash in hashes}, field_name="hash"
        )
        for value, embed_hash in hashes:
            if embed_hash in kept:
                setattr(value, _EMBED_ATTR, kept[embed_hash])
    for stream in streams:
        setattr(stream, _PRIMED, asked | getattr(stream, _PRIMED, frozenset()))
