"""Images and documents in a private collection, or below one, never reach a client;
and no rendition is made above the output pixel cap."""

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from articles.factories import paragraph, story
from cms.core.factories import ImageFactory

QUERY = """{ article(slug: "pictured") { cover { title }
  body { ... on FigureBlock { alt image { title } } ... on ParagraphBlock { html } } } }"""


@pytest.fixture
def collections(db):
    root = Collection.get_first_root_node()
    public = root.add_child(name="公开图片")
    private = root.add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    below_private = private.add_child(name="内部资料/2025")
    return {"public": public, "private": private, "below_private": below_private}


def figure(image):
    return {"type": "image", "value": {"image": image.pk, "caption": "", "alt_text": "配图"}}


@pytest.mark.parametrize("where", ["private", "below_private"])
def test_image_in_a_private_collection_is_null_as_cover_and_in_figures(
    gql, article_factory, collections, where
):
    hidden = ImageFactory(title="内部照片", collection=collections[where])
    article_factory(slug="pictured", cover_image=hidden, body=story(figure(hidden)))
    data = gql(QUERY)["article"]
    assert data["cover"] is None
    assert data["body"] == [{"alt": "配图", "image": None}]
    assert "内部照片" not in str(data)


def test_image_in_a_public_collection_is_shown(gql, article_factory, collections):
    shown = ImageFactory(title="公开照片", collection=collections["public"])
    article_factory(slug="pictured", cover_image=shown, body=story(figure(shown)))
    data = gql(QUERY)["article"]
    assert data["cover"] == {"title": "公开照片"}
    assert data["body"] == [{"alt": "配图", "image": {"title": "公开照片"}}]


def test_private_covers_are_null_in_lists(gql, article_factory, collections):
    for n in range(6):
        where = "below_private" if n % 2 else "public"
        article_factory(cover_image=ImageFactory(title=f"图{n}", collection=collections[where]))
    data = gql("{ articles { items { cover { title } } } }")["articles"]["items"]
    assert sorted(item["cover"]["title"] for item in data if item["cover"]) == ["图0", "图2", "图4"]
    assert sum(item["cover"] is None for item in data) == 3


def test_private_figures_are_null_in_a_list_of_bodies(gql, article_factory, collections):
    """A list's bodies are read together (cms.api.peers); each figure still answers to the
    media rule on its own."""
    for n in range(6):
        where = "below_private" if n % 2 else "public"
        image = ImageFactory(title=f"图{n}", collection=collections[where])
        article_factory(body=story(figure(image)))
    query = "{ articles { items { body { ... on FigureBlock { alt image { title } } } } } }"
    figures = [item["body"][0] for item in gql(query)["articles"]["items"]]
    assert sorted(f["image"]["title"] for f in figures if f["image"]) == ["图0", "图2", "图4"]
    assert sum(f["image"] is None for f in figures) == 3


@pytest.mark.parametrize("where", ["private", "below_private"])
def test_rich_text_link_to_a_private_document_is_dropped_but_its_text_kept(
    gql, article_factory, collections, where
):
    document_model = get_document_model()
    hidden = document_model.objects.create(
        title="内部文件",
        file=ContentFile(b"%PDF-1.4 internal", name="internal.pdf"),
        collection=collections[where],
    )
    shown = document_model.objects.create(
        title="公开文件",
        file=ContentFile(b"%PDF-1.4 public", name="public.pdf"),
        collection=collections["public"],
    )
    html = (
        f'<p><a linktype="document" id="{hidden.pk}">内部文件</a>与'
        f'<a linktype="document" id="{shown.pk}">公开文件</a></p>'
    )
    article_factory(slug="pictured", body=story(paragraph(html)))
    rendered = gql(QUERY)["article"]["body"][0]["html"]
    assert rendered.startswith("<p>内部文件与<a href=")
    assert f"/documents/{shown.pk}/" in rendered
    assert f"/documents/{hidden.pk}/" not in rendered


# Output pixel cap


@override_settings(CMS_IMAGE_RENDITION_FILTERS=["scale-1500", "fill-640x360"])
def test_scale_1500_on_a_large_image_is_refused_before_rendering(gql, article_factory):
    large = ImageFactory(file__width=2400, file__height=1600)
    article_factory(slug="pictured", cover_image=large)
    query = 'query($f: String!) { article(slug: "pictured") { cover { rendition(filter: $f) { width } } } }'
    errors = gql.errors(query, {"f": "scale-1500"})
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter"}
    assert "36000x24000" in errors[0]["message"]
    assert not large.renditions.filter(filter_spec__startswith="scale-1500").exists()
    data = gql(query, {"f": "fill-640x360"})
    assert data["article"]["cover"]["rendition"] == {"width": 640}


@override_settings(CMS_IMAGE_MAX_OUTPUT_PIXELS=640 * 360)
def test_pixel_cap_applies_to_allowlisted_filters_and_srcset(gql, article_factory):
    image = ImageFactory(file__width=1600, file__height=900)
    article_factory(slug="pictured", cover_image=image)
    query = 'query($f: String!) { article(slug: "pictured") { cover { rendition(filter: $f) { width } } } }'
    assert gql(query, {"f": "fill-640x360"})["article"]["cover"]["rendition"] == {"width": 640}
    errors = gql.errors(query, {"f": "fill-960x540"})
    assert errors[0]["extensions"]["field"] == "filter"
    errors = gql.errors('{ article(slug: "pictured") { cover { srcset(widths: [320, 960]) } } }')
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "widths"}
    assert not image.renditions.filter(filter_spec__startswith="width-960").exists()
