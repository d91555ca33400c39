"""The one media rule on every image- and document-valued field, found by walking.

The schema is walked by introspection for every field whose type is (or wraps) an
image, rendition or document type; the models are walked for every image foreign key
and every StreamField block holding an image. A private image (in a child of a
view-restricted collection) is planted in all of them, every such field is queried
anonymously through /graphql/, and nothing of the image may come back: not its id,
title, alt text or file name (rendition URLs carry it). The same run with a public
image shows it on every planted type, so the test cannot pass by asking for nothing.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from graphql import get_introspection_query, graphql_sync
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractRendition
from wagtail.models import Collection, CollectionViewRestriction, Site

from cms.api.media_rule import MEDIA_TYPE_NAMES, is_guarded, media_fields, raw_value_fields
from cms.core.factories import ImageFactory
from cms.leads.factories import BookingFormPageFactory
from home.factories import ContactCardFactory, ServiceAreaFactory
from home.models import OrganisationProfile, SiteLayout

PROJECT_PACKAGES = ("home", "articles", "cms")
MEDIA_BLOCKS = (ImageChooserBlock, DocumentChooserBlock)
# Fields leading to other pages: each page is queried from the root on its own, and
# following them from every page type would multiply the query's size.
PAGE_INTERFACE = "PageInterface"


# The schema, by introspection


def _served_schema():
    """The schema /graphql/ runs, reached as a request reaches it (not by importing the
    module that puts the rule on, which would make the tests pass by themselves)."""
    from django.urls import resolve

    from cms.schema import schema

    resolve("/graphql/")
    return schema.graphql_schema


def _introspection() -> dict:
    result = graphql_sync(_served_schema(), get_introspection_query())
    assert not result.errors
    return {t["name"]: t for t in result.data["__schema"]["types"]}


def _named(type_ref: dict) -> str:
    while type_ref.get("ofType"):
        type_ref = type_ref["ofType"]
    return type_ref["name"]


def _optional_args(field: dict) -> bool:
    return all(arg["type"]["kind"] != "NON_NULL" for arg in field["args"])


class Walker:
    """Builds selections that reach every media-valued field below a type."""

    def __init__(self, types: dict, image_filter: str):
        self.types = types
        self.image_filter = image_filter
        self.reaches = self._reaching_media()
        self.reached: set[tuple[str, str]] = set()

    def _edges(self, name: str) -> list[str]:
        t = self.types[name]
        out = [_named(f["type"]) for f in t.get("fields") or [] if _optional_args(f)]
        return out + [p["name"] for p in t.get("possibleTypes") or []]

    def _reaching_media(self) -> set[str]:
        reaching = set(MEDIA_TYPE_NAMES)
        changed = True
        while changed:
            changed = False
            for name in self.types:
                if name not in reaching and any(e in reaching for e in self._edges(name)):
                    reaching.add(name)
                    changed = True
        return reaching

    def media_selection(self, name: str, path: frozenset) -> str:
        parts = ["__typename"]
        for field in self.types[name]["fields"]:
            named = _named(field["type"])
            kind = self.types[named]["kind"]
            if field["name"] == "rendition" and named == "ImageRendition":
                parts.append(
                    f"{name}_rendition: rendition("
                    f'filter: "{self.image_filter}") {{ __typename ImageRendition_url: url }}'
                )
            elif not _optional_args(field):
                continue
            elif kind in ("SCALAR", "ENUM"):
                parts.append(f"{name}_{field['name']}: {field['name']}")
            elif named in MEDIA_TYPE_NAMES and named not in path:
                self.reached.add((name, field["name"]))
                sub = self.media_selection(named, path | {named})
                parts.append(f"{name}_{field['name']}: {field['name']} {{ {sub} }}")
        return " ".join(parts)

    def selection(self, name: str, path: frozenset = frozenset()) -> str:
        if name in MEDIA_TYPE_NAMES:
            return self.media_selection(name, path | {name})
        t = self.types[name]
        parts = ["__typename"]
        for field in t.get("fields") or []:
            named = _named(field["type"])
            if not _optional_args(field):
                continue
            if t["kind"] == "OBJECT" and self.types[named]["kind"] in ("SCALAR", "ENUM"):
                # Strings made from an image (a figure's alt, JSON-LD) are asked too.
                parts.append(f"{name}_{field['name']}: {field['name']}")
                continue
            if named not in self.reaches or named in path:
                continue
            if path and named == PAGE_INTERFACE:
                continue
            if t["kind"] == "OBJECT" and named in MEDIA_TYPE_NAMES:
                self.reached.add((name, field["name"]))
            sub = self.selection(named, path | {name})
            # Aliased by type: fragments on two types may ask one name of different types.
            parts.append(f"{name}_{field['name']}: {field['name']} {{ {sub} }}")
        for possible in t.get("possibleTypes") or []:
            if possible["name"] in self.reaches and possible["name"] not in path:
                sub = self.selection(possible["name"], path | {name})
                parts.append(f"... on {possible['name']} {{ {sub} }}")
        return " ".join(parts)


# The models, walked for image foreign keys and image blocks


def _project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.split(".")[0] in PROJECT_PACKAGES
        and not issubclass(model, AbstractRendition)
    ]


def _holds_media(block) -> bool:
    if isinstance(block, MEDIA_BLOCKS):
        return True
    children = getattr(block, "child_blocks", None) or {}
    child = getattr(block, "child_block", None)
    return any(_holds_media(b) for b in children.values()) or (
        child is not None and _holds_media(child)
    )


def _raw_value(block, media):
    """A stored value of ``block`` with the planted image or document wherever one can go."""
    image, document = media
    if isinstance(block, ImageChooserBlock):
        return image.pk
    if isinstance(block, DocumentChooserBlock):
        return document.pk
    if isinstance(block, blocks.StreamBlock):
        return [
            {"type": name, "value": _raw_value(child, media)}
            for name, child in block.child_blocks.items()
            if _holds_media(child)
        ]
    if isinstance(block, blocks.StructBlock):
        return {name: _raw_value(child, media) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [_raw_value(block.child_block, media)]
    return block.get_prep_value(block.get_default())


def media_slots(model):
    """The image and document foreign keys and the media-holding StreamFields of a model."""
    media_models = (get_image_model(), get_document_model())
    keys = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model in media_models
    ]
    streams = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, StreamField) and _holds_media(f.stream_block)
    ]
    return keys, streams


def plant(image, document) -> set[type]:
    """Put ``image`` and ``document`` in every media slot of every instance; the models
    planted into."""
    planted = set()
    for model in _project_models():
        keys, streams = media_slots(model)
        if not (keys or streams):
            continue
        objects = list(model.objects.all())
        assert objects, f"no {model.__name__} to plant an image into: add one to the fixture"
        for obj in objects:
            for field in keys:
                setattr(obj, field.name, image if field.related_model is type(image) else document)
            for field in streams:
                raw = _raw_value(field.stream_block, (image, document))
                setattr(obj, field.name, json.dumps(raw))
            obj.save()
        planted.add(model)
    return planted


@pytest.fixture
def collections(db):
    root = Collection.get_first_root_node()
    private = root.add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    return {"public": root.add_child(name="公开图片"), "private": private.add_child(name="2025")}


@pytest.fixture
def everything(home, index, article_factory):
    """One instance of every model that shows an image to clients."""
    site = Site.objects.get(root_page=home)
    article = article_factory(slug="planted")
    form = BookingFormPageFactory(parent=home)
    ServiceAreaFactory(name="智慧托育", slug="smart")
    card = ContactCardFactory()
    profile = OrganisationProfile.for_site(site)
    profile.name = "中国托育服务"
    profile.save()
    layout = SiteLayout.for_site(site)
    layout.contacts = json.dumps([{"type": "contact", "value": card.pk}])
    layout.save()
    return {"pages": [home, index, article, form]}


def _roots(everything) -> list[tuple[str, str, str]]:
    """(root field with arguments, its type) for each way in to the planted content."""
    roots = [(f"page(id: {page.pk})", "PageInterface") for page in everything["pages"]]
    return [
        *roots,
        ('article(slug: "planted")', "ArticlePage"),
        ("articles", "ArticleList"),
        ("siteChrome", "SiteChrome"),
        ("serviceAreas", "ServiceArea"),
        ("bookingForm", "BookingFormPage"),
    ]


def _query_all(gql, walker, everything) -> list[dict]:
    answers = []
    for root, type_name in _roots(everything):
        query = f"{{ {root} {{ {walker.selection(type_name)} }} }}"
        answers.append(gql(query))
    return answers


def _media_values(node, above=()):
    """(typenames above, media object) of every media object in an answer."""
    if isinstance(node, list):
        for item in node:
            yield from _media_values(item, above)
    elif isinstance(node, dict):
        if node.get("__typename") in MEDIA_TYPE_NAMES:
            yield above, node
        here = (*above, node["__typename"]) if "__typename" in node else above
        for value in node.values():
            yield from _media_values(value, here)


def _oembed_and_json_ld(gql) -> str:
    """The article's JSON-LD and its oEmbed answer, both built outside GraphQL's types."""
    article = gql('{ article(slug: "planted") { jsonLd oembedUrl } }')["article"]
    url = urlsplit(article["oembedUrl"])
    oembed = gql.client.get(f"{url.path}?{url.query}")
    assert oembed.status_code == 200, oembed.content
    return article["jsonLd"] + "\n" + oembed.content.decode()


@pytest.fixture
def walker(settings):
    settings.CMS_API_MAX_QUERY_BYTES = 1_000_000
    settings.CMS_API_MAX_TOKENS = 100_000
    settings.CMS_API_MAX_DEPTH = 30
    settings.CMS_API_MAX_COST = 10_000_000
    settings.CMS_API_MAX_ALIASES = 100_000
    return Walker(_introspection(), settings.CMS_IMAGE_RENDITION_FILTERS[0])


def test_every_media_field_of_the_schema_carries_the_rule():
    fields = list(media_fields(_served_schema()))
    names = {(type_name, name) for type_name, name, _field in fields}
    assert {("ArticlePage", "cover"), ("Seo", "image"), ("Seo", "ogImage")} <= names
    assert {("FigureBlock", "image"), ("OrganisationProfile", "logo")} <= names
    unguarded = sorted((t, n) for t, n, field in fields if not is_guarded(field))
    assert unguarded == []
    raw_values = list(raw_value_fields(_served_schema()))
    assert "FigureBlock" in {type_name for type_name, _field in raw_values}
    assert [t for t, field in raw_values if not is_guarded(field)] == []


def _image(title, collection, stem):
    return ImageFactory(
        title=title, alt_text=f"{title}的说明", collection=collection, file__filename=f"{stem}.jpg"
    )


def _document(title, collection, stem):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4", name=f"{stem}.pdf"), collection=collection
    )


def _graphql_type(model) -> str:
    from grapple.registry import registry

    return registry.models[model]._meta.name


@pytest.mark.slow
def test_a_private_image_planted_everywhere_reaches_no_field(gql, walker, collections, everything):
    image = _image("机密照片", collections["private"], "secret-picture")
    planted = plant(image, _document("机密文件", collections["private"], "secret-file"))
    answers = _query_all(gql, walker, everything)
    text = json.dumps(answers, ensure_ascii=False) + _oembed_and_json_ld(gql)
    for secret in ("机密照片", "secret-picture", "机密文件", "secret-file"):
        assert secret not in text
    assert [value for answer in answers for _above, value in _media_values(answer)] == []
    assert len(planted) >= 6
    # Every image-valued field the schema has today was asked (a later one is found by the
    # walk itself; this guards against a walk that silently reaches less).
    assert walker.reached >= {
        ("ArticlePage", "cover"),
        ("ContactCard", "wechatQrCode"),
        ("FigureBlock", "image"),
        ("HomePage", "heroImage"),
        ("OrganisationProfile", "logo"),
        ("Seo", "image"),
        ("Seo", "ogImage"),
        ("ServiceArea", "icon"),
    }, walker.reached


@pytest.mark.slow
def test_a_public_image_planted_everywhere_shows_on_every_planted_type(
    gql, walker, collections, everything
):
    image = _image("公开照片", collections["public"], "public-picture")
    planted = plant(image, _document("公开文件", collections["public"], "public-file"))
    answers = _query_all(gql, walker, everything)
    showing = {
        name
        for answer in answers
        for above, value in _media_values(answer)
        if value.get(f"{value['__typename']}_id") == str(image.pk)
        for name in above
    }
    expected = {_graphql_type(model) for model in planted} | {"Seo", "FigureBlock"}
    assert expected <= showing
    text = json.dumps(answers, ensure_ascii=False)
    assert "公开照片的说明" in text and "public-picture" in text
    assert text.count("public-picture") >= len(walker.reached)
    assert "public-picture" in _oembed_and_json_ld(gql)
