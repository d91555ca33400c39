"""No hostile HTML reaches a client through any field that carries HTML.

The fields are found by introspection and the places to plant payloads by walking the
Django models and their StreamField block definitions, so a field or block added later
is covered (or this test says what it must be taught). Every payload is planted in
every rich-text, raw-HTML and embed block of a story and read back anonymously over
/graphql/.
"""

import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.apps import apps
from grapple.registry import registry
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import RichTextField, StreamField

from articles.models import ArticlePage
from cms.core.factories import ImageFactory
from cms.schema import schema
from home.factories import CallToActionFactory
from tests.support.hostile_html import PAYLOADS, hostile_remains

HTML_TYPES = {"HTML", "EmbedHTML"}
MARK = "安全的正文"
PLAYER = "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD"
# Named like HTML (html, embedHtml, bodyHtml, richText...), or grapple's block types of HTML.
HTML_NAME = re.compile(r"html|richtext|rich_text", re.IGNORECASE)
HTML_BLOCKS = (blocks.RichTextBlock, blocks.RawHTMLBlock, EmbedBlock)
# The StreamFields whose HTML this file plants and reads back.
COVERED_STREAM_FIELDS = {("articles.articlepage", "body")}


def _named(type_ref: dict) -> str:
    while type_ref.get("ofType"):
        type_ref = type_ref["ofType"]
    return type_ref["name"]


@pytest.fixture(scope="module")
def types() -> dict[str, dict]:
    return {t["name"]: t for t in schema.introspect()["__schema"]["types"]}


def _html_fields(graphql_type: dict) -> list[str]:
    return [f["name"] for f in graphql_type.get("fields") or () if _named(f["type"]) in HTML_TYPES]


def test_every_field_that_looks_like_html_is_typed_html(types):
    untyped = [
        f"{name}.{field['name']}: {_named(field['type'])}"
        for name, graphql_type in types.items()
        if not name.startswith("__")
        for field in graphql_type.get("fields") or ()
        if HTML_NAME.search(field["name"]) and _named(field["type"]) not in HTML_TYPES
    ]
    assert untyped == []


def _field(graphql_type, name):
    return next(f["type"] for f in graphql_type["fields"] if f["name"] == name)


def _html_blocks(block, depth=0):
    """(block, depth below the StreamField) of every block in a definition, itself first."""
    yield block, depth
    children = getattr(block, "child_blocks", None)
    if children is None and isinstance(block, blocks.ListBlock):
        children = {"item": block.child_block}
    for child in (children or {}).values():
        yield from _html_blocks(child, depth + 1)


def _stream_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                yield model, field


def test_every_model_field_holding_html_is_covered_here():
    holding = {
        (model._meta.label_lower, field.name)
        for model, field in _stream_fields()
        if any(isinstance(b, HTML_BLOCKS) for b, _depth in _html_blocks(field.stream_block))
    }
    assert holding == COVERED_STREAM_FIELDS, "plant payloads in the new field and read it here"
    rich_text_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, RichTextField)
    ]
    assert rich_text_fields == [], "plant payloads in these rich-text fields and read them here"


# -- planting ------------------------------------------------------------------


class _Planter:
    """Stored values for any block definition, with ``payload`` in every HTML block."""

    def __init__(self, payload: str):
        self.payload = payload
        self.instances = {}

    def value(self, block):
        if isinstance(block, blocks.StreamBlock):
            return [
                {"type": name, "value": self.value(child), "id": str(uuid.uuid4())}
                for name, child in block.child_blocks.items()
            ]
        if isinstance(block, blocks.StructBlock):
            return {name: self.value(child) for name, child in block.child_blocks.items()}
        if isinstance(block, blocks.ListBlock):
            item = self.value(block.child_block)
            return [{"type": "item", "value": item, "id": str(uuid.uuid4())}]
        if isinstance(block, (blocks.RichTextBlock, blocks.RawHTMLBlock)):
            return f"<p>{MARK}</p>{self.payload}"
        if isinstance(block, EmbedBlock):
            return self.embed()
        if isinstance(block, blocks.ChooserBlock):
            return self.instance(block.target_model).pk
        if isinstance(block, blocks.ChoiceBlock):
            return next(key for key, _label in block.field.choices if key)
        if isinstance(block, blocks.URLBlock):
            return "https://www.example.cn/"
        if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
            return "文字"
        raise AssertionError(f"teach this test a stored value for {type(block).__name__}")

    def embed(self) -> str:
        # Wagtail keeps a provider's answer in this table; the row stands in for it.
        url = f"https://www.bilibili.com/video/{uuid.uuid4().hex}"
        Embed.objects.create(
            hash=get_embed_hash(url),
            url=url,
            type="video",
            html=f'<iframe src="{PLAYER}"></iframe>{self.payload}',
            title="视频",
        )
        return url

    def instance(self, model):
        makers = {"cms.customimage": ImageFactory, "home.calltoaction": CallToActionFactory}
        label = model._meta.label_lower
        assert label in makers, f"teach this test to make a {label}"
        if label not in self.instances:
            self.instances[label] = makers[label]()
        return self.instances[label]


# -- reading -------------------------------------------------------------------


def _fragments(types, levels: int) -> str:
    """Named fragments L0..L<levels> on StreamFieldInterface: each type's HTML fields, and
    its `blocks`/`items` read with the level below."""
    blocks_types = [t for t in types.values() if "StreamFieldInterface" in _interfaces(t)]
    parts = []
    for level in range(levels + 1):
        selections = ["__typename"]
        for graphql_type in blocks_types:
            fields = _html_fields(graphql_type)
            if "rawEmbed" in {f["name"] for f in graphql_type["fields"]}:
                fields.append("rawEmbed")
            if level:
                fields += [
                    f"{f['name']} {{ ...L{level - 1} }}"
                    for f in graphql_type["fields"]
                    if f["name"] in ("blocks", "items")
                ]
            if fields:
                selections.append(f"... on {graphql_type['name']} {{ {' '.join(fields)} }}")
        parts.append(f"fragment L{level} on StreamFieldInterface {{ {' '.join(selections)} }}")
    return "\n".join(parts)


def _interfaces(graphql_type) -> set[str]:
    return {i["name"] for i in graphql_type.get("interfaces") or ()}


def _html_values(answer, types):
    """(type, field, value) of every HTML value in an answer."""
    if isinstance(answer, list):
        for item in answer:
            yield from _html_values(item, types)
    elif isinstance(answer, dict):
        graphql_type = types.get(answer.get("__typename"), {})
        html_fields = set(_html_fields(graphql_type)) if graphql_type else set()
        for key, value in answer.items():
            if key in html_fields:
                yield answer["__typename"], key, value
            elif key == "rawEmbed" and value:
                yield answer["__typename"], "rawEmbed.html", json.loads(value)["html"]
            else:
                yield from _html_values(value, types)


def _expected(types, stream_block) -> set[tuple[str, str]]:
    """Each (type, HTML field) the planted story holds, as grapple resolves block types."""
    expected = set()
    for block, _depth in _html_blocks(stream_block):
        node = next(
            (
                registry.streamfield_blocks[c]
                for c in type(block).__mro__
                if c in registry.streamfield_blocks
            ),
            None,
        )
        if node is not None:
            name = node._meta.name
            expected |= {(name, field) for field in _html_fields(types.get(name, {}))}
    return expected


@pytest.mark.parametrize("name", PAYLOADS)
def test_planted_payloads_never_reach_a_client(name, gql, types, article_factory, settings):
    # The nested lists multiply the query's cost; its limit is not what is tested here.
    settings.CMS_API_MAX_COST = 10**6
    stream_block = ArticlePage._meta.get_field("body").stream_block
    # `body` lists the story's blocks; their HTML is on their own typed fields (grapple's
    # generic `blocks` of a structure is not served), so one level reads it all.
    levels = 0
    body = _Planter(PAYLOADS[name]).value(stream_block)
    article_factory(slug="hostile", body=json.dumps(body, ensure_ascii=False))

    fragments = _fragments(types, levels)
    query = f'query {{ article(slug: "hostile") {{ body {{ ...L{levels} }} }} }}\n{fragments}'
    answer = gql(query)["article"]["body"]

    seen = set()
    for type_name, field, value in _html_values(answer, types):
        assert hostile_remains(value, settings.CMS_EMBED_IFRAME_HOSTS) == [], (
            type_name,
            field,
            value,
        )
        assert MARK in value or PLAYER.replace("&", "&amp;") in value, (type_name, field, value)
        seen.add((type_name, field))
    expected = _expected(types, stream_block)
    assert {
        ("ParagraphBlock", "html"),
        ("QuoteBlock", "html"),
        ("MediaEmbedBlock", "embedHtml"),
    } <= expected
    assert expected <= seen


def test_feed_and_oembed_carry_article_text_as_text(client, article_factory, site):
    payload = PAYLOADS["img onerror"] + PAYLOADS["javascript: link"]
    article_factory(slug="feed-hostile", title=f"标题{payload}", summary=f"摘要{payload}")

    response = client.get("/feeds/articles.atom", HTTP_HOST="localhost")
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entry = ET.fromstring(response.content).find("atom:entry", ns)
    summary = entry.find("atom:summary", ns)
    # A reader renders a summary of type html as HTML: it must show the text, run nothing.
    shown = summary.text if summary.get("type") != "html" else html.unescape(summary.text)
    assert summary.get("type") != "html" or hostile_remains(summary.text) == []
    assert shown == f"摘要{payload}"

    url = "http://localhost/articles/feed-hostile/"
    card = client.get("/oembed?" + urlencode({"url": url}), HTTP_HOST="localhost").json()
    # The card's own max-width style is ours, not the article's.
    assert hostile_remains(card["html"]) == ["<blockquote style>"]
    assert html.escape(f"标题{payload}") in card["html"]


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _raw_strings(raw: str) -> list[str]:
    """The strings a block's rawValue carries (JSON for a structured value)."""
    try:
        return list(_strings(json.loads(raw)))
    except ValueError:
        return [raw]


@pytest.mark.parametrize("name", PAYLOADS)
def test_raw_values_carry_no_hostile_html_nor_hidden_links(name, gql, article_factory, settings):
    draft = article_factory(slug="draft-target", title="草稿", live=False)
    payload = f'{PAYLOADS[name]}<p><a linktype="page" id="{draft.pk}">草稿链接</a></p>'
    stream_block = ArticlePage._meta.get_field("body").stream_block
    body = _Planter(payload).value(stream_block)
    article_factory(slug="hostile", body=json.dumps(body, ensure_ascii=False))

    blocks_read = gql('{ article(slug: "hostile") { body { __typename rawValue } } }')
    seen = {block["__typename"] for block in blocks_read["article"]["body"]}
    assert {"ParagraphBlock", "QuoteBlock", "MediaEmbedBlock"} <= seen
    for block in blocks_read["article"]["body"]:
        for text in _raw_strings(block["rawValue"]):
            assert hostile_remains(text) == [], (block["__typename"], text)
            assert "draft-target" not in text and "linktype" not in text, block
            assert "<iframe" not in text, block  # an embed is its URL only
